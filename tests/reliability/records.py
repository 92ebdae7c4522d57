"""What was really sold, by the server's record and by the client's store, and where they differ.

A check that counts receipts cannot see a client that stored the wrong tokens; these compare
the contents: receipt number, amount, units and the token digits in entry order, as the
server recorded them (`sales`, `sale_tokens`) and as the client stored them (the `tokens` and
`receipts` tables, the stored answer) and printed them (the token receipt's print job).
Problems name the sale and the field, never the digits (a token is cash).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from printers import model as pm
from printers.serialize import from_json

OPEN_STATES = frozenset({"sending", "pending", "unresolved", "needs_attention"})


@dataclass(frozen=True)
class Issued:
    """One sale's contents: what the customer's receipt must say."""

    receipt_no: str
    amount_minor: int
    units_tenths: int
    tokens: tuple[str, ...]  # 20-digit tokens in entry order

    def differences(self, other: Issued) -> list[str]:
        """The names of the fields that differ (never their values)."""
        return [name for name in ("receipt_no", "amount_minor", "units_tenths", "tokens")
                if getattr(self, name) != getattr(other, name)]


@dataclass
class ClientSale:
    """One sale in the client's store."""

    key: str
    state: str
    in_outbox: bool
    stored: Issued | None = None
    reason_code: str = ""
    shown_receipts: list[Issued] = field(default_factory=list)  # original token receipts


def _tenths(units: str) -> int:
    return int(Decimal(units) * 10)


def server_records(db_path: Path, terminal_id: str | None = None) -> dict[str, Issued]:
    """idempotency key -> the server's record of every sale (of one terminal)."""
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        where, args = ("WHERE terminal_id = ?", (terminal_id,)) if terminal_id else ("", ())
        rows = con.execute(
            f"SELECT idem_key, receipt_no, amount_cents, units, fbe_units FROM sales {where}",  # noqa: S608
            args).fetchall()
        tokens: dict[str, list[str]] = {}
        for receipt_no, token in con.execute(
                "SELECT receipt_no, token FROM sale_tokens ORDER BY receipt_no, seq"):
            tokens.setdefault(str(receipt_no), []).append(str(token))
    finally:
        con.close()
    keys = [r[0] for r in rows]
    assert len(keys) == len(set(keys)), "a key was sold twice on the server"
    return {str(k): Issued(str(r), int(a), int(u), tuple(tokens.get(str(r), ())))
            for k, r, a, u, _fbe in rows}


def client_records(conn: Any) -> dict[str, ClientSale]:
    """idempotency key -> the client's sale, from an open store connection (`Store.call`)."""
    sales: dict[str, ClientSale] = {}
    refs: dict[str, str] = {}
    for key, state, request, in_outbox, code in conn.execute(
            "SELECT s.idem_key, s.state, s.request, "
            "EXISTS (SELECT 1 FROM outbox o WHERE o.idem_key = s.idem_key), s.reason_code "
            "FROM sales s"):
        sales[key] = ClientSale(str(key), str(state), bool(in_outbox),
                                reason_code=str(code or ""))
        refs[str(json.loads(request).get("client_reference") or "")] = str(key)
    digits: dict[str, list[str]] = {}
    for key, token in conn.execute("SELECT idem_key, digits FROM tokens "
                                   "ORDER BY idem_key, position"):
        digits.setdefault(str(key), []).append(str(token))
    for key, receipt_no, body in conn.execute(
            "SELECT r.idem_key, r.receipt_no, s.response FROM receipts r "
            "JOIN sales s ON s.idem_key = r.idem_key"):
        answer = json.loads(body)
        sales[key].stored = Issued(
            str(receipt_no), _minor(answer["amount_tendered"]["amount"]),
            _tenths(str(answer["units"])), tuple(digits.get(str(key), ())))
    for sale_ref, payload in conn.execute(
            "SELECT sale_ref, payload FROM print_jobs WHERE kind = 'token' "
            "AND reprint_no = 0"):
        receipt = from_json(payload)
        assert isinstance(receipt, pm.TokenReceipt)
        data = receipt.sale
        key = refs.get(str(sale_ref))
        if key is not None:
            sales[key].shown_receipts.append(Issued(
                data.receipt_no, data.amount_tendered.minor, data.units_tenths,
                tuple(t.digits for t in data.ordered_tokens())))
    return sales


def _minor(amount: str) -> int:
    return int(Decimal(amount) * 100)


def content_problems(client: dict[str, ClientSale], server: dict[str, Issued]) -> list[str]:
    """Every tokened client sale must hold, and have printed once, exactly the server's record
    of it; a sale that is not tokened holds no tokens."""
    problems: list[str] = []
    for key, sale in client.items():
        record = server.get(key)
        if sale.state != "tokened":
            if sale.stored is not None or sale.shown_receipts:
                problems.append(f"{key}: {sale.state} but holds a receipt")
            continue
        if record is None:
            problems.append(f"{key}: tokened but the server has no such sale")
            continue
        if sale.stored is None:
            problems.append(f"{key}: tokened without a stored receipt")
        elif diff := sale.stored.differences(record):
            problems.append(f"{key}: stored {', '.join(diff)} differ from the server's")
        if len(sale.shown_receipts) != 1:
            problems.append(f"{key}: {len(sale.shown_receipts)} token receipts")
        for shown in sale.shown_receipts:
            if diff := shown.differences(record):
                problems.append(f"{key}: token receipt {', '.join(diff)} differ from the "
                                "server's")
    return problems


def shown_problems(key: str, shown: Issued, server: dict[str, Issued]) -> list[str]:
    """What the cashier was shown for a sale (the till's result) against the server."""
    record = server.get(key)
    if record is None:
        return [f"{key}: tokens shown but the server has no such sale"]
    diff = shown.differences(record)
    return [f"{key}: shown {', '.join(diff)} differ from the server's"] if diff else []
