"""Meters: the customer confirmation (`GET /v1/meters/{n}`) and the search (`GET /v1/meters?q=`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.api.models.money import Money
from app.api.models.validators import (
    METER_RE,
    Invalid,
    boolean,
    integer,
    money,
    obj,
    object_list,
    opt_string,
    req,
    string,
    unique_string,
)

__all__ = [
    "MeterInfo",
    "MeterSearchHit",
    "parse_meter",
    "parse_meter_search",
]


@dataclass(frozen=True)
class MeterInfo:
    """`GET /v1/meters/{n}`: who the customer is and what may stop a sale."""

    meter_number: str
    service: str
    unit: str
    customer_name: str
    customer_address: str
    account: str
    phone: str | None
    email: str | None
    tariff_id: str
    tariff_name: str
    two_way: bool
    blocked: bool
    blocked_reason: str | None
    arrears: Money
    fbe_due: bool
    key_change_due: bool
    days_since_last_purchase: int | None
    warnings: tuple[tuple[str, str], ...]
    raw: dict[str, Any] = field(repr=False)


def parse_meter(value: Any) -> MeterInfo:
    """Parse a meter/customer confirmation."""
    where = "meter"
    data = obj(value, where)
    customer = obj(req(data, "customer", where), "meter.customer")
    tariff = obj(req(data, "tariff", where), "meter.tariff")
    integer(tariff, "version", "meter.tariff")
    obj(req(data, "key", where), "meter.key")
    warnings_raw = req(data, "warnings", where)
    if not isinstance(warnings_raw, list):
        raise Invalid("meter.warnings is not a list")
    warnings = tuple(
        (string(obj(w, "warning"), "code", "warning"),
         string(obj(w, "warning"), "message", "warning", empty=True))
        for w in warnings_raw
    )
    days = data.get("days_since_last_purchase")
    if days is not None and (isinstance(days, bool) or not isinstance(days, int)):
        raise Invalid("meter.days_since_last_purchase is not an integer")
    kcd = data.get("key_change_due")
    if kcd is not None and not isinstance(kcd, dict):
        raise Invalid("meter.key_change_due is not an object")
    meter_number = string(data, "meter_number", where)
    if not METER_RE.fullmatch(meter_number):
        raise Invalid("meter.meter_number is not 11 or 13 digits")
    return MeterInfo(
        meter_number,
        string(data, "service", where),
        string(data, "unit", where),
        string(customer, "name", "meter.customer", empty=True),
        string(customer, "address", "meter.customer", empty=True),
        string(customer, "account", "meter.customer", empty=True),
        opt_string(customer, "phone", "meter.customer"),
        opt_string(customer, "email", "meter.customer"),
        string(tariff, "id", "meter.tariff"),
        string(tariff, "name", "meter.tariff"),
        boolean(data, "two_way", where),
        boolean(data, "blocked", where),
        opt_string(data, "blocked_reason", where),
        money(req(data, "arrears", where), "meter.arrears"),
        boolean(data, "fbe_due", where),
        kcd is not None,
        days,
        warnings,
        data,
    )



@dataclass(frozen=True)
class MeterSearchHit:
    """One result of `GET /v1/meters?q=`: a meter and its customer, for the search list."""

    meter_number: str
    service: str
    customer_name: str
    account: str
    address: str
    blocked: bool


def parse_meter_search(value: Any, limit: int) -> list[MeterSearchHit]:
    """Parse a search answer: at most `limit` results, meter numbers 11/13 digits, unique."""
    out: list[MeterSearchHit] = []
    seen: set[str] = set()
    for where, d in object_list(req(obj(value, "body"), "results", "body"), "results",
                                limit=limit):
        number = unique_string(d, "meter_number", where, METER_RE, seen,
                               "is not 11 or 13 digits, or is repeated")
        out.append(MeterSearchHit(
            number, string(d, "service", where), string(d, "customer_name", where, empty=True),
            string(d, "account", where, empty=True), string(d, "address", where, empty=True),
            boolean(d, "blocked", where),
        ))
    return out
