from __future__ import annotations

import threading

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from app.sales.events import SaleVoid
from app.sync.events import SyncProgress
from app.tariffs.events import TariffInForce, TariffRejected
from common.events import CoreEvent, EventBus
from printers.events import PrinterStatusChanged
from ui.qt_bridge import QtEventBridge


def test_events_from_worker_thread_arrive_typed_on_gui_thread(qtbot) -> None:
    bus = EventBus()
    bridge = QtEventBridge(bus)
    received: list[tuple[SyncProgress, bool]] = []
    app = QApplication.instance()
    assert app is not None

    def slot(event: SyncProgress) -> None:
        received.append((event, QThread.currentThread() is app.thread()))

    bridge.on(SyncProgress, slot)
    sent = SyncProgress(done=3, total=5, attention=0, unreachable=False)
    worker = threading.Thread(target=lambda: bus.publish(sent))
    with qtbot.waitSignal(bridge.core_event, timeout=5000):
        worker.start()
    worker.join(5)
    qtbot.waitUntil(lambda: bool(received), timeout=5000)
    assert received == [(sent, True)]
    assert received[0][0] is sent  # the object itself, not a copy of its fields
    bridge.close()


def test_type_filters_and_close_stops(qtbot) -> None:
    bus = EventBus()
    bridge = QtEventBridge(bus)
    printer: list[str] = []
    tariffs: list[str] = []
    everything: list[str] = []
    bridge.on(PrinterStatusChanged, lambda e: printer.append(e.state))
    bridge.on((TariffInForce, TariffRejected), lambda e: tariffs.append(e.tariff_id))
    bridge.on(CoreEvent, lambda e: everything.append(e.name))
    bus.publish(SaleVoid(idempotency_key="k"))
    bus.publish(PrinterStatusChanged(printer_id="p1", state="paper_out", detail="", queued=0))
    bus.publish(TariffInForce(tariff_id="RES", tariff_name="R", version=2,
                              effective_from="2026-01-01T00:00:00Z"))
    qtbot.waitUntil(lambda: len(everything) == 3, timeout=5000)
    assert printer == ["paper_out"] and tariffs == ["RES"]
    assert everything == ["sale.void", "printer.status", "tariff.in_force"]
    bridge.close()
    with qtbot.assertNotEmitted(bridge.core_event, wait=50):
        bus.publish(PrinterStatusChanged(printer_id="p1", state="online", detail="", queued=0))
    assert printer == ["paper_out"]
