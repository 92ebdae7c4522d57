"""Needs-attention queue: the reason for each item and the supervisor's actions.

The core checks every call: seeing the queue needs VIEW_ATTENTION and acting on an item
RESOLVE_ATTENTION, both of which a cashier gets only with a supervisor's PIN. The screen asks
for that PIN when the signed-in operator's role lacks the permission.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.supervisor.approvals import Approval
from app.supervisor.attention import AttentionItem
from app.supervisor.permissions import Permission, allowed
from app.supervisor.reports import format_minor
from ui.ops import Op
from ui.supervisor.common import ScreenContext, guarded

#: ask_note(parent, prompt) -> the note, or None when cancelled
AskNote = Callable[[QWidget, str], "str | None"]


def ask_note(parent: QWidget, prompt: str) -> str | None:
    """A one-line note dialog; None when cancelled."""
    title = QCoreApplication.translate("AttentionView", "Note")
    text, ok = QInputDialog.getText(parent, title, prompt)
    return text if ok else None


class AttentionView(QWidget):
    """The queue as a table; buttons act on the selected row."""

    #: emitted after the queue was (re)loaded (the list of items)
    loaded = Signal(object)

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None,
                 note: AskNote = ask_note) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._note = note
        self.items: list[AttentionItem] = []
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "Sales the server refused or could not settle. The customer paid; decide what "
            "happens: try again, pay back in cash, or write a note and close."))
        intro.setWordWrap(True)  # one long line made the console wider than a 1024 screen
        layout.addWidget(intro)
        self.table = QTableWidget(0, 7)
        self.table.setHorizontalHeaderLabels([
            self.tr("Reference"), self.tr("Taken"), self.tr("Meter"), self.tr("Amount"),
            self.tr("Cashier"), self.tr("Reason"), self.tr("Customer")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.retry_button = QPushButton(self.tr("Retry"))
        self.refund_button = QPushButton(self.tr("Record cash refund"))
        self.close_button = QPushButton(self.tr("Note and close"))
        for b in (self.retry_button, self.refund_button, self.close_button):
            row.addWidget(b)
        row.addStretch(1)
        layout.addLayout(row)
        self.retry_button.clicked.connect(guarded(self, lambda: self.act("retry")))
        self.refund_button.clicked.connect(guarded(self, lambda: self.act("cash_refund")))
        self.close_button.clicked.connect(guarded(self, lambda: self.act("close")))

    def load(self) -> None:
        """Reload the queue (a cashier is asked for a supervisor's PIN first)."""
        actor = self.ctx.actor()
        approval: Approval | None = None
        if not allowed(actor.role, Permission.VIEW_ATTENTION):
            approval = self.ctx.ask(self.tr("see the sales that need attention"), self)
        service = self.ctx.services.attention
        Op(self, lambda: service.items(actor, approval=approval)).success(self._show).run()

    def _show(self, items: list[AttentionItem]) -> None:
        self.items = items
        self.table.setRowCount(len(items))
        for r, item in enumerate(items):
            reason = f"{item.reason_code}: {item.reason}" if item.reason else item.reason_code
            values = [item.reference, item.created_at[:16].replace("T", " "), item.meter_number,
                      format_minor(item.amount.minor, item.amount.currency), item.operator_id,
                      reason, item.customer_name]
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.loaded.emit(items)

    def act(self, action: str) -> None:
        """Do `action` on the selected item (asks for approval/note when needed)."""
        row = self.table.currentRow()
        if row < 0 or row >= len(self.items):
            return
        item = self.items[row]
        actor = self.ctx.actor()
        approval: Approval | None = None
        if not allowed(actor.role, Permission.RESOLVE_ATTENTION):
            approval = self.ctx.ask(self.tr("resolve {ref}").format(ref=item.reference), self)
        note = ""
        if action in ("close", "cash_refund"):
            asked = self._note(self, self.tr("Why? (kept in the audit journal)"))
            if asked is None:
                return
            note = asked
        service = self.ctx.services.attention
        key = item.idem_key

        def run() -> None:
            if action == "retry":
                service.retry(actor, key, approval=approval, note=note)
            elif action == "cash_refund":
                service.cash_refund(actor, key, approval=approval, note=note)
            else:
                service.close(actor, key, note, approval=approval)

        def after(_: object) -> None:
            if allowed(actor.role, Permission.VIEW_ATTENTION):
                self.load()
            else:
                # Every action takes the item out of the queue; reloading would ask a
                # cashier for the supervisor's PIN once more.
                self._show([i for i in self.items if i.idem_key != key])

        Op(self, run).success(after).run()
