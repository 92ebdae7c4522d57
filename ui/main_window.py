"""The main window shell: DEMO banner, the current screen in the middle, the status bar."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QStatusBar, QVBoxLayout, QWidget

from app.version import APP_NAME, VERSION


class MainWindow(QMainWindow):
    """Top-level window; screens are swapped in with `set_screen`."""

    def __init__(self, *, demo: bool, server_url: str) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("{name} {version}").format(name=APP_NAME, version=VERSION))
        self.setMinimumSize(1024, 700)
        root = QWidget(self)
        self._layout = QVBoxLayout(root)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)
        self.demo_banner = QLabel(
            self.tr("DEMO MODE: demo server and throwaway data, no real money or tokens")
        )
        self.demo_banner.setObjectName("demoBanner")
        self.demo_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.demo_banner.setVisible(demo)
        self._layout.addWidget(self.demo_banner)
        self._screen: QWidget = QLabel(self.tr("Welcome to {name}").format(name=APP_NAME))
        self._screen.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout.addWidget(self._screen, 1)
        self.setCentralWidget(root)
        status = QStatusBar(self)
        self.server_label = QLabel(
            self.tr("Server: {url}").format(url=server_url or self.tr("not set up"))
        )
        status.addPermanentWidget(self.server_label)
        self.setStatusBar(status)

    def set_screen(self, screen: QWidget) -> None:
        """Replace the central screen (login, sale, reports...)."""
        self._layout.replaceWidget(self._screen, screen)
        self._screen.deleteLater()
        self._screen = screen
        screen.setFocus()

    def current_screen(self) -> QWidget:
        """The screen currently shown."""
        return self._screen
