"""What the cashier types in the meter field, checked (Qt-free); amounts: `ui.money`."""

from __future__ import annotations

from collections.abc import Callable

from sts.errors import MeterNumberError
from sts.meter_number import parse_meter_number

#: turns an English UI sentence into the cashier's language (identity without Qt)
Translate = Callable[[str], str]


def same(text: str) -> str:
    """The identity `Translate` (tests, and English)."""
    return text


def meter_problem(text: str, *, complete_only: bool) -> str:
    """The check-digit / length message for a meter number ('' when fine, or still typing)."""
    digits = "".join(ch for ch in text if ch not in " -")
    still_typing = digits.isdigit() and len(digits) not in (11, 13) and len(digits) < 18
    if complete_only and (not digits or still_typing):
        return ""
    try:
        parse_meter_number(text)
    except MeterNumberError as exc:
        return str(exc)
    return ""
