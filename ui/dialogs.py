"""Dialogs around the sale: customer search and supervisor approval (lists: `ui.sales_dialogs`).

Each dialog is keyboard-first (Enter acts, Esc closes, arrows move in lists) and talks to the
core only through `Op`. Errors reach the cashier through `show_error`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
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
from ui.widgets import fit_to_screen

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


#: the key that brings the focus back to a dialog's query field from anywhere in it
FIND_KEY = "Ctrl+F"


class QueryKeys(QObject):
    """The keys of a find-then-choose dialog, by where the focus is.

    Enter in the query searches; Enter on a result chooses it; ↓ goes from the query to the
    results; Esc on the results and Ctrl+F anywhere go back to the query. Every push button
    of the dialog loses "auto default", so Enter in the query never presses a button.
    """

    def __init__(self, dialog: QDialog, query: QLineEdit, results: QTableWidget,
                 search: Callable[[], None], choose: Callable[[], None]) -> None:
        super().__init__(dialog)
        self._query, self._results, self._choose = query, results, choose
        query.returnPressed.connect(search)
        query.installEventFilter(self)
        results.installEventFilter(self)
        QShortcut(QKeySequence(FIND_KEY), dialog, self.focus_query)
        for button in dialog.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)

    def focus_query(self) -> None:
        """Put the cursor in the query, its text selected for typing over."""
        self._query.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._query.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        if watched is self._query and key == Qt.Key.Key_Down and self._results.rowCount():
            self._results.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        if watched is self._results and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._choose()
            return True
        if watched is self._results and key == Qt.Key.Key_Escape:
            self.focus_query()
            return True
        return False


class SearchDialog(QDialog):
    """Find a customer by name, account, address or meter prefix; Enter picks the row."""

    def __init__(self, sales: SalePort, text: str = "", examples: Sequence[SearchHit] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Find a customer"))
        fit_to_screen(self, 860, 520)
        self._sales = sales
        self.chosen: SearchHit | None = None
        self._hits: list[SearchHit] = []
        layout = QVBoxLayout(self)
        hint = QLabel(self.tr(
            "Type part of the name, account number, address or meter number, then Enter. "
            "Use ↓ to move to the results and Enter to choose; Esc or Ctrl+F goes back to "
            "the search."))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        row = QHBoxLayout()
        self.query = QLineEdit(text)
        self.query.setObjectName("searchField")
        self.search_button = QPushButton(self.tr("&Search (Enter)"))
        row.addWidget(self.query, 1)
        row.addWidget(self.search_button)
        layout.addLayout(row)
        self.results = table([self.tr("Meter"), self.tr("Customer"), self.tr("Account"),
                               self.tr("Address")])
        layout.addWidget(self.results, 1)
        self.message = QLabel("")
        layout.addWidget(self.message)
        self.search_button.clicked.connect(self.search)
        self.results.doubleClicked.connect(self._choose_row)
        self.keys = QueryKeys(self, self.query, self.results, self.search,
                              self._choose_current)
        self.query.setFocus()
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
        self.message.setText(self.tr("%n found", "", len(hits)) if hits
                             else self.tr("Nothing found: try fewer letters."))
        self.show_hits(hits)
        if hits:
            self.results.setFocus()

    def show_hits(self, hits: Sequence[SearchHit]) -> None:
        """Fill the results table."""
        self._hits = list(hits)
        self.results.setRowCount(len(hits))
        for row, hit in enumerate(hits):
            name = (self.tr("{name} (BLOCKED)").format(name=hit.customer_name) if hit.blocked
                    else hit.customer_name)
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
        self.username.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Enter in the username only moves to the PIN: the dialog's default OK button must
        # not also take it (that approved with an empty PIN and said so).
        if (watched is self.username and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self.pin.setFocus(Qt.FocusReason.TabFocusReason)
            return True
        return super().eventFilter(watched, event)

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
