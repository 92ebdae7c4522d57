"""`WakeSignal`: "there is something to sync now", shared by the sale service and the engine.

It is created first and handed to both (the sale service calls `set` after writing a pending
sale; the engine waits on it between passes), so neither needs the other to exist first.
"""

from __future__ import annotations

import threading


class WakeSignal:
    """A thread-safe wake-up flag with a timed wait (a thin `threading.Event`)."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def set(self) -> None:
        """Wake whoever waits (or the next wait returns at once)."""
        self._event.set()

    def wait(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for `set`; True if woken. The flag is cleared."""
        woken = self._event.wait(timeout)
        self._event.clear()
        return woken
