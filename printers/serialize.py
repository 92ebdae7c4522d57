"""Receipt model <-> JSON, for the print queue's payload column.

Exact types survive the round trip: Money in its wire form (`{"amount": "150.00", "currency":
"ZAR"}`, never a float), Decimal as a string, datetimes
as ISO-8601 with their offset, enums by value, tuples as lists, and the variant of a `Receipt`
by its `kind` field. Unknown kinds or fields are refused with a clear message rather than
guessed, so a payload written by a newer version is never printed wrong.
"""

from __future__ import annotations

import json
import types
import typing
from dataclasses import fields, is_dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from common.errors import InvalidInput
from common.money import Money
from printers import model

_VARIANTS: dict[str, type[Any]] = {
    "token": model.TokenReceipt,
    "pending": model.PendingSlip,
    "reversal": model.ReversalSlip,
    "engineering": model.EngineeringSlip,
    "report": model.ShiftReport,
    "shift_close": model.ShiftCloseSlip,
    "reprint": model.Reprint,
}


def to_json(receipt: model.Receipt) -> str:
    """A compact, deterministic JSON text of any receipt variant."""
    return json.dumps(_encode(receipt), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def from_json(text: str) -> model.Receipt:
    """Parse what `to_json` wrote; raises `InvalidInput` on anything else."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"Print job payload is not JSON ({exc.msg}).") from exc
    result = _decode_variant(data)
    return typing.cast(model.Receipt, result)


def _encode(value: Any) -> Any:
    if isinstance(value, Money):
        # The wire form, as payloads have always held it: a queued job stays readable.
        return value.to_json()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in fields(value)}
    if value is None or isinstance(value, str | int | bool):
        return value
    raise TypeError(f"cannot serialise {type(value).__name__}")


def _decode_variant(data: Any) -> Any:
    if not isinstance(data, dict) or "kind" not in data:
        raise InvalidInput("Print job payload has no receipt kind.")
    cls = _VARIANTS.get(data["kind"])
    if cls is None:
        raise InvalidInput(f"Unknown receipt kind {data['kind']!r} in a print job payload.")
    return _decode_dataclass(cls, data)


def _decode_dataclass(cls: type[Any], data: Any) -> Any:
    if not isinstance(data, dict):
        raise InvalidInput(f"Expected an object for {cls.__name__}.")
    hints = typing.get_type_hints(cls, vars(model))
    known = {f.name: f for f in fields(cls)}
    unknown = set(data) - set(known)
    if unknown:
        raise InvalidInput(f"Unknown fields {sorted(unknown)} for {cls.__name__}.")
    kwargs: dict[str, Any] = {}
    for name, f in known.items():
        if not f.init or name not in data:
            continue  # discriminators and defaults
        kwargs[name] = _decode(hints[name], data[name], f"{cls.__name__}.{name}")
    return cls(**kwargs)


def _decode(hint: Any, value: Any, where: str) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(hint)
        if value is None and type(None) in options:
            return None
        concrete = [o for o in options if o is not type(None)]
        if all(is_dataclass(o) for o in concrete) and len(concrete) > 1:
            return _decode_variant(value)
        return _decode(concrete[0], value, where)
    if origin is tuple:
        (item, _ellipsis) = typing.get_args(hint)
        if not isinstance(value, list):
            raise InvalidInput(f"Expected a list for {where}.")
        return tuple(_decode(item, v, where) for v in value)
    if hint is Money:
        return _decode_money(value, where)
    if hint is Decimal:
        if not isinstance(value, str):
            raise InvalidInput(f"Expected a decimal string for {where}.")
        try:
            return Decimal(value)
        except InvalidOperation as exc:
            raise InvalidInput(f"Bad decimal for {where}.") from exc
    if hint is datetime:
        if not isinstance(value, str):
            raise InvalidInput(f"Expected an ISO time for {where}.")
        return datetime.fromisoformat(value)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(value)
    if isinstance(hint, type) and is_dataclass(hint):
        return _decode_dataclass(hint, value)
    if hint in (str, int, bool):
        if type(value) is not hint:
            raise InvalidInput(f"Expected {hint.__name__} for {where}.")
        return value
    raise InvalidInput(f"Cannot read {where}.")


def _decode_money(value: Any, where: str) -> Money:
    if not isinstance(value, dict) or set(value) != {"amount", "currency"}:
        raise InvalidInput(f"Expected an amount and a currency for {where}.")
    amount, currency = value["amount"], value["currency"]
    if not isinstance(amount, str) or not isinstance(currency, str):
        raise InvalidInput(f"Expected an amount and a currency for {where}.")
    # Lenient about trailing decimals ("150", "150.5"): older payloads wrote Decimal strings.
    return Money.of(amount, currency)
