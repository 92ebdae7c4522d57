"""The till's guard against one payment becoming two sales.

After a sale attempt whose outcome is not known (`SaleNotCompleted`), the cashier may only
retry THAT sale or leave it to the sync worker. A new sale for the same meter is refused with
`UnfinishedSale` while an earlier sale for it is still being resolved automatically — it is
`sending` or `unresolved`, or set aside with a retry scheduled — and allowed again as soon as
the core knows what happened (tokened, pending with its slip, rejected, void/"not made") or a
supervisor closed the item. The guard reads the store, so it holds across a restart; the till
runs it inside the transaction that inserts the new sale (`refuse_unfinished`), so no other
sale for the meter can slip in between the check and the insert.
"""

from __future__ import annotations

from app.sales.outcomes import reference_for
from common.errors import BusinessRuleError
from common.i18n import N_, _
from offline_store import Connection


class UnfinishedSale(BusinessRuleError):
    """An earlier sale for this meter has no known outcome yet: nothing new was sold."""

    title = N_("The last sale is not complete yet")

    def __init__(self, reference: str, idempotency_key: str) -> None:
        super().__init__(
            _("The last sale for this meter ({reference}) is not complete yet. Selling again "
            "could sell twice: nothing new was sold.")
                .format(reference=reference), code="UNFINISHED_SALE",
            hint=_("Retry that sale (F9 lists it), or wait until VendPoint has checked it with "
                 "the server."))
        self.reference = reference
        self.idempotency_key = idempotency_key


def _unfinished_for(conn: Connection, meter_number: str) -> str | None:
    row = conn.execute(
        # From the outbox (the open sales), not the meter's whole history: CROSS JOIN keeps
        # this order in SQLite.
        "SELECT s.idem_key FROM outbox o CROSS JOIN sales s ON s.idem_key = o.idem_key "
        "WHERE s.meter_number = ? AND (s.state IN ('sending', 'unresolved') "
        "OR (s.state = 'needs_attention' AND o.next_attempt_at IS NOT NULL)) "
        "ORDER BY s.created_at DESC LIMIT 1", (meter_number,)).fetchone()
    return None if row is None else str(row[0])


def refuse_unfinished(conn: Connection, meter_number: str) -> None:
    """Raise `UnfinishedSale` if a sale for `meter_number` is still being resolved (in the
    caller's transaction: raised there, it rolls the new sale's insert back)."""
    key = _unfinished_for(conn, meter_number)
    if key is not None:
        raise UnfinishedSale(reference_for(key), key)
