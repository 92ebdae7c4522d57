"""The cash a customer handed over for a sale, kept with the sale for its token receipt.

The server's `amount_tendered` is the amount SOLD; what the customer gave the cashier is
known only here. `record_cash_tendered` is called in the sale's insert transaction (with its
idempotency key), so a token that arrives later (sync) still prints the tendered cash and the
change on its receipt. A sale without the record prints its amount only.
"""

from __future__ import annotations

import json

from app.sales.outcomes import key_ranges
from common.errors import InvalidInput
from common.i18n import _
from common.money import Money
from offline_store import Connection


def record_cash_tendered(conn: Connection, idem_key: str, cash: Money) -> None:
    """Keep `cash` as what was handed over for the sale `idem_key` (same transaction)."""
    if cash.minor < 0:
        raise InvalidInput(_("The cash tendered cannot be negative."))
    conn.execute(
        "INSERT INTO sale_cash_tendered (idem_key, minor, currency) VALUES (?, ?, ?) "
        "ON CONFLICT(idem_key) DO UPDATE SET minor = excluded.minor, "
        "currency = excluded.currency", (idem_key, cash.minor, cash.currency))


def cash_tendered_for(conn: Connection, client_reference: str) -> Money | None:
    """The cash handed over for the sale whose slip reference is `client_reference` (the
    reference the server echoes in its answer), or None when none was recorded.

    Found through the sale's key (`key_ranges`: an index range), so a receipt costs the same
    on a till's millionth sale as on its first."""
    wanted = client_reference.strip().upper()
    for low, high in key_ranges(wanted):
        for minor, currency, request in conn.execute(
                "SELECT c.minor, c.currency, s.request FROM sales s "
                "JOIN sale_cash_tendered c ON c.idem_key = s.idem_key "
                "WHERE s.idem_key >= ? AND s.idem_key < ?", (low, high)):
            if _reference_of(request) == wanted:
                return Money(int(minor), str(currency))
    return None


def _reference_of(request: str) -> str:
    try:
        found = json.loads(request).get("client_reference")
    except (ValueError, AttributeError):
        return ""
    return found.upper() if isinstance(found, str) else ""
