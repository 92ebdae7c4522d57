"""Money in the API: integer minor units with a currency, never a float.

Only the value type lives here; reading a Money object out of an answer is
`validators.money`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Money"]

_REQUEST_MONEY_RE = re.compile(r"^[0-9]{1,9}(\.[0-9]{1,2})?$")
_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")


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

