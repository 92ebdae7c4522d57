"""The one place where the core turns integer-minor-unit `Money` into a `Decimal` and back.

Amounts travel as `app.api.models.Money` (integer minor units + ISO 4217 code). Printers and
people read decimals; the number of decimals comes with the currency (ZAR 2, JPY 0, KWD 3),
never an assumed two.
"""

from __future__ import annotations

from decimal import Decimal

from app.api.models import Money
from app.errors import InvalidInput

#: ISO 4217 minor-unit exponents that are not 2 (every other currency has cents).
_EXPONENTS = {
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
    "PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
}


def exponent(currency: str) -> int:
    """How many decimals the currency's minor unit has (ISO 4217)."""
    return _EXPONENTS.get(currency.upper(), 2)


def to_decimal(money: Money) -> Decimal:
    """The amount as an exact Decimal with the currency's number of decimals."""
    places = exponent(money.currency)
    return Decimal(money.minor).scaleb(-places).quantize(Decimal(1).scaleb(-places))


def from_decimal(amount: Decimal | str, currency: str) -> Money:
    """A decimal amount as Money; more decimals than the currency has is `InvalidInput`."""
    try:
        value = Decimal(amount)
    except ArithmeticError:
        raise InvalidInput(f"{amount!r} is not an amount.") from None
    if not value.is_finite():
        raise InvalidInput(f"{amount!r} is not an amount.")
    places = exponent(currency)
    minor = value.scaleb(places)
    if minor != minor.to_integral_value():
        raise InvalidInput(f"A {currency} amount has at most {places} decimals.")
    return Money(int(minor), currency)
