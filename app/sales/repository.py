"""Database functions for sales, the outbox, the meter cache and settings.

Each function takes the connection and runs inside the caller's `Store.call` transaction, so a
state change, its outbox row and its journal entry are always written together or not at all.
Token digits go to the `tokens` table (encrypted with the whole file) and never to the journal.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from app.api.errors import MalformedResponse
from app.api.models import MeterInfo, Money, OfflinePolicy, Sale, parse_meter, parse_offline_policy
from app.sales.transitions import OPEN_STATES as OPEN_STATES  # re-exported
from offline_store import Connection
from offline_store.journal import append, utc_now


@dataclass(frozen=True)
class SaleRow:
    """A sale as stored locally."""

    idem_key: str
    state: str
    offline: bool
    meter_number: str
    amount: Money
    operator_id: str
    customer: dict[str, Any]
    request: dict[str, Any]
    created_at: str
    receipt_no: str | None
    reason_code: str | None
    reason: str | None
    #: The tariff of the sale (migration 0012); None when nothing said which.
    tariff_id: str | None = None
    #: The version of the quote shown (offline without a quote: the one in force locally).
    quoted_tariff_version: int | None = None
    #: The version the sale was priced on; see `sold_tariff_source`.
    sold_tariff_version: int | None = None
    #: "server" (from the server's sale answer) or "local" (in force on this terminal when an
    #: offline sale was written: provisional until the server's answer replaces it).
    sold_tariff_source: str | None = None
    #: Bumped by every state change (the guard's compare-and-set, migration 0014).
    version: int = 0


@dataclass(frozen=True)
class TariffFacts:
    """What a new sale row records about its tariff (all optional)."""

    tariff_id: str | None = None
    quoted_version: int | None = None
    sold_version: int | None = None
    sold_source: str | None = None


@dataclass(frozen=True)
class OutboxItem:
    """A sale waiting for the server, in drain order."""

    seq: int
    sale: SaleRow
    attempts: int
    maybe_sent: bool
    next_attempt_at: str | None
    #: Who resolves it right now (`app.sales.transitions` lease), and until when.
    held_by: str | None = None
    held_until: str | None = None
    last_error: str | None = None


@dataclass(frozen=True)
class OutboxStats:
    """What the status bar shows: how many sales wait, their value, the oldest."""

    count: int
    value: Money | None
    pending_count: int
    pending_value_minor: int
    needs_attention: int
    oldest_pending_at: str | None


_SALE_COLS = (
    "idem_key, state, offline, meter_number, amount_minor, currency, operator_id, customer, "
    "request, created_at, receipt_no, reason_code, reason, tariff_id, quoted_tariff_version, "
    "sold_tariff_version, sold_tariff_source, version"
)


def _sale(row: tuple[Any, ...]) -> SaleRow:
    return SaleRow(
        row[0], row[1], bool(row[2]), row[3], Money(int(row[4]), row[5]), row[6],
        json.loads(row[7]), json.loads(row[8]), row[9], row[10], row[11], row[12],
        row[13], row[14], row[15], row[16], int(row[17]),
    )


def insert_sale(
    conn: Connection, *, key: str, state: str, offline: bool, meter_number: str, amount: Money,
    operator_id: str, customer: dict[str, Any], request: dict[str, Any],
    quote: dict[str, Any] | None, maybe_sent: bool, created_at: str | None = None,
    tariff: TariffFacts = TariffFacts(), lease: tuple[str, str] | None = None,
) -> SaleRow:
    """Write a new sale and its outbox row and journal entry (one transaction, by the caller).

    `lease` (holder, until): the actor that sends it holds it from the first commit, so the
    sync worker never resolves a sale whose attempt is still running.
    """
    now = created_at or utc_now()
    conn.execute(
        "INSERT INTO sales (idem_key, created_at, updated_at, state, offline, meter_number, "
        "amount_minor, currency, operator_id, customer, request, quote, tariff_id, "
        "quoted_tariff_version, sold_tariff_version, sold_tariff_source) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (key, now, now, state, int(offline), meter_number, amount.minor, amount.currency,
         operator_id, json.dumps(customer), json.dumps(request),
         None if quote is None else json.dumps(quote), tariff.tariff_id,
         tariff.quoted_version, tariff.sold_version, tariff.sold_source),
    )
    conn.execute(
        "INSERT INTO outbox (idem_key, queued_at, maybe_sent, held_by, held_until) "
        "VALUES (?, ?, ?, ?, ?)",
        (key, now, int(maybe_sent), None if lease is None else lease[0],
         None if lease is None else lease[1]),
    )
    body: dict[str, Any] = {
        "state": state, "meter_number": meter_number, "amount": amount.amount_str(),
        "currency": amount.currency, "operator_id": operator_id, "offline": offline,
    }
    if tariff.tariff_id is not None:
        body["tariff"] = {"id": tariff.tariff_id, "quoted_version": tariff.quoted_version,
                          "sold_version": tariff.sold_version, "source": tariff.sold_source}
    append(conn, "sale.created", body, ref=key)
    return SaleRow(key, state, offline, meter_number, amount, operator_id, dict(customer),
                   dict(request), now, None, None, None, tariff.tariff_id,
                   tariff.quoted_version, tariff.sold_version, tariff.sold_source)


def set_local_tariff(conn: Connection, key: str, tariff_id: str | None,
                     version: int | None) -> None:
    """An online attempt became a pending (offline) sale: record the version in force locally
    as the provisional sold version (and as the quoted one when no quote was shown)."""
    conn.execute(
        "UPDATE sales SET tariff_id = COALESCE(tariff_id, ?), "
        "quoted_tariff_version = COALESCE(quoted_tariff_version, ?), "
        "sold_tariff_version = ?, sold_tariff_source = CASE WHEN ? IS NULL THEN NULL "
        "ELSE 'local' END WHERE idem_key = ? AND state <> 'tokened'",
        (tariff_id, version, version, version, key),
    )


def get_sale(conn: Connection, key: str) -> SaleRow | None:
    """One sale by idempotency key."""
    # _SALE_COLS is a constant column list, not input.
    sql = f"SELECT {_SALE_COLS} FROM sales WHERE idem_key = ?"  # noqa: S608
    row = conn.execute(sql, (key,)).fetchone()
    return None if row is None else _sale(row)


def mark_tokened(conn: Connection, key: str, sale: Sale) -> bool:
    """Store the server's sale (receipt, tokens in entry order); False if already tokened."""
    # Compare-and-set: from an open state (or void: the answer proves the server sold it),
    # never twice, never over a rejection.
    # The server's version replaces a provisional local one (offline sales are priced by the
    # server when they sync); the tariff id follows the server's answer too.
    answer = json.dumps(sale.raw)  # kept once, here (the receipt row has its number only)
    cur = conn.execute(
        "UPDATE sales SET state = 'tokened', version = version + 1, updated_at = ?, "
        "receipt_no = ?, response = ?, reason_code = NULL, reason = NULL, tariff_id = ?, "
        "sold_tariff_version = ?, sold_tariff_source = 'server' WHERE idem_key = ? "
        "AND state IN ('sending', 'pending', 'unresolved', 'needs_attention', 'void')",
        (utc_now(), sale.receipt_no, answer, sale.tariff_id or None,
         sale.tariff_version or None, key),
    )
    if cur.rowcount != 1:
        # Not changed: already closed, or (a bug in the caller) no such sale at all.
        if conn.execute("SELECT 1 FROM sales WHERE idem_key = ?", (key,)).fetchone() is None:
            raise KeyError("unknown sale")
        return False
    conn.execute(
        "INSERT INTO receipts (idem_key, receipt_no, issued_at) VALUES (?, ?, ?)",
        (key, sale.receipt_no, sale.sold_at),
    )
    conn.executemany(
        "INSERT INTO tokens (idem_key, position, kind, digits, description) VALUES (?,?,?,?,?)",
        [(key, i, t.kind, t.digits, t.description) for i, t in enumerate(sale.tokens, 1)],
    )
    conn.execute("DELETE FROM outbox WHERE idem_key = ?", (key,))
    append(conn, "sale.tokened", {
        "receipt_no": sale.receipt_no, "tokens": len(sale.tokens), "units": sale.units,
        "amount": sale.amount_tendered.amount_str(),
        "tariff": {"id": sale.tariff_id, "version": sale.tariff_version},
    }, ref=key)
    return True


