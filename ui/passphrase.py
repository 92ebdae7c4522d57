"""Passphrase mode's screen: set a passphrase, unlock at start, change it, or recover the
store from an encrypted backup (`app.till.passphrase`, for tills without a usable keyring).

One dialog with four modes; the view holds the fields, `_submit` runs the core function
through `Op` (scrypt is not for the GUI thread) and says what went wrong inside the dialog,
clearing the passphrase fields. A passphrase never lingers in a field after an attempt.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.till import passphrase as core
from common.errors import UserFacingError
from ui.ops import Op
from ui.translatable import QT_TRANSLATE_NOOP

__all__ = ["PassphraseDialog", "PassphraseMode"]


class PassphraseMode(Enum):
    """What the dialog is for."""

    SET = "set"
    UNLOCK = "unlock"
    CHANGE = "change"
    RECOVER = "recover"


_TITLES = {
    PassphraseMode.SET: QT_TRANSLATE_NOOP("PassphraseDialog",
                                          "Protect this till with a passphrase"),
    PassphraseMode.UNLOCK: QT_TRANSLATE_NOOP("PassphraseDialog", "Unlock VendPoint"),
    PassphraseMode.CHANGE: QT_TRANSLATE_NOOP("PassphraseDialog", "Change the passphrase"),
    PassphraseMode.RECOVER: QT_TRANSLATE_NOOP("PassphraseDialog",
                                              "Restore the store from a backup"),
}
_INTROS = {
    PassphraseMode.SET: QT_TRANSLATE_NOOP(
        "PassphraseDialog",
        "This computer has no usable keyring. Choose a passphrase (8 characters or more, "
        "ideally a sentence): it will be asked each time VendPoint starts. Without it the "
        "store cannot be read, so keep it safe."),
    PassphraseMode.UNLOCK: QT_TRANSLATE_NOOP(
        "PassphraseDialog", "This till's store is protected by a passphrase. Type it to start."),
    PassphraseMode.CHANGE: QT_TRANSLATE_NOOP(
        "PassphraseDialog", "Type the current passphrase, then the new one twice."),
    PassphraseMode.RECOVER: QT_TRANSLATE_NOOP(
        "PassphraseDialog",
        "Choose an encrypted backup, type its passphrase, and choose the till's new "
        "passphrase. A store already here is moved aside, never deleted. Activate the till "
        "again afterwards."),
}


def _secret() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class PassphraseDialog(QDialog):
    """Set, unlock, change or recover; `unlocked` carries the core's `Unlocked`."""

    unlocked = Signal(object)
    changed = Signal()

    def __init__(self, mode: PassphraseMode, data_dir: Path, *, parent: QWidget | None = None,
                 scrypt_params: dict[str, int] | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self._scrypt = scrypt_params
        self.setModal(True)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.backup = QLineEdit()
        self.backup.setPlaceholderText(self.tr("path of the backup file"))
        self.backup_passphrase = _secret()
        self.current = _secret()
        self.new = _secret()
        self.repeat = _secret()
        self.problem = QLabel()
        self.problem.setObjectName("errorText")
        self.problem.setWordWrap(True)
        self.recover_button = QPushButton(self.tr("Restore from a backup…"))
        self.recover_button.setAutoDefault(False)
        self.recover_button.clicked.connect(lambda: self.set_mode(PassphraseMode.RECOVER))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        self.form = QFormLayout()
        # Every field has its row; a mode shows only its own (and names them).
        self._fields = (self.backup, self.backup_passphrase, self.current, self.new,
                        self.repeat)
        for field in self._fields:
            self.form.addRow(QLabel(), field)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(self.recover_button)
        layout.addWidget(self.buttons)
        self.mode = mode
        self.set_mode(mode)

    def set_mode(self, mode: PassphraseMode) -> None:
        """Show the fields of `mode` (unlocking offers recovery too)."""
        self.mode = mode
        self.setWindowTitle(QCoreApplication.translate("PassphraseDialog", _TITLES[mode]))
        self.intro.setText(QCoreApplication.translate("PassphraseDialog", _INTROS[mode]))
        new = QCoreApplication.translate("PassphraseDialog", "New passphrase")
        again = QCoreApplication.translate("PassphraseDialog", "Again")
        rows: list[tuple[str, QLineEdit]] = {
            PassphraseMode.SET: [(new, self.new), (again, self.repeat)],
            PassphraseMode.UNLOCK: [
                (QCoreApplication.translate("PassphraseDialog", "Passphrase"), self.current)],
            PassphraseMode.CHANGE: [
                (QCoreApplication.translate("PassphraseDialog", "Current passphrase"),
                 self.current), (new, self.new), (again, self.repeat)],
            PassphraseMode.RECOVER: [
                (QCoreApplication.translate("PassphraseDialog", "Backup file"), self.backup),
                (QCoreApplication.translate("PassphraseDialog", "Backup passphrase"),
                 self.backup_passphrase), (new, self.new), (again, self.repeat)],
        }[mode]
        for field in self._fields:
            self.form.setRowVisible(field, any(field is f for _label, f in rows))
        for label, field in rows:
            label_widget = self.form.labelForField(field)
            if isinstance(label_widget, QLabel):
                label_widget.setText(label)
        self.recover_button.setVisible(mode is PassphraseMode.UNLOCK)
        self.problem.clear()
        rows[0][1].setFocus()

    def _job(self) -> Callable[[], object]:
        data_dir, scrypt = self.data_dir, self._scrypt
        current, new, repeat = self.current.text(), self.new.text(), self.repeat.text()
        backup, backup_pass = Path(self.backup.text().strip()), self.backup_passphrase.text()
        mode = self.mode
        if mode is PassphraseMode.SET:
            return lambda: core.set_up(data_dir, new, repeat, scrypt_params=scrypt)
        if mode is PassphraseMode.UNLOCK:
            return lambda: core.unlock(data_dir, current)
        if mode is PassphraseMode.CHANGE:
            return lambda: core.change(data_dir, current, new, repeat, scrypt_params=scrypt)
        return lambda: core.recover(data_dir, backup, backup_pass, new, repeat,
                                    scrypt_params=scrypt)

    def _submit(self) -> None:
        job = self._job()
        for field in (self.backup_passphrase, self.current, self.new, self.repeat):
            field.clear()  # never left in a field, whatever the outcome
        self.buttons.setEnabled(False)
        self.problem.setText(self.tr("Working…"))
        Op(self, job).success(self._done).failure(self._refused).run()

    def _done(self, result: object) -> None:
        self.buttons.setEnabled(True)
        self.problem.clear()
        if isinstance(result, core.Unlocked):
            self.unlocked.emit(result)
        else:
            self.changed.emit()
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if not isinstance(exc, UserFacingError):
            raise exc  # a bug: the crash handler reports it
        hint = getattr(exc, "hint", "")
        self.problem.setText(f"{exc} {hint}".strip())
        focus = self.current if self.mode in (PassphraseMode.UNLOCK, PassphraseMode.CHANGE) \
            else self.new
        focus.setFocus()
