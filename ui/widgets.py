"""Small widget helpers shared by the screens: plain labels and the style sheet's `state`."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


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
