"""Builds the Qt application: style, crash hooks, event bridge, demo server, main window."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QTimer, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from app.demo_server import DemoServer, server_available
from app.events import EventBus
from app.settings import Settings
from app.version import APP_NAME, VERSION
from ui.crash import CrashHandler
from ui.errors import show_error
from ui.main_window import MainWindow
from ui.qt_bridge import QtEventBridge
from ui.qt_messages import qt_message_handler

log = logging.getLogger("vendpoint.ui")

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def create_qapplication() -> QApplication:
    """The QApplication with our names and style sheet (reuses an existing one)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([APP_NAME])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(VERSION)
    style = RESOURCES / "style.qss"
    if style.exists():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    return app


def run_app(
    settings: Settings, *, data_dir: Path, demo: bool, quit_after_ms: int | None = None
) -> int:
    """Start the GUI and block until it quits; returns the exit code."""
    qInstallMessageHandler(qt_message_handler)
    app = create_qapplication()
    crash = CrashHandler()
    crash.install()
    bus = EventBus()
    bridge = QtEventBridge(bus)
    server: DemoServer | None = None
    url = settings["server.url"]
    if demo and server_available():
        try:
            server = DemoServer.start(data_dir / "server" / "vendserver.db")
            url = server.url
        except Exception as exc:
            show_error(exc)
    window = MainWindow(demo=demo, server_url=url)
    window.show()
    if quit_after_ms is not None:
        QTimer.singleShot(quit_after_ms, app.quit)
    try:
        return app.exec()
    finally:
        bridge.close()
        crash.uninstall()
        if server is not None:
            server.stop()
