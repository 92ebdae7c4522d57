from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from app.backend import Capabilities
from app.push.events import SaleDelivered
from app.sales.events import SaleLateToken, SaleNeedsAttention, SalePriceDiffers, SaleVoid
from app.sales.service import reference_for
from app.settings import Settings
from app.tariffs.events import TariffApplied, TariffInForce
from app.till.results import QuoteChange
from common.events import EventBus
from printers.events import PrintJobDone, PrintJobFailed
from tests.ui.fakes import CASHIER, GOOD, FakeAuth, FakeSales, FakeStatus, status_of, zar
from ui.dialogs import SearchDialog
from ui.main_window import MainWindow
from ui.ports import Services
from ui.qt_bridge import QtEventBridge
from ui.sale_controller import Step
from ui.sales_dialogs import ReprintDialog, SalesListDialog
from ui.shell import Shell


@pytest.fixture
def shell(qtbot):
    window = MainWindow(demo=True, server_url="http://127.0.0.1:1")
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    bus = EventBus()
    bridge = QtEventBridge(bus)
    sales = FakeSales()
    services = Services(auth=FakeAuth(), sales=sales, status=FakeStatus(),
                        suggested_operator="thandi")
    shell = Shell(window, services, settings=Settings(), bridge=bridge, idle_ms=0,
                  status_interval_ms=60_000)
    shell.start()
    yield shell, window, bus, sales
    shell.stop()
    bridge.close()


def _login(qtbot, shell) -> None:
    shell.login_view.pin.setText("1234")
    with qtbot.waitSignal(shell.operator_changed, timeout=5000):
        qtbot.keyClick(shell.login_view.pin, Qt.Key.Key_Return)


def test_login_then_sale_screen_with_operator_visible(qtbot, shell) -> None:
    shell_, window, _bus, _sales = shell
    assert window.current_screen() is shell_.login_view
    _login(qtbot, shell_)
    assert window.current_screen() is shell_.sale_view
    assert "Thandi Nkosi" in window.status_view.operator.text()
    assert "Thandi Nkosi" in shell_.sale_view.operator.text()
    assert shell_.sale_view.meter.hasFocus()


