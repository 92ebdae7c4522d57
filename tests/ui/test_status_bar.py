from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtWidgets import QStatusBar

from app.till.results import Status, TariffInForce
from tests.ui.fakes import CASHIER, FakeStatus, status_of, zar
from ui.language import apply_language
from ui.status_bar import StatusBarController, StatusBarView

_BARS: list[QStatusBar] = []


def _view(qtbot) -> StatusBarView:
    bar = QStatusBar()
    qtbot.addWidget(bar)
    _BARS.append(bar)  # keep the parent alive for the test
    return StatusBarView(bar)


def test_offline_with_reason_pending_and_clock_warning(qtbot) -> None:
    view = _view(qtbot)
    view.show_status(status_of(
        online=False, offline_reason="connection refused", pending_count=2,
        pending_value=zar("150.00"), last_sync=datetime(2026, 11, 25, 3, 0, tzinfo=UTC),
        printer="paper out", printer_ok=False, vendor_credit=zar("4850.00"),
        tariffs=(TariffInForce("RES-IBT", 2),), clock_skew_seconds=-600))
    assert view.connection.text() == "● OFFLINE: connection refused"
    assert view.connection.property("state") == "bad"
    assert view.pending.text() == "Pending: 2 (ZAR 150.00)"
    assert view.pending.property("state") == "warn"
    assert view.printer.text() == "Printer: paper out"
    assert view.printer.property("state") == "bad"
    assert view.credit.text() == "Credit: ZAR 4,850.00"
    assert view.tariff.text() == "Tariff: RES-IBT v2"
    assert "10 min behind" in view.clock.text()
    assert not view.clock.isHidden()


def test_online_and_small_skew_hidden(qtbot) -> None:
    view = _view(qtbot)
    view.show_status(status_of(online=True, clock_skew_seconds=30))
    assert view.connection.text() == "● Online"
    assert view.pending.text() == "Pending: 0"
    assert view.sync.text() == "Last sync: never"
    assert view.clock.isHidden()
    view.show_operator(CASHIER)
    assert view.operator.text() == "Operator: Thandi Nkosi (cashier)"
    view.show_operator(None)
    assert view.operator.text() == "Not signed in"


def test_controller_refreshes_in_background(qtbot) -> None:
    view = _view(qtbot)
    port = FakeStatus(status_of(online=False, offline_reason="timeout"))
    controller = StatusBarController(view, port, interval_ms=60_000)
    controller.start()
    qtbot.waitUntil(lambda: controller.last is not None, timeout=5000)
    assert "timeout" in view.connection.text()
    port.current = status_of(online=True)
    controller.refresh()
    qtbot.waitUntil(lambda: view.connection.text() == "● Online", timeout=5000)
    controller.stop()


def test_controller_failure_is_quiet(qtbot, shown_errors) -> None:
    view = _view(qtbot)

    class Broken:
        def status(self) -> Status:
            raise OSError("disk gone")

    controller = StatusBarController(view, Broken(), interval_ms=60_000)
    controller.refresh()
    qtbot.waitUntil(lambda: "unknown" in view.connection.text(), timeout=5000)
    assert shown_errors.shown == []


def test_needs_attention_and_what_the_server_does_not_offer(qtbot) -> None:
    view = _view(qtbot)
    view.show_status(status_of(pending_count=3, pending_value=zar("1250.00"), needs_attention=1,
                               printer="not set up", printer_ok=False))
    assert view.pending.text() == "Pending: 3 (ZAR 1,250.00), 1 need attention"
    assert view.pending.property("state") == "bad"
    assert view.printer.property("state") == "ok"  # no printer is a choice, not a fault
    assert view.missing.isHidden()
    view.show_missing(["Customer search", "Sale reversal"])
    assert view.missing.text() == "Not offered by this server: Customer search, Sale reversal"
    assert not view.missing.isHidden()
    # A long list stays short on the bar (a 1024-pixel screen); the tooltip has it all.
    many = ["Signed tariff documents", "Server events", "Batch upload of offline sales",
            "Customer search", "Sale reversal"]
    view.show_missing(many)
    assert view.missing.text() == ("Not offered by this server: Signed tariff documents, "
                                   "Server events and 3 more")
    assert all(name in view.missing.toolTip() for name in many)


def test_the_words_follow_a_language_change_before_anyone_signs_in(qtbot, qapp) -> None:
    # The terminal's language is applied once the core is up, after the window was built.
    view = _view(qtbot)
    assert view.operator.text() == "Not signed in"
    try:
        apply_language(qapp, "fr")
        qtbot.waitUntil(lambda: view.operator.text() == "Non connecté", timeout=5000)
        view.show_operator(CASHIER)
        assert view.operator.text().startswith("Opérateur")
    finally:
        apply_language(qapp, "en")
    qtbot.waitUntil(lambda: view.operator.text().startswith("Operator:"), timeout=5000)
