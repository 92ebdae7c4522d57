"""The settings dialog: server URL, terminal activation, printer (with a test print), language.

Values are validated by the declared settings (`app.settings`), so a bad URL or printer width
gets the same plain message as in the settings file. *Find printers* lists the USB, serial,
Windows and CUPS printers this PC sees (`printers.discovery`, off the GUI thread); choosing
one fills the connection and address, ready for a test print. Activation sends the one-time
code to the server and keeps the returned credential in the OS keyring (never in the
settings file).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.settings import SETTINGS, Settings
from common.errors import ConfigError, InvalidInput
from common.i18n import LANGUAGE_NAMES
from printers.discovery import Discovery, discover
from ui.errors import show_error
from ui.ops import Op
from ui.ports import PrinterPort, TerminalPort

log = logging.getLogger("vendpoint.ui.settings")

_CHOICES = {s.key: s.choices for s in SETTINGS}


class SettingsDialog(QDialog):
    """Edits a copy of the settings; `saved` holds the new values after OK."""

    def __init__(self, settings: Settings, *, save_to: Path | None,
                 terminal: TerminalPort | None, printer: PrinterPort | None,
                 on_saved: Callable[[Settings], None] | None = None,
                 parent: QWidget | None = None,
                 find_printers: Callable[[], Discovery] = discover) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self._settings = settings
        self._save_to = save_to
        self._terminal = terminal
        self._printer = printer
        self._on_saved = on_saved
        self._find_printers = find_printers
        self.saved: Settings | None = None
        layout = QVBoxLayout(self)

        server = QGroupBox(self.tr("Server and terminal"))
        form = QFormLayout(server)
        self.server_url = QLineEdit(settings["server.url"])
        self.server_url.setObjectName("serverUrl")
        form.addRow(self.tr("Server URL"), self.server_url)
        self.terminal_state = QLabel("")
        form.addRow(self.tr("Terminal"), self.terminal_state)
        activation = QHBoxLayout()
        self.code = QLineEdit()
        self.code.setObjectName("activationCode")
        self.code.setPlaceholderText(self.tr("one-time activation code"))
        self.terminal_name = QLineEdit(self.tr("Counter 1"))
        self.activate_button = QPushButton(self.tr("Activate"))
        activation.addWidget(self.code, 2)
        activation.addWidget(self.terminal_name, 1)
        activation.addWidget(self.activate_button)
        form.addRow(self.tr("Activation"), activation)
        layout.addWidget(server)

        printer_box = QGroupBox(self.tr("Receipt printer"))
        pform = QFormLayout(printer_box)
        self.connection = QComboBox()
        connections = {
            "none": self.tr("none"), "network": self.tr("network"), "usb": self.tr("usb"),
            "serial": self.tr("serial"), "file": self.tr("file"), "cups": self.tr("cups"),
            "windows": self.tr("windows"),
        }
        for choice in _CHOICES["printer.connection"]:
            self.connection.addItem(connections.get(str(choice), str(choice)), str(choice))
        self._set_connection(settings["printer.connection"])
        self.address = QLineEdit(settings["printer.address"])
        self.address.setPlaceholderText(self.tr("e.g. 192.168.1.50:9100"))
        self.columns = QComboBox()
        for columns in _CHOICES["printer.columns"]:
            self.columns.addItem(self.tr("{n} characters").format(n=columns), columns)
        self.columns.setCurrentIndex(self.columns.findData(settings["printer.columns"]))
        self.profile = QLineEdit(settings["printer.profile"])
        self.profile.setPlaceholderText(self.tr("default, or e.g. TM-T20II"))
        self.test_button = QPushButton(self.tr("Test print"))
        self.find_button = QPushButton(self.tr("Find printers"))
        self.found = QComboBox()
        self.found.setObjectName("foundPrinters")
        self.found.setEnabled(False)
        self.found.addItem(self.tr("Find printers to list the ones this PC sees"))
        found_row = QHBoxLayout()
        found_row.addWidget(self.find_button)
        found_row.addWidget(self.found, 1)
        self.code_page = QComboBox()
        self.code_page.setEditable(True)
        for page in ("", "CP858", "CP860", "CP850", "CP1252", "CP437"):
            self.code_page.addItem(page)
        self.code_page.setItemText(0, "")
        edit = self.code_page.lineEdit()
        if edit is not None:
            edit.setPlaceholderText(self.tr("automatic, or e.g. CP858 for French and Portuguese"))
        self.code_page.setCurrentText(settings["printer.code_page"])
        self.qr_code = QCheckBox(self.tr("Print a QR code of the meter and tokens"))
        self.qr_code.setChecked(bool(settings["printer.qr_code"]))
        self.logo = QLineEdit(settings["printer.logo"])
        self.logo.setPlaceholderText(self.tr("image file, or empty for none"))
        self.drawer = QComboBox()
        for value, label in (("none", self.tr("none")), ("pin2", self.tr("on pin 2")),
                             ("pin5", self.tr("on pin 5"))):
            self.drawer.addItem(label, value)
        self.drawer.setCurrentIndex(self.drawer.findData(settings["printer.cash_drawer"]))
        self.drawer_pulse = QSpinBox()
        self.drawer_pulse.setRange(10, 510)
        self.drawer_pulse.setSuffix(self.tr(" ms"))
        self.drawer_pulse.setValue(int(settings["printer.drawer_pulse_ms"]))
        drawer_row = QHBoxLayout()
        drawer_row.addWidget(self.drawer, 1)
        drawer_row.addWidget(QLabel(self.tr("pulse")))
        drawer_row.addWidget(self.drawer_pulse)
        pform.addRow(self.tr("Printers found"), found_row)
        pform.addRow(self.tr("Connection"), self.connection)
        pform.addRow(self.tr("Address"), self.address)
        pform.addRow(self.tr("Paper width"), self.columns)
        pform.addRow(self.tr("Printer profile"), self.profile)
        pform.addRow(self.tr("Code page"), self.code_page)
        pform.addRow(self.tr("Logo"), self.logo)
        pform.addRow("", self.qr_code)
        pform.addRow(self.tr("Cash drawer"), drawer_row)
        pform.addRow("", self.test_button)
        layout.addWidget(printer_box)

        general = QGroupBox(self.tr("General"))
        gform = QFormLayout(general)
        self.language = QComboBox()
        for code in _CHOICES["ui.language"]:
            self.language.addItem(LANGUAGE_NAMES.get(str(code), str(code)), code)
        self.language.setCurrentIndex(self.language.findData(settings["ui.language"]))
        gform.addRow(self.tr("Language"), self.language)
        self.receipt_language = QComboBox()
        for code in _CHOICES["receipt.language"]:
            self.receipt_language.addItem(
                LANGUAGE_NAMES.get(str(code)) or self.tr("Same as the terminal"), code)
        self.receipt_language.setCurrentIndex(
            self.receipt_language.findData(settings["receipt.language"]))
        gform.addRow(self.tr("Receipts in"), self.receipt_language)
        self.idle_minutes = QSpinBox()
        self.idle_minutes.setRange(0, 240)
        self.idle_minutes.setValue(int(settings["ui.idle_lock_minutes"]))
        self.idle_minutes.setSpecialValueText(self.tr("never"))
        self.idle_minutes.setSuffix(self.tr(" min"))
        gform.addRow(self.tr("Lock the till after"), self.idle_minutes)
        self.quick_amounts = QLineEdit(settings["ui.quick_amounts"])
        gform.addRow(self.tr("Quick amounts"), self.quick_amounts)
        layout.addWidget(general)

        note = QLabel(self.tr("Server and printer changes take effect when VendPoint starts "
                              "again; the idle lock changes at once."))
        note.setWordWrap(True)
        layout.addWidget(note)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.activate_button.clicked.connect(self.activate)
        self.test_button.clicked.connect(self.test_print)
        self.find_button.clicked.connect(self.find_printers)
        self.found.activated.connect(self._found_chosen)
        self.activate_button.setEnabled(terminal is not None)
        self.test_button.setEnabled(printer is not None)
        self._refresh_terminal()

    def _refresh_terminal(self) -> None:
        if self._terminal is None:
            self.terminal_state.setText(self.tr("activation not available"))
            return
        terminal = self._terminal
        Op(self, terminal.is_activated).success(
            lambda ok: self.terminal_state.setText(
                self.tr("activated") if ok else self.tr("NOT activated: enter the code"))
        ).run()

    def values(self) -> Settings:
        """The edited settings, validated; raises ConfigError naming the bad field."""
        new = self._settings.copy()
        new.set("server.url", self.server_url.text().strip())
        new.set("printer.connection", str(self.connection.currentData()))
        new.set("printer.address", self.address.text().strip())
        new.set("printer.columns", int(self.columns.currentData()))
        new.set("printer.profile", self.profile.text().strip() or "default")
        new.set("printer.code_page", self.code_page.currentText().strip().upper())
        new.set("printer.qr_code", self.qr_code.isChecked())
        new.set("printer.logo", self.logo.text().strip())
        new.set("printer.cash_drawer", str(self.drawer.currentData()))
        new.set("printer.drawer_pulse_ms", self.drawer_pulse.value())
        language = str(self.language.currentData())
        # Set only when chosen here: left alone, the till keeps following the utility's.
        if language != self._settings["ui.language"] or self._settings.is_given("ui.language"):
            new.set("ui.language", language)
        new.set("receipt.language", str(self.receipt_language.currentData()))
        new.set("ui.idle_lock_minutes", self.idle_minutes.value())
        new.set("ui.quick_amounts", self.quick_amounts.text().strip())
        return new

    def save(self) -> None:
        """Validate, write the settings file, and close."""
        try:
            new = self.values()
        except ConfigError as exc:
            show_error(exc, self)
            return
        save_to = self._save_to
        terminal = self._terminal
        url = new["server.url"]

        def store() -> None:
            # Another server makes the credential unusable first: it never follows the URL.
            if terminal is not None and url:
                terminal.server_changed(url)
            if save_to is not None:
                new.save(save_to)

        Op(self, store).success(lambda _none: self._saved(new)).run()

    def _saved(self, new: Settings) -> None:
        self.saved = new
        if self._on_saved is not None:
            self._on_saved(new)
        self.accept()

    def activate(self) -> None:
        """Send the activation code; the credential goes to the keyring."""
        terminal = self._terminal
        if terminal is None:
            return
        code = self.code.text().strip()
        url = self.server_url.text().strip()
        name = self.terminal_name.text().strip() or "Counter 1"
        if not code:
            show_error(InvalidInput(self.tr("Type the activation code from the utility.")), self)
            return
        if not url.startswith(("http://", "https://")):
            show_error(InvalidInput(self.tr("Type the server URL first (it starts with https://).")),
                       self)
            return
        self.message.setText(self.tr("Activating…"))
        self.activate_button.setEnabled(False)
        Op(self, lambda: terminal.activate(url, code, name)).success(self._activated).failure(
            self._activation_failed).finally_(lambda: self.activate_button.setEnabled(True)
        ).run()

    def _activated(self, terminal_id: str) -> None:
        self.code.clear()
        self.message.setText(self.tr("Terminal activated as {id}.").format(id=terminal_id))
        self.terminal_state.setText(self.tr("activated ({id})").format(id=terminal_id))

    def _activation_failed(self, exc: BaseException) -> None:
        self.message.setText("")
        show_error(exc, self)

    def test_print(self) -> None:
        """Print a test slip with the printer settings as edited (before saving)."""
        printer = self._printer
        if printer is None:
            return
        try:
            edited = self.values()
        except ConfigError as exc:
            show_error(exc, self)
            return
        self.message.setText(self.tr("Sending a test slip…"))
        Op(self, lambda: printer.test_print(edited)).success(
            lambda _none: self.message.setText(self.tr("Test slip sent to the printer."))
        ).failure(self._test_failed).run()

    def _test_failed(self, exc: BaseException) -> None:
        self.message.setText(self.tr("The test print failed."))
        show_error(exc, self)

    def find_printers(self) -> None:
        """List the printers this PC sees (USB, serial, Windows, CUPS), off the GUI thread."""
        self.find_button.setEnabled(False)
        self.message.setText(self.tr("Looking for printers…"))
        Op(self, self._find_printers).success(self._printers_found).failure(
            lambda exc: show_error(exc, self)).finally_(
            lambda: self.find_button.setEnabled(True)).run()

    def _printers_found(self, found: Discovery) -> None:
        self.found.clear()
        for printer in found.printers:
            self.found.addItem(printer.label, (printer.connection, printer.address))
        if found.printers:
            self.found.setEnabled(True)
            self.found.setCurrentIndex(-1)
            self.found.setPlaceholderText(self.tr("{n} found: choose one").format(
                n=len(found.printers)))
            text = self.tr("Choose a printer from the list, then Test print.")
        else:
            self.found.setEnabled(False)
            self.found.addItem(self.tr("no printer found"))
            text = self.tr("No printer found; type the address (a network printer's IP).")
        notes = "; ".join(found.notes)
        self.message.setText(self.tr("{message} ({notes})").format(message=text, notes=notes)
                             if notes else text)

    def _set_connection(self, connection: str) -> None:
        index = self.connection.findData(connection)
        if index >= 0:
            self.connection.setCurrentIndex(index)

    def _found_chosen(self, index: int) -> None:
        data = self.found.itemData(index)
        if not data:
            return
        connection, address = data
        self._set_connection(connection)
        self.address.setText(address)
