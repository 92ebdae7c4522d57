"""Counter acceptance on the real main window: what a cashier hits on day one, each scenario
typed as a cashier types it (key events to the focused widget) on a real till — reference
server on loopback through a fault proxy, core, SQLCipher store, loopback TCP printer.

- an amount typed with a decimal comma on a decimal-point terminal is refused, never read as a
  thousand; the parsed amount is shown large before selling;
- the check-digit message says the number is not valid and never suggests a digit;
- the receipt prints the cash tendered, the change and "VAT 15%";
- an unreadable answer (a captive portal's page) leaves the sale NOT COMPLETE with nothing of
  the previous customer's tokens on screen; Enter asks about the SAME sale and shows the
  server's tokens; exactly one sale is made;
- a pending sale's token arrives: its digits appear on screen and the F9 list no longer says
  PENDING.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.till import SaleState
from common.format import group_token
from tests.e2e.harness import Till
from tests.e2e.keys import (
    CASHIER,
    back_on_window,
    dialog_of,
    press,
    real_window,
    sell,
    sign_in,
    type_keys,
)
from tests.reliability.faultproxy import Fault, FaultKind
from ui.sale_flow import Step
from ui.sales_dialogs import SalesListDialog

pytestmark = [pytest.mark.e2e, pytest.mark.qt_log_ignore(r"^This plugin does not support")]


@pytest.fixture
def till(qtbot, tmp_path: Path) -> Iterator[Till]:
    with real_window(qtbot, tmp_path) as opened:
        yield opened


def _token_texts(till: Till) -> str:
    """Every text on the token side, as the cashier sees it."""
    panel = till.shell.sale_view.tokens
    return " ".join(label.text() for label in panel.findChildren(QLabel) if label.isVisible())


def _server_digits(till: Till, key: str) -> list[str]:
    answer = httpx.get(f"{till.server.base_url}/v1/sales/{key}",
                       headers=till.server.headers(till.credential), timeout=10).json()
    return [str(t["token"]) for t in answer["tokens"]]


def _server_keys(till: Till) -> list[str]:
    """The sales this till made (the server's record is compared through them)."""
    rows = till.core.store.call(lambda c: c.execute(
        "SELECT idem_key FROM sales ORDER BY created_at").fetchall())
    return [str(r[0]) for r in rows]


def test_a_decimal_comma_is_refused_and_the_amount_is_shown_large(
        qtbot, till, shown_errors) -> None:
    sign_in(qtbot, till, CASHIER)
    view, sale = till.shell.sale_view, till.shell.sale
    view.meter.setFocus()
    type_keys(qtbot, till.server.meter("normal")["meter_number"], enter=True)
    qtbot.waitUntil(lambda: sale.step is Step.CONFIRMED, timeout=20000)
    type_keys(qtbot, "100,50", enter=True)
    qtbot.waitUntil(lambda: bool(shown_errors.shown), timeout=5000)
    assert sale.step == Step.CONFIRMED  # nothing quoted, nothing one Enter from selling
    assert "1,050" not in shown_errors.shown[0][1] and "100,50" in shown_errors.shown[0][1]
    view.amount.selectAll()
    type_keys(qtbot, "100.50", enter=True)
    qtbot.waitUntil(lambda: sale.step is Step.QUOTED, timeout=20000)
    assert "ZAR 100.50" in view.quote.amount.text()


def test_a_wrong_check_digit_never_suggests_another_meter(qtbot, till, shown_errors) -> None:
    sign_in(qtbot, till, CASHIER)
    meter = till.server.meter("normal")["meter_number"]
    typo = meter[:3] + str((int(meter[3]) + 1) % 10) + meter[4:]  # a slip in the middle
    till.shell.sale_view.meter.setFocus()
    type_keys(qtbot, typo, enter=True)
    qtbot.waitUntil(lambda: bool(shown_errors.shown), timeout=5000)
    text = shown_errors.shown[0][1]
    assert "not a valid meter number" in text
    assert not any(ch.isdigit() for ch in text.replace(typo, "")), text
    assert till.shell.sale.step is Step.IDLE


def test_the_receipt_prints_the_cash_tendered_the_change_and_the_vat_rate(
        qtbot, till, shown_errors) -> None:
    sign_in(qtbot, till, CASHIER)
    view, sale = till.shell.sale_view, till.shell.sale
    view.meter.setFocus()
    type_keys(qtbot, till.server.meter("normal")["meter_number"], enter=True)
    qtbot.waitUntil(lambda: sale.step is Step.CONFIRMED, timeout=20000)
    type_keys(qtbot, "100", enter=True)
    qtbot.waitUntil(lambda: sale.step is Step.QUOTED, timeout=20000)
    type_keys(qtbot, "150")
    with qtbot.waitSignal(sale.sold, timeout=30000):
        press(qtbot, Qt.Key.Key_Return)
    receipt = till.printer.wait_for_jobs(1, timeout=20)[0]
    assert b"Cash tendered" in receipt and b"150.00" in receipt
    assert b"Change" in receipt and b"50.00" in receipt
    assert b"VAT 15%" in receipt
    assert not shown_errors.shown


def test_an_unreadable_answer_keeps_the_same_sale_and_enter_asks_about_it(
        qtbot, till, shown_errors) -> None:
    sign_in(qtbot, till, CASHIER)
    first = till.server.meter("normal")["meter_number"]
    sell(qtbot, till, first)
    before = [t.digits for t in till.shell.sale.result.tokens]
    assert before and group_token(before[0]) in _token_texts(till)
    # The next customer's sale: the server sells it, the answer is a captive portal's page,
    # and so is the look-up of the same key.
    till.proxy.inject(Fault(FaultKind.HTML_200, after_commit=True), b"POST /v1/sales ")
    till.proxy.inject(Fault(FaultKind.HTML_200), b"GET /v1/sales/")
    other = till.server.meter("tid_rollover")["meter_number"]
    view, sale = till.shell.sale_view, till.shell.sale
    type_keys(qtbot, other, enter=True)  # the scan replaces the selected number
    qtbot.waitUntil(lambda: sale.step is Step.CONFIRMED, timeout=20000)
    type_keys(qtbot, "50", enter=True)
    qtbot.waitUntil(lambda: sale.step is Step.QUOTED, timeout=20000)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: sale.step is Step.UNFINISHED, timeout=30000)
    assert "NOT COMPLETE" in _token_texts(till)
    for digits in before:  # nothing of the previous customer's tokens
        assert group_token(digits) not in _token_texts(till) and digits not in _token_texts(till)
    assert view.tokens.token_labels == []
    keys = _server_keys(till)
    assert len(keys) == 2 and shown_errors.shown
    # Enter asks about THIS sale (the same key): the server's tokens, no second sale.
    back_on_window(qtbot, till)
    view.meter.setFocus()
    with qtbot.waitSignal(sale.sold, timeout=30000):
        press(qtbot, Qt.Key.Key_Return)
    assert sale.step is Step.DONE and sale.result is not None
    assert sale.result.state is SaleState.TOKENED
    assert [t.digits for t in sale.result.tokens] == _server_digits(till, keys[1])
    assert _server_keys(till) == keys  # exactly one sale for that payment


