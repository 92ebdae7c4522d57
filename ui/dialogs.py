"""Dialogs around the sale: customer search, supervisor approval, sale lists, reprint/reversal.

Each dialog is keyboard-first (Enter acts, Esc closes, arrows move in lists) and talks to the
core only through `Op`. Errors reach the cashier through `show_error`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
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

from app.errors import BusinessRuleError, InvalidInput, UserCancelled
from ui.errors import show_error
from ui.keymap import Action, Where, sequence
from ui.ops import Op
from ui.ports import Approval, Operator, SalePort, SaleRecord, SaleState, SearchHit, format_money

log = logging.getLogger("vendpoint.ui.dialogs")


def _table(headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _cell(text: str) -> QTableWidgetItem:
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
        self.results = _table([self.tr("Meter"), self.tr("Customer"), self.tr("Account"),
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
                self.results.setItem(row, col, _cell(text))
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


class SalesListDialog(QDialog):
    """A read-only list of sales (today's sales, pending sales) with a total."""

    def __init__(self, title: str, loader: Callable[[], Sequence[SaleRecord]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(900, 520)
        self._loader = loader
        layout = QVBoxLayout(self)
        self.table = _table([self.tr("Time"), self.tr("Reference"), self.tr("State"),
                             self.tr("Meter"), self.tr("Customer"), self.tr("Amount"),
                             self.tr("Units"), self.tr("Operator")])
        layout.addWidget(self.table, 1)
        self.total = QLabel("")
        self.total.setObjectName("listTotal")
        layout.addWidget(self.total)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.records: list[SaleRecord] = []

    def load(self) -> None:
        """Fetch the list in the background."""
        self.total.setText(self.tr("Loading…"))
        Op(self, lambda: list(self._loader())).success(self.show_records).run()

    def show_records(self, records: list[SaleRecord]) -> None:
        """Fill the table and the total."""
        self.records = records
        self.table.setRowCount(len(records))
        for row, rec in enumerate(records):
            state = self.tr("PENDING (no token yet)") if rec.state is SaleState.PENDING \
                else (self.tr("reversed") if rec.reversed else self.tr("tokened"))
            values = (rec.created_at.astimezone().strftime("%H:%M"), rec.reference, state,
                      rec.meter_number, rec.customer_name,
                      format_money(rec.amount, rec.currency), rec.units, rec.operator)
            for col, text in enumerate(values):
                self.table.setItem(row, col, _cell(text))
        live = [r for r in records if not r.reversed]
        total = sum((r.amount for r in live), Decimal("0"))
        currency = records[0].currency if records else ""
        self.total.setText(self.tr("{count} sales, total {money}").format(
            count=len(live), money=format_money(total, currency) if records else "-"))
        if records:
            self.table.selectRow(0)
            self.table.setFocus()


class ReprintDialog(QDialog):
    """Find a sale by meter or receipt number; reprint it (F8) or request a reversal (F7)."""

    def __init__(self, sales: SalePort, operator: Operator,
                 ask: AskSupervisor = ask_supervisor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Reprint or reverse a sale"))
        self.resize(900, 520)
        self._sales = sales
        self._operator = operator
        self._ask = ask
        self.records: list[SaleRecord] = []
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr(
            "Meter or receipt number, then Enter. ↓ to the list; Enter or F8 reprints, "
            "F7 asks for a reversal (supervisor).")))
        self.query = QLineEdit()
        self.query.setObjectName("reprintQuery")
        layout.addWidget(self.query)
        self.table = _table([self.tr("Time"), self.tr("Receipt"), self.tr("Meter"),
                             self.tr("Customer"), self.tr("Amount"), self.tr("Reprints"),
                             self.tr("State")])
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.reprint_button = QPushButton(self.tr("Reprint (F8)"))
        self.reverse_button = QPushButton(self.tr("Request reversal (F7)"))
        row.addWidget(self.reprint_button)
        row.addWidget(self.reverse_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.message = QLabel("")
        self.message.setObjectName("dialogMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.query.returnPressed.connect(self.search)
        self.reprint_button.clicked.connect(self.reprint)
        self.reverse_button.clicked.connect(self.reverse)
        QShortcut(QKeySequence(sequence(Action.REPRINT, Where.SALE_OR_REPRINT)), self,
                  self.reprint)
        QShortcut(QKeySequence(sequence(Action.REVERSAL, Where.REPRINT)), self, self.reverse)
        QShortcut(QKeySequence("Down"), self.query, self.table.setFocus,
                  Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence("Return"), self.table, self.reprint,
                  Qt.ShortcutContext.WidgetShortcut)

    def search(self) -> None:
        """Look the sales up in the background."""
        text = "".join(self.query.text().split())
        if not text:
            show_error(InvalidInput(self.tr("Type a meter number or a receipt number.")), self)
            return
        self.message.setText(self.tr("Searching…"))
        Op(self, lambda: list(self._sales.find(text))).success(self.show_records).run()

    def show_records(self, records: list[SaleRecord]) -> None:
        """Fill the table, newest first."""
        self.records = records
        self.table.setRowCount(len(records))
        for row, rec in enumerate(records):
            state = self.tr("pending") if rec.state is SaleState.PENDING else (
                self.tr("reversed") if rec.reversed else self.tr("tokened"))
            values = (rec.created_at.astimezone().strftime("%d %b %H:%M"), rec.reference,
                      rec.meter_number, rec.customer_name,
                      format_money(rec.amount, rec.currency), str(rec.reprints), state)
            for col, text in enumerate(values):
                self.table.setItem(row, col, _cell(text))
        self.message.setText(self.tr("{count} sales found").format(count=len(records))
                             if records else self.tr("No sales found for that number."))
        if records:
            self.table.selectRow(0)
            self.table.setFocus()

    def selected(self) -> SaleRecord | None:
        row = self.table.currentRow()
        return self.records[row] if 0 <= row < len(self.records) else None

    def reprint(self, approval: Approval | None = None) -> None:
        """Reprint the selected sale; beyond policy, ask a supervisor and try again."""
        record = self.selected()
        if record is None:
            show_error(InvalidInput(self.tr("Search for the sale first, then choose it.")), self)
            return
        ref = record.reference
        self.message.setText(self.tr("Reprinting {ref}…").format(ref=ref))
        Op(self, lambda: self._sales.reprint(ref, self._operator, approval)).success(
            lambda _none: self.message.setText(self.tr("Reprint of {ref} sent to the "
                                                       "printer.").format(ref=ref))
        ).failure(lambda exc: self._reprint_failed(exc, approval)).run()

    def _reprint_failed(self, exc: BaseException, approval: Approval | None) -> None:
        if (isinstance(exc, BusinessRuleError) and exc.code == "SUPERVISOR_REQUIRED"
                and approval is None):
            self.message.setText(str(exc))
            try:
                given = self._ask(self.tr("reprint beyond the reprint policy"), self)
            except UserCancelled:
                self.message.setText(self.tr("Reprint cancelled."))
                return
            self.reprint(given)
            return
        self.message.setText("")
        show_error(exc, self)

    def reverse(self) -> None:
        """Ask the server to reverse the selected sale, with a supervisor's approval."""
        record = self.selected()
        if record is None:
            show_error(InvalidInput(self.tr("Search for the sale first, then choose it.")), self)
            return
        if record.state is SaleState.PENDING:
            show_error(BusinessRuleError(
                self.tr("A pending sale cannot be reversed until its token has arrived."),
                code="REVERSAL_NOT_ALLOWED"), self)
            return
        try:
            approval = self._ask(self.tr("reverse receipt {ref}").format(ref=record.reference),
                                 self)
        except UserCancelled:
            return
        ref = record.reference
        reason = self.tr("Requested at the counter by {name}").format(name=self._operator.name)
        self.message.setText(self.tr("Requesting reversal of {ref}…").format(ref=ref))
        Op(self, lambda: self._sales.request_reversal(ref, reason, self._operator, approval)
           ).success(lambda number: self.message.setText(
               self.tr("Receipt {ref} reversed ({number}).").format(ref=ref, number=number))
        ).failure(self._reverse_failed).run()

    def _reverse_failed(self, exc: BaseException) -> None:
        self.message.setText("")
        show_error(exc, self)
