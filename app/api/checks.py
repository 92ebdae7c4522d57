"""Checks of a call's arguments before anything is sent (docs/api.md's request rules).

A failed check is a `ValueError` (a caller's bug: the screens validate what people type), and
nothing reaches the server. Messages never carry a PIN.
"""

from __future__ import annotations

import re
from decimal import Decimal

from app.api.models import ID_RE, REGISTERS
from sts.errors import MeterNumberError
from sts.meter_number import parse_meter_number

__all__ = [
    "check_engineering_options",
    "check_id",
    "check_int",
    "check_key",
    "check_meter",
    "check_operator",
    "check_pin",
    "units_wire",
]

_KEY_RE = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
_OPERATOR_RE = re.compile(r"^[a-z0-9._-]{1,32}$")
_PIN_RE = re.compile(r"^[0-9]{4,12}$")
#: The most units a request may carry (the server's `^[0-9]{1,9}(\.[0-9])?$`).
UNITS_MAX = Decimal("999999999.9")
_TENTH = Decimal("0.1")


def check_int(value: object, low: int, high: int | None, message: str) -> None:
    """`value` must be an integer (not a bool) from `low` to `high` (None: no upper bound)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < low or \
            (high is not None and value > high):
        raise ValueError(message)


def check_id(value: object, what: str) -> None:
    """A server id (tariff, receipt, shift): 1 to 64 of letters, digits and `._:-`."""
    if not isinstance(value, str) or not ID_RE.fullmatch(value):
        raise ValueError(f"{what} has the wrong format")


def check_operator(operator_id: str) -> None:
    """An operator id as the server issues them."""
    if not isinstance(operator_id, str) or not _OPERATOR_RE.fullmatch(operator_id):
        raise ValueError("operator id has the wrong format")


def check_pin(pin: str) -> None:
    """A PIN of 4 to 12 digits."""
    # The PIN itself never goes into the message.
    if not isinstance(pin, str) or not _PIN_RE.fullmatch(pin):
        raise ValueError("a PIN must be 4 to 12 digits")


def check_meter(meter_number: str) -> None:
    """An 11- or 13-digit meter number with its Luhn check digit, exactly as it will be sent
    (the STS engine's rule: `sts.meter_number.parse_meter_number`)."""
    try:
        ok = isinstance(meter_number, str) and \
            parse_meter_number(meter_number).drn == meter_number
    except MeterNumberError:
        ok = False
    if not ok:
        raise ValueError("meter number must be 11 or 13 digits with a valid check digit")


def units_wire(units: Decimal) -> str:
    """Units to buy as a request carries them ("50.0"): a finite Decimal above zero, at
    most `UNITS_MAX`, in whole tenths (the STS resolution; never rounded here)."""
    if not isinstance(units, Decimal) or not units.is_finite() or not 0 < units <= UNITS_MAX \
            or units != units.quantize(_TENTH):
        raise ValueError("units must be more than 0 and in whole tenths (0.1)")
    return format(units.quantize(_TENTH), "f")


def check_key(key: str) -> None:
    """An idempotency key: 8 to 128 of letters, digits and `._:-`."""
    if not _KEY_RE.fullmatch(key):
        raise ValueError("idempotency key has the wrong format")


def check_engineering_options(type_: str, value: int | None, register: str | None,
                              new_ti: int | None) -> None:
    """The per-type rules of docs/api.md for `value`, `register` and `new_ti`."""
    if type_ in ("set_power_limit", "set_phase_unbalance"):
        check_int(value, 1, 65535, "value must be 1..65535 watts for this token type")
    elif type_ == "test":
        if value is not None:
            check_int(value, 0, None, "test control bits must be a non-negative integer")
    elif value is not None:
        raise ValueError("this token type takes no value")
    if register is not None and (type_ != "clear_credit" or register not in REGISTERS):
        raise ValueError("register is only for clear_credit: electricity, water or all")
    if new_ti is not None:
        if type_ != "key_change":
            raise ValueError("new_ti is only for key_change, 1..99")
        check_int(new_ti, 1, 99, "new_ti is only for key_change, 1..99")