def test_a_late_token_shows_its_digits_and_the_list_is_updated(
        qtbot, till, shown_errors) -> None:
    sign_in(qtbot, till, CASHIER)
    meter = till.server.meter("normal")["meter_number"]
    view, sale = till.shell.sale_view, till.shell.sale
    view.meter.setFocus()
    type_keys(qtbot, meter, enter=True)  # cached for the offline sale
    qtbot.waitUntil(lambda: sale.step is Step.CONFIRMED, timeout=20000)
    till.proxy.down()
    till.core.till.service.connectivity.set(False, "test: the network dropped")
    type_keys(qtbot, "50", enter=True)
    qtbot.waitUntil(lambda: sale.step is Step.QUOTED, timeout=20000)
    with qtbot.waitSignal(sale.sold, timeout=30000):
        press(qtbot, Qt.Key.Key_Return)
    assert sale.result is not None and sale.result.state is SaleState.PENDING
    assert "NO TOKEN YET" in _token_texts(till)
    (key,) = _server_keys(till)
    till.proxy.up()
    till.core.sync.step()  # the sync worker's pass (it may also run on its own thread)
    qtbot.waitUntil(lambda: till.core.store.call(lambda c: c.execute(
        "SELECT state FROM sales WHERE idem_key = ?", (key,)).fetchone()[0]) == "tokened",
        timeout=20000)
    digits = _server_digits(till, key)
    qtbot.waitUntil(lambda: bool(view.tokens.token_labels), timeout=10000)
    assert [lbl.text() for lbl in view.tokens.token_labels] == [group_token(d) for d in digits]
    press(qtbot, Qt.Key.Key_F9)
    listing = dialog_of(qtbot, till, SalesListDialog)
    assert isinstance(listing, SalesListDialog)
    cells = [listing.table.item(r, c) for r in range(listing.table.rowCount())
             for c in range(listing.table.columnCount())]
    texts = [cell.text() for cell in cells if cell is not None]
    assert not any("PENDING" in t for t in texts), texts


