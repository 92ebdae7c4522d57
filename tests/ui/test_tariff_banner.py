"""Tariff banner: texts for applied / in force / refused / delivered, shown from core events
published on a worker thread through the real QtEventBridge."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from PySide6.QtWidgets import QWidget

from common.events import EventBus
from ui.qt_bridge import QtEventBridge
from ui.tariff_banner import banner_text, install_tariff_banner, local_when

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)  # 17:00 SAST
SAST = timedelta(hours=2)


def test_local_when_reads_like_a_clock():
    assert local_when("2026-11-25T22:00:00Z", SAST, NOW) == "26 Nov 00:00"
    assert local_when("2026-11-25T16:30:00Z", SAST, NOW) == "18:30"
    assert local_when("2027-01-01T08:00:00Z", SAST, NOW) == "1 Jan 2027 10:00"
    assert local_when("garbage", SAST, NOW) == "garbage"


def test_texts():
    applied = {"tariff_id": "RES-IBT", "tariff_name": "Residential IBT", "version": 7,
               "effective_from": "2026-11-25T22:00:00Z", "in_force": False}
    assert banner_text("tariff.applied", applied, SAST, NOW) == (
        "Residential IBT updated to version 7, effective 26 Nov 00:00", "ok")
    midnight = NOW.replace(hour=22) - timedelta(days=1)  # 00:00 SAST today
    at_midnight = {**applied, "effective_from": midnight.strftime("%Y-%m-%dT%H:%M:%SZ")}
    assert banner_text("tariff.applied", at_midnight, SAST, NOW)[0] == (  # type: ignore[index]
        "Residential IBT updated to version 7, effective 00:00")
    old = {**applied, "effective_from": "2026-01-01T00:00:00Z", "in_force": True}
    assert banner_text("tariff.applied", old, SAST, NOW)[0].endswith("effective now")  # type: ignore[index]
    text, state = banner_text("tariff.rejected", {"tariff_id": "RES-IBT", "version": 8,
                                                  "reason": "BAD_SIGNATURE"}, SAST, NOW) or ("", "")
    assert state == "bad" and "signature is not valid" in text and "unchanged" in text
    text, state = banner_text("sale.delivered", {"meter_number": "14339800360",
                                                 "receipt_no": "VP00000009", "accepted": True,
                                                 "balance": "123.4", "unit": "kWh"},
                              SAST, NOW) or ("", "")
    assert text == "Meter 14339800360 accepted the token of receipt VP00000009: balance 123.4 kWh"
    assert banner_text("push.connected", {}, SAST, NOW) is None


def test_banner_shows_events_from_a_worker_thread(qtbot):
    bus = EventBus()
    bridge = QtEventBridge(bus)
    parent = QWidget()
    qtbot.addWidget(parent)
    banner = install_tariff_banner(bridge, parent)
    assert banner.isHidden()

    def publish() -> None:
        bus.publish("tariff.applied", tariff_id="RES-IBT", tariff_name="Residential IBT",
                    version=7, effective_from="2099-01-01T22:00:00Z", in_force=False)

    worker = threading.Thread(target=publish)
    worker.start()
    worker.join(10)
    qtbot.waitUntil(lambda: not banner.isHidden(), timeout=5000)
    assert banner.message.text().startswith("Residential IBT updated to version 7, effective 2 Jan")
    assert banner.message.property("state") == "ok"
    assert not banner.view_button.isHidden()
    with qtbot.waitSignal(banner.view_requested, timeout=5000):
        banner.view_button.click()

    bus.publish("sale.delivered", meter_number="14339800360", receipt_no="VP1", accepted=False,
                balance="0.0", unit="kWh")
    qtbot.waitUntil(lambda: "did NOT accept" in banner.message.text(), timeout=5000)
    assert banner.view_button.isHidden()
    banner.close_button.click()
    assert banner.isHidden()
    bus.publish("push.disconnected", reason="x")  # not the banner's business
    bus.publish("tariff.rejected", tariff_id="RES-IBT", version=9, reason="ROLLBACK")
    qtbot.waitUntil(lambda: not banner.isHidden(), timeout=5000)
    assert "older than the tariff in use" in banner.message.text()
    bridge.close()
