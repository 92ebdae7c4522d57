"""The cashier dialogs and the UI's core adapter against the real server, store and printer:
sign-in and lockout, sales lists, reprint (supervisor beyond policy) and reversal."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from app.api.models import Money
from app.settings import Settings
from app.supervisor.approvals import Approval
from app.supervisor.reprints import ReprintPolicy
from app.till import Operator, SaleState
from app.till import Till as CoreTill
from common.errors import PermissionDenied
from tests.e2e.harness import Till, open_till
from ui.ports import PrinterPort
from ui.sale_controller import Step
from ui.sales_dialogs import ReprintDialog, SalesListDialog

pytestmark = [pytest.mark.e2e, pytest.mark.qt_log_ignore(r"^This plugin does not support")]


@pytest.fixture
def till(qtbot, tmp_path: Path) -> Iterator[Till]:
    with open_till(tmp_path) as opened:
        qtbot.addWidget(opened.window)
        yield opened


def _adapter(till: Till) -> CoreTill:
    return till.core.till


def _printer(till: Till) -> PrinterPort:
    printer = till.core.services.printer
    assert printer is not None
    return printer


def test_sign_in_offline_cache_and_lockout(till: Till) -> None:
    adapter = _adapter(till)
    listed = list(adapter.operators())  # the directory's cached list, by name
    assert {"thandi", "sipho"} <= {op.id for op in listed}
    assert [op.name for op in listed] == sorted((op.name for op in listed), key=str.casefold)
    assert {op.id: op.can_approve for op in listed}["sipho"] is True
    thandi = adapter.sign_in("thandi", "1234")
    assert thandi == Operator("thandi", "Thandi Nkosi", thandi.role)
    with pytest.raises(PermissionDenied, match="not a supervisor"):
        adapter.check_supervisor(Approval("thandi", "1234"))
    till.proxy.down()  # cached hashes still sign in
    assert adapter.check_supervisor(Approval("sipho", "4321")).id == "sipho"
    messages = []
    for _ in range(5):
        with pytest.raises(PermissionDenied) as caught:
            adapter.sign_in("thandi", "0000")
        messages.append(str(caught.value))
    assert "locked" in messages[-1]
    with pytest.raises(PermissionDenied, match="locked"):
        adapter.sign_in("thandi", "1234")  # even the right PIN, until the lock ends


def test_lists_reprint_beyond_policy_and_reversal(qtbot, till: Till, shown_errors) -> None:
    adapter = _adapter(till)
    cashier = adapter.sign_in("thandi", "1234")
    meter = till.server.meter("normal")["meter_number"]
    sale = adapter.sell(meter, Money(10000, "ZAR"), cashier)
    assert sale.state is SaleState.TOKENED
    till.printer.wait_for_jobs(1, timeout=20)

    today = SalesListDialog("Today", adapter.today)
    qtbot.addWidget(today)
    today.load()
    qtbot.waitUntil(lambda: len(today.records) == 1, timeout=10000)
    assert today.records[0].reference == sale.reference
    assert today.total.text() == "1 sale, total ZAR 100.00"
    assert [r.reference for r in adapter.find(sale.reference)] == [sale.reference]

    asked: list[str] = []

    def ask(action: str, parent: object) -> Approval:
        asked.append(action)
        return Approval("sipho", "4321")

    dialog = ReprintDialog(adapter, cashier, ask,
                           confirm=lambda record, parent: "customer changed their mind")
    qtbot.addWidget(dialog)
    dialog.query.setText(meter)
    dialog.search()
    qtbot.waitUntil(lambda: len(dialog.records) == 1, timeout=10000)
    free = ReprintPolicy().max_free_reprints
    for n in range(free + 1):
        dialog.reprint()
        qtbot.waitUntil(lambda: "sent to the printer" in dialog.message.text(), timeout=10000)
        dialog.message.setText("")
        till.printer.wait_for_jobs(2 + n, timeout=20)
    assert asked == ["reprint beyond the reprint policy"]  # only the third reprint
    jobs = till.printer.wait_for_jobs(1 + free + 1, timeout=20)
    assert all(b"REPRINT" in job for job in jobs[1:])
    assert b"REPRINT" not in jobs[0]

    dialog.reverse()
    qtbot.waitUntil(lambda: "reversed (" in dialog.message.text(), timeout=20000)
    listed = httpx.get(f"{till.server.base_url}/v1/sales", params={"meter": meter},
                       headers=till.server.headers(till.credential), timeout=10).json()
    assert listed["sales"][0]["reversed"] is True
    assert [r.reversed for r in adapter.today()] == [True]  # and the till knows it
    assert [e for e in shown_errors.shown if e[2]] == []


def test_new_tariff_and_top_up_reach_the_screen(qtbot, till: Till) -> None:
    shell, window, srv = till.shell, till.window, till.server
    cashier = till.core.till.sign_in("thandi", "1234")
    shell.login.logged_in.emit(cashier)
    meter = srv.meter("normal")["meter_number"]
    shell.sale.use_meter(meter)
    qtbot.waitUntil(lambda: shell.sale.step is Step.CONFIRMED, timeout=20000)
    shell.sale_view.amount.setText("100")
    shell.sale.request_quote()
    qtbot.waitUntil(lambda: shell.sale.step is Step.QUOTED, timeout=20000)
    assert "(version 1)" in shell.sale_view.quote.footer.text()
    qtbot.waitUntil(lambda: till.core.push is not None and till.core.push.connected,
                    timeout=20000)

    doc = dict(srv.service.tariff_version("RES-IBT", 1)["document"])
    for name in ("effective_from", "expires_at"):
        doc.pop(name, None)
    srv.service.publish_tariff(doc)  # version 2, in force now
    banner = shell.tariff_banner
    qtbot.waitUntil(lambda: "version 2" in banner.message.text(), timeout=30000)
    assert banner.isVisible()
    # The quote on screen was priced on version 1: it is made again on version 2, the
    # difference is shown, and the cashier confirms before anything is sold.
    qtbot.waitUntil(lambda: "(version 2)" in shell.sale_view.quote.footer.text(),
                    timeout=20000)
    notice = shell.sale_view.quote.notice
    assert notice.isVisible()
    assert "PRICE CHANGED: The tariff changed from version 1 to 2" in notice.text()
    assert shell.sale_view.sell_button.text() == "Confirm (Enter)"
    qtbot.waitUntil(lambda: "RES-IBT v2" in window.status_view.tariff.text(), timeout=20000)
    shell.action("tariffs")  # F6: the viewer over the accepted signed versions
    assert shell.dialog is not None and shell.dialog.objectName() == "tariffViewer"
    shell.dialog.reject()

    srv.service.top_up(srv.demo["vendor"]["id"], 123_45)
    expected = Decimal(srv.demo["vendor"]["credit"]["amount"]) + Decimal("123.45")
    qtbot.waitUntil(lambda: f"{expected:,.2f}" in window.status_view.credit.text(),
                    timeout=20000)


def test_offline_sale_refused_later_asks_for_attention(qtbot, till: Till) -> None:
    """A pending sale the server refuses on sync (the meter was blocked meanwhile): the
    cashier is told to involve a supervisor (the customer paid and holds a pending slip)."""
    adapter = _adapter(till)
    cashier = adapter.sign_in("thandi", "1234")
    meter = till.server.meter("normal")["meter_number"]
    adapter.lookup(meter)  # cached for the offline sale
    till.proxy.down()
    pending = adapter.sell(meter, Money(4000, "ZAR"), cashier)
    assert pending.state is SaleState.PENDING
    # The utility blocks the meter meanwhile (the server's own back-office call).
    till.server.service.store.set_meter_blocked(meter, True, "tamper reported")
    till.proxy.up()
    till.core.sync.wake()
    notices = till.window.notifications
    qtbot.waitUntil(lambda: "ATTENTION" in notices.text.text(), timeout=30000)
    assert pending.reference in notices.text.text()


def test_test_print_reaches_the_printer(till: Till) -> None:
    settings = Settings({"printer.connection": "network",
                         "printer.address": f"127.0.0.1:{till.printer.port}",
                         "printer.columns": 32})
    _printer(till).test_print(settings)
    job = till.printer.wait_for_jobs(1, timeout=20)[0]
    assert b"VendPoint test print" in job
    assert b"12345678901234567890123456789012\n" in job  # the 32-column ruler, whole
    with pytest.raises(Exception, match=r"printer\.address"):
        _printer(till).test_print(Settings({"printer.connection": "network",
                                            "printer.address": "no port:x"}))
