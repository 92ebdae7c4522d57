"""The one adapter from the Qt-free `EventBus` to Qt signals.

Core threads publish events; this bridge re-emits each as `core_event(name, data)` on a QObject that
lives on the GUI thread. Qt queues signals that cross threads, so every connected slot runs on
the GUI thread, whichever thread published.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from common.events import Event, EventBus


class QtEventBridge(QObject):
    """Re-emits core events as the Qt signal `core_event(str, dict)` on the GUI thread."""

    core_event = Signal(str, dict)

    def __init__(self, bus: EventBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe: Callable[[], None] | None = bus.subscribe("", self._forward)

    def _forward(self, event: Event) -> None:
        # Emitting from a worker thread is safe: the connection to GUI-thread receivers is queued.
        self.core_event.emit(event.name, dict(event.data))

    def close(self) -> None:
        """Stop forwarding (on shutdown)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def on(self, prefix: str, slot: Callable[[str, dict[str, Any]], None]) -> None:
        """Call `slot(name, data)` on the GUI thread for events whose name starts with `prefix`."""
        relay = _PrefixRelay(prefix, slot, self)
        self.core_event.connect(relay.deliver)


class _PrefixRelay(QObject):
    """A GUI-thread receiver that filters by prefix (a QObject slot, not a lambda)."""

    def __init__(
        self, prefix: str, slot: Callable[[str, dict[str, Any]], None], parent: QObject
    ) -> None:
        super().__init__(parent)
        self._prefix = prefix
        self._slot = slot

    def deliver(self, name: str, data: dict[str, Any]) -> None:
        if name.startswith(self._prefix):
            self._slot(name, data)
