"""End to end: the real reference server, the real core and store, a TCP printer on loopback,
and the cashier screens driven by key presses only.

1. sign in, type the meter number, Enter, the amount, Enter, Enter (confirm): the receipt bytes
   with the token arrive at the printer;
2. the server is stopped: the next sale ends pending, with a pending slip (NOT A TOKEN);
3. the server comes back: the token arrives, is announced and printed, exactly once.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from app.sales.events import SaleLateToken, SalePending
from app.till import SaleResult, SaleState
from common.events import CoreEvent
from common.format import group_token
from printers.events import PrintJobDone
from tests.e2e.harness import Till, open_till
from ui.money import to_decimal
from ui.sale_controller import Step
from ui.sales_dialogs import SalesListDialog
from ui.shell import Shell

pytestmark = [pytest.mark.e2e, pytest.mark.qt_log_ignore(r"^This plugin does not support")]


def _printed(token_digits: str, data: bytes) -> bool:
    """The token's 4-4-4-4-4 groups are on the slip (one line, or split 3 + 2 on narrow paper)."""
    groups = [token_digits[i:i + 4] for i in range(0, 20, 4)]
    whole = " ".join(groups).encode()
    return whole in data or (" ".join(groups[:3]).encode() in data
                             and " ".join(groups[3:]).encode() in data)


@pytest.fixture
def till(qtbot, tmp_path: Path) -> Iterator[Till]:
    with open_till(tmp_path) as opened:
        qtbot.addWidget(opened.window)
        qtbot.waitExposed(opened.window)
        yield opened


def _keys(qtbot, widget: QWidget, text: str) -> None:
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def _sell_by_keyboard(qtbot, shell: Shell, meter: str, amount: str) -> SaleResult:
    view, sale = shell.sale_view, shell.sale
    qtbot.keyClick(view.meter, Qt.Key.Key_F2)
    assert view.meter.hasFocus()
    _keys(qtbot, view.meter, meter)
    qtbot.waitUntil(lambda: sale.step is Step.CONFIRMED, timeout=20000)
    assert view.amount.hasFocus()
    _keys(qtbot, view.amount, amount)
    qtbot.waitUntil(lambda: sale.step is Step.QUOTED, timeout=20000)
    assert view.tendered.hasFocus()
    with qtbot.waitSignal(sale.sold, timeout=30000) as sold:
        qtbot.keyClick(view.tendered, Qt.Key.Key_Return)  # confirm
    result = sold.args[0]
    assert isinstance(result, SaleResult)
    return result


def test_sale_offline_pending_and_late_token_printed_once(qtbot, till, shown_errors) -> None:
    t = till
    shell, window, srv = t.shell, t.window, t.server
    meter = srv.meter("normal")["meter_number"]
    # Every event on the core bus during the sale: the UI adds none of its own.
    kinds: list[type[CoreEvent]] = []
    unsubscribe = t.core.till.bus.subscribe_all(lambda event: kinds.append(type(event)))

    # -- sign in with the keyboard ----------------------------------------------------------
    login = shell.login_view
    qtbot.waitUntil(lambda: login.username.completer() is not None, timeout=20000)
    login.username.setFocus()
    _keys(qtbot, login.username, "thandi")
    with qtbot.waitSignal(shell.operator_changed, timeout=20000):
        _keys(qtbot, login.pin, "1234")
    assert "Thandi" in window.status_view.operator.text()

    # -- 1. online sale: tokens on screen, receipt bytes with the token at the printer --------
    first = _sell_by_keyboard(qtbot, shell, meter, "100")
    assert first.state is SaleState.TOKENED
    assert first.tokens
    labels = [label.text() for label in shell.sale_view.tokens.token_labels]
    assert labels == [group_token(tok.digits) for tok in first.ordered_tokens()]
    jobs = t.printer.wait_for_jobs(1, timeout=20)
    assert all(_printed(tok.digits, jobs[0]) for tok in first.tokens)
    assert first.reference.encode() in jobs[0]
    qtbot.waitUntil(lambda: "printed" in shell.sale_view.tokens.print_state.text(),
                    timeout=20000)

    # -- 2. the server stops: the next sale is pending, with a pending slip -------------------
    t.proxy.down()
    t.stop_server()
    second = _sell_by_keyboard(qtbot, shell, meter, "50")
    assert second.state is SaleState.PENDING
    assert "NO TOKEN YET" in shell.sale_view.tokens.headline.text()
    assert second.reference in shell.sale_view.tokens.headline.text()
    jobs = t.printer.wait_for_jobs(2, timeout=20)
    assert b"NOT A TOKEN" in jobs[1]
    assert second.reference.encode() in jobs[1]
    qtbot.waitUntil(lambda: "OFFLINE" in window.status_view.connection.text(), timeout=20000)
    qtbot.waitUntil(lambda: window.status_view.pending.text().startswith("Pending: 1"),
                    timeout=20000)
    qtbot.keyClick(shell.sale_view.next_button, Qt.Key.Key_F9)  # the pending list
    pending = shell.dialog
    assert isinstance(pending, SalesListDialog)
    qtbot.waitUntil(lambda: len(pending.records) == 1, timeout=20000)
    assert pending.records[0].reference == second.reference
    assert pending.records[0].state is SaleState.PENDING
    pending.reject()

    # -- 3. the server is back: the token arrives, is announced and printed exactly once ------
    with t.restart_server() as again:
        qtbot.waitUntil(lambda: second.reference in window.notifications.text.text(),
                        timeout=30000)
        jobs = t.printer.wait_for_jobs(3, timeout=20)
        sales = httpx.get(f"{again.base_url}/v1/sales", params={"meter": meter},
                          headers=again.headers(t.credential), timeout=10).json()["sales"]
        late = [s["sale"] for s in sales if s["sale"]["client_reference"] == second.reference]
        assert len(late) == 1, "the offline sale must reach the server exactly once"
        assert late[0]["amount_tendered"]["amount"] == "50.00"
        assert all(_printed(tok["token"], jobs[2]) for tok in late[0]["tokens"])
        assert b"NOT A TOKEN" not in jobs[2]
        # Another full sync pass must neither sell nor print again.
        report = t.core.sync.step()
        assert report.tokened == []
        qtbot.waitUntil(lambda: window.status_view.pending.text() == "Pending: 0",
                        timeout=20000)
        assert t.core.printer is not None
        assert t.core.printer.store.count_queued("main") == 0
        assert len(t.printer.jobs) == 3
        assert Decimal(late[0]["amount_tendered"]["amount"]) == to_decimal(second.amount)
    assert [e for e in shown_errors.shown if e[2]] == []  # no crash dialogs
    unsubscribe()
    assert SaleLateToken in kinds and PrintJobDone in kinds and SalePending in kinds
    # Each one is declared by the core layer that publishes it, none by the UI.
    assert {k.__module__.split(".")[0] for k in kinds} <= {"app", "printers"}
    assert all(k.__module__.endswith(".events") for k in kinds)
