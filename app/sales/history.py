"""Listing queries over the stored sales: a business day, the open (outbox) sales, a meter's
sales, one sale by receipt number or slip reference.

Each query returns typed `SaleRecord`s (never token digits: those stay in `tokens` and are
read only for a receipt) and goes through an index, so the lists stay fast however many sales
the store holds:

- `open_sales` (the "pending" list, polled): the `outbox` table (exactly the open sales) by
  `seq`, then `sales` by primary key;
- `sales_between` / `day_window`: `sales_created` (`sales.created_at`);
- `sales_for_meter`: `sales_meter` (`sales.meter_number`);
- `sale_by_receipt`: the unique `receipts.receipt_no`;
- `sale_by_reference` ("VP-…" slip reference): a range of the `sales` primary key (the
  reference is the key's first 10 characters).

`tests/app/sales/test_sale_history.py` checks the plans. Functions take the connection (use
them inside `Store.call`); `SaleHistory` wraps them for callers that hold only the store.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any, TypeVar

from app.api.models import Money
from app.sales.outcomes import key_ranges
from app.sales.repository import OPEN_STATES
from app.sales.service import reference_for
from common.format import day_span, local_day, parse_zone
from offline_store import Connection, Store

T = TypeVar("T")

#: States of sales the customer paid for and that still stand (tokened or waiting).
SOLD_STATES = ("tokened", *OPEN_STATES)
#: Sales that did not happen (refused by the server, or never sent).
FAILED_STATES = ("rejected", "void")
#: The most rows one listing returns.
MAX_LIMIT = 1000

_METER_RE = re.compile(r"^(?:[0-9]{11}|[0-9]{13})$")


@dataclass(frozen=True)
class SaleRecord:
    """One stored sale, as lists and look-ups show it (no token digits).

    `reference` is what the counter calls the sale: the server's receipt number once tokened,
    else the slip reference (`client_reference`, "VP-…"). `is_open` is True while it still
    needs the server (`sending`, `pending`, `unresolved`, `needs_attention`). `units`,
    `unit` and `sold_at` come from the server's answer (None until tokened). `reversed`
    says a reversal of its receipt is recorded on this terminal.
    """

    idem_key: str
    reference: str
    client_reference: str
    receipt_no: str | None
    state: str
    offline: bool
    meter_number: str
    customer_name: str
    amount: Money
    operator_id: str
    shift_id: str | None
    created_at: str
    sold_at: str | None
    units: str | None
    unit: str | None
    tariff_id: str | None
    sold_tariff_version: int | None
    reason_code: str | None
    reason: str | None
    reversed: bool

    @property
    def is_open(self) -> bool:
        """True while the sale still needs the server (it is in the outbox)."""
        return self.state in OPEN_STATES


# s = sales; the reversal flag is a correlated look-up of this sale's receipt.
_COLS = (
    "s.idem_key, s.state, s.offline, s.meter_number, s.amount_minor, s.currency, "
    "s.operator_id, s.shift_id, s.customer, s.request, s.created_at, s.receipt_no, "
    "s.response, s.tariff_id, s.sold_tariff_version, s.reason_code, s.reason, "
    "s.receipt_no IS NOT NULL AND EXISTS "
    "(SELECT 1 FROM reversals r WHERE r.receipt_no = s.receipt_no)"
)


def _loads(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    value = json.loads(text)
    return value if isinstance(value, dict) else {}


def _record(row: tuple[Any, ...]) -> SaleRecord:
    (key, state, offline, meter, minor, currency, operator, shift, customer, request, created,
     receipt, response, tariff_id, sold_version, reason_code, reason, reversed_) = row
    answer = _loads(response)
    client_ref = str(_loads(request).get("client_reference") or reference_for(str(key)))
    units, unit, sold_at = answer.get("units"), answer.get("unit"), answer.get("sold_at")
    return SaleRecord(
        idem_key=str(key), reference=str(receipt) if receipt else client_ref,
        client_reference=client_ref, receipt_no=None if receipt is None else str(receipt),
        state=str(state), offline=bool(offline), meter_number=str(meter),
        customer_name=str(_loads(customer).get("name", "")),
        amount=Money(int(minor), str(currency)), operator_id=str(operator),
        shift_id=None if shift is None else str(shift), created_at=str(created),
        sold_at=None if sold_at is None else str(sold_at),
        units=None if units is None else str(units), unit=None if unit is None else str(unit),
        tariff_id=None if tariff_id is None else str(tariff_id),
        sold_tariff_version=None if sold_version is None else int(sold_version),
        reason_code=reason_code, reason=reason, reversed=bool(reversed_),
    )


def _limit(limit: int) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be 1..{MAX_LIMIT}")
    return limit


def _states(states: Sequence[str]) -> tuple[str, ...]:
    known = set(SOLD_STATES) | set(FAILED_STATES)
    out = tuple(states)
    if not out or any(s not in known for s in out):
        raise ValueError("unknown sale state")
    return out


# -- time windows --------------------------------------------------------------------------------
def _bound(moment: datetime) -> str:
    # Stored times are "…THH:MM:SS.ffffffZ"; a bound without fraction and Z sorts before
    # every time of that second, so [start, end) is exact.
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def day_window(day: date, zone: tzinfo | timedelta | str) -> tuple[str, str]:
    """[start, end) of a business day in the utility's zone (its IANA `utility.time_zone`
    or `+02:00` offset, `GET /v1/terminal`), as bounds for `sales_between`: local midnight
    to local midnight, 23 or 25 hours over a daylight-saving change."""
    start, end = day_span(day, None, parse_zone(zone))
    return _bound(start), _bound(end)


def business_day(now: datetime, zone: tzinfo | timedelta | str) -> date:
    """The local business day that `now` (aware) falls in."""
    if now.tzinfo is None:
        raise ValueError("now must carry a time zone")
    return local_day(now, parse_zone(zone))


# -- queries -------------------------------------------------------------------------------------
def sales_between(conn: Connection, start: str, end: str, *,
                  states: Sequence[str] = SOLD_STATES, limit: int = 500) -> list[SaleRecord]:
    """Sales written in [start, end) (see `day_window`), newest first. By default the ones
    that stand (tokened or waiting); pass `states=SOLD_STATES + FAILED_STATES` for all."""
    wanted = _states(states)
    marks = ", ".join("?" for _ in wanted)
    sql = (f"SELECT {_COLS} FROM sales s "  # noqa: S608 (constants)
           f"WHERE s.created_at >= ? AND s.created_at < ? AND s.state IN ({marks}) "
           "ORDER BY s.created_at DESC LIMIT ?")
    rows = conn.execute(sql, (start, end, *wanted, _limit(limit))).fetchall()
    return [_record(r) for r in rows]


def open_sales(conn: Connection, *, newest_first: bool = False,
               limit: int = 500) -> list[SaleRecord]:
    """Sales that still need the server (the outbox), in drain order or newest first."""
    order = "DESC" if newest_first else "ASC"
    sql = (f"SELECT {_COLS} FROM outbox o JOIN sales s ON s.idem_key = o.idem_key "  # noqa: S608
           f"ORDER BY o.seq {order} LIMIT ?")
    return [_record(r) for r in conn.execute(sql, (_limit(limit),)).fetchall()]


def sales_for_meter(conn: Connection, meter_number: str, *,
                    states: Sequence[str] = SOLD_STATES + FAILED_STATES,
                    limit: int = 50) -> list[SaleRecord]:
    """A meter's sales on this terminal, newest first (all states by default)."""
    wanted = _states(states)
    marks = ", ".join("?" for _ in wanted)
    sql = (f"SELECT {_COLS} FROM sales s "  # noqa: S608 (constants)
           f"WHERE s.meter_number = ? AND s.state IN ({marks}) "
           "ORDER BY s.created_at DESC LIMIT ?")
    rows = conn.execute(sql, (meter_number, *wanted, _limit(limit))).fetchall()
    return [_record(r) for r in rows]


