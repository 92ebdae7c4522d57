"""What the core believes about reaching the server, shared by the sale service and sync.

It changes only on evidence (a request failed or succeeded) and publishes
`connectivity.changed` on the event bus when it flips, so the status bar is never green
while the server is unreachable.
"""

from __future__ import annotations

import threading

from app.sales.events import ConnectivityChanged
from common.events import EventBus


class Connectivity:
    """Thread-safe online/offline flag with change events."""

    def __init__(self, bus: EventBus, *, online: bool = True) -> None:
        self._bus = bus
        self._lock = threading.Lock()
        self._online = online
        self.reason = ""

    @property
    def online(self) -> bool:
        """True unless the last request to the server failed to get through."""
        with self._lock:
            return self._online

    def set(self, online: bool, reason: str = "") -> None:
        """Record evidence; publish `connectivity.changed` if the state flips."""
        with self._lock:
            changed = online != self._online
            self._online = online
            self.reason = reason
        if changed:
            self._bus.publish(ConnectivityChanged(online=online, reason=reason))
