"""Core answers (`app.api.models`, stored sales) as the till's result types."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from app.api import models as api
from app.sales.history import SaleRecord as StoredSale
from app.sales.money import from_decimal
from app.till.results import (
    Customer,
    Quote,
    QuoteHandle,
    QuoteLine,
    SaleRecord,
    SaleState,
    Token,
)
from common.format import format_percent, format_units
from common.i18n import _, translator
from common.lines import block_of, describe_line, tenths

#: The client's own words for the meter warnings whose server sentence holds no details (the
#: server's `message` is English; a code not listed here shows the server's text).
_WARNINGS: dict[str, Callable[[], str]] = {
    "KEY_CHANGE_DUE": lambda: _("Key change tokens will be issued with the next sale; enter "
                                "them before the credit token."),
    "FBE_DUE": lambda: _("Free basic units are due this month."),
}


def when(text: str) -> datetime:
    """An API/store timestamp ("...Z") as an aware datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def customer_from(meter: api.MeterInfo, *, from_cache: bool = False) -> Customer:
    """The customer panel's data; BLOCKED_METER is shown by `blocked`, not as a warning."""
    utility = meter.raw.get("utility") or {}
    warnings = [_WARNINGS[code]() if code in _WARNINGS else msg
                for code, msg in meter.warnings if code != "BLOCKED_METER" and msg]
    if from_cache:
        warnings.insert(0, _("Offline: customer details from this terminal's cache."))
    return Customer(
        meter_number=meter.meter_number, name=meter.customer_name,
        address=meter.customer_address, account=meter.account,
        utility=str(utility.get("name", "")), tariff=meter.tariff_name, arrears=meter.arrears,
        unit=meter.unit, days_since_last_purchase=meter.days_since_last_purchase,
        blocked=meter.blocked, blocked_reason=meter.blocked_reason or "",
        key_change_due=meter.key_change_due, warnings=tuple(warnings), from_cache=from_cache)


def _vat(raw: dict[str, Any], currency: str) -> api.Money:
    amount = ((raw.get("vat") or {}).get("amount") or {})
    return from_decimal(str(amount.get("amount", "0")), str(amount.get("currency") or currency))


def quote_from(quote: api.Quote, handle: QuoteHandle) -> Quote:
    """The quote panel's data: every breakdown line, the VAT and the tokens to come."""
    raw_lines = quote.raw.get("lines", [])

    def raw(i: int) -> dict[str, Any]:
        line = raw_lines[i] if i < len(raw_lines) else {}
        return line if isinstance(line, dict) else {}

    def includes_vat(value: Any) -> bool | None:
        return value if isinstance(value, bool) else None

    vat_rate = str((quote.raw.get("vat") or {}).get("rate") or "")

    def words(i: int, line: api.Line) -> str:
        # The client's words where it knows the line (kind, block); the server's otherwise.
        if line.kind == "vat" and vat_rate:
            return _("VAT {rate}").format(rate=format_percent(vat_rate))
        return describe_line(translator(), line.kind, line.description, quote.unit,
                             block=block_of(raw(i)))

    lines = tuple(
        QuoteLine(kind=line.kind, description=words(i, line), amount=line.amount,
                  units=line.units, rate=raw(i).get("rate"),
                  vat=None if line.kind == "vat" else line.vat,
                  rate_includes_vat=includes_vat(raw(i).get("rate_includes_vat")),
                  unit=quote.unit)
        for i, line in enumerate(quote.lines)
    )
    tariff = quote.raw.get("tariff") or {}
    return Quote(
        handle=handle, meter_number=quote.meter_number, amount=quote.amount_tendered,
        units=quote.units, unit=quote.unit,
        tariff=_("{tariff} (version {version})").format(
            tariff=tariff.get("name", quote.tariff_id), version=quote.tariff_version),
        lines=lines, vat=_vat(quote.raw, quote.amount_tendered.currency),
        tokens_preview=token_descriptions(
            # A preview's credit token buys the quote's units (the API does not repeat them).
            [{**p, "units": p.get("units") or (quote.units if p.get("kind") == "credit"
                                               else None)}
             for p in quote.raw.get("tokens_preview") or [] if isinstance(p, dict)],
            quote.unit, (quote.raw.get("key_change") or {}).get("token_count")),
        key_change=quote.raw.get("key_change") is not None,
        tariff_id=quote.tariff_id, tariff_version=quote.tariff_version,
        requested_units=quote.requested_units)


def token_descriptions(tokens: Sequence[dict[str, Any]], unit: str,
                       key_changes: object = None) -> tuple[str, ...]:
    """What each token is (`kind`, `units`, `description` as the API has them), in the
    client's words: key change tokens numbered in entry order (the first to be entered
    first), credit and free basic units with their units; another kind keeps the server's
    description. `key_changes` is how many key change tokens there are, when the list holds
    only some of them (a quote's preview)."""
    def shown(units: object) -> str:
        # "60,0" in French: the units as the screen writes every number.
        try:
            return format_units(tenths(units), "").strip()
        except ValueError:
            return str(units)

    count = sum(1 for t in tokens if t.get("kind") == "key_change")
    if isinstance(key_changes, int) and key_changes > count:
        count = key_changes
    out: list[str] = []
    number = 0
    for t in tokens:
        kind, units = t.get("kind"), t.get("units")
        if kind == "key_change":
            number += 1
            if number == 1:
                out.append(_("Key change token {n} of {count}: enter it first").format(
                    n=number, count=count))
            else:
                out.append(_("Key change token {n} of {count}").format(n=number, count=count))
        elif kind == "credit" and units:
            out.append(_("Credit {units} {unit}").format(units=shown(units), unit=unit))
        elif kind == "fbe" and units:
            out.append(_("Free basic {units} {unit}").format(units=shown(units), unit=unit))
        else:
            out.append(str(t.get("description", "")))
    return tuple(out)


def tokens_from(sale: api.Sale) -> tuple[Token, ...]:
    """The sale's tokens in entry order, each described in the client's words."""
    described = token_descriptions(
        [{"kind": t.kind, "units": t.units, "description": t.description} for t in sale.tokens],
        sale.unit)
    return tuple(Token(t.seq, t.kind, text, t.digits, t.units)
                 for t, text in zip(sale.tokens, described, strict=True))


def customer_name(sale: api.Sale) -> str:
    """The customer's name on the server's sale answer."""
    return str((sale.raw.get("customer") or {}).get("name", ""))


def record_from(stored: StoredSale, reprints: int = 0) -> SaleRecord:
    """A stored sale as the lists show it, in its real state."""
    return SaleRecord(
        reference=stored.reference, client_reference=stored.client_reference,
        meter_number=stored.meter_number, customer_name=stored.customer_name,
        amount=stored.amount, created_at=when(stored.created_at),
        state=SaleState(stored.state), operator=stored.operator_id, units=stored.units or "",
        reversed=stored.reversed, reprints=reprints, reason=stored.reason or "")


def reprint_counts(conn: Any, keys: list[str]) -> dict[str, int]:
    """idempotency key -> the sale's reprint count (migration 0013)."""
    if not keys:
        return {}
    marks = ", ".join("?" for _ in keys)
    sql = f"SELECT idem_key, reprint_count FROM sales WHERE idem_key IN ({marks})"  # noqa: S608
    return {str(k): int(n) for k, n in conn.execute(sql, keys).fetchall()}


def raw_json(text: str | None) -> dict[str, Any]:
    """A stored JSON object column ({} when empty)."""
    value = json.loads(text) if text else {}
    return value if isinstance(value, dict) else {}
