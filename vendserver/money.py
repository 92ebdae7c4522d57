"""Money, units and rates as integers: parsing and formatting for the wire format.

Money is integer minor units of the utility's currency, as many decimals as ISO 4217 gives it
(`common.money.CURRENCY_EXPONENTS`: 2 for ZAR and MZN, 0 for UGX and XOF, 3 for LYD); names
that say "cents" mean those minor units. Units are integer tenths (0.1 kWh / 0.1 kL, the STS
resolution); tariff rates are integer ten-thousandths of the major unit. Nothing here uses float.
"""

from __future__ import annotations

import functools
import re
from fractions import Fraction
from typing import Any

from common.money import MoneyError, exponent
from vendserver.errors import ApiError

# Used with fullmatch: `$` alone would also accept a trailing newline.
_UNITS_RE = re.compile(r"^[0-9]{1,9}(\.[0-9])?$")
_RATE_RE = re.compile(r"^[0-9]{1,6}(\.[0-9]{1,4})?$")
_PERCENT_RE = re.compile(r"^[0-9]{1,3}(\.[0-9]{1,2})?$")


def _scaled(text: str, decimals: int) -> int:
    whole, _, frac = text.partition(".")
    return int(int(whole) * 10**decimals + int((frac + "0" * decimals)[:decimals] or "0"))


def decimals(currency: str) -> int:
    """The ISO 4217 decimals of `currency` (ValueError for a code nobody checked)."""
    return exponent(currency)


@functools.cache  # every quote and sale parses an amount: compile each pattern once
def _money_re(exp: int) -> re.Pattern[str]:
    return re.compile(r"^[0-9]{1,9}" + (rf"(\.[0-9]{{1,{exp}}})?" if exp else "") + "$")


def _decimals_phrase(currency: str, exp: int) -> str:
    if exp == 0:
        return f"An amount in {currency} has no decimals: a string of digits, like \"12500\"."
    example = "150." + "0" * exp
    return (f"An amount in {currency} must be a string of digits with at most {exp} "
            f"decimal{'s' if exp > 1 else ''}, like \"{example}\".")


def parse_amount(text: object, field: str = "amount", currency: str = "ZAR") -> int:
    """Parse a request's money string into minor units of `currency` ("150.00" ZAR is 15000,
    "12500" UGX is 12500, "10.5" LYD is 10500), or raise VALIDATION_ERROR: more decimals than
    the currency has are refused, never rounded."""
    try:
        exp = exponent(currency)
    except MoneyError:
        raise ApiError("VALIDATION_ERROR", f"The currency {currency!r} is not known.",
                       {"errors": [{"field": field, "problem": "unknown currency"}]}) from None
    if not isinstance(text, str) or not _money_re(exp).fullmatch(text):
        raise ApiError(
            "VALIDATION_ERROR", _decimals_phrase(currency, exp),
            {"errors": [{"field": field, "problem": "not a money amount"}]},
        )
    return _scaled(text, exp)


def parse_money(obj: Any, currency: str, field: str = "amount") -> int:
    """Parse ``{"amount": "...", "currency": "..."}`` into minor units of the utility's
    currency (the amount is read with that currency's decimals)."""
    if not isinstance(obj, dict):
        raise ApiError("VALIDATION_ERROR", "Money must be an object with amount and currency.",
                       {"errors": [{"field": field, "problem": "not a money object"}]})
    minor = parse_amount(obj.get("amount"), f"{field}.amount", currency)
    if obj.get("currency") != currency:
        raise ApiError("CURRENCY_MISMATCH", f"Only {currency} is accepted here.",
                       {"expected": currency})
    return minor


def parse_units(text: str) -> int:
    """Parse a units string (``"50.0"``) into tenths."""
    if not _UNITS_RE.fullmatch(text):
        raise ValueError(f"not a units value: {text!r}")
    return _scaled(text, 1)


def parse_rate(text: str) -> int:
    """Parse a rate string (``"2.1234"``) into ten-thousandths of the major unit."""
    if not _RATE_RE.fullmatch(text):
        raise ValueError(f"not a rate: {text!r}")
    return _scaled(text, 4)


def parse_percent(text: str) -> int:
    """Parse a percentage string (``"15.00"``) into basis points (hundredths of a percent)."""
    if not _PERCENT_RE.fullmatch(text):
        raise ValueError(f"not a percentage: {text!r}")
    return _scaled(text, 2)


def fmt_cents(cents: int, currency: str = "ZAR") -> str:
    """Minor units as the wire's amount string, exactly the currency's decimals:
    ``"150.00"`` ZAR, ``"12500"`` UGX, ``"10.500"`` LYD (``"-0.05"`` for negatives)."""
    exp = exponent(currency)
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 10**exp)
    return f"{sign}{whole}.{frac:0{exp}d}" if exp else f"{sign}{whole}"


def money(cents: int, currency: str) -> dict[str, str]:
    """The wire form of an amount."""
    return {"amount": fmt_cents(cents, currency), "currency": currency}


def fmt_units(tenths: int) -> str:
    """Tenths as ``"123.4"``."""
    sign = "-" if tenths < 0 else ""
    t = abs(tenths)
    return f"{sign}{t // 10}.{t % 10}"


def fmt_rate(rate: int) -> str:
    """Ten-thousandths as ``"2.1234"``."""
    return f"{rate // 10000}.{rate % 10000:04d}"


def fmt_percent(bp: int) -> str:
    """Basis points as ``"15.00"``."""
    return f"{bp // 100}.{bp % 100:02d}"


def round_half_up(value: Fraction) -> int:
    """Round a non-negative rational to the nearest integer, halves up."""
    return int(value + Fraction(1, 2)) if value >= 0 else -int(-value + Fraction(1, 2))


def ceil_fraction(value: Fraction) -> int:
    """The smallest integer not below ``value``."""
    return int(-((-value.numerator) // value.denominator))


def largest_remainder(exact: list[Fraction], total: int) -> list[int]:
    """Round ``exact`` shares to integers summing to ``total`` (largest remainder, ties first).

    Used so receipt lines add up exactly: each line is its share rounded down, and the cents
    left over go to the lines that lost the most in rounding.
    """
    floors = [int(x // 1) for x in exact]
    left = total - sum(floors)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[: max(left, 0)]:
        floors[i] += 1
    return floors
