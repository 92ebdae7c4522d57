"""The needs-attention queue: sales the server rejected during sync, or could not settle.

An item is a sale that needs a person: state `needs_attention` (unreadable answer, bug), or
an offline sale the server `rejected` later (the customer paid, no token came). A supervisor
can retry it (same idempotency key), record a cash refund (counted against their open shift and
in the reports), or write a note and close it. Every action is journaled. Seeing the queue
(meter numbers, customers' names, amounts) needs VIEW_ATTENTION, checked here too.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from app.api.models import Money
from app.sales import transitions
from app.supervisor.approvals import Approval, ApprovalService
from app.supervisor.ledger import Dim, add_entry, iso_seconds
from app.supervisor.permissions import Actor, Permission
from app.supervisor.shifts import open_shift_of
from common.errors import BusinessRuleError, InvalidInput
from common.i18n import _
from offline_store import Connection, Store
from offline_store.journal import append, utc_now

ACTIONS = ("retry", "cash_refund", "close")
_CLOSED = "(SELECT idem_key FROM attention_actions WHERE action IN ('cash_refund', 'close'))"


@dataclass(frozen=True)
class AttentionItem:
    """One sale needing attention, with the reason and what can be done."""

    idem_key: str
    reference: str
    state: str
    created_at: str
    meter_number: str
    amount: Money
    operator_id: str
    customer_name: str
    reason_code: str
    reason: str
    actions: tuple[str, ...]


def attention_items(conn: Connection) -> list[AttentionItem]:
    """Open items, oldest first."""
    out = []
    for row in conn.execute(
            "SELECT idem_key, state, created_at, meter_number, amount_minor, currency, "  # noqa: S608
            "operator_id, customer, COALESCE(reason_code, ''), COALESCE(reason, ''), request "
            "FROM sales WHERE (state = 'needs_attention' OR (state = 'rejected' AND offline = 1))"
            f" AND idem_key NOT IN {_CLOSED} ORDER BY created_at"):
        customer = json.loads(row[7] or "{}")
        request = json.loads(row[10] or "{}")
        out.append(AttentionItem(
            str(row[0]), str(request.get("client_reference") or row[0]), str(row[1]),
            str(row[2]), str(row[3]), Money(int(row[4]), str(row[5])), str(row[6]),
            str(customer.get("name", "")), str(row[8]), str(row[9]), ACTIONS))
    return out


class AttentionService:
    """List and resolve needs-attention items (supervisor, or cashier with approval)."""

    def __init__(self, store: Store, approvals: ApprovalService, *,
                 wake_sync: Callable[[], None] | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.store = store
        self.approvals = approvals
        self._wake_sync = wake_sync or (lambda: None)
        self._clock = clock

    def items(self, actor: Actor, *, approval: Approval | None = None) -> list[AttentionItem]:
        """The queue, oldest first (a supervisor, or a cashier with a supervisor's PIN)."""
        self.approvals.authorise(actor, Permission.VIEW_ATTENTION, approval,
                                 subject="attention", details={"action": "view"})
        return self.store.call(attention_items)

    def retry(self, actor: Actor, idem_key: str, *, approval: Approval | None = None,
              note: str = "") -> None:
        """Send the sale again with the SAME key (the sync engine picks it up)."""
        self.approvals.authorise(actor, Permission.RESOLVE_ATTENTION, approval,
                                 subject=idem_key, details={"action": "retry"})

        def write(conn: Connection) -> None:
            item = self._open_item(conn, idem_key)
            # After an unreadable answer the server may have sold it: ask first (unresolved).
            state = "unresolved" if item.state == "needs_attention" else "pending"
            if not transitions.transition(conn, idem_key, state, expect=(item.state,),
                                          reason_code="RETRY_BY_SUPERVISOR",
                                          reason=note[:200] or "retry"):
                raise InvalidInput(_("This item changed meanwhile; look at it again."))
            # Asked about at once, whatever backoff it was waiting on.
            conn.execute("UPDATE outbox SET next_attempt_at = NULL WHERE idem_key = ?",
                         (idem_key,))
            self._action(conn, actor, idem_key, "retry", note, 0)

        self.store.call(write)
        self._wake_sync()

    def cash_refund(self, actor: Actor, idem_key: str, *, approval: Approval | None = None,
                    note: str = "") -> Money:
        """Record that the customer's money was paid back in cash; closes the item."""
        self.approvals.authorise(actor, Permission.RESOLVE_ATTENTION, approval,
                                 subject=idem_key, details={"action": "cash_refund"})

        def write(conn: Connection) -> Money:
            item = self._open_item(conn, idem_key)
            shift = open_shift_of(conn, actor.id)
            add_entry(conn, Dim("cash_refund", actor.id, "cash", currency=item.amount.currency),
                      at=iso_seconds(self._clock()), ref=item.reference,
                      shift_id=None if shift is None else shift.shift_id,
                      amount_minor=item.amount.minor)
            if item.state == "needs_attention":
                transitions.transition(conn, idem_key, "needs_attention",
                                       expect=("needs_attention",), reason_code="CASH_REFUNDED",
                                       reason=note[:200] or "cash refund")
            self._action(conn, actor, idem_key, "cash_refund", note, item.amount.minor)
            return item.amount

        return self.store.call(write)

    def close(self, actor: Actor, idem_key: str, note: str, *,
              approval: Approval | None = None) -> None:
        """Write a note and close the item (a note is required)."""
        if not note.strip():
            raise InvalidInput(_("Write a note saying why this item is closed."))
        self.approvals.authorise(actor, Permission.RESOLVE_ATTENTION, approval,
                                 subject=idem_key, details={"action": "close"})

        def write(conn: Connection) -> None:
            item = self._open_item(conn, idem_key)
            if item.state == "needs_attention":
                transitions.transition(conn, idem_key, "needs_attention",
                                       expect=("needs_attention",),
                                       reason_code="CLOSED_BY_SUPERVISOR", reason=note[:200])
            self._action(conn, actor, idem_key, "close", note, 0)

        self.store.call(write)

    @staticmethod
    def _open_item(conn: Connection, idem_key: str) -> AttentionItem:
        for item in attention_items(conn):
            if item.idem_key == idem_key:
                return item
        raise BusinessRuleError(_("This sale is not waiting for attention (any more)."),
                                code="NOT_IN_QUEUE", hint=_("Refresh the list."))

    def _action(self, conn: Connection, actor: Actor, idem_key: str, action: str, note: str,
                amount_minor: int) -> None:
        conn.execute("INSERT INTO attention_actions (idem_key, at, action, operator_id, note, "
                     "amount_minor) VALUES (?, ?, ?, ?, ?, ?)",
                     (idem_key, utc_now(), action, actor.id, note[:200], amount_minor))
        append(conn, f"attention.{action}", {"operator_id": actor.id, "note": note[:200],
                                             "amount_minor": amount_minor}, ref=idem_key)
