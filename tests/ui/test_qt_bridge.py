from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from common.events import EventBus
from ui.qt_bridge import QtEventBridge


def test_events_from_worker_thread_arrive_on_gui_thread(qtbot) -> None:
    bus = EventBus()
    bridge = QtEventBridge(bus)
    received: list[tuple[str, dict[str, Any], bool]] = []
    app = QApplication.instance()
    assert app is not None

    def slot(name: str, data: dict[str, Any]) -> None:
        received.append((name, data, QThread.currentThread() is app.thread()))

    bridge.on("sync.", slot)
    worker = threading.Thread(target=lambda: bus.publish("sync.progress", done=3, total=5))
    with qtbot.waitSignal(bridge.core_event, timeout=5000):
        worker.start()
    worker.join(5)
    qtbot.waitUntil(lambda: bool(received), timeout=5000)
    assert received == [("sync.progress", {"done": 3, "total": 5}, True)]
    bridge.close()


def test_prefix_filters_and_close_stops(qtbot) -> None:
    bus = EventBus()
    bridge = QtEventBridge(bus)
    received: list[str] = []
    bridge.on("printer.", lambda name, data: received.append(name))
    bus.publish("sale.tokened")
    bus.publish("printer.status", state="paper_out")
    qtbot.waitUntil(lambda: received == ["printer.status"], timeout=5000)
    bridge.close()
    with qtbot.assertNotEmitted(bridge.core_event, wait=50):
        bus.publish("printer.status", state="online")
    assert received == ["printer.status"]