def sale_quote(conn: Connection, key: str) -> dict[str, Any] | None:
    """The quote JSON a sale was confirmed with, if any."""
    row = conn.execute("SELECT quote FROM sales WHERE idem_key = ?", (key,)).fetchone()
    return None if row is None or row[0] is None else dict(json.loads(row[0]))


def note_attempt(conn: Connection, keys: list[str]) -> None:
    """Record, BEFORE sending, that these items may reach the server (write-ahead)."""
    conn.executemany(
        "UPDATE outbox SET attempts = attempts + 1, maybe_sent = 1 WHERE idem_key = ?",
        [(k,) for k in keys],
    )


def note_failure(conn: Connection, key: str, error: str, next_attempt_at: str) -> None:
    """Record a failed attempt and when to try again."""
    conn.execute(
        "UPDATE outbox SET last_error = ?, next_attempt_at = ? WHERE idem_key = ?",
        (error[:300], next_attempt_at, key),
    )


def outbox_items(conn: Connection, *, limit: int = 1000) -> list[OutboxItem]:
    """Open items in drain order (outbox sequence)."""
    cols = ", ".join("s." + c.strip() for c in _SALE_COLS.split(","))
    sql = (
        "SELECT o.seq, o.attempts, o.maybe_sent, o.next_attempt_at, o.held_by, "  # noqa: S608
        f"o.held_until, o.last_error, {cols} "
        "FROM outbox o JOIN sales s ON s.idem_key = o.idem_key ORDER BY o.seq LIMIT ?"
    )
    rows = conn.execute(sql, (limit,)).fetchall()
    return [OutboxItem(r[0], _sale(r[7:]), int(r[1]), bool(r[2]), r[3], r[4], r[5], r[6])
            for r in rows]