def test_lock_keeps_sale_and_unlock_returns_to_it(qtbot, shell) -> None:
    shell_, window, _bus, _sales = shell
    _login(qtbot, shell_)
    shell_.sale_view.meter.setText(GOOD)
    shell_.sale.meter_entered()
    qtbot.waitUntil(lambda: shell_.sale.step is Step.CONFIRMED, timeout=5000)
    qtbot.keyClick(shell_.sale_view.meter, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.current_screen() is shell_.login_view
    assert shell_.login_view.title.text() == "Till locked"
    # Locked by hand: not "after a quiet spell".
    assert "quiet spell" not in shell_.login_view.subtitle.text()
    assert "Locked by Thandi Nkosi" in shell_.login_view.subtitle.text()
    assert window.status_view.operator.text() == "Not signed in"
    assert shell_.operator is None  # nothing may act for the locked operator
    qtbot.keyClick(shell_.sale_view.meter, Qt.Key.Key_F8)
    assert shell_.dialog is None
    _login(qtbot, shell_)
    assert shell_.sale.step is Step.CONFIRMED
    assert shell_.sale_view.customer.name.text() == "Lindiwe Mokoena"


def test_idle_lock_fires(qtbot, shell) -> None:
    shell_, window, _bus, _sales = shell
    _login(qtbot, shell_)
    shell_.idle.set_timeout(30)
    with qtbot.waitSignal(shell_.operator_changed, timeout=5000) as blocker:
        pass
    assert blocker.args == [None]
    assert window.current_screen() is shell_.login_view
    assert "Locked after a quiet spell" in shell_.login_view.subtitle.text()


def test_pending_token_arrival_notifies(qtbot, shell) -> None:
    _shell, window, bus, _sales = shell
    bus.publish(SaleLateToken(idempotency_key="k-abc", reference="VP-ABC",
                    receipt_no="VP00000009", meter_number=GOOD, customer_name="Lindiwe Mokoena",
                    job_id="job-9", printed=True))
    qtbot.waitUntil(lambda: window.notifications.isVisible(), timeout=5000)
    text = window.notifications.text.text()
    assert "VP-ABC" in text and "VP00000009" in text and "printing" in text


def test_function_keys_open_dialogs(qtbot, shell) -> None:
    shell_, _window, _bus, _sales = shell
    _login(qtbot, shell_)
    for key, kind in ((Qt.Key.Key_F8, ReprintDialog), (Qt.Key.Key_F9, SalesListDialog),
                      (Qt.Key.Key_F10, SalesListDialog), (Qt.Key.Key_F3, SearchDialog)):
        qtbot.keyClick(shell_.sale_view.meter, key)
        assert isinstance(shell_.dialog, kind)
        shell_.dialog.reject()
        assert shell_.dialog is None


def test_search_result_is_looked_up(qtbot, shell) -> None:
    shell_, _window, _bus, _sales = shell
    _login(qtbot, shell_)
    shell_.sale_view.meter.setText("lindi")
    qtbot.keyClick(shell_.sale_view.meter, Qt.Key.Key_F3)
    dialog = shell_.dialog
    assert isinstance(dialog, SearchDialog)
    qtbot.waitUntil(lambda: dialog.results.rowCount() == 1, timeout=5000)
    qtbot.keyClick(dialog.results, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: shell_.sale.step is Step.CONFIRMED, timeout=5000)
    assert shell_.sale_view.meter.text() == GOOD


def test_other_operator_gets_fresh_screen(qtbot, shell) -> None:
    shell_, _window, _bus, _sales = shell
    _login(qtbot, shell_)
    shell_.sale_view.meter.setText(GOOD)
    shell_.sale.meter_entered()
    qtbot.waitUntil(lambda: shell_.sale.step is Step.CONFIRMED, timeout=5000)
    shell_.lock()
    shell_.login_view.username.setText("sipho")
    shell_.login_view.pin.setText("4321")
    with qtbot.waitSignal(shell_.operator_changed, timeout=5000):
        shell_.login.submit()
    assert shell_.sale.step is Step.IDLE
    assert shell_.operator is not None and shell_.operator.id == "sipho"
    assert CASHIER.id != shell_.operator.id


def test_pending_sale_on_screen_shows_token_arrived(qtbot, shell) -> None:
    shell_, _window, bus, sales = shell
    _login(qtbot, shell_)
    sales.offline = True
    view = shell_.sale_view
    view.meter.setText(GOOD)
    shell_.sale.meter_entered()
    qtbot.waitUntil(lambda: shell_.sale.step is Step.CONFIRMED, timeout=5000)
    view.amount.setText("100")
    shell_.sale.request_quote()
    qtbot.waitUntil(lambda: shell_.sale.step is Step.QUOTED, timeout=5000)
    with qtbot.waitSignal(shell_.sale.sold, timeout=5000):
        shell_.sale.sell()
    assert "NO TOKEN YET" in view.tokens.headline.text()
    bus.publish(SaleLateToken(idempotency_key="k-1", reference="P-0001",
                    receipt_no="VP00000007", meter_number=GOOD, customer_name="Lindiwe Mokoena",
                    job_id="job-7", printed=True))
    qtbot.waitUntil(lambda: "TOKEN ARRIVED" in view.tokens.headline.text(), timeout=5000)
    assert "Printing" in view.tokens.print_state.text()
    bus.publish(PrintJobDone(job_id="job-7", printer_id="p1", kind="token",
                    sale_ref="VP-X", printed_count=1, reprint_no=0))
    qtbot.waitUntil(lambda: view.tokens.print_state.text() == "Slip printed.", timeout=5000)
    assert "VP00000007" in view.tokens.headline.text()
    assert "NO TOKEN YET" not in view.tokens.headline.text()


def test_tariff_in_force_notifies_and_checks_the_quote(qtbot, shell) -> None:
    shell_, window, bus, sales = shell
    _login(qtbot, shell_)
    shell_.sale.use_meter(GOOD)
    qtbot.waitUntil(lambda: shell_.sale.step is Step.CONFIRMED, timeout=5000)
    shell_.sale_view.amount.setText("100")
    shell_.sale.request_quote()
    qtbot.waitUntil(lambda: shell_.sale.step is Step.QUOTED, timeout=5000)
    banner = shell_.tariff_banner
    # A till's first start learns version 1 of every tariff: no banner, no check.
    bus.publish(TariffApplied(tariff_id="RES-IBT", tariff_name="Residential", version=1,
                    previous_version=0, effective_from="2026-01-01T00:00:00Z",
                    expires_at="2099-01-01T00:00:00Z", in_force=True))
    old = sales.quote(GOOD, zar("100"))
    sales.requote_change = QuoteChange(replace(old, units="50.0", tariff_version=2),
                                       "The tariff changed from version 1 to 2.")
    bus.publish(TariffInForce(tariff_id="RES-IBT", tariff_name="Residential", version=2,
                    effective_from="2026-11-25T00:00:00Z"))
    qtbot.waitUntil(lambda: len(sales.requote_checks) == 1, timeout=5000)
    qtbot.waitUntil(lambda: shell_.sale_view.quote.notice.isVisible(), timeout=5000)
    assert "version 1 to 2" in shell_.sale_view.quote.notice.text()
    assert shell_.sale.step is Step.PRICE_CHANGED  # new quote shown, to be confirmed
    assert banner.message.text() == "Residential version 2 is now in force"
    bus.publish(TariffApplied(tariff_id="RES-IBT", tariff_name="Residential", version=3,
                    previous_version=2, effective_from="2030-01-01T00:00:00Z",
                    expires_at="2099-01-01T00:00:00Z", in_force=False))
    qtbot.waitUntil(lambda: "version 3" in banner.message.text(), timeout=5000)
    assert len(sales.requote_checks) == 1  # not in force yet: the quote is not even checked
    assert not window.notifications.isVisible()


def test_smart_meter_read_back_on_the_sale_on_screen(qtbot, shell) -> None:
    shell_, _window, bus, _sales = shell
    _login(qtbot, shell_)
    shell_.sale.use_meter(GOOD)
    qtbot.waitUntil(lambda: shell_.sale.step is Step.CONFIRMED, timeout=5000)
    shell_.sale_view.amount.setText("100")
    shell_.sale.request_quote()
    qtbot.waitUntil(lambda: shell_.sale.step is Step.QUOTED, timeout=5000)
    with qtbot.waitSignal(shell_.sale.sold, timeout=5000):
        shell_.sale.sell()
    bus.publish(SaleDelivered(event_id=9, receipt_no="VP00000001", idempotency_key="k",
                    terminal_id="T1", meter_number=GOOD, accepted=True, balance="205.5",
                    unit="kWh", delivered_at="2026-11-25T04:00:00Z"))
    tokens = shell_.sale_view.tokens
    qtbot.waitUntil(lambda: tokens.delivered.isVisible(), timeout=5000)
    assert "balance now 205.5 kWh" in tokens.delivered.text()
    assert "205.5" in shell_.tariff_banner.message.text()


def test_saved_idle_minutes_apply_at_once(qtbot, shell) -> None:
    shell_, _window, _bus, _sales = shell
    _login(qtbot, shell_)
    shell_._settings_saved(Settings({"ui.idle_lock_minutes": 2}))
    assert shell_.idle._timeout_ms == 120_000
    assert shell_.idle.is_active()
    shell_._settings_saved(Settings({"ui.idle_lock_minutes": 0}))
    assert not shell_.idle.is_active()


def test_attention_notice_stays_until_dismissed(qtbot, shell) -> None:
    shell_, window, bus, sales = shell
    _login(qtbot, shell_)
    sales.offline = True
    sales.sell(GOOD, zar("100"), CASHIER)  # a pending sale, refused when it is synced
    key = "0a1b2c3d-4e5f-6789-abcd-ef0123456789"
    sales.records[0] = replace(sales.records[0], client_reference=reference_for(key))
    bus.publish(SaleNeedsAttention(idempotency_key=key, code="BLOCKED_METER",
                    reason="The server refused this offline sale: the meter is blocked."))
    qtbot.waitUntil(lambda: window.notifications.isVisible(), timeout=5000)
    text = window.notifications.text.text()
    assert "ATTENTION" in text and reference_for(key) in text and "meter is blocked" in text
    assert f"meter {GOOD}" in text  # the sale's meter, read from the store
    assert "supervisor" in text
    assert not window.notifications._timer.isActive()  # no time-out: it must be seen
    window.notifications.dismiss.click()
    assert not window.notifications.isVisible()


def test_not_sold_notice(qtbot, shell) -> None:
    _shell, window, bus, _sales = shell
    key = "01234567-89ab-cdef-0123-456789abcdef"
    bus.publish(SaleVoid(idempotency_key=key))
    qtbot.waitUntil(lambda: window.notifications.isVisible(), timeout=5000)
    assert f"{reference_for(key)} did not go through" in window.notifications.text.text()


def test_price_difference_on_the_sale_on_screen_or_as_a_notice(qtbot, shell) -> None:
    shell_, window, bus, _sales = shell
    _login(qtbot, shell_)
    shell_.sale.use_meter(GOOD)
    qtbot.waitUntil(lambda: shell_.sale.step is Step.CONFIRMED, timeout=5000)
    shell_.sale_view.amount.setText("100")
    shell_.sale.request_quote()
    qtbot.waitUntil(lambda: shell_.sale.step is Step.QUOTED, timeout=5000)
    with qtbot.waitSignal(shell_.sale.sold, timeout=5000):
        shell_.sale.sell()
    summary = "The tariff changed from version 1 to 2: ZAR 100.00 now buys 50.0 kWh."
    bus.publish(SalePriceDiffers(idempotency_key="k", receipt_no="VP00000001",
                    summary=summary, quoted_version=1, sold_version=2, lines=()))
    note = shell_.sale_view.tokens.price_note
    qtbot.waitUntil(lambda: note.isVisible(), timeout=5000)
    assert summary in note.text()
    assert not window.notifications.isVisible()
    bus.publish(SalePriceDiffers(idempotency_key="k2", receipt_no="VP00000777",
                    summary=summary, quoted_version=1, sold_version=2, lines=()))
    qtbot.waitUntil(lambda: window.notifications.isVisible(), timeout=5000)
    assert "VP00000777" in window.notifications.text.text()


def test_search_not_offered_is_disabled_with_the_reason(qtbot, shell) -> None:
    shell_, window, _bus, sales = shell
    sales.capabilities = Capabilities(search=False, reversal=False)
    shell_.status._port = sales  # the status now reports this server's capabilities
    _login(qtbot, shell_)
    with qtbot.waitSignal(shell_.status.refreshed, timeout=5000):
        shell_.status.refresh()
    button = shell_.sale_view.search_button
    assert not button.isEnabled()
    assert button.toolTip() == "Not offered by this vending server."
    assert "Customer search" in window.status_view.missing.text()
    qtbot.keyClick(shell_.sale_view.meter, Qt.Key.Key_F3)
    assert shell_.dialog is None  # no search dialog that could only fail
    assert "Customer search: Not offered" in window.notifications.text.text()
    qtbot.keyClick(shell_.sale_view.meter, Qt.Key.Key_F8)
    reprint = shell_.dialog
    assert isinstance(reprint, ReprintDialog) and not reprint.reverse_button.isEnabled()


def test_status_capabilities_all_on_leave_everything_enabled(qtbot, shell) -> None:
    shell_, window, _bus, _sales = shell
    shell_.status._port = FakeStatus(status_of())
    with qtbot.waitSignal(shell_.status.refreshed, timeout=5000):
        shell_.status.refresh()
    assert shell_.sale_view.search_button.isEnabled()
    assert window.status_view.missing.isHidden()


def test_print_failure_of_the_sale_on_screen_and_late_token_without_printer(qtbot,
                                                                             shell) -> None:
    shell_, window, bus, _sales = shell
    _login(qtbot, shell_)
    shell_.sale.use_meter(GOOD)
    qtbot.waitUntil(lambda: shell_.sale.step is Step.CONFIRMED, timeout=5000)
    shell_.sale_view.amount.setText("100")
    shell_.sale.request_quote()
    qtbot.waitUntil(lambda: shell_.sale.step is Step.QUOTED, timeout=5000)
    with qtbot.waitSignal(shell_.sale.sold, timeout=5000):
        shell_.sale.sell()
    tokens = shell_.sale_view.tokens
    bus.publish(PrintJobFailed(job_id="other", printer_id="p1", kind="token",
                    sale_ref="VP-OTHER", attempts=1, error="paper out", will_retry=True))
    bus.publish(PrintJobFailed(job_id="j1", printer_id="p1", kind="token",
                    sale_ref="VP00000001", attempts=1, error="paper out", will_retry=True))
    qtbot.waitUntil(lambda: "paper out" in tokens.print_state.text(), timeout=5000)
    assert "F8" in tokens.print_state.text()
    bus.publish(SaleLateToken(idempotency_key="k9", reference="VP-LATE",
                    receipt_no="VP00000009", meter_number=GOOD, customer_name="Lindiwe Mokoena",
                    job_id="", printed=False))
    qtbot.waitUntil(lambda: window.notifications.isVisible(), timeout=5000)
    assert "could not print: press F8" in window.notifications.text.text()
    assert "VP00000001" in tokens.headline.text()  # another sale: the screen keeps its own
