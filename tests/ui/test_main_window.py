from __future__ import annotations

from PySide6.QtWidgets import QLabel

from ui.main_window import MainWindow


def test_demo_banner_only_in_demo(qtbot) -> None:
    demo = MainWindow(demo=True, server_url="http://127.0.0.1:1")
    qtbot.addWidget(demo)
    normal = MainWindow(demo=False, server_url="")
    qtbot.addWidget(normal)
    assert not demo.demo_banner.isHidden()
    assert "DEMO" in demo.demo_banner.text()
    assert normal.demo_banner.isHidden()
    assert "not set up" in normal.server_label.text()
    assert "127.0.0.1:1" in demo.server_label.text()


def test_set_screen_replaces_central_screen(qtbot) -> None:
    window = MainWindow(demo=False, server_url="")
    qtbot.addWidget(window)
    screen = QLabel("login")
    window.set_screen(screen)
    assert window.current_screen() is screen
    assert screen.parent() is not None


def test_window_fits_1024x768(qtbot) -> None:
    window = MainWindow(demo=True, server_url="")
    qtbot.addWidget(window)
    assert window.minimumWidth() <= 1024
    assert window.minimumHeight() <= 768
