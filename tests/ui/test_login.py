from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.fakes import CASHIER, FakeAuth
from ui.login import LoginController, LoginView
from ui.ops import running_ops


@pytest.fixture
def login(qtbot):
    view = LoginView()
    qtbot.addWidget(view)
    view.show()
    auth = FakeAuth()
    controller = LoginController(view, auth, suggested="thandi",
                                 hint="Demo: cashier thandi (PIN 1234)")
    controller.start()
    qtbot.waitUntil(lambda: view.username.completer() is not None, timeout=5000)
    return view, controller, auth


def test_suggested_user_and_focus_on_pin(login) -> None:
    view, _controller, _auth = login
    assert view.username.text() == "thandi"
    assert view.hint.text() == "Demo: cashier thandi (PIN 1234)"
    assert view.pin.hasFocus()
    assert view.username.completer().model().rowCount() == 2


def test_login_with_keyboard(qtbot, login, shown_errors) -> None:
    view, controller, _auth = login
    view.username.clear()
    view.username.setFocus()
    qtbot.keyClicks(view.username, "Thandi")
    qtbot.keyClick(view.username, Qt.Key.Key_Return)
    assert view.pin.hasFocus()
    qtbot.keyClicks(view.pin, "1234")
    with qtbot.waitSignal(controller.logged_in, timeout=5000) as blocker:
        qtbot.keyClick(view.pin, Qt.Key.Key_Return)
    assert blocker.args == [CASHIER]
    assert view.pin.text() == ""  # the PIN never lingers in the field
    assert shown_errors.shown == []


def test_wrong_pin_then_lockout_message(qtbot, login, shown_errors) -> None:
    view, controller, _auth = login
    for _ in range(4):
        view.pin.setText("9999")
        controller.submit()
        qtbot.waitUntil(lambda: running_ops() == 0, timeout=5000)
    texts = [text for _title, text, _bug in shown_errors.shown]
    assert texts[0] == "Wrong username or PIN. Try again."
    assert "locked" in texts[-1]
    assert all(not bug for _t, _x, bug in shown_errors.shown)
    assert view.pin.text() == "" and view.pin.isEnabled()


def test_empty_fields_explain_what_to_type(login, shown_errors) -> None:
    view, controller, _auth = login
    view.username.clear()
    controller.submit()
    view.username.setText("thandi")
    controller.submit()
    assert [t for _title, t, _b in shown_errors.shown] == [
        "Type your username first.", "Type your PIN, then press Enter."]


def test_locked_mode_names_operator(login) -> None:
    view, controller, _auth = login
    controller.start(locked=CASHIER)
    assert view.title.text() == "Till locked"
    assert "Thandi Nkosi" in view.subtitle.text()
    assert view.username.text() == "thandi"
    controller.start()
    assert view.title.text() == "Sign in to sell"