def sale_by_receipt(conn: Connection, receipt_no: str) -> SaleRecord | None:
    """The sale the server numbered `receipt_no`, or None."""
    sql = (f"SELECT {_COLS} FROM receipts rc JOIN sales s ON s.idem_key = rc.idem_key "  # noqa: S608
           "WHERE rc.receipt_no = ?")
    row = conn.execute(sql, (receipt_no,)).fetchone()
    return None if row is None else _record(row)


def sale_by_reference(conn: Connection, reference: str) -> SaleRecord | None:
    """The sale of a slip reference ("VP-" + 10 characters, any case), else of a receipt
    number; None when neither is known."""
    text = reference.strip().upper()
    ranges = key_ranges(text)
    if not ranges:
        return sale_by_receipt(conn, reference.strip())
    sql = (f"SELECT {_COLS} FROM sales s WHERE s.idem_key >= ? AND s.idem_key < ?")  # noqa: S608
    for low, high in ranges:
        for row in conn.execute(sql, (low, high)).fetchall():
            record = _record(row)
            if record.client_reference.upper() == text or reference_for(record.idem_key) == text:
                return record
    return None


def find_sales(conn: Connection, text: str, *, limit: int = 50) -> list[SaleRecord]:
    """What the counter's "find a sale" box means: an 11/13-digit meter number (its sales),
    a slip reference "VP-…", or a receipt number."""
    typed = text.strip()
    digits = typed.replace(" ", "").replace("-", "")
    if _METER_RE.match(digits):  # scanners and people add spaces or dashes
        return sales_for_meter(conn, digits, limit=limit)
    found = sale_by_reference(conn, typed)
    return [] if found is None else [found]


