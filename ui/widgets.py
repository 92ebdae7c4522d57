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


class ElidingLabel(QLabel):
    """A one-line label that, when its row has no room for all of its text, shows what fits
    with "…" and the whole text in its tooltip (a status bar fact in a longer language)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setText(text)

    def setText(self, text: str) -> None:
        self._full = text
        self._elide()

    def full_text(self) -> str:
        """The whole text, whatever is shown."""
        return self._full

    def sizeHint(self) -> QSize:
        # As wide as the whole text: the row gives it all when it has the room.
        hint = super().sizeHint()
        return QSize(self.fontMetrics().horizontalAdvance(self._full) + 2 * self.margin()
                     + self.contentsMargins().left() + self.contentsMargins().right(),
                     hint.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance("…") * 4, super().minimumSizeHint()
                     .height())

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._elide()

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        self._elide()

    def _elide(self) -> None:
        # Hidden, it has no width of its own yet: keep the whole text until it is laid out.
        shown = self._full if not self.isVisible() else self.fontMetrics().elidedText(
            self._full, Qt.TextElideMode.ElideRight, self.contentsRect().width())
        QLabel.setText(self, shown)
        self.setToolTip(self._full if shown != self._full else "")
