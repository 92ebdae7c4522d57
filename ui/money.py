"""Money on the cashier screens: the one formatter, and amounts typed by the cashier.

The till's results carry `Money` (integer minor units + ISO 4217 currency, `common.money`);
how many decimals an amount has comes with its currency (ZAR 2, UGX 0, LYD 3), never an
assumed two. Every amount the UI shows goes through `format_money` (the project's one display
format, `common.money.format_money`); every amount typed goes through `parse_amount`. Qt-free.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from app.sales.money import exponent, from_decimal, to_decimal
from common.errors import InvalidInput
from common.money import Money, format_money

__all__ = ["Money", "format_money", "parse_amount", "to_decimal"]

#: at most 9 whole digits (the API's limit for a typed amount)
_TYPED = re.compile(r"^[0-9]{1,9}(\.[0-9]+)?$")


def _decimals(places: int) -> str:
    if places == 0:
        return "no decimals"
    if places == 2:
        return "at most two decimals (cents)"
    return f"at most {places} decimals"


def _same(text: str) -> str:
    return text


def parse_amount(text: str, field: str, currency: str,
                 tr: Callable[[str], str] = _same) -> Money:
    """A positive amount typed by the cashier ("1,000" and "55.50" are fine for ZAR).

    `field` names it in messages ("amount" or "cash tendered"); more decimals than the
    currency has is refused with a plain message.
    """
    name = tr(field)
    cleaned = text.strip().replace(",", "").replace(" ", "")
    if not cleaned:
        raise InvalidInput(tr("Type the {field}, for example 100 or 55.50.").format(field=name))
    if cleaned.startswith("-"):
        raise InvalidInput(tr("The {field} must be more than zero.").format(field=name))
    if not _TYPED.match(cleaned):
        raise InvalidInput(
            tr("The {field} must be a number, for example 100 or 55.50.").format(field=name))
    places = exponent(currency)
    fraction = cleaned.partition(".")[2]
    if len(fraction.rstrip("0")) > places:
        raise InvalidInput(tr("The {field} can have {decimals}.").format(
            field=name, decimals=tr(_decimals(places))))
    value = Decimal(cleaned)
    if value <= 0:
        raise InvalidInput(tr("The {field} must be more than zero.").format(field=name))
    return from_decimal(value.quantize(Decimal(1).scaleb(-places)), currency)
