"""What the cashier types on the sale screen, checked: amounts and meter numbers (Qt-free)."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from app.errors import InvalidInput
from sts.errors import MeterNumberError
from sts.meter_number import parse_meter_number

_AMOUNT = re.compile(r"^[0-9]{1,9}(\.[0-9]{1,2})?$")
_AMOUNT_ANY_DECIMALS = re.compile(r"^[0-9]{1,9}\.[0-9]+$")

#: turns an English UI sentence into the cashier's language (identity without Qt)
Translate = Callable[[str], str]


def same(text: str) -> str:
    """The identity `Translate` (tests, and English)."""
    return text


def parse_amount(text: str, field: str, tr: Translate = same) -> Decimal:
    """A positive amount with at most 2 decimals ("1,000" and "55.50" are fine).

    `field` names it in messages: "amount" or "cash tendered".
    """
    name = tr(field)
    cleaned = text.strip().replace(",", "").replace(" ", "")
    if not cleaned:
        raise InvalidInput(tr("Type the {field}, for example 100 or 55.50.").format(field=name))
    if cleaned.startswith("-"):
        raise InvalidInput(tr("The {field} must be more than zero.").format(field=name))
    if not _AMOUNT.match(cleaned):
        if _AMOUNT_ANY_DECIMALS.match(cleaned):
            raise InvalidInput(
                tr("The {field} can have at most two decimals (cents).").format(field=name))
        raise InvalidInput(
            tr("The {field} must be a number, for example 100 or 55.50.").format(field=name))
    value = Decimal(cleaned)
    if value <= 0:
        raise InvalidInput(tr("The {field} must be more than zero.").format(field=name))
    return value.quantize(Decimal("0.01"))


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
