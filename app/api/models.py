"""Validated views of the API's JSON (docs/api.md) and the strict parsers that build them.

Every parser raises `Invalid(problem)` on anything that does not follow the contract: a missing
field, a wrong type, a token that is not 20 digits, money with the wrong number of decimals,
lines that do not add up to the amount. The client turns that into `MalformedResponse`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

_MONEY_RE = re.compile(r"^-?[0-9]{1,12}\.[0-9]{2}$")
_REQUEST_MONEY_RE = re.compile(r"^[0-9]{1,9}(\.[0-9]{1,2})?$")
_UNITS_RE = re.compile(r"^-?[0-9]{1,12}\.[0-9]$")
_TOKEN_RE = re.compile(r"^[0-9]{20}$")
_TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
TOKEN_KINDS = frozenset(
    {"key_change", "credit", "fbe", "clear_tamper", "clear_credit", "set_power_limit",
     "set_phase_unbalance", "test"}
)
ROLES = frozenset({"cashier", "supervisor", "admin"})


class Invalid(ValueError):
    """A response value does not follow the contract; the message names the field."""


# -- primitive checks ---------------------------------------------------------------------------
def obj(value: Any, where: str) -> dict[str, Any]:
    """`value` must be a JSON object."""
    if not isinstance(value, dict):
        raise Invalid(f"{where} is not an object")
    return value


def req(data: dict[str, Any], name: str, where: str) -> Any:
    """The field `name` of `data`, which must be present."""
    if name not in data:
        raise Invalid(f"{where}.{name} is missing")
    return data[name]


def string(data: dict[str, Any], name: str, where: str, *, empty: bool = False) -> str:
    """A required string field (non-empty unless `empty`)."""
    value = req(data, name, where)
    if not isinstance(value, str) or (not empty and not value):
        raise Invalid(f"{where}.{name} is not a non-empty string")
    return value


def opt_string(data: dict[str, Any], name: str, where: str) -> str | None:
    """A string field that may be null or absent."""
    value = data.get(name)
    if value is not None and not isinstance(value, str):
        raise Invalid(f"{where}.{name} is not a string")
    return value


def boolean(data: dict[str, Any], name: str, where: str) -> bool:
    """A required boolean field (not 0/1)."""
    value = req(data, name, where)
    if not isinstance(value, bool):
        raise Invalid(f"{where}.{name} is not a boolean")
    return value


def integer(data: dict[str, Any], name: str, where: str) -> int:
    """A required integer field (not a bool, not a float)."""
    value = req(data, name, where)
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(f"{where}.{name} is not an integer")
    return value


def time_str(data: dict[str, Any], name: str, where: str, *, optional: bool = False) -> str | None:
    """An ISO-8601 UTC time string with Z."""
    value = data.get(name) if optional else req(data, name, where)
    if value is None and optional:
        return None
    if not isinstance(value, str) or not _TIME_RE.match(value):
        raise Invalid(f"{where}.{name} is not an ISO-8601 UTC time")
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise Invalid(f"{where}.{name} is not a valid time") from None
    return value


def units_str(value: Any, where: str) -> str:
    """Units with exactly one decimal, as a string."""
    if not isinstance(value, str) or not _UNITS_RE.match(value):
        raise Invalid(f"{where} is not a units string with one decimal")
    return value


# -- money ---------------------------------------------------------------------------------------
@dataclass(frozen=True, order=True)
class Money:
    """An amount in integer minor units (cents) with its currency; never a float."""

    minor: int
    currency: str

    @classmethod
    def parse(cls, amount: str, currency: str) -> Money:
        """From a request-style decimal string such as "150", "150.5" or "150.50"."""
        if not isinstance(amount, str) or not _REQUEST_MONEY_RE.match(amount):
            raise ValueError("amount must be digits with at most 2 decimals")
        if not _CURRENCY_RE.match(currency):
            raise ValueError("currency must be a 3-letter code")
        whole, _, frac = amount.partition(".")
        return cls(int(whole) * 100 + int((frac + "00")[:2]), currency)

    def amount_str(self) -> str:
        """"150.00" style string (sign included if negative)."""
        sign = "-" if self.minor < 0 else ""
        m = abs(self.minor)
        return f"{sign}{m // 100}.{m % 100:02d}"

    def to_json(self) -> dict[str, str]:
        """The API's `{"amount": "150.00", "currency": "ZAR"}` form."""
        return {"amount": self.amount_str(), "currency": self.currency}

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise ValueError("cannot add different currencies")
        return Money(self.minor + other.minor, self.currency)

    def __str__(self) -> str:
        return f"{self.currency} {self.amount_str()}"


