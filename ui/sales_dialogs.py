"""The sales lists (F9 pending, F10 today) and the reprint / reversal dialog (F8, F7).

Every sale state is shown as it is (`ui.sale_states`), money through `ui.money`. A reversal
is offered only when the vending server offers it (the till's capabilities).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.supervisor.approvals import Approval
from app.supervisor.reversals import ReversalResult
from app.till.results import Operator, PrintState, ReprintResult, SaleRecord, SaleState
from common.errors import BusinessRuleError, InvalidInput, UserCancelled
from common.format import format_time
from common.money import Money
from ui import labels
from ui.dialogs import AskSupervisor, QueryKeys, ask_supervisor
from ui.dialogs import cell as _cell
from ui.dialogs import table as _table
from ui.errors import show_error
from ui.keymap import Action, Where, sequence
from ui.labels import sale_state_tr
from ui.money import format_money
from ui.ops import Op
from ui.ports import SalePort
from ui.sale_states import counts_in_total, state_text
from ui.translatable import plural

log = logging.getLogger("vendpoint.ui.dialogs")

#: the tooltip of an action the vending server does not offer


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
            values = (format_time(rec.created_at, date=False), rec.reference,
                      state_text(rec, sale_state_tr), rec.meter_number, rec.customer_name,
                      format_money(rec.amount), rec.units, rec.operator)
            for col, text in enumerate(values):
                self.table.setItem(row, col, _cell(text))
        # The total is the money taken that stands: rejected, void and reversed sales are
        # listed but not counted.
        live = [r for r in records if counts_in_total(r)]
        total = Money(sum(r.amount.minor for r in live), live[0].amount.currency) if live \
            else None
        counted = plural(self.tr("%n sales, total {money}", "", len(live)), len(live),
                         "1 sale, total {money}")
        self.total.setText(counted.format(
            money=format_money(total) if total is not None else "-"))
        if records:
            self.table.selectRow(0)
            self.table.setFocus()


class ReversalDialog(QDialog):
    """Confirm a reversal with the sale shown, and a reason typed by the cashier (required:
    it goes to the server, the journal and the slip)."""

    def __init__(self, record: SaleRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Reverse this sale?"))
        layout = QVBoxLayout(self)
        self.sale = QLabel(self.tr(
            "Receipt {ref}\nMeter {meter} · {customer}\n{amount} · {units}\nSold {when}\n\n"
            "The customer gets the money back and the tokens become void.").format(
            ref=record.reference, meter=record.meter_number, customer=record.customer_name,
            amount=format_money(record.amount), units=record.units or "-",
            when=format_time(record.created_at)))
        self.sale.setObjectName("reversalSale")
        self.sale.setWordWrap(True)
        layout.addWidget(self.sale)
        layout.addWidget(QLabel(self.tr("Reason (required):")))
        self.reason = QLineEdit()
        self.reason.setObjectName("reversalReason")
        self.reason.setMaxLength(200)
        layout.addWidget(self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Reverse"))
        ok.setEnabled(False)
        self.reason.textChanged.connect(lambda text: ok.setEnabled(bool(text.strip())))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reason.setFocus()

    def accept(self) -> None:
        """Only with a reason (Enter in an empty reason does nothing)."""
        if self.reason.text().strip():
            super().accept()


#: shows the sale and asks for the reason; UserCancelled when the cashier backs out
ConfirmReversal = Callable[[SaleRecord, QWidget], str]


def confirm_reversal(record: SaleRecord, parent: QWidget) -> str:
    """Show `ReversalDialog` modally; the typed reason, or UserCancelled."""
    dialog = ReversalDialog(record, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        raise UserCancelled()
    return dialog.reason.text().strip()


class ReprintDialog(QDialog):
    """Find a sale by meter or receipt number; reprint it (F8) or request a reversal (F7)."""

    def __init__(self, sales: SalePort, operator: Operator,
                 ask: AskSupervisor = ask_supervisor, parent: QWidget | None = None, *,
                 reversal_offered: bool = True,
                 confirm: ConfirmReversal = confirm_reversal) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Reprint or reverse a sale"))
        self._confirm = confirm
        self._keep_message = ""
        self.resize(900, 520)
        self._sales = sales
        self._operator = operator
        self._ask = ask
        self.records: list[SaleRecord] = []
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr(
            "Meter or receipt number, then Enter. ↓ to the list; Enter or F8 reprints, "
            "F7 asks for a reversal (supervisor). Esc or Ctrl+F goes back to the search.")))
        top = QHBoxLayout()
        self.query = QLineEdit()
        self.query.setObjectName("reprintQuery")
        self.search_button = QPushButton(self.tr("&Search (Enter)"))
        top.addWidget(self.query, 1)
        top.addWidget(self.search_button)
        layout.addLayout(top)
        self.table = _table([self.tr("Time"), self.tr("Receipt"), self.tr("Meter"),
                             self.tr("Customer"), self.tr("Amount"), self.tr("Reprints"),
                             self.tr("State")])
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.reprint_button = QPushButton(self.tr("Reprint (F8)"))
        self.reverse_button = QPushButton(self.tr("Request reversal (F7)"))
        #: whether the vending server offers reversals (the till's capabilities)
        self.reversal_offered = reversal_offered
        if not reversal_offered:
            self.reverse_button.setEnabled(False)
            self.reverse_button.setToolTip(labels.not_offered())
        row.addWidget(self.reprint_button)
        row.addWidget(self.reverse_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.message = QLabel("")
        self.message.setObjectName("dialogMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.search_button.clicked.connect(self.search)
        self.reprint_button.clicked.connect(self.reprint)
        self.reverse_button.clicked.connect(self.reverse)
        QShortcut(QKeySequence(sequence(Action.REPRINT, Where.SALE_OR_REPRINT)), self,
                  self.reprint)
        QShortcut(QKeySequence(sequence(Action.REVERSAL, Where.REPRINT)), self, self.reverse)
        # Enter in the query searches, Enter on a sale reprints it (never a button's Enter).
        self.keys = QueryKeys(self, self.query, self.table, self.search,
                              lambda: self.reprint())
        self.query.setFocus()

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
            values = (format_time(rec.created_at), rec.reference,
                      rec.meter_number, rec.customer_name, format_money(rec.amount),
                      str(rec.reprints), state_text(rec, sale_state_tr))
            for col, text in enumerate(values):
                self.table.setItem(row, col, _cell(text))
        found = plural(self.tr("%n sales found", "", len(records)), len(records),
                       "1 sale found")
        self.message.setText(found if records
                             else self.tr("No sales found for that number."))
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
            self._reprinted
        ).failure(lambda exc: self._reprint_failed(exc, approval)).run()

    def _reprinted(self, done: ReprintResult) -> None:
        if done.print_state is PrintState.NO_PRINTER:
            text = self.tr("Reprint {n} of {ref} recorded; no printer is set up.")
        else:
            text = self.tr("Reprint {n} of {ref} sent to the printer.")
        self.message.setText(text.format(n=done.reprint_no, ref=done.reference))

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
        if not self.reversal_offered:
            self.message.setText(self.tr("Reversal: {why}").format(why=labels.not_offered()))
            return
        record = self.selected()
        if record is None:
            show_error(InvalidInput(self.tr("Search for the sale first, then choose it.")), self)
            return
        refusal = ""
        if record.reversed:
            refusal = self.tr("Receipt {ref} was already reversed.").format(ref=record.reference)
        elif record.state.is_open:
            refusal = self.tr("A pending sale cannot be reversed until its token has arrived.")
        elif record.state is not SaleState.TOKENED:
            refusal = self.tr("Nothing was sold on this sale ({state}): there is nothing to "
                              "reverse.").format(state=state_text(record, sale_state_tr))
        if refusal:
            show_error(BusinessRuleError(refusal, code="REVERSAL_NOT_ALLOWED"), self)
            return
        try:
            reason = self._confirm(record, self)
            approval = self._ask(self.tr("reverse receipt {ref}").format(ref=record.reference),
                                 self)
        except UserCancelled:
            self.message.setText(self.tr("Reversal cancelled."))
            return
        ref = record.reference
        self.message.setText(self.tr("Requesting reversal of {ref}…").format(ref=ref))
        Op(self, lambda: self._sales.request_reversal(ref, reason, self._operator, approval)
           ).success(self._reversed).failure(self._reverse_failed).run()

    def _reversed(self, done: ReversalResult) -> None:
        if done.newly_recorded:
            text = self.tr("Receipt {ref} reversed ({number}).")
        else:
            text = self.tr("Receipt {ref} was already reversed ({number}).")
        self.message.setText(text.format(ref=done.receipt_no, number=done.reversal_no))
        self._refresh()

    def _reverse_failed(self, exc: BaseException) -> None:
        self.message.setText("")
        show_error(exc, self)
        if isinstance(exc, BusinessRuleError) and exc.code == "ALREADY_REVERSED":
            self._refresh()

    def _refresh(self) -> None:
        """The list again, so the sale shows "reversed" (the message stays)."""
        text = "".join(self.query.text().split())
        if text:
            self._keep_message = self.message.text()
            Op(self, lambda: list(self._sales.find(text))).success(self._refreshed).run()

    def _refreshed(self, records: list[SaleRecord]) -> None:
        self.show_records(records)
        self.message.setText(self._keep_message)
