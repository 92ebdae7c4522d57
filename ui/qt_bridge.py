"""The one adapter from the Qt-free `EventBus` to Qt.

Core threads publish typed events (`common.events.CoreEvent`); this bridge re-emits each, as
the object itself, on the signal `core_event(object)` of a QObject that lives on the GUI
thread. Qt queues signals that cross threads, so every connected slot runs on the GUI thread,
whichever thread published. `on(EventType, slot)` relays only the events of that type.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, overload

from PySide6.QtCore import QObject, Signal

from common.events import CoreEvent, EventBus, EventT, EventTypes

_E1 = TypeVar("_E1", bound=CoreEvent)
_E2 = TypeVar("_E2", bound=CoreEvent)
_E3 = TypeVar("_E3", bound=CoreEvent)
_E4 = TypeVar("_E4", bound=CoreEvent)


class QtEventBridge(QObject):
    """Re-emits core events as the Qt signal `core_event(object)` on the GUI thread."""

    core_event = Signal(object)

    def __init__(self, bus: EventBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe: Callable[[], None] | None = bus.subscribe_all(self._forward)

    def _forward(self, event: CoreEvent) -> None:
        # Emitting from a worker thread is safe: the connection to GUI-thread receivers is
        # queued. Events are frozen, so the GUI thread may share the object.
        self.core_event.emit(event)

    def close(self) -> None:
        """Stop forwarding (on shutdown)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    @overload
    def on(self, types: type[EventT], slot: Callable[[EventT], None]) -> None: ...
    @overload
    def on(self, types: tuple[type[_E1], type[_E2]], slot: Callable[[_E1 | _E2], None]
           ) -> None: ...
    @overload
    def on(self, types: tuple[type[_E1], type[_E2], type[_E3]],
           slot: Callable[[_E1 | _E2 | _E3], None]) -> None: ...
    @overload
    def on(self, types: tuple[type[_E1], type[_E2], type[_E3], type[_E4]],
           slot: Callable[[_E1 | _E2 | _E3 | _E4], None]) -> None: ...
    def on(self, types: EventTypes, slot: Callable[[Any], None]) -> None:
        """Call `slot(event)` on the GUI thread for events of `types` (subclasses included;
        `CoreEvent` for all)."""
        relay = _TypeRelay(types if isinstance(types, tuple) else (types,), slot, self)
        self.core_event.connect(relay.deliver)


    def forget(self, receiver: object) -> None:
        """Stop relaying events to the slots of `receiver` (an object being replaced)."""
        for relay in self.findChildren(_TypeRelay):
            if getattr(relay.slot, "__self__", None) is receiver:
                self.core_event.disconnect(relay.deliver)
                relay.deleteLater()


class _TypeRelay(QObject):
    """A GUI-thread receiver that filters by type (a QObject slot, not a lambda)."""

    def __init__(self, types: tuple[type[CoreEvent], ...], slot: Callable[[Any], None],
                 parent: QObject) -> None:
        super().__init__(parent)
        self._types = types
        # `on` typed the slot against `types`: only their instances reach it.
        self.slot = slot

    def deliver(self, event: object) -> None:
        if isinstance(event, self._types):
            self.slot(event)