def money(value: Any, where: str, *, negative: bool = False) -> Money:
    """A response Money object: amount with exactly 2 decimals and a 3-letter currency."""
    data = obj(value, where)
    amount = req(data, "amount", where)
    currency = req(data, "currency", where)
    if not isinstance(amount, str) or not _MONEY_RE.match(amount):
        raise Invalid(f"{where}.amount is not a money string with 2 decimals")
    if amount.startswith("-") and not negative:
        raise Invalid(f"{where}.amount is negative")
    if not isinstance(currency, str) or not _CURRENCY_RE.match(currency):
        raise Invalid(f"{where}.currency is not a currency code")
    sign = -1 if amount.startswith("-") else 1
    whole, frac = amount.lstrip("-").split(".")
    return Money(sign * (int(whole) * 100 + int(frac)), currency)


def opt_money(data: dict[str, Any], name: str, where: str) -> Money | None:
    """A Money field that may be null."""
    value = data.get(name)
    return None if value is None else money(value, f"{where}.{name}")


# -- API objects ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class ApiErrorBody:
    """The `{"error": {...}}` body of every error response."""

    code: str
    message: str
    retryable: bool
    details: dict[str, Any]


def parse_error(value: Any) -> ApiErrorBody:
    """Parse an error body."""
    err = obj(req(obj(value, "body"), "error", "body"), "error")
    details = err.get("details", {})
    if not isinstance(details, dict):
        raise Invalid("error.details is not an object")
    return ApiErrorBody(
        string(err, "code", "error"),
        string(err, "message", "error", empty=True),
        boolean(err, "retryable", "error"),
        details,
    )


@dataclass(frozen=True)
class OfflinePolicy:
    """The server's limits on selling while offline.

    `sale_minimum` / `sale_maximum` are the terminal's `sale_limits` (every sale, online or
    offline, must lie between them). They are not part of the API's OfflinePolicy object:
    `parse_terminal` attaches them from `GET /v1/terminal` (and activation), so the cached
    policy carries them and an offline sale the server would refuse at sync is refused at the
    counter. A pushed policy (`terminal.policy`) has none: `repo.save_policy` keeps the cached
    ones. None means not known yet (a policy cached by an older version).
    """

    offline_allowed: bool
    max_sale: Money
    max_total: Money
    max_count: int
    warn_after_hours: int
    refuse_after_hours: int
    refuse: frozenset[str]
    sale_minimum: Money | None = None
    sale_maximum: Money | None = None

    def to_json(self) -> dict[str, Any]:
        """Back to the API's JSON shape (for caching in settings), plus the sale limits."""
        out: dict[str, Any] = {
            "offline_allowed": self.offline_allowed,
            "max_sale": self.max_sale.to_json(),
            "max_total": self.max_total.to_json(),
            "max_count": self.max_count,
            "warn_after_hours": self.warn_after_hours,
            "refuse_after_hours": self.refuse_after_hours,
            "refuse": sorted(self.refuse),
        }
        if self.sale_minimum is not None:
            out["sale_minimum"] = self.sale_minimum.to_json()
        if self.sale_maximum is not None:
            out["sale_maximum"] = self.sale_maximum.to_json()
        return out


