"""The passphrase screen driven with real key events: set, unlock (wrong, then right),
change, recover from a backup; and the start-up asking for it before the core is built."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app import store_cli
from app.keystore import PassphraseRequired, WrongPassphrase
from app.settings import Settings
from app.till import passphrase
from common.events import EventBus
from ui.application import AppController
from ui.bootstrap import NotSetUp
from ui.main_window import MainWindow
from ui.passphrase import PassphraseDialog, PassphraseMode
from ui.qt_bridge import QtEventBridge

CHEAP = {"n": 2**10, "r": 8, "p": 1}
PASS = "a quiet counter at dawn"
NEW = "another sentence entirely"


def _type(qtbot, field, text: str) -> None:
    field.setFocus()
    qtbot.keyClicks(field, text)


def _dialog(qtbot, mode: PassphraseMode, data_dir: Path) -> PassphraseDialog:
    dialog = PassphraseDialog(mode, data_dir, scrypt_params=CHEAP)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_set_then_unlock_through_the_keyboard(qtbot, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, PassphraseMode.SET, tmp_path)
    assert dialog.new.isVisible() and not dialog.current.isVisible()
    _type(qtbot, dialog.new, PASS)
    _type(qtbot, dialog.repeat, PASS + "!")
    qtbot.keyClick(dialog.repeat, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "not the same" in dialog.problem.text(), timeout=5000)
    assert dialog.new.text() == dialog.repeat.text() == ""  # never left in the fields
    _type(qtbot, dialog.new, PASS)
    _type(qtbot, dialog.repeat, PASS)
    with qtbot.waitSignal(dialog.unlocked, timeout=10000) as made:
        qtbot.keyClick(dialog.repeat, Qt.Key.Key_Return)
    assert isinstance(made.args[0], passphrase.Unlocked)
    assert passphrase.is_passphrase_store(tmp_path)

    unlock = _dialog(qtbot, PassphraseMode.UNLOCK, tmp_path)
    _type(qtbot, unlock.current, "not it at all")
    qtbot.keyClick(unlock.current, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "does not unlock" in unlock.problem.text(), timeout=10000)
    assert unlock.current.text() == "" and unlock.isVisible()
    _type(qtbot, unlock.current, PASS)
    with qtbot.waitSignal(unlock.unlocked, timeout=10000) as opened:
        qtbot.keyClick(unlock.current, Qt.Key.Key_Return)
    assert opened.args[0].key == made.args[0].key


def test_change_through_the_keyboard(qtbot, tmp_path: Path) -> None:
    passphrase.set_up(tmp_path, PASS, PASS, scrypt_params=CHEAP)
    dialog = _dialog(qtbot, PassphraseMode.CHANGE, tmp_path)
    _type(qtbot, dialog.current, PASS)
    _type(qtbot, dialog.new, NEW)
    _type(qtbot, dialog.repeat, NEW)
    with qtbot.waitSignal(dialog.changed, timeout=10000):
        qtbot.keyClick(dialog.repeat, Qt.Key.Key_Return)
    assert passphrase.unlock(tmp_path, NEW).key
    with pytest.raises(WrongPassphrase):
        passphrase.unlock(tmp_path, PASS)


def test_recover_from_the_unlock_screen(qtbot, tmp_path: Path, monkeypatch) -> None:
    till = tmp_path / "till"
    passphrase.set_up(till, PASS, PASS, scrypt_params=CHEAP)
    backup = tmp_path / "backup.db"
    monkeypatch.setenv("VENDPOINT_STORE_PASSPHRASE", PASS)
    assert store_cli.main(["backup", str(passphrase.store_path(till)), str(backup),
                           "--backup-passphrase"]) == 0
    dialog = _dialog(qtbot, PassphraseMode.UNLOCK, till)
    qtbot.mouseClick(dialog.recover_button, Qt.MouseButton.LeftButton)
    assert dialog.mode is PassphraseMode.RECOVER and dialog.backup.isVisible()
    _type(qtbot, dialog.backup, str(backup))
    _type(qtbot, dialog.backup_passphrase, PASS)
    _type(qtbot, dialog.new, NEW)
    _type(qtbot, dialog.repeat, NEW)
    with qtbot.waitSignal(dialog.unlocked, timeout=20000):
        qtbot.keyClick(dialog.repeat, Qt.Key.Key_Return)
    assert passphrase.unlock(till, NEW).key


def test_start_up_asks_for_the_passphrase_then_builds_with_it(qtbot, tmp_path: Path,
                                                              shown_errors) -> None:
    passphrase.set_up(tmp_path, PASS, PASS, scrypt_params=CHEAP)
    window = MainWindow(demo=False, server_url="")
    qtbot.addWidget(window)
    bus = EventBus()
    bridge = QtEventBridge(bus)
    seen: list[object] = []

    def builder():
        seen.append(controller.unlocked)
        if controller.unlocked is None:
            raise PassphraseRequired("This till's store is protected by a passphrase.")
        raise NotSetUp("This till does not know its server yet.")

    controller = AppController(window, bridge, bus, Settings(), data_dir=tmp_path, demo=False,
                               settings_path=None, builder=builder)
    with qtbot.waitSignal(controller.ready, timeout=10000):
        controller.start()

    def dialog() -> PassphraseDialog | None:
        found = [w for w in QApplication.topLevelWidgets()
                 if isinstance(w, PassphraseDialog) and w.isVisible()]
        return found[0] if found else None

    qtbot.waitUntil(lambda: dialog() is not None, timeout=5000)
    asked = dialog()
    assert asked is not None and asked.mode is PassphraseMode.UNLOCK
    assert shown_errors.shown == []  # the question, not an error box
    _type(qtbot, asked.current, PASS)
    with qtbot.waitSignal(controller.ready, timeout=20000):
        qtbot.keyClick(asked.current, Qt.Key.Key_Return)
    assert seen[0] is None and isinstance(seen[-1], passphrase.Unlocked)
    bridge.close()