def outbox_stats(conn: Connection) -> OutboxStats:
    """Counts and values of everything still waiting for the server (one pass)."""
    row = conn.execute(
        "SELECT count(*), COALESCE(sum(s.amount_minor), 0), max(s.currency), "
        "COALESCE(sum(s.state = 'pending'), 0), "
        "COALESCE(sum(CASE WHEN s.state = 'pending' THEN s.amount_minor END), 0), "
        "min(CASE WHEN s.state = 'pending' THEN s.created_at END), "
        "COALESCE(sum(s.state = 'needs_attention'), 0) "
        # CROSS JOIN: SQLite keeps this order, so the (small) outbox drives the lookups
        # instead of a scan of every sale the till ever made.
        "FROM outbox o CROSS JOIN sales s ON s.idem_key = o.idem_key"
    ).fetchone()
    count, total, currency, p_count, p_total, oldest, attention = row
    return OutboxStats(
        int(count), Money(int(total), currency) if currency else None, int(p_count),
        int(p_total), int(attention), oldest,
    )


def store_malformed(conn: Connection, exc: MalformedResponse) -> None:
    """Keep an unreadable answer for investigation."""
    conn.execute(
        "INSERT INTO malformed_responses (at, idem_key, method, path, status, content_type, "
        "body, problem) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (utc_now(), exc.idempotency_key, exc.method, exc.path, exc.status, exc.content_type,
         exc.body[:1_000_000], exc.problem),
    )
    append(conn, "api.malformed_response",
           {"path": exc.path, "status": exc.status, "problem": exc.problem},
           ref=exc.idempotency_key or "")


def cache_meter(conn: Connection, meter: MeterInfo) -> None:
    """Remember the confirmed meter/customer for offline sales."""
    conn.execute(
        "INSERT INTO meters (meter_number, body, fetched_at) VALUES (?, ?, ?) "
        "ON CONFLICT(meter_number) DO UPDATE SET body = excluded.body, "
        "fetched_at = excluded.fetched_at",
        (meter.meter_number, json.dumps(meter.raw), utc_now()),
    )


def cached_meter(conn: Connection, meter_number: str) -> tuple[MeterInfo, str] | None:
    """The cached meter and when it was fetched, or None."""
    row = conn.execute(
        "SELECT body, fetched_at FROM meters WHERE meter_number = ?", (meter_number,)
    ).fetchone()
    if row is None:
        return None
    return _meter_from_text(str(row[0])), str(row[1])


@lru_cache(maxsize=256)
def _meter_from_text(text: str) -> MeterInfo:
    # Parsed once per distinct cached body: offline sales check it on every commit.
    return parse_meter(json.loads(text))


def put_setting(conn: Connection, key: str, value: Any) -> None:
    """Upsert a JSON setting."""
    conn.execute(
        "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        (key, json.dumps(value), utc_now()),
    )


def get_setting(conn: Connection, key: str) -> Any:
    """A JSON setting, or None."""
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return None if row is None else json.loads(row[0])


def save_policy(conn: Connection, policy: OfflinePolicy) -> None:
    """Cache the server's offline policy.

    A policy without sale limits (a pushed `terminal.policy`) keeps the limits of the cached
    one (they come from `GET /v1/terminal`), so the offline minimum is never forgotten.
    """
    if policy.sale_minimum is None or policy.sale_maximum is None:
        cached = load_policy(conn)
        if cached is not None:
            policy = replace(policy, sale_minimum=policy.sale_minimum or cached.sale_minimum,
                             sale_maximum=policy.sale_maximum or cached.sale_maximum)
    put_setting(conn, "offline_policy", policy.to_json())


def load_policy(conn: Connection) -> OfflinePolicy | None:
    """The cached offline policy, or None if the server never sent one."""
    row = conn.execute("SELECT value FROM settings WHERE key = 'offline_policy'").fetchone()
    return None if row is None else _policy_from_text(str(row[0]))


@lru_cache(maxsize=16)
def _policy_from_text(text: str) -> OfflinePolicy:
    return parse_offline_policy(json.loads(text))


def sale_tokens(conn: Connection, key: str) -> list[tuple[int, str, str, str]]:
    """(position, kind, digits, description) of a tokened sale, in entry order."""
    return [
        (int(r[0]), r[1], r[2], r[3])
        for r in conn.execute(
            "SELECT position, kind, digits, description FROM tokens WHERE idem_key = ? "
            "ORDER BY position", (key,)
        )
    ]


def sale_response(conn: Connection, key: str) -> dict[str, Any] | None:
    """The stored server answer of a tokened sale (for receipts and reprints)."""
    row = conn.execute("SELECT response FROM sales WHERE idem_key = ?", (key,)).fetchone()
    return None if row is None or row[0] is None else dict(json.loads(row[0]))


def record_tender(conn: Connection, idem_key: str, tender: str) -> None:
    """Say how a sale was paid (call in the sale's insert transaction); default is cash."""
    conn.execute(
        "INSERT INTO sale_tenders (idem_key, tender) VALUES (?, ?) "
        "ON CONFLICT(idem_key) DO UPDATE SET tender = excluded.tender", (idem_key, tender))