def parse_offline_policy(value: Any, where: str = "offline_policy") -> OfflinePolicy:
    """Parse an OfflinePolicy."""
    data = obj(value, where)
    refuse = req(data, "refuse", where)
    if not isinstance(refuse, list) or not all(isinstance(r, str) for r in refuse):
        raise Invalid(f"{where}.refuse is not a list of strings")
    policy = OfflinePolicy(
        boolean(data, "offline_allowed", where),
        money(req(data, "max_sale", where), f"{where}.max_sale"),
        money(req(data, "max_total", where), f"{where}.max_total"),
        integer(data, "max_count", where),
        integer(data, "warn_after_hours", where),
        integer(data, "refuse_after_hours", where),
        frozenset(refuse),
        opt_money(data, "sale_minimum", where),
        opt_money(data, "sale_maximum", where),
    )
    if policy.max_count < 0 or policy.refuse_after_hours < 0 or policy.warn_after_hours < 0:
        raise Invalid(f"{where} has a negative limit")
    return policy


@dataclass(frozen=True)
class TerminalInfo:
    """`GET /v1/terminal` (and the useful part of the activation answer)."""

    terminal_id: str
    server_time: str
    vendor_credit: Money | None
    offline_policy: OfflinePolicy
    sale_minimum: Money
    sale_maximum: Money
    currency: str
    raw: dict[str, Any] = field(repr=False)


def parse_terminal(value: Any, where: str = "terminal") -> TerminalInfo:
    """Parse `GET /v1/terminal` or an activation answer."""
    data = obj(value, where)
    limits = obj(req(data, "sale_limits", where), f"{where}.sale_limits")
    utility = obj(req(data, "utility", where), f"{where}.utility")
    credit = data.get("vendor_credit")
    minimum = money(req(limits, "minimum", "sale_limits"), "sale_limits.minimum")
    maximum = money(req(limits, "maximum", "sale_limits"), "sale_limits.maximum")
    if minimum.currency != maximum.currency or minimum.minor > maximum.minor:
        raise Invalid(f"{where}.sale_limits minimum is above the maximum or in another currency")
    policy = parse_offline_policy(req(data, "offline_policy", where), f"{where}.offline_policy")
    return TerminalInfo(
        string(data, "terminal_id", where),
        time_str(data, "server_time", where) or "",
        None if credit is None else money(credit, f"{where}.vendor_credit"),
        replace(policy, sale_minimum=minimum, sale_maximum=maximum),
        minimum,
        maximum,
        string(utility, "currency", f"{where}.utility"),
        data,
    )


@dataclass(frozen=True)
class Activation:
    """`POST /v1/terminals/activate`: the credential (a secret: never log it) and terminal info."""

    credential: str = field(repr=False)
    terminal: TerminalInfo


def parse_activation(value: Any) -> Activation:
    """Parse the activation answer."""
    data = obj(value, "activation")
    credential = string(data, "credential", "activation")
    return Activation(credential, parse_terminal(data, "activation"))


@dataclass(frozen=True)
class OperatorRecord:
    """An operator allowed on this terminal, with the salted PIN hash for offline login."""

    operator_id: str
    name: str
    role: str
    active: bool
    pin_kdf: dict[str, Any]
    pin_hash: str = field(repr=False)


def parse_operators(value: Any) -> list[OperatorRecord]:
    """Parse `GET /v1/operators`."""
    items = req(obj(value, "body"), "operators", "body")
    if not isinstance(items, list):
        raise Invalid("operators is not a list")
    out: list[OperatorRecord] = []
    for i, item in enumerate(items):
        where = f"operators[{i}]"
        data = obj(item, where)
        kdf = obj(req(data, "pin_kdf", where), f"{where}.pin_kdf")
        if kdf.get("alg") != "scrypt":
            raise Invalid(f"{where}.pin_kdf.alg is not scrypt")
        for name in ("n", "r", "p", "dklen"):
            if integer(kdf, name, f"{where}.pin_kdf") <= 0:
                raise Invalid(f"{where}.pin_kdf.{name} is not positive")
        salt = string(kdf, "salt", f"{where}.pin_kdf")
        pin_hash = string(data, "pin_hash", where)
        if not re.fullmatch(r"[0-9a-f]+", salt) or not re.fullmatch(r"[0-9a-f]{16,}", pin_hash):
            raise Invalid(f"{where} salt or hash is not lowercase hex")
        role = string(data, "role", where)
        if role not in ROLES:
            raise Invalid(f"{where}.role is unknown")
        out.append(OperatorRecord(
            string(data, "id", where), string(data, "name", where), role,
            boolean(data, "active", where), dict(kdf), pin_hash,
        ))
    return out


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
    if not re.fullmatch(r"[0-9]{11}|[0-9]{13}", meter_number):
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
class Line:
    """One breakdown line of a quote or sale."""

    kind: str
    description: str
    units: str | None
    amount: Money
    vat: Money | None


