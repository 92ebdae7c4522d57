"""Money, units and rates as integers: parsing and formatting for the wire format.

Money is integer cents (minor units); units are integer tenths (0.1 kWh / 0.1 kL, the STS
resolution); tariff rates are integer ten-thousandths of the major unit. Nothing here uses float.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

from vendserver.errors import ApiError

# Used with fullmatch: `$` alone would also accept a trailing newline.
_MONEY_RE = re.compile(r"^[0-9]{1,9}(\.[0-9]{1,2})?$")
_UNITS_RE = re.compile(r"^[0-9]{1,9}(\.[0-9])?$")
_RATE_RE = re.compile(r"^[0-9]{1,6}(\.[0-9]{1,4})?$")
_PERCENT_RE = re.compile(r"^[0-9]{1,3}(\.[0-9]{1,2})?$")


def _scaled(text: str, decimals: int) -> int:
    whole, _, frac = text.partition(".")
    return int(int(whole) * 10**decimals + int((frac + "0" * decimals)[:decimals]))


def parse_amount(text: object, field: str = "amount") -> int:
    """Parse a money string (``"150.00"``) into cents, or raise VALIDATION_ERROR."""
    if not isinstance(text, str) or not _MONEY_RE.fullmatch(text):
        raise ApiError(
            "VALIDATION_ERROR",
            "An amount must be a string of digits with at most 2 decimals, like \"150.00\".",
            {"errors": [{"field": field, "problem": "not a money amount"}]},
        )
    return _scaled(text, 2)


def parse_money(obj: Any, currency: str, field: str = "amount") -> int:
    """Parse ``{"amount": "...", "currency": "..."}`` into cents in the utility's currency."""
    if not isinstance(obj, dict):
        raise ApiError("VALIDATION_ERROR", "Money must be an object with amount and currency.",
                       {"errors": [{"field": field, "problem": "not a money object"}]})
    cents = parse_amount(obj.get("amount"), f"{field}.amount")
    if obj.get("currency") != currency:
        raise ApiError("CURRENCY_MISMATCH", f"Only {currency} is accepted here.",
                       {"expected": currency})
    return cents


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


def fmt_cents(cents: int) -> str:
    """Cents as ``"150.00"`` (``"-0.05"`` for negatives)."""
    sign = "-" if cents < 0 else ""
    c = abs(cents)
    return f"{sign}{c // 100}.{c % 100:02d}"


def money(cents: int, currency: str) -> dict[str, str]:
    """The wire form of an amount."""
    return {"amount": fmt_cents(cents), "currency": currency}


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