def test_the_customer_panel_is_true_after_the_sale(qtbot, till, shown_errors) -> None:
    """A key change is issued with the sale: afterwards the panel no longer announces it."""
    sign_in(qtbot, till, CASHIER)
    meter = till.server.meter("key_change")["meter_number"]
    panel = till.shell.sale_view.customer
    till.shell.sale_view.meter.setFocus()
    type_keys(qtbot, meter, enter=True)
    qtbot.waitUntil(lambda: till.shell.sale.step is Step.CONFIRMED, timeout=20000)

    def panel_text() -> str:
        return " ".join(label.text() for label in panel.findChildren(QLabel)
                        if label.isVisible())

    assert "Key change" in panel_text()
    type_keys(qtbot, "100", enter=True)
    qtbot.waitUntil(lambda: till.shell.sale.step is Step.QUOTED, timeout=20000)
    with qtbot.waitSignal(till.shell.sale.sold, timeout=30000):
        press(qtbot, Qt.Key.Key_Return)
    result = till.shell.sale.result
    assert result is not None and any(t.is_key_change for t in result.tokens)
    qtbot.waitUntil(lambda: "Key change" not in panel_text(), timeout=20000)
    assert not shown_errors.shown


def test_a_sale_by_units_buys_at_least_the_units_asked_for(qtbot, till, shown_errors) -> None:
    sign_in(qtbot, till, CASHIER)
    view, sale = till.shell.sale_view, till.shell.sale
    view.meter.setFocus()
    type_keys(qtbot, till.server.meter("normal")["meter_number"], enter=True)
    qtbot.waitUntil(lambda: sale.step is Step.CONFIRMED, timeout=20000)
    qtbot.waitUntil(lambda: till.shell.capabilities.sale_by_units, timeout=20000)
    press(qtbot, Qt.Key.Key_F7)
    assert "Units (kWh)" in view.amount_label.text().replace("&", "")
    assert view.amount.hasFocus()
    type_keys(qtbot, "72", enter=True)
    qtbot.waitUntil(lambda: sale.step is Step.QUOTED, timeout=20000)
    quoted = till.shell.sale.flow.agreed
    assert quoted is not None and "ZAR" in view.quote.amount.text()
    with qtbot.waitSignal(sale.sold, timeout=30000):
        press(qtbot, Qt.Key.Key_Return)
    result = sale.result
    assert result is not None and result.state is SaleState.TOKENED
    assert Decimal(result.units) >= Decimal("72") and result.amount == quoted
    assert not shown_errors.shown