def _lines(data: dict[str, Any], where: str, tendered: Money) -> tuple[Line, ...]:
    raw = req(data, "lines", where)
    if not isinstance(raw, list) or not raw:
        raise Invalid(f"{where}.lines is not a non-empty list")
    lines = []
    for i, item in enumerate(raw):
        w = f"{where}.lines[{i}]"
        d = obj(item, w)
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


def parse_quote(value: Any) -> Quote:
    """Parse a quote."""
    where = "quote"
    data = obj(value, where)
    tariff = obj(req(data, "tariff", where), "quote.tariff")
    tendered = money(req(data, "amount_tendered", where), "quote.amount_tendered")
    time_str(data, "priced_at", where)
    return Quote(
        string(data, "meter_number", where),
        string(tariff, "id", "quote.tariff"),
        integer(tariff, "version", "quote.tariff"),
        tendered,
        units_str(req(data, "units", where), "quote.units"),
        string(data, "unit", where),
        _lines(data, where, tendered),
        data,
    )


@dataclass(frozen=True)
class Token:
    """One token of a sale, in entry order. `digits` is cash: never log it."""

    seq: int
    kind: str
    description: str
    digits: str = field(repr=False)
    units: str | None


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
        obj(req(data, part, where), f"{where}.{part}")
    tariff = obj(req(data, "tariff", where), f"{where}.tariff")
    tariff_version = integer(tariff, "version", f"{where}.tariff")
    if tariff_version < 1:
        raise Invalid(f"{where}.tariff.version is not a positive integer")
    tendered = money(req(data, "amount_tendered", where), f"{where}.amount_tendered")
    tokens = _token_list(req(data, "tokens", where), f"{where}.tokens")
    notifications = req(data, "notifications", where)
    if not isinstance(notifications, list):
        raise Invalid(f"{where}.notifications is not a list")
    vendor_credit = money(req(data, "vendor_credit", where), f"{where}.vendor_credit")
    money(req(data, "arrears_remaining", where), f"{where}.arrears_remaining")
    time_str(data, "created_at", where)
    return Sale(
        string(data, "receipt_no", where),
        string(data, "idempotency_key", where),
        string(meter, "meter_number", f"{where}.meter"),
        tendered,
        units_str(req(data, "units", where), f"{where}.units"),
        string(data, "unit", where),
        tokens,
        _lines(data, where, tendered),
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
    for i, (item, key) in enumerate(zip(results, keys, strict=True)):
        w = f"batch.results[{i}]"
        d = obj(item, w)
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


# -- tariffs and events --------------------------------------------------------------------------
_TARIFF_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


@dataclass(frozen=True)
class TariffSummary:
    """One entry of `GET /v1/tariffs`: a tariff and the versions the server has of it."""

    tariff_id: str
    name: str
    service: str
    unit: str
    current_version: int
    versions: tuple[int, ...]
    raw: dict[str, Any] = field(repr=False)


def parse_tariffs(value: Any) -> list[TariffSummary]:
    """Parse `GET /v1/tariffs`: ids well-formed and unique, versions positive and increasing,
    `current_version` one of them (or 0 while no version is in force yet)."""
    items = req(obj(value, "body"), "tariffs", "body")
    if not isinstance(items, list):
        raise Invalid("tariffs is not a list")
    out: list[TariffSummary] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        where = f"tariffs[{i}]"
        data = obj(item, where)
        tariff_id = string(data, "id", where)
        if not _TARIFF_ID_RE.match(tariff_id) or tariff_id in seen:
            raise Invalid(f"{where}.id is malformed or repeated")
        seen.add(tariff_id)
        versions = req(data, "versions", where)
        if not isinstance(versions, list) or any(
                isinstance(v, bool) or not isinstance(v, int) or v < 1 for v in versions):
            raise Invalid(f"{where}.versions is not a list of positive integers")
        if versions != sorted(set(versions)):
            raise Invalid(f"{where}.versions are not strictly increasing")
        current = integer(data, "current_version", where)
        if current != 0 and current not in versions:
            raise Invalid(f"{where}.current_version is not one of its versions")
        out.append(TariffSummary(
            tariff_id, string(data, "name", where), string(data, "service", where),
            string(data, "unit", where), current, tuple(versions), data,
        ))
    return out


@dataclass(frozen=True)
class PolledEvent:
    """One event of `GET /v1/events/poll` (same types and data as the SSE stream)."""

    event_id: int
    event: str
    data: dict[str, Any]


@dataclass(frozen=True)
class EventPage:
    """`GET /v1/events/poll`: events after the asked id, in order, and where to resume."""

    events: tuple[PolledEvent, ...]
    last_id: int


def parse_event_page(value: Any, after: int, limit: int) -> EventPage:
    """Parse a poll answer: ids above `after`, strictly increasing, at most `limit` of them,
    and `last_id` = the last id returned (or `after` when there is none)."""
    data = obj(value, "body")
    items = req(data, "events", "body")
    if not isinstance(items, list):
        raise Invalid("events is not a list")
    if len(items) > limit:
        raise Invalid("events has more items than the limit asked for")
    events: list[PolledEvent] = []
    previous = after
    for i, item in enumerate(items):
        where = f"events[{i}]"
        d = obj(item, where)
        event_id = integer(d, "id", where)
        if event_id <= previous:
            raise Invalid(f"{where}.id is not above the previous id")
        previous = event_id
        events.append(PolledEvent(event_id, string(d, "event", where),
                                  obj(req(d, "data", where), f"{where}.data")))
    last_id = integer(data, "last_id", "body")
    if last_id != previous:
        raise Invalid("last_id is not the last event id returned")
    return EventPage(tuple(events), last_id)


# -- meter search, reversal, engineering tokens, Z report ------------------------------------------
_METER_RE = re.compile(r"^(?:[0-9]{11}|[0-9]{13})$")


def _token_list(value: Any, where: str) -> tuple[Token, ...]:
    """Tokens in entry order: 20 digits with a matching display, known kinds, no repeats."""
    if not isinstance(value, list) or not value:
        raise Invalid(f"{where} is not a non-empty list")
    tokens = []
    for i, item in enumerate(value):
        w = f"{where}[{i}]"
        d = obj(item, w)
        digits = req(d, "token", w)
        if not isinstance(digits, str) or not _TOKEN_RE.match(digits):
            raise Invalid(f"{w}.token is not 20 digits")
        display = req(d, "display", w)
        if not isinstance(display, str) or display.replace(" ", "") != digits:
            raise Invalid(f"{w}.display does not match the token")
        kind = string(d, "kind", w)
        if kind not in TOKEN_KINDS:
            raise Invalid(f"{w}.kind is unknown")
        units = d.get("units")
        tokens.append(Token(
            integer(d, "seq", w), kind, string(d, "description", w, empty=True), digits,
            None if units is None else units_str(units, f"{w}.units"),
        ))
    seqs = [t.seq for t in tokens]
    if seqs != sorted(seqs) or len(set(seqs)) != len(seqs):
        raise Invalid(f"{where} are not in entry order")
    if len({t.digits for t in tokens}) != len(tokens):
        raise Invalid(f"{where} repeat a token")
    return tuple(tokens)


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
    items = req(obj(value, "body"), "results", "body")
    if not isinstance(items, list):
        raise Invalid("results is not a list")
    if len(items) > limit:
        raise Invalid("results has more items than the limit asked for")
    out: list[MeterSearchHit] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        where = f"results[{i}]"
        d = obj(item, where)
        number = string(d, "meter_number", where)
        if not _METER_RE.match(number) or number in seen:
            raise Invalid(f"{where}.meter_number is not 11 or 13 digits, or is repeated")
        seen.add(number)
        out.append(MeterSearchHit(
            number, string(d, "service", where), string(d, "customer_name", where, empty=True),
            string(d, "account", where, empty=True), string(d, "address", where, empty=True),
            boolean(d, "blocked", where),
        ))
    return out


def _id_name(value: Any, where: str) -> tuple[str, str]:
    data = obj(value, where)
    return string(data, "id", where), string(data, "name", where, empty=True)


@dataclass(frozen=True)
class Reversal:
    """`POST /v1/sales/{receipt_no}/reversal`: the server's record of a reversed sale.

    A repeated reversal returns the original record, so `reason` and the supervisor may be
    those of the first request.
    """

    receipt_no: str
    reversal_no: str
    reversed_at: str
    reason: str
    supervisor_id: str
    supervisor_name: str
    amount_refunded: Money
    vendor_credit: Money
    arrears_restored: Money
    raw: dict[str, Any] = field(repr=False)


def parse_reversal(value: Any) -> Reversal:
    """Parse a reversal answer (money non-negative, one currency)."""
    where = "reversal"
    data = obj(value, where)
    supervisor = _id_name(req(data, "supervisor", where), f"{where}.supervisor")
    refunded = money(req(data, "amount_refunded", where), f"{where}.amount_refunded")
    credit = money(req(data, "vendor_credit", where), f"{where}.vendor_credit")
    restored = money(req(data, "arrears_restored", where), f"{where}.arrears_restored")
    if len({refunded.currency, credit.currency, restored.currency}) != 1:
        raise Invalid(f"{where} mixes currencies")
    return Reversal(
        string(data, "receipt_no", where), string(data, "reversal_no", where),
        time_str(data, "reversed_at", where) or "", string(data, "reason", where, empty=True),
        supervisor[0], supervisor[1], refunded, credit, restored, data,
    )


#: Engineering token types of `POST /v1/engineering-tokens`.
ENGINEERING_TYPES = frozenset({"clear_tamper", "clear_credit", "set_power_limit",
                               "set_phase_unbalance", "key_change", "test"})
#: Registers `clear_credit` may clear.
REGISTERS = frozenset({"electricity", "water", "all"})


@dataclass(frozen=True)
class EngineeringTokens:
    """`POST /v1/engineering-tokens`: the issued tokens (cash-like: never log the digits) and
    the meter's key data after them (`meter`: sgc, krn, ti, ea, base_date, ...)."""

    reference: str
    meter_number: str
    type: str
    issued_at: str
    supervisor_id: str
    supervisor_name: str
    tokens: tuple[Token, ...]
    meter: dict[str, Any]
    raw: dict[str, Any] = field(repr=False)


def parse_engineering(value: Any) -> EngineeringTokens:
    """Parse an engineering-token answer; the tokens are checked like a sale's."""
    where = "engineering"
    data = obj(value, where)
    supervisor = _id_name(req(data, "supervisor", where), f"{where}.supervisor")
    type_ = string(data, "type", where)
    if type_ not in ENGINEERING_TYPES:
        raise Invalid(f"{where}.type is unknown")
    return EngineeringTokens(
        string(data, "reference", where), string(data, "meter_number", where), type_,
        time_str(data, "issued_at", where) or "", supervisor[0], supervisor[1],
        _token_list(req(data, "tokens", where), f"{where}.tokens"),
        dict(obj(req(data, "meter", where), f"{where}.meter")), data,
    )


@dataclass(frozen=True)
class ZTotals:
    """Shift totals as `POST /v1/shifts/{id}/z-report` compares them (units in 0.1 steps).

    In the server's `differences` the money and counts may be negative (terminal − server).
    """

    sales_count: int
    sales_amount: Money
    reversals_count: int
    reversals_amount: Money
    units: str
    vat: Money

    def to_json(self) -> dict[str, Any]:
        """The request's `totals` shape (without `offline_pending_count`)."""
        return {"sales_count": self.sales_count, "sales_amount": self.sales_amount.to_json(),
                "reversals_count": self.reversals_count,
                "reversals_amount": self.reversals_amount.to_json(), "units": self.units,
                "vat": self.vat.to_json()}

    @property
    def is_zero(self) -> bool:
        """True when every figure is zero (differences of a matched report)."""
        return (self.sales_count == 0 and self.sales_amount.minor == 0
                and self.reversals_count == 0 and self.reversals_amount.minor == 0
                and self.vat.minor == 0 and self.units.lstrip("-") == "0.0")


def parse_z_totals(value: Any, where: str, *, signed: bool = False) -> ZTotals:
    """Parse a totals object; `signed` allows negative figures (the differences)."""
    data = obj(value, where)
    counts = integer(data, "sales_count", where), integer(data, "reversals_count", where)
    if not signed and min(counts) < 0:
        raise Invalid(f"{where} has a negative count")
    units = units_str(req(data, "units", where), f"{where}.units")
    if not signed and units.startswith("-"):
        raise Invalid(f"{where}.units is negative")
    return ZTotals(
        counts[0], money(req(data, "sales_amount", where), f"{where}.sales_amount",
                         negative=signed),
        counts[1], money(req(data, "reversals_amount", where), f"{where}.reversals_amount",
                         negative=signed),
        units, money(req(data, "vat", where), f"{where}.vat", negative=signed),
    )


@dataclass(frozen=True)
class ZReportUpload:
    """The body of `POST /v1/shifts/{shift_id}/z-report`: the terminal's totals of a period."""

    z_number: int
    opened_at: str
    closed_at: str
    totals: ZTotals
    offline_pending_count: int

    def to_json(self) -> dict[str, Any]:
        """The request JSON."""
        totals = self.totals.to_json()
        totals["offline_pending_count"] = self.offline_pending_count
        return {"z_number": self.z_number, "opened_at": self.opened_at,
                "closed_at": self.closed_at, "totals": totals}

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> ZReportUpload:
        """From the request JSON (e.g. `app.supervisor.endofday.z_upload_body`); ValueError
        names the first field that is not what docs/api.md asks for."""
        try:
            data = obj(body, "z_report")
            totals_raw = obj(req(data, "totals", "z_report"), "z_report.totals")
            totals = _request_totals(totals_raw)
            return cls(integer(data, "z_number", "z_report"),
                       time_str(data, "opened_at", "z_report") or "",
                       time_str(data, "closed_at", "z_report") or "", totals,
                       integer(totals_raw, "offline_pending_count", "z_report.totals"))
        except Invalid as exc:
            raise ValueError(str(exc)) from None


def _request_totals(data: dict[str, Any]) -> ZTotals:
    """Request-side totals: money as request strings ("150", "150.5" or "150.50")."""
    def req_money(name: str) -> Money:
        m = obj(req(data, name, "z_report.totals"), f"z_report.totals.{name}")
        try:
            return Money.parse(m.get("amount"), str(m.get("currency")))  # type: ignore[arg-type]
        except ValueError:
            raise Invalid(f"z_report.totals.{name} is not a money amount") from None

    return ZTotals(
        integer(data, "sales_count", "z_report.totals"), req_money("sales_amount"),
        integer(data, "reversals_count", "z_report.totals"), req_money("reversals_amount"),
        units_str(req(data, "units", "z_report.totals"), "z_report.totals.units"),
        req_money("vat"),
    )


@dataclass(frozen=True)
class ZReconciliation:
    """`POST /v1/shifts/{shift_id}/z-report`: the server's totals and the differences."""

    shift_id: str
    z_number: int
    received_at: str
    terminal: dict[str, Any]
    server: ZTotals
    differences: ZTotals
    matched: bool
    raw: dict[str, Any] = field(repr=False)


def parse_z_reconciliation(value: Any) -> ZReconciliation:
    """Parse a Z answer; `matched` must agree with the differences (all zero)."""
    where = "z_report"
    data = obj(value, where)
    differences = parse_z_totals(req(data, "differences", where), f"{where}.differences",
                                 signed=True)
    matched = boolean(data, "matched", where)
    if matched != differences.is_zero:
        raise Invalid(f"{where}.matched does not agree with the differences")
    return ZReconciliation(
        string(data, "shift_id", where), integer(data, "z_number", where),
        time_str(data, "received_at", where) or "",
        dict(obj(req(data, "terminal", where), f"{where}.terminal")),
        parse_z_totals(req(data, "server", where), f"{where}.server"), differences, matched,
        data,
    )
