"""Quotes (`POST /v1/quotes`) and the breakdown lines a quote and a sale share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.api.models.money import Money
from app.api.models.validators import (
    Invalid,
    integer,
    money,
    obj,
    object_list,
    opt_money,
    req,
    string,
    time_str,
    units_str,
)

__all__ = [
    "Line",
    "Quote",
    "parse_lines",
    "parse_quote",
]


@dataclass(frozen=True)
class Line:
    """One breakdown line of a quote or sale."""

    kind: str
    description: str
    units: str | None
    amount: Money
    vat: Money | None


def parse_lines(data: dict[str, Any], where: str, tendered: Money) -> tuple[Line, ...]:
    """The `lines` of a quote or sale: one currency, adding up to the amount tendered."""
    lines = []
    for w, d in object_list(req(data, "lines", where), f"{where}.lines", nonempty=True):
        units = d.get("units")
        lines.append(Line(
            string(d, "kind", w),
            string(d, "description", w, empty=True),
            None if units is None else units_str(units, f"{w}.units"),
            money(req(d, "amount", w), f"{w}.amount"),
            opt_money(d, "vat", w),
        ))
    total = sum(line.amount.minor for line in lines)
    if any(line.amount.currency != tendered.currency for line in lines):
        raise Invalid(f"{where}.lines use another currency")
    if total != tendered.minor:
        raise Invalid(f"{where}.lines do not add up to the amount tendered")
    return tuple(lines)


@dataclass(frozen=True)
class Quote:
    """`POST /v1/quotes`: the units and breakdown an amount would buy (no token digits)."""

    meter_number: str
    tariff_id: str
    tariff_version: int
    amount_tendered: Money
    units: str
    unit: str
    lines: tuple[Line, ...]
    raw: dict[str, Any] = field(repr=False)
    #: a quote by units: the units asked for (the amount is the least that buys them)
    requested_units: str | None = None


def parse_quote(value: Any) -> Quote:
    """Parse a quote."""
    where = "quote"
    data = obj(value, where)
    tariff = obj(req(data, "tariff", where), "quote.tariff")
    tendered = money(req(data, "amount_tendered", where), "quote.amount_tendered")
    time_str(data, "priced_at", where)
    requested = data.get("requested_units")
    return Quote(
        string(data, "meter_number", where),
        string(tariff, "id", "quote.tariff"),
        integer(tariff, "version", "quote.tariff"),
        tendered,
        units_str(req(data, "units", where), "quote.units"),
        string(data, "unit", where),
        parse_lines(data, where, tendered),
        data,
        None if requested is None else units_str(requested, "quote.requested_units"),
    )
