"""A small Qt-free publish/subscribe bus for typed core events.

Every event is a frozen dataclass deriving from `CoreEvent`, declared once in the layer that
publishes it (`printers.events`, `app.sales.events`, `app.sync.events`, `app.push.events`,
`app.tariffs.events`). Subscribers name the event types they want; the type checker then knows
the handler's argument.

The core publishes events from any thread (sync worker, push listener, print worker). The UI
registers a single adapter (`ui.qt_bridge.QtEventBridge`) that turns them into one Qt signal, so
handlers in the UI always run on the GUI thread. Other subscribers (tests, logging) are called
synchronously on the publishing thread.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar, overload

log = logging.getLogger("vendpoint.events")

__all__ = ["CoreEvent", "EventBus", "EventT", "EventTypes"]


@dataclasses.dataclass(frozen=True)
class CoreEvent:
    """Base of every core event: a typed, immutable fact that something happened.

    `name` is the dotted name used in logs and the journal (e.g. "sale.tokened"); each
    subclass sets its own. Events never carry token digits, PINs or keys.
    """

    name: ClassVar[str] = "event"

    @property
    def data(self) -> dict[str, Any]:
        """The fields as a plain dict, for logging and test output only."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


EventT = TypeVar("EventT", bound=CoreEvent)
_E1 = TypeVar("_E1", bound=CoreEvent)
_E2 = TypeVar("_E2", bound=CoreEvent)
_E3 = TypeVar("_E3", bound=CoreEvent)
_E4 = TypeVar("_E4", bound=CoreEvent)
#: What `subscribe` takes: one event type, or a tuple of them.
EventTypes = type[CoreEvent] | tuple[type[CoreEvent], ...]
_AnyHandler = Callable[[Any], None]


class EventBus:
    """Thread-safe fan-out of `CoreEvent`s to subscribers; a failing subscriber never stops
    the others."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._handlers: list[tuple[tuple[type[CoreEvent], ...], _AnyHandler]] = []

    # The overloads let the type checker know the handler's argument: the union of the types.
    @overload
    def subscribe(self, types: type[EventT], handler: Callable[[EventT], None]
                  ) -> Callable[[], None]: ...
    @overload
    def subscribe(self, types: tuple[type[_E1], type[_E2]],
                  handler: Callable[[_E1 | _E2], None]) -> Callable[[], None]: ...
    @overload
    def subscribe(self, types: tuple[type[_E1], type[_E2], type[_E3]],
                  handler: Callable[[_E1 | _E2 | _E3], None]) -> Callable[[], None]: ...
    @overload
    def subscribe(self, types: tuple[type[_E1], type[_E2], type[_E3], type[_E4]],
                  handler: Callable[[_E1 | _E2 | _E3 | _E4], None]) -> Callable[[], None]: ...
    def subscribe(self, types: EventTypes, handler: Callable[[Any], None]
                  ) -> Callable[[], None]:
        """Call `handler` for every published instance of `types` (subclasses included).

        Returns a function that removes the subscription.
        """
        return self._add(types if isinstance(types, tuple) else (types,), handler)

    def subscribe_all(self, handler: Callable[[CoreEvent], None]) -> Callable[[], None]:
        """Call `handler` for every event (the Qt bridge, loggers, recorders)."""
        return self._add((CoreEvent,), handler)

    def _add(self, types: tuple[type[CoreEvent], ...], handler: _AnyHandler
             ) -> Callable[[], None]:
        entry = (types, handler)
        with self._lock:
            self._handlers.append(entry)

        def unsubscribe() -> None:
            with self._lock:
                if entry in self._handlers:
                    self._handlers.remove(entry)

        return unsubscribe

    def publish(self, event: EventT) -> EventT:
        """Deliver `event` to every subscriber of its type and return it."""
        with self._lock:
            handlers = [h for types, h in self._handlers if isinstance(event, types)]
        for handler in handlers:
            try:
                handler(event)
            except Exception:
                log.exception("event handler failed for %s", event.name)
        return event
