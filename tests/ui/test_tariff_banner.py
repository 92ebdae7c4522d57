"""Tariff banner: texts for applied / in force / refused / delivered, shown from core events
published on a worker thread through the real QtEventBridge."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from PySide6.QtWidgets import QWidget

from app.push.events import PushConnected, PushDisconnected, SaleDelivered
from app.tariffs.events import TariffApplied, TariffRejected
from common.events import EventBus
from ui.language import apply_language
from ui.qt_bridge import QtEventBridge
from ui.tariff_banner import banner_text, install_tariff_banner, local_when

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)  # 17:00 SAST
SAST = timedelta(hours=2)


def test_local_when_reads_like_a_clock():
    assert local_when("2026-11-25T22:00:00Z", SAST, NOW) == "2026-11-26 00:00"
    assert local_when("2026-11-25T16:30:00Z", SAST, NOW) == "18:30"
    assert local_when("2027-01-01T08:00:00Z", SAST, NOW) == "2027-01-01 10:00"
    assert local_when("garbage", SAST, NOW) == "garbage"


def _applied(effective_from: str = "2026-11-25T22:00:00Z", in_force: bool = False
             ) -> TariffApplied:
    return TariffApplied(tariff_id="RES-IBT", tariff_name="Residential IBT", version=7,
                         previous_version=6, effective_from=effective_from,
                         expires_at="2099-01-01T00:00:00Z", in_force=in_force)


def _delivered(accepted: bool, receipt_no: str = "VP00000009") -> SaleDelivered:
    return SaleDelivered(event_id=9, receipt_no=receipt_no, idempotency_key="k",
                         terminal_id="T0001", meter_number="14339800360", accepted=accepted,
                         balance="123.4", unit="kWh", delivered_at="2026-11-25T15:00:00Z")


def test_texts():
    assert banner_text(_applied(), SAST, NOW) == (
        "Residential IBT updated to version 7, effective 2026-11-26 00:00", "ok")
    midnight = NOW.replace(hour=22) - timedelta(days=1)  # 00:00 SAST today
    at_midnight = _applied(midnight.strftime("%Y-%m-%dT%H:%M:%SZ"))
    assert banner_text(at_midnight, SAST, NOW)[0] == (  # type: ignore[index]
        "Residential IBT updated to version 7, effective 00:00")
    old = _applied("2026-01-01T00:00:00Z", in_force=True)
    assert banner_text(old, SAST, NOW)[0].endswith("effective now")  # type: ignore[index]
    rejected = TariffRejected(tariff_id="RES-IBT", version=8, reason="BAD_SIGNATURE",
                              message="")
    text, state = banner_text(rejected, SAST, NOW) or ("", "")
    assert state == "bad" and "signature is not valid" in text and "unchanged" in text
    text, state = banner_text(_delivered(True), SAST, NOW) or ("", "")
    assert text == "Meter 14339800360 accepted the token of receipt VP00000009: balance 123.4 kWh"
    assert banner_text(PushConnected(mode="stream", last_event_id=0), SAST, NOW) is None


def test_banner_shows_events_from_a_worker_thread(qtbot):
    bus = EventBus()
    bridge = QtEventBridge(bus)
    parent = QWidget()
    qtbot.addWidget(parent)
    banner = install_tariff_banner(bridge, parent)
    assert banner.isHidden()

    def publish() -> None:
        bus.publish(_applied("2099-01-01T22:00:00Z"))

    worker = threading.Thread(target=publish)
    worker.start()
    worker.join(10)
    qtbot.waitUntil(lambda: not banner.isHidden(), timeout=5000)
    assert banner.message.text().startswith(
        "Residential IBT updated to version 7, effective 2099-01-02 00:00")
    assert banner.message.property("state") == "ok"
    assert not banner.view_button.isHidden()
    with qtbot.waitSignal(banner.view_requested, timeout=5000):
        banner.view_button.click()

    bus.publish(_delivered(False, "VP1"))
    qtbot.waitUntil(lambda: "did NOT accept" in banner.message.text(), timeout=5000)
    assert banner.view_button.isHidden()
    banner.close_button.click()
    assert banner.isHidden()
    bus.publish(PushDisconnected(reason="x", mode="stream"))  # not the banner's business
    bus.publish(TariffRejected(tariff_id="RES-IBT", version=9, reason="ROLLBACK", message=""))
    qtbot.waitUntil(lambda: not banner.isHidden(), timeout=5000)
    assert "older than the tariff in use" in banner.message.text()
    bridge.close()


def test_the_banner_speaks_the_screens_language(qapp) -> None:
    rejected = TariffRejected(tariff_id="RES-IBT", version=8, reason="BAD_SIGNATURE",
                              message="")
    try:
        apply_language(qapp, "fr")
        text, _state = banner_text(rejected, SAST, NOW) or ("", "")
    finally:
        apply_language(qapp, "en")
    assert text.startswith("Une mise à jour de tarif (RES-IBT version 8) a été refusée")
    assert "sa signature n'est pas valide" in text
