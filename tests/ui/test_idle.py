from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from ui.idle import IdleWatcher


def test_fires_after_quiet_time_only_when_armed(qtbot) -> None:
    watcher = IdleWatcher(50)
    try:
        assert not watcher.is_active()
        with qtbot.waitSignal(watcher.idle, timeout=5000):
            watcher.arm()
        watcher.disarm()
        assert not watcher.is_active()
    finally:
        watcher.close()


def test_key_press_restarts_countdown(qtbot) -> None:
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    watcher = IdleWatcher(60_000)
    try:
        watcher.arm()
        watcher._timer.start(60_000)
        before = watcher._timer.remainingTime()
        watcher._timer.start(30_000)  # pretend time passed
        qtbot.keyClick(field, Qt.Key.Key_A)
        assert watcher._timer.remainingTime() > 30_000
        assert before > 30_000
    finally:
        watcher.close()


def test_hold_postpones_and_zero_disables(qtbot) -> None:
    watcher = IdleWatcher(30)
    try:
        watcher.arm()
        watcher.hold(True)
        assert not watcher.is_active()
        with qtbot.waitSignal(watcher.idle, timeout=5000):
            watcher.hold(False)
        watcher.set_timeout(0)
        watcher.arm()
        assert not watcher.is_active()
    finally:
        watcher.close()
