"""Idle auto-lock: after a configurable quiet time with no key or mouse input, emit `idle`.

An application-wide event filter restarts a single-shot timer on every key press, mouse click
or wheel; the shell locks the till (back to the login screen, operator kept) when it fires.
A till must not lock in the middle of a sale that is waiting for the server, so the shell can
`hold()` the watcher while a sale is in flight.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class IdleWatcher(QObject):
    """Emits `idle` after `timeout_ms` without user input; 0 disables it."""

    idle = Signal()

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._fire)
        self._timeout_ms = timeout_ms
        self._armed = False
        self._holds = 0
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_timeout(self, timeout_ms: int) -> None:
        """Change the idle time (settings changed); 0 turns locking off."""
        self._timeout_ms = timeout_ms
        if self._armed:
            self._restart()

    def arm(self) -> None:
        """Start watching (after a sign-in)."""
        self._armed = True
        self._restart()

    def disarm(self) -> None:
        """Stop watching (the till is locked or signed out)."""
        self._armed = False
        self._timer.stop()

    def hold(self, held: bool) -> None:
        """Postpone locking while `held` (e.g. a sale in flight); nested holds count."""
        self._holds = max(0, self._holds + (1 if held else -1))
        if self._armed:
            self._restart()

    def is_active(self) -> bool:
        """Whether the countdown is running."""
        return self._timer.isActive()

    def _restart(self) -> None:
        if self._armed and self._timeout_ms > 0 and self._holds == 0:
            self._timer.start(self._timeout_ms)
        else:
            self._timer.stop()

    def _fire(self) -> None:
        if self._armed and self._holds == 0:
            self.idle.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._armed and event.type() in _ACTIVITY and self._timer.isActive():
            self._timer.start(self._timeout_ms)
        return False

    def close(self) -> None:
        """Remove the application-wide filter."""
        self.disarm()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
