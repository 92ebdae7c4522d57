"""The checks every parser of an API answer is built from (docs/api.md).

Each one reads one field (or one value) and raises `Invalid(problem)`, naming where in the
answer it is, when the value does not follow the contract. The resource modules combine them;
a rule that more than one resource needs (a list of objects, an id that must be well formed
and unique, a meter number, the supervisor who approved) is written here once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from common.money import Money, MoneyError

__all__ = [
    "CURRENCY_RE",
    "ID_RE",
    "MAX_TEXT",
    "METER_RE",
    "Invalid",
    "boolean",
    "id_name",
    "identifier",
    "integer",
    "money",
    "obj",
    "object_list",
    "opt_money",
    "opt_string",
    "receipt_id",
    "req",
    "string",
    "time_str",
    "unique_string",
    "units_str",
    "units_tenths",
]

_UNITS_RE = re.compile(r"^-?[0-9]{1,12}\.[0-9]$")
_TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
#: A 3-letter currency code.
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
#: The form of the server's ids: tariffs, receipts, shifts.
ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
#: A receipt number: an id, or two id parts joined by one `/` (XMLVend servers number
#: receipts like `CLIENT/0001234`), at most 64 characters in all.
RECEIPT_RE = re.compile(r"^(?=.{1,64}$)[A-Za-z0-9._:-]+(?:/[A-Za-z0-9._:-]+)?$")
#: The longest text field accepted in an answer (names, addresses, descriptions, reasons).
MAX_TEXT = 200
#: A meter number as the server sends it: 11 or 13 digits (its check digit is the server's).
METER_RE = re.compile(r"^(?:[0-9]{11}|[0-9]{13})$")


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


def string(data: dict[str, Any], name: str, where: str, *, empty: bool = False,
           max_len: int = MAX_TEXT) -> str:
    """A required string field (non-empty unless `empty`) of at most `max_len` characters."""
    value = req(data, name, where)
    if not isinstance(value, str) or (not empty and not value):
        raise Invalid(f"{where}.{name} is not a non-empty string")
    if len(value) > max_len:
        raise Invalid(f"{where}.{name} is longer than {max_len} characters")
    return value


def identifier(data: dict[str, Any], name: str, where: str) -> str:
    """A required server id (receipt, reversal, reference, terminal, shift): `ID_RE`."""
    value = req(data, name, where)
    if not isinstance(value, str) or not ID_RE.fullmatch(value):
        raise Invalid(f"{where}.{name} is not an id of 1 to 64 letters, digits or ._:-")
    return value


def receipt_id(data: dict[str, Any], name: str, where: str) -> str:
    """A required receipt number: `RECEIPT_RE`, and no part that is `.` or `..` (a receipt
    number goes into paths and file names; it must never walk out of them)."""
    value = req(data, name, where)
    if not isinstance(value, str) or not RECEIPT_RE.fullmatch(value) or any(
            part in (".", "..") for part in value.split("/")):
        raise Invalid(f"{where}.{name} is not a receipt number (letters, digits or ._:- "
                      "in one part, or two parts joined by /; at most 64 characters)")
    return value


def opt_string(data: dict[str, Any], name: str, where: str, *,
               max_len: int = MAX_TEXT) -> str | None:
    """A string field that may be null or absent, of at most `max_len` characters."""
    value = data.get(name)
    if value is not None and not isinstance(value, str):
        raise Invalid(f"{where}.{name} is not a string")
    if value is not None and len(value) > max_len:
        raise Invalid(f"{where}.{name} is longer than {max_len} characters")
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
    if not isinstance(value, str) or not _TIME_RE.fullmatch(value):
        raise Invalid(f"{where}.{name} is not an ISO-8601 UTC time")
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise Invalid(f"{where}.{name} is not a valid time") from None
    return value


def units_str(value: Any, where: str) -> str:
    """Units with exactly one decimal, as a string."""
    if not isinstance(value, str) or not _UNITS_RE.fullmatch(value):
        raise Invalid(f"{where} is not a units string with one decimal")
    return value


def units_tenths(units: str) -> int:
    """A `units_str` value in tenths of a unit (the STS resolution)."""
    whole, _, tenth = units.partition(".")
    sign = -1 if whole.startswith("-") else 1
    return sign * (int(whole.lstrip("-")) * 10 + int(tenth))


def money(value: Any, where: str, *, negative: bool = False) -> Money:
    """A response Money object: a known ISO 4217 currency and an amount written with exactly
    that currency's decimals ("150.00" ZAR, "12500" UGX, "1.500" LYD)."""
    data = obj(value, where)
    amount = req(data, "amount", where)
    currency = req(data, "currency", where)
    if not isinstance(currency, str) or not CURRENCY_RE.fullmatch(currency):
        raise Invalid(f"{where}.currency is not a currency code")
    if not isinstance(amount, str):
        raise Invalid(f"{where}.amount is not a money string")
    try:
        result = Money.from_wire(amount, currency)
    except MoneyError as exc:
        raise Invalid(f"{where}.amount is not a {currency} amount: {exc}") from None
    if result.minor < 0 and not negative:
        raise Invalid(f"{where}.amount is negative")
    return result


def opt_money(data: dict[str, Any], name: str, where: str) -> Money | None:
    """A Money field that may be null."""
    value = data.get(name)
    return None if value is None else money(value, f"{where}.{name}")



def object_list(value: Any, where: str, *, nonempty: bool = False,
                limit: int | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
    """`value` must be a list (non-empty if `nonempty`, at most `limit` long); yields each item,
    which must be an object, with its place `where[i]`."""
    if not isinstance(value, list) or (nonempty and not value):
        raise Invalid(f"{where} is not a {'non-empty ' if nonempty else ''}list")
    if limit is not None and len(value) > limit:
        raise Invalid(f"{where} has more items than the limit asked for")
    return ((f"{where}[{i}]", obj(item, f"{where}[{i}]")) for i, item in enumerate(value))


def unique_string(data: dict[str, Any], name: str, where: str, pattern: re.Pattern[str],
                  seen: set[str], problem: str) -> str:
    """A string field that must match `pattern` and not be in `seen` (it is added to it);
    `problem` completes the message `<where>.<name> ...`."""
    value = string(data, name, where)
    if not pattern.fullmatch(value) or value in seen:
        raise Invalid(f"{where}.{name} {problem}")
    seen.add(value)
    return value


def id_name(value: Any, where: str) -> tuple[str, str]:
    """An `{"id", "name"}` object (the supervisor who approved, ...): (id, name)."""
    data = obj(value, where)
    return string(data, "id", where), string(data, "name", where, empty=True)
