"""The core's Decimal <-> `Money` conversion, in one place, over `common.money`.

Amounts travel as `Money` (integer minor units + ISO 4217 code, `common.money.Money`).
Printers and people read decimals; the number of decimals comes with the currency (ZAR 2,
JPY 0, KWD 3), never an assumed two.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from common.errors import InvalidInput
from common.i18n import _
from common.money import Money
from common.money import exponent as _exponent


def exponent(currency: str) -> int:
    """How many decimals the currency's minor unit has (ISO 4217)."""
    return _exponent(currency)


def to_decimal(money: Money) -> Decimal:
    """The amount as an exact Decimal with the currency's number of decimals."""
    return money.amount


def from_decimal(amount: Decimal | str, currency: str) -> Money:
    """A decimal amount as Money; more decimals than the currency has is `InvalidInput`."""
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidInput(_("{amount!r} is not an amount.").format(amount=amount)) from None
    return Money.from_decimal(value, currency)
