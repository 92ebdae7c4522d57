"""Dialogs around the sale: customer search and supervisor approval (lists: `ui.sales_dialogs`).

Each dialog is keyboard-first (Enter acts, Esc closes, arrows move in lists) and talks to the
core only through `Op`. Errors reach the cashier through `show_error`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.supervisor.approvals import Approval
from app.till.results import SearchHit
from common.errors import InvalidInput, UserCancelled
from ui.errors import show_error
from ui.ops import Op
from ui.ports import SalePort

log = logging.getLogger("vendpoint.ui.dialogs")


def table(headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def cell(text: str) -> QTableWidgetItem:
    return QTableWidgetItem(text)


class SearchDialog(QDialog):
    """Find a customer by name, account, address or meter prefix; Enter picks the row."""

    def __init__(self, sales: SalePort, text: str = "", examples: Sequence[SearchHit] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Find a customer"))
        self.resize(860, 480)
        self._sales = sales
        self.chosen: SearchHit | None = None
        self._hits: list[SearchHit] = []
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr(
            "Type part of the name, account number, address or meter number, then Enter. "
            "Use ↓ to move to the results and Enter to choose.")))
        self.query = QLineEdit(text)
        self.query.setObjectName("searchField")
        layout.addWidget(self.query)
        self.results = table([self.tr("Meter"), self.tr("Customer"), self.tr("Account"),
                               self.tr("Address")])
        layout.addWidget(self.results, 1)
        self.message = QLabel("")
        layout.addWidget(self.message)
        self.query.returnPressed.connect(self.search)
        self.results.activated.connect(self._choose_row)
        QShortcut(QKeySequence("Down"), self.query, self.results.setFocus,
                  Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence("Return"), self.results, self._choose_current,
                  Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence("Enter"), self.results, self._choose_current,
                  Qt.ShortcutContext.WidgetShortcut)
        if examples:
            self.message.setText(self.tr("Demo meters are listed as examples."))
            self.show_hits(examples)

    def search(self) -> None:
        """Run the search in the background (2 characters at least)."""
        text = self.query.text().strip()
        if len(text) < 2:
            show_error(InvalidInput(self.tr("Type at least 2 characters to search.")), self)
            return
        self.message.setText(self.tr("Searching…"))
        Op(self, lambda: list(self._sales.search(text))).success(self._found).run()

    def _found(self, hits: list[SearchHit]) -> None:
        self.message.setText(self.tr("{count} found").format(count=len(hits)) if hits
                             else self.tr("Nothing found: try fewer letters."))
        self.show_hits(hits)
        if hits:
            self.results.setFocus()

    def show_hits(self, hits: Sequence[SearchHit]) -> None:
        """Fill the results table."""
        self._hits = list(hits)
        self.results.setRowCount(len(hits))
        for row, hit in enumerate(hits):
            name = hit.customer_name + (self.tr(" (BLOCKED)") if hit.blocked else "")
            for col, text in enumerate((hit.meter_number, name, hit.account, hit.address)):
                self.results.setItem(row, col, cell(text))
        if hits:
            self.results.selectRow(0)

    def _choose_current(self) -> None:
        self._choose_row(self.results.currentIndex())

    def _choose_row(self, index: object) -> None:
        row = self.results.currentRow()
        if 0 <= row < len(self._hits):
            self.chosen = self._hits[row]
            self.accept()


class SupervisorDialog(QDialog):
    """Asks a supervisor to approve one action with their username and PIN."""

    def __init__(self, action: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Supervisor approval"))
        layout = QVBoxLayout(self)
        label = QLabel(self.tr("A supervisor must approve: {action}").format(action=action))
        label.setWordWrap(True)
        layout.addWidget(label)
        form = QFormLayout()
        self.username = QLineEdit()
        self.username.setObjectName("supervisorUser")
        self.pin = QLineEdit()
        self.pin.setObjectName("supervisorPin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Supervisor"), self.username)
        form.addRow(self.tr("PIN"), self.pin)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.username.returnPressed.connect(self.pin.setFocus)

    def _ok(self) -> None:
        if not self.username.text().strip() or not self.pin.text():
            show_error(InvalidInput(self.tr("Type the supervisor's username and PIN.")), self)
            return
        self.accept()

    def approval(self) -> Approval:
        """The typed approval (only valid after `accept`)."""
        return Approval(self.username.text().strip().lower(), self.pin.text())


#: how a dialog asks for a supervisor: returns the approval or raises UserCancelled
AskSupervisor = Callable[[str, QWidget], Approval]


def ask_supervisor(action: str, parent: QWidget) -> Approval:
    """Show the supervisor dialog modally; Esc raises UserCancelled."""
    dialog = SupervisorDialog(action, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        raise UserCancelled()
    return dialog.approval()
