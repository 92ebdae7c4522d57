from __future__ import annotations

from app.settings import Settings
from printers.discovery import Discovery, FoundPrinter
from tests.ui.fakes import FakePrinter, FakeTerminal
from ui.settings_dialog import SettingsDialog


def _dialog(qtbot, tmp_path, terminal=None, printer=None, saved=None, find=None):
    extra = {} if find is None else {"find_printers": find}
    dialog = SettingsDialog(Settings(), save_to=tmp_path / "settings.toml",
                            terminal=terminal, printer=printer,
                            on_saved=(saved.append if saved is not None else None), **extra)
    qtbot.addWidget(dialog)
    return dialog


def test_save_writes_validated_settings(qtbot, tmp_path, shown_errors) -> None:
    saved: list[Settings] = []
    dialog = _dialog(qtbot, tmp_path, saved=saved)
    dialog.server_url.setText("https://vend.example.org")
    dialog.connection.setCurrentText("network")
    dialog.address.setText("127.0.0.1:9100")
    dialog.columns.setCurrentIndex(dialog.columns.findData(32))
    dialog.profile.setText("TM-T20II")
    dialog.idle_minutes.setValue(0)
    dialog.save()
    qtbot.waitUntil(lambda: bool(saved), timeout=5000)
    loaded = Settings.load(tmp_path / "settings.toml")
    assert loaded["server.url"] == "https://vend.example.org"
    assert loaded["printer.connection"] == "network"
    assert loaded["printer.columns"] == 32
    assert loaded["printer.profile"] == "TM-T20II"
    assert loaded["ui.idle_lock_minutes"] == 0
    assert saved[0]["ui.idle_lock_minutes"] == 0
    # Language and locale not touched here: the till still follows the utility's.
    assert not loaded.is_given("ui.language") and not loaded.is_given("ui.locale")
    assert shown_errors.shown == []


def test_bad_url_is_refused_with_plain_message(qtbot, tmp_path, shown_errors) -> None:
    dialog = _dialog(qtbot, tmp_path)
    dialog.server_url.setText("vend.example.org")
    dialog.save()
    assert "must start with http:// or https://" in shown_errors.shown[0][1]
    assert not (tmp_path / "settings.toml").exists()


def test_activation_success_and_failure(qtbot, tmp_path, shown_errors) -> None:
    terminal = FakeTerminal()
    dialog = _dialog(qtbot, tmp_path, terminal=terminal)
    qtbot.waitUntil(lambda: "NOT activated" in dialog.terminal_state.text(), timeout=5000)
    dialog.server_url.setText("http://127.0.0.1:1")
    dialog.code.setText("WRONG")
    dialog.activate()
    qtbot.waitUntil(lambda: bool(shown_errors.shown), timeout=5000)
    assert "activation code is not valid" in shown_errors.shown[0][1]
    dialog.code.setText("DEMO-ACT-2026")
    dialog.activate()
    qtbot.waitUntil(lambda: "T0001" in dialog.terminal_state.text(), timeout=5000)
    assert dialog.code.text() == ""
    assert terminal.calls[-1] == ("http://127.0.0.1:1", "DEMO-ACT-2026", "Counter 1")


def test_test_print_uses_edited_printer_settings(qtbot, tmp_path) -> None:
    printer = FakePrinter()
    dialog = _dialog(qtbot, tmp_path, printer=printer)
    dialog.connection.setCurrentText("network")
    dialog.address.setText("127.0.0.1:9100")
    dialog.test_print()
    qtbot.waitUntil(lambda: bool(printer.tests), timeout=5000)
    assert printer.tests[0]["printer.address"] == "127.0.0.1:9100"
    qtbot.waitUntil(lambda: "sent" in dialog.message.text(), timeout=5000)


def test_saving_another_server_address_clears_the_activation(qtbot, tmp_path,
                                                             shown_errors) -> None:
    terminal = FakeTerminal()
    saved: list[Settings] = []
    dialog = _dialog(qtbot, tmp_path, terminal=terminal, saved=saved)
    dialog.server_url.setText("http://127.0.0.1:1")
    dialog.code.setText("DEMO-ACT-2026")
    dialog.activate()
    qtbot.waitUntil(lambda: terminal.activated, timeout=5000)
    dialog.server_url.setText("http://127.0.0.1:2")
    dialog.save()
    qtbot.waitUntil(lambda: bool(saved), timeout=5000)
    assert not terminal.activated  # the credential does not follow the URL
    assert Settings.load(tmp_path / "settings.toml")["server.url"] == "http://127.0.0.1:2"


def test_find_printers_fills_connection_and_address_for_the_test_print(qtbot, tmp_path) -> None:
    found = Discovery((FoundPrinter("usb", "04b8:0202", "USB: EPSON TM-T20III (04b8:0202)"),
                       FoundPrinter("windows", "EPSON TM-T20III Receipt",
                                    "Windows: EPSON TM-T20III Receipt")),
                      ("CUPS: lpstat is not installed",))
    printer = FakePrinter()
    dialog = _dialog(qtbot, tmp_path, printer=printer, find=lambda: found)
    assert not dialog.found.isEnabled()
    dialog.find_button.click()
    qtbot.waitUntil(lambda: dialog.found.isEnabled(), timeout=5000)
    assert [dialog.found.itemText(i) for i in range(dialog.found.count())] == [
        "USB: EPSON TM-T20III (04b8:0202)", "Windows: EPSON TM-T20III Receipt"]
    assert "lpstat is not installed" in dialog.message.text()
    dialog.found.activated.emit(1)
    assert dialog.connection.currentText() == "windows"
    assert dialog.address.text() == "EPSON TM-T20III Receipt"
    dialog.test_print()
    qtbot.waitUntil(lambda: bool(printer.tests), timeout=5000)
    assert printer.tests[0]["printer.connection"] == "windows"
    assert printer.tests[0]["printer.address"] == "EPSON TM-T20III Receipt"


def test_nothing_found_says_so(qtbot, tmp_path) -> None:
    dialog = _dialog(qtbot, tmp_path, find=lambda: Discovery((), ("USB: pyusb is not installed",)))
    dialog.find_printers()
    qtbot.waitUntil(lambda: "No printer found" in dialog.message.text(), timeout=5000)
    assert not dialog.found.isEnabled()
    assert dialog.connection.currentText() == "none"


def test_code_page_qr_logo_and_drawer_are_saved(qtbot, tmp_path, shown_errors) -> None:
    saved: list[Settings] = []
    dialog = _dialog(qtbot, tmp_path, saved=saved)
    dialog.profile.setText("TM-T20II")
    dialog.code_page.setCurrentText("cp860")
    dialog.qr_code.setChecked(True)
    dialog.logo.setText("/srv/logo.png")
    dialog.drawer.setCurrentIndex(dialog.drawer.findData("pin5"))
    dialog.drawer_pulse.setValue(150)
    dialog.save()
    qtbot.waitUntil(lambda: bool(saved), timeout=5000)
    loaded = Settings.load(tmp_path / "settings.toml")
    assert (loaded["printer.code_page"], loaded["printer.qr_code"], loaded["printer.logo"],
            loaded["printer.cash_drawer"], loaded["printer.drawer_pulse_ms"]) == (
        "CP860", True, "/srv/logo.png", "pin5", 150)
    assert shown_errors.shown == []
