"""Small widget helpers shared by the screens: plain labels, the style sheet's `state`, and
window sizes that fit the screen."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QWidget

#: what a window manager's title bar and borders take around a window
FRAME_MARGIN = QSize(16, 40)


def label(text: str = "", name: str = "", wrap: bool = False) -> QLabel:
    """A label that takes no clicks or selection (object name for the style sheet)."""
    widget = QLabel(text)
    if name:
        widget.setObjectName(name)
    widget.setWordWrap(wrap)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return widget


def set_state(widget: QWidget, state: str) -> None:
    """Set the `state` property used by the style sheet (ok / warn / bad / pending)."""
    widget.setProperty("state", state)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize a window to `width`×`height`, or less where the screen (less a window
    manager's frame) is smaller: a 1024×768 counter screen shows the whole dialog."""
    parent = widget.parentWidget()
    screen = (parent.screen() if parent is not None else None) or \
        QGuiApplication.primaryScreen()
    if screen is None:
        widget.resize(width, height)
        return
    room = screen.availableGeometry().size() - FRAME_MARGIN
    widget.resize(min(width, room.width()), min(height, room.height()))
