"""Keyboard helpers for real-window tests: a real till (reference server, core, SQLCipher
store, loopback printer, fault proxy) in the real main window, driven with key events sent to
the focused widget, as a cashier or a supervisor types them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from tests.e2e.harness import Till, open_till
from ui.application import create_qapplication
from ui.sale_flow import Step

CASHIER = ("thandi", "1234")
SUPERVISOR = ("sipho", "4321")
#: what a window manager and a panel take from a 768-pixel-high screen
WM_ALLOWANCE = 60


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def type_keys(qtbot, text: str, enter: bool = False) -> None:
    """Type into whatever has the focus (as a keyboard or scanner does)."""
    for char in text:
        qtbot.keyClick(focused(), char)
    if enter:
        qtbot.keyClick(focused(), Qt.Key.Key_Return)


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
          ) -> None:
    qtbot.keyClick(focused(), key, modifier)


def sign_in(qtbot, till: Till, who: tuple[str, str]) -> None:
    login = till.shell.login_view
    login.username.clear()
    login.username.setFocus()
    type_keys(qtbot, who[0], enter=True)
    assert login.pin.hasFocus()
    type_keys(qtbot, who[1], enter=True)
    qtbot.waitUntil(lambda: till.shell.operator is not None, timeout=20000)


def dialog_of(qtbot, till: Till, kind: type[QDialog]) -> QDialog:
    """The shell's dialog, once it is the active window (as a window manager makes it)."""
    dialog = till.shell.dialog
    assert isinstance(dialog, kind), f"expected a {kind.__name__}, got {dialog!r}"
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5000)
    return dialog


def back_on_window(qtbot, till: Till) -> None:
    """The dialog closed and the main window is the active one again."""
    qtbot.waitUntil(lambda: till.shell.dialog is None
                    and QApplication.activeModalWidget() is None, timeout=5000)
    # The offscreen platform has no window manager to give the activation back.
    till.window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is till.window, timeout=5000)


def sell(qtbot, till: Till, meter: str, amount: str = "50") -> None:
    view, sale = till.shell.sale_view, till.shell.sale
    view.meter.setFocus()
    type_keys(qtbot, meter, enter=True)
    qtbot.waitUntil(lambda: sale.step is Step.CONFIRMED, timeout=20000)
    type_keys(qtbot, amount, enter=True)
    qtbot.waitUntil(lambda: sale.step is Step.QUOTED, timeout=20000)
    with qtbot.waitSignal(sale.sold, timeout=30000):
        press(qtbot, Qt.Key.Key_Return)


def on_next_modal(qtbot, act: Callable[[QWidget], None]) -> None:
    """Run `act` on the next modal dialog once it is up (it blocks the caller's exec())."""
    def poll() -> None:
        modal = QApplication.activeModalWidget()
        if modal is None:
            QTimer.singleShot(20, poll)
            return
        act(modal)
    QTimer.singleShot(0, poll)


@contextmanager
def real_window(qtbot, tmp_path: Path) -> Iterator[Till]:
    """The till in the real main window, with the application's own style sheet (large
    counter fonts: sizes are judged with it)."""
    app = create_qapplication()
    with open_till(tmp_path) as opened:
        qtbot.addWidget(opened.window)
        qtbot.waitExposed(opened.window)
        opened.window.activateWindow()
        try:
            yield opened
        finally:
            app.setStyleSheet("")
