"""Sales and their tokens: `POST /v1/sales`, `GET /v1/sales/{key}`, `POST /v1/sales/batch`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from app.api.models.error_body import ApiErrorBody, parse_error
from app.api.models.money import Money
from app.api.models.quotes import Line, parse_lines
from app.api.models.validators import (
    MAX_TEXT,
    Invalid,
    boolean,
    integer,
    money,
    obj,
    object_list,
    opt_string,
    receipt_id,
    req,
    string,
    time_str,
    units_str,
    units_tenths,
)
from sts.token_format import AMOUNT_MAX_TENTHS, decode_amount, encode_amount

__all__ = [
    "TOKEN_KINDS",
    "BatchResult",
    "Sale",
    "Token",
    "parse_batch",
    "parse_sale",
    "parse_tokens",
]


_TOKEN_RE = re.compile(r"[0-9]{20}")
TOKEN_KINDS = frozenset(
    {"key_change", "credit", "fbe", "clear_tamper", "clear_credit", "set_power_limit",
     "set_phase_unbalance", "test"}
)
#: Tokens that carry units of energy or water in their amount field (0.1 unit steps).
UNIT_TOKENS = frozenset({"credit", "fbe"})


@dataclass(frozen=True)
class Token:
    """One token of a sale, in entry order. `digits` is cash: never log it."""

    seq: int
    kind: str
    description: str
    digits: str = field(repr=False)
    units: str | None



def parse_tokens(value: Any, where: str) -> tuple[Token, ...]:
    """Tokens in entry order: 20 digits with a matching display, known kinds, no repeats."""
    tokens = []
    for w, d in object_list(value, where, nonempty=True):
        digits = req(d, "token", w)
        if not isinstance(digits, str) or not _TOKEN_RE.fullmatch(digits):
            raise Invalid(f"{w}.token is not 20 digits")
        display = req(d, "display", w)
        if not isinstance(display, str) or display.replace(" ", "") != digits:
            raise Invalid(f"{w}.display does not match the token")
        kind = string(d, "kind", w)
        if kind not in TOKEN_KINDS:
            raise Invalid(f"{w}.kind is unknown")
        units = d.get("units")
        if units is not None:
            units = units_str(units, f"{w}.units")
        if kind in UNIT_TOKENS:
            _token_units(units, f"{w}.units")
        tokens.append(Token(
            integer(d, "seq", w), kind, string(d, "description", w, empty=True), digits, units,
        ))
    seqs = [t.seq for t in tokens]
    if seqs != sorted(seqs) or len(set(seqs)) != len(seqs):
        raise Invalid(f"{where} are not in entry order")
    if len({t.digits for t in tokens}) != len(tokens):
        raise Invalid(f"{where} repeat a token")
    return tuple(tokens)


def _bounded_text(part: dict[str, Any], where: str) -> None:
    """The text of a part the receipt prints as it came (names, addresses): bounded."""
    for name, value in part.items():
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise Invalid(f"{where}.{name} is longer than {MAX_TEXT} characters")


def _token_units(units: str | None, where: str) -> int:
    """A credit or FBE token's units: present, not negative, and exactly what an STS amount
    field can carry (0.1 steps up to 1638.3, then coarser steps, at most 1,820,162.4).
    Zero is an amount a token carries (a zero-unit token, issued when the whole payment
    went to debt or charges)."""
    if units is None:
        raise Invalid(f"{where} is missing for a token that carries units")
    tenths = units_tenths(units)
    if tenths < 0 or tenths > AMOUNT_MAX_TENTHS:
        raise Invalid(f"{where} is negative or beyond what a token carries")
    if decode_amount(encode_amount(tenths)) != tenths:
        raise Invalid(f"{where} is not an amount an STS token can carry")
    return tenths



@dataclass(frozen=True)
class Sale:
    """`POST /v1/sales` / `GET /v1/sales/{key}`: the completed sale with its tokens."""

    receipt_no: str
    idempotency_key: str
    meter_number: str
    amount_tendered: Money
    units: str
    unit: str
    tokens: tuple[Token, ...]
    lines: tuple[Line, ...]
    vendor_credit: Money
    sold_at: str
    offline: bool
    raw: dict[str, Any] = field(repr=False)
    #: The tariff the server priced the sale on (`tariff.id` / `tariff.version`).
    tariff_id: str = ""
    tariff_version: int = 0


def parse_sale(value: Any, where: str = "sale") -> Sale:
    """Parse a sale; tokens must be 20 digits, in entry order, lines must add up."""
    data = obj(value, where)
    meter = obj(req(data, "meter", where), f"{where}.meter")
    for part in ("operator", "vendor", "utility", "customer", "vat", "delivery"):
        _bounded_text(obj(req(data, part, where), f"{where}.{part}"), f"{where}.{part}")
    _bounded_text(meter, f"{where}.meter")
    opt_string(data, "client_reference", where, max_len=64)
    tariff = obj(req(data, "tariff", where), f"{where}.tariff")
    tariff_version = integer(tariff, "version", f"{where}.tariff")
    if tariff_version < 1:
        raise Invalid(f"{where}.tariff.version is not a positive integer")
    tendered = money(req(data, "amount_tendered", where), f"{where}.amount_tendered")
    tokens = parse_tokens(req(data, "tokens", where), f"{where}.tokens")
    notifications = req(data, "notifications", where)
    if not isinstance(notifications, list):
        raise Invalid(f"{where}.notifications is not a list")
    vendor_credit = money(req(data, "vendor_credit", where), f"{where}.vendor_credit")
    money(req(data, "arrears_remaining", where), f"{where}.arrears_remaining")
    time_str(data, "created_at", where)
    units = units_str(req(data, "units", where), f"{where}.units")
    # A sale delivers energy: at least one token that carries units (credit or FBE). Only
    # the credit tokens count in `units` (the credit bought), never more or less; it may be
    # zero when the whole amount went to charges or debt and the server issued a zero-unit
    # credit token or only the FBE token (as XMLVend servers do).
    if not any(t.kind in UNIT_TOKENS for t in tokens):
        raise Invalid(f"{where}.tokens have no credit or FBE token")
    credit = [units_tenths(t.units) for t in tokens if t.kind == "credit" and t.units]
    tenths = units_tenths(units)
    if tenths < 0 or tenths > AMOUNT_MAX_TENTHS * max(len(credit), 1):
        raise Invalid(f"{where}.units is negative or beyond what the credit tokens carry")
    if not credit and tenths:
        raise Invalid(f"{where}.tokens have no credit token for {where}.units")
    if tenths != sum(credit):
        raise Invalid(f"{where}.units is not what the credit token carries")
    lines = parse_lines(data, where, tendered)
    if tenths == 0 and any(ln.kind == "energy" and ln.units and units_tenths(ln.units) > 0
                           for ln in lines):
        # Energy was priced but no unit was issued for it: the customer would pay for
        # nothing. Zero units are legitimate only when nothing bought energy.
        raise Invalid(f"{where}.units is zero but an energy line bought units")
    return Sale(
        receipt_id(data, "receipt_no", where),
        string(data, "idempotency_key", where, max_len=128),
        string(meter, "meter_number", f"{where}.meter"),
        tendered,
        units,
        string(data, "unit", where),
        tokens,
        lines,
        vendor_credit,
        time_str(data, "sold_at", where) or "",
        boolean(data, "offline", where),
        data,
        string(tariff, "id", f"{where}.tariff"),
        tariff_version,
    )



@dataclass(frozen=True)
class BatchResult:
    """One item's outcome in `POST /v1/sales/batch`: a sale, or an error."""

    idempotency_key: str
    status: int
    sale: Sale | None
    error: ApiErrorBody | None


def parse_batch(value: Any, keys: list[str]) -> list[BatchResult]:
    """Parse a batch answer; results must match the items one for one, in order."""
    results = req(obj(value, "batch"), "results", "batch")
    if not isinstance(results, list) or len(results) != len(keys):
        raise Invalid("batch.results does not have one result per item")
    out = []
    for (w, d), key in zip(object_list(results, "batch.results"), keys, strict=True):
        if string(d, "idempotency_key", w) != key:
            raise Invalid(f"{w} is for another item")
        status = integer(d, "status", w)
        sale_raw, err_raw = d.get("sale"), d.get("error")
        if status == 200:
            if sale_raw is None:
                raise Invalid(f"{w}.sale is missing")
            sale = parse_sale(sale_raw, f"{w}.sale")
            if sale.idempotency_key != key:
                raise Invalid(f"{w}.sale is for another key")
            out.append(BatchResult(key, status, sale, None))
        else:
            if err_raw is None:
                raise Invalid(f"{w}.error is missing")
            out.append(BatchResult(key, status, None, parse_error({"error": err_raw})))
    return out
