"""The main window shell: DEMO banner, notifications, the current screen, the status bar."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from app.version import APP_NAME, VERSION
from ui.status_bar import StatusBarView


class NotificationBar(QWidget):
    """A non-modal line at the top for news the cashier must see (a pending token arrived)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notificationBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 4, 12, 4)
        self.text = QLabel("")
        self.text.setObjectName("notificationText")
        self.text.setWordWrap(True)
        layout.addWidget(self.text, 1)
        self.dismiss = QPushButton(self.tr("OK"))
        self.dismiss.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.dismiss.clicked.connect(self.clear)
        layout.addWidget(self.dismiss)
        self.messages: list[str] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.clear)
        self.hide()

    def notify(self, message: str, timeout_ms: int = 60000) -> None:
        """Show `message` (newest on top of any earlier ones) until dismissed or timed out."""
        self.messages.insert(0, message)
        self.text.setText("\n".join(self.messages[:3]))
        self.show()
        if timeout_ms > 0:
            self._timer.start(timeout_ms)

    def clear(self) -> None:
        self.messages = []
        self.text.setText("")
        self.hide()


class MainWindow(QMainWindow):
    """Top-level window; screens are swapped in with `set_screen`."""

    def __init__(self, *, demo: bool, server_url: str) -> None:
        super().__init__()
        # Small enough that a window manager can fit it, with its title bar and a panel,
        # on a 1024×768 screen; the screens are laid out for 1024×768 and it starts maximised.
        self.setMinimumSize(800, 600)
        root = QWidget(self)
        self._layout = QVBoxLayout(root)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)
        self.demo_banner = QLabel()
        self.demo_banner.setObjectName("demoBanner")
        self.demo_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.demo_banner.setVisible(demo)
        self._layout.addWidget(self.demo_banner)
        self.notifications = NotificationBar(root)
        self._layout.addWidget(self.notifications)
        # Screens are kept (not deleted) when another is shown: an idle lock must not lose the
        # sale on screen.
        self._stack = QStackedWidget(root)
        welcome = QLabel(self.tr("Welcome to {name}").format(name=APP_NAME))
        welcome.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._stack.addWidget(welcome)
        self._layout.addWidget(self._stack, 1)
        self.setCentralWidget(root)
        status = QStatusBar(self)
        status.setSizeGripEnabled(False)
        self.server_label = QLabel(
            self.tr("Server: {url}").format(url=server_url or self.tr("not set up"))
        )
        self.server_label.setObjectName("status_server")
        self.status_view = StatusBarView(status)
        status.addPermanentWidget(self.server_label)
        self.server_label.setVisible(not server_url)
        self.setStatusBar(status)
        self.retranslate()

    def retranslate(self) -> None:
        """The window's own words in the current language (again on a LanguageChange; the
        screens inside are built again in the new language by the application)."""
        self.setWindowTitle(self.tr("{name} {version}").format(name=APP_NAME, version=VERSION))
        self.demo_banner.setText(
            self.tr("DEMO MODE: demo server and throwaway data, no real money or tokens"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def add_banner(self, banner: QWidget) -> None:
        """Put a message banner (e.g. tariff news) under the notifications, above the screen."""
        self._layout.insertWidget(self._layout.indexOf(self.notifications) + 1, banner)

    def set_server_url(self, url: str) -> None:
        """The server the till talks to (only shown while it is not set up)."""
        self.server_label.setText(self.tr("Server: {url}").format(url=url or self.tr("not set up")))
        self.server_label.setVisible(not url)

    def set_screen(self, screen: QWidget) -> None:
        """Show `screen` in the middle (added on first use; earlier screens are kept)."""
        if self._stack.indexOf(screen) < 0:
            self._stack.addWidget(screen)
        self._stack.setCurrentWidget(screen)
        screen.setFocus()

    def current_screen(self) -> QWidget:
        """The screen currently shown."""
        current = self._stack.currentWidget()
        assert current is not None  # the welcome label is always there
        return current
