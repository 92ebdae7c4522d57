"""The supervisor approval dialog: a supervisor types their id and PIN for one action."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from app.supervisor.approvals import Approval
from common.errors import UserCancelled

#: ask(action description, parent) -> Approval; raises UserCancelled when dismissed.
AskApproval = Callable[[str, QWidget], Approval]


class ApprovalDialog(QDialog):
    """Asks for a supervisor's id and PIN; the PIN field never echoes."""

    def __init__(self, action: str, parent: QWidget | None = None,
                 supervisors: Sequence[str] = ()) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Supervisor approval"))
        form = QFormLayout(self)
        label = QLabel(self.tr("A supervisor must approve: {action}").format(action=action))
        label.setWordWrap(True)
        form.addRow(label)
        self.operator = QComboBox()
        self.operator.setEditable(True)
        self.operator.addItems(list(supervisors))
        form.addRow(self.tr("Supervisor"), self.operator)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(12)
        self.pin.setPlaceholderText(self.tr("PIN"))
        form.addRow(self.tr("PIN"), self.pin)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b00020")
        form.addRow(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.pin.setFocus()

    def _accept(self) -> None:
        who = self.operator.currentText().strip()
        pin = self.pin.text()
        if not who:
            self.problem.setText(self.tr("Choose or type the supervisor."))
            return
        if not (pin.isdigit() and 4 <= len(pin) <= 12):
            self.problem.setText(self.tr("A PIN is 4 to 12 digits."))
            return
        self.accept()

    def approval(self) -> Approval:
        """The typed approval (call after `exec` accepted)."""
        return Approval(self.operator.currentText().strip(), self.pin.text())


def ask_approval(action: str, parent: QWidget) -> Approval:
    """Show the dialog modally; Esc/Cancel raises UserCancelled."""
    dialog = ApprovalDialog(action, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            raise UserCancelled()
        return dialog.approval()
    finally:
        dialog.deleteLater()
