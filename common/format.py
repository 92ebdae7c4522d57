"""Display rules shared by the receipt, the screens and the logs: one definition each.

Tokens are printed and shown in groups of four digits (4-4-4-4-4); a token in a log or a
preview shows only its first and last four digits. Energy is held as an integer count of 0.1
units and shown with one decimal.
"""

from __future__ import annotations

TOKEN_GROUP = 4
"""Digits per group of a displayed token."""


def compact_token(digits: str) -> str:
    """The digits of a token as typed or printed, without the spaces and dashes of grouping."""
    return digits.replace(" ", "").replace("-", "")


def group_token(digits: str) -> str:
    """'1234 5678 9012 3456 7890': the 4-4-4-4-4 grouping printed and shown everywhere."""
    compact = compact_token(digits)
    return " ".join(compact[i : i + TOKEN_GROUP] for i in range(0, len(compact), TOKEN_GROUP))


def mask_token(digits: str) -> str:
    """'1234 **** **** **** 7890': all a log or a preview may show of a token."""
    compact = compact_token(digits)
    return f"{compact[:4]} **** **** **** {compact[-4:]}"


def format_units(units_tenths: int, unit: str = "kWh") -> str:
    """Energy held as an integer count of 0.1 units, shown as '1,234.5 kWh'."""
    sign = "-" if units_tenths < 0 else ""
    whole, tenth = divmod(abs(units_tenths), 10)
    return f"{sign}{whole:,}.{tenth} {unit}"


def format_percent(rate: str) -> str:
    """A rate as the API writes it ("15.00", "7.5") shown with its sign: '15%', '7.5%'
    ('15%' stays '15%'; anything that is not a number is shown as given)."""
    text = rate.strip().removesuffix("%").strip()
    whole, dot, frac = text.partition(".")
    if not whole.isdigit() or (dot and not frac.isdigit()):
        return rate
    frac = frac.rstrip("0")
    return f"{whole}.{frac}%" if frac else f"{whole}%"