class SaleHistory:
    """The listing queries for callers that hold the store (each is one `Store.call`)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def _call(self, fn: Callable[[Connection], T]) -> T:
        return self.store.call(fn)

    def today(self, now: datetime, zone: tzinfo | timedelta | str, *,
              states: Sequence[str] = SOLD_STATES, limit: int = 500) -> list[SaleRecord]:
        """The sales of the business day `now` falls in (the utility's `zone`), newest
        first."""
        start, end = day_window(business_day(now, zone), zone)
        return self._call(lambda c: sales_between(c, start, end, states=states, limit=limit))

    def between(self, start: str, end: str, *, states: Sequence[str] = SOLD_STATES,
                limit: int = 500) -> list[SaleRecord]:
        """Sales written in [start, end), newest first."""
        return self._call(lambda c: sales_between(c, start, end, states=states, limit=limit))

    def open(self, *, newest_first: bool = False, limit: int = 500) -> list[SaleRecord]:
        """Sales that still need the server (the outbox)."""
        return self._call(lambda c: open_sales(c, newest_first=newest_first, limit=limit))

    def for_meter(self, meter_number: str, *, limit: int = 50) -> list[SaleRecord]:
        """A meter's sales, newest first."""
        return self._call(lambda c: sales_for_meter(c, meter_number, limit=limit))

    def by_receipt(self, receipt_no: str) -> SaleRecord | None:
        """The sale with this receipt number."""
        return self._call(lambda c: sale_by_receipt(c, receipt_no))

    def by_reference(self, reference: str) -> SaleRecord | None:
        """The sale of a slip reference or receipt number."""
        return self._call(lambda c: sale_by_reference(c, reference))

    def find(self, text: str, *, limit: int = 50) -> list[SaleRecord]:
        """Meter number, slip reference or receipt number, as typed."""
        return self._call(lambda c: find_sales(c, text, limit=limit))
