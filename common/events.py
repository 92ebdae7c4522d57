"""A small Qt-free publish/subscribe bus for core events.

The core publishes events from any thread (sync worker, push listener, print worker). The UI
registers a single adapter (`ui.qt_bridge.QtEventBridge`) that turns them into Qt signals, so
handlers in the UI always run on the GUI thread. Other subscribers (tests, logging) are called
synchronously on the publishing thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger("vendpoint.events")

Handler = Callable[["Event"], None]


@dataclass(frozen=True)
class Event:
    """One thing that happened in the core: a dotted name and a payload of plain data."""

    name: str
    data: dict[str, Any] = field(default_factory=dict)


class EventBus:
    """Thread-safe fan-out of `Event`s to subscribers; a failing subscriber never stops others."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._handlers: list[tuple[str, Handler]] = []

    def subscribe(self, prefix: str, handler: Handler) -> Callable[[], None]:
        """Call `handler` for every event whose name starts with `prefix` ("" for all).

        Returns a function that removes the subscription.
        """
        entry = (prefix, handler)
        with self._lock:
            self._handlers.append(entry)

        def unsubscribe() -> None:
            with self._lock:
                if entry in self._handlers:
                    self._handlers.remove(entry)

        return unsubscribe

    def publish(self, name: str, **data: Any) -> Event:
        """Deliver an event to every matching subscriber and return it."""
        event = Event(name, data)
        with self._lock:
            handlers = [h for p, h in self._handlers if name.startswith(p)]
        for handler in handlers:
            try:
                handler(event)
            except Exception:
                log.exception("event handler failed for %s", name)
        return event
