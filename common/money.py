"""Money: integer minor units with an ISO 4217 currency, and the one place it is formatted.

The number of decimals comes from the currency (ZAR 2, UGX 0, LYD 3, ...), never from an
assumption: a currency missing from `CURRENCY_EXPONENTS` is refused with a clear error rather
than treated as two-decimal. Amounts are `int` minor units or exact `Decimal`s; a float is refused
everywhere, because it would already have lost cents.

Wire form (the vending API's): `{"amount": "150.00", "currency": "ZAR"}`, the amount written
with exactly as many decimals as the currency has ("12500" for UGX, "1234.500" for LYD).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from common.errors import InvalidInput

# ISO 4217 minor-unit exponents of the active currencies (funds codes included). Kept as a
# table, not a default, so that a code nobody checked is an error instead of a silent 2.
_EXPONENT_0 = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_EXPONENT_3 = "BHD IQD JOD KWD LYD OMR TND"
_EXPONENT_4 = "CLF UYW"
_EXPONENT_2 = (
    "AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN "
    "BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP "
    "GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT "
    "LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN "
    "NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE "
    "SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES "
    "WST XCD XCG YER ZAR ZMW ZWG"
)
CURRENCY_EXPONENTS: Mapping[str, int] = {
    code: exponent
    for exponent, codes in ((0, _EXPONENT_0), (2, _EXPONENT_2), (3, _EXPONENT_3), (4, _EXPONENT_4))
    for code in codes.split()
}
"""Decimals of each ISO 4217 currency this client knows."""

_CODE = re.compile(r"[A-Z]{3}")
# Request form: non-negative, at most 9 whole digits (the API's limit for a typed amount).
_REQUEST_WHOLE = r"[0-9]{1,9}"
# Wire form: optional sign, up to 15 whole digits, exactly the currency's decimals.
_WIRE_WHOLE = r"-?[0-9]{1,15}"


class MoneyError(InvalidInput, ValueError):
    """An amount or currency that cannot be money: shown plainly, and still a `ValueError`
    for callers that parse amounts and catch that."""


def exponent(currency: str) -> int:
    """The number of decimals of `currency` (ISO 4217); MoneyError for an unknown code."""
    if not isinstance(currency, str) or not _CODE.fullmatch(currency):
        raise MoneyError(f"Currency must be a 3-letter ISO code, not {currency!r}.")
    try:
        return CURRENCY_EXPONENTS[currency]
    except KeyError:
        raise MoneyError(
            f"Currency {currency} is not known to VendPoint; its decimals cannot be assumed."
        ) from None


def _decimals_phrase(exp: int) -> str:
    return "no decimals" if exp == 0 else f"at most {exp} decimal{'s' if exp > 1 else ''}"


@dataclass(frozen=True)
class Money:
    """An amount in integer minor units with its ISO 4217 currency; never a float.

    `Money(15050, "ZAR")` is ZAR 150.50, `Money(12500, "UGX")` is UGX 12,500. Arithmetic and
    ordering refuse to mix currencies.
    """

    minor: int
    currency: str

    def __post_init__(self) -> None:
        if isinstance(self.minor, bool) or not isinstance(self.minor, int):
            # A Decimal or float here is almost always whole units passed by mistake.
            raise MoneyError(
                f"Money takes integer minor units, not {type(self.minor).__name__}; "
                "use Money.from_decimal for an amount."
            )
        exponent(self.currency)

    # -- construction ---------------------------------------------------------------------------
    @classmethod
    def parse(cls, amount: str, currency: str) -> Money:
        """From a request-style decimal string such as "150", "150.5" or "150.50" (ZAR):
        non-negative, at most the currency's decimals."""
        exp = exponent(currency)
        frac = "" if exp == 0 else rf"(\.[0-9]{{1,{exp}}})?"
        if not isinstance(amount, str) or not re.fullmatch(_REQUEST_WHOLE + frac, amount):
            raise MoneyError(f"amount must be digits with {_decimals_phrase(exp)}")
        whole, _, digits = amount.partition(".")
        return cls(int(whole) * 10**exp + int((digits + "0" * exp)[:exp] or "0"), currency)

    @classmethod
    def from_wire(cls, amount: str, currency: str) -> Money:
        """From the API's amount string, which has exactly the currency's decimals
        ("150.00" ZAR, "12500" UGX, "-1.500" LYD)."""
        exp = exponent(currency)
        frac = "" if exp == 0 else rf"\.[0-9]{{{exp}}}"
        if not isinstance(amount, str) or not re.fullmatch(_WIRE_WHOLE + frac, amount):
            raise MoneyError(
                f"A {currency} amount must be written with exactly {exp} decimals."
                if exp
                else f"A {currency} amount must be written without decimals."
            )
        sign = -1 if amount.startswith("-") else 1
        whole, _, digits = amount.lstrip("-").partition(".")
        return cls(sign * (int(whole) * 10**exp + int(digits or "0")), currency)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Money:
        """From the wire object `{"amount": "150.00", "currency": "ZAR"}`."""
        if not isinstance(data, Mapping):
            raise MoneyError("A money value must be an object with an amount and a currency.")
        amount, currency = data.get("amount"), data.get("currency")
        if not isinstance(amount, str) or not isinstance(currency, str):
            raise MoneyError("A money value needs an amount string and a currency code.")
        return cls.from_wire(amount, currency)

    @classmethod
    def from_decimal(cls, value: Decimal | int, currency: str) -> Money:
        """From an exact amount in major units; refuses a float and more decimals than the
        currency has (trailing zeros are fine: Decimal("1.500") is ZAR 1.50)."""
        exp = exponent(currency)
        if isinstance(value, bool) or not isinstance(value, Decimal | int):
            raise MoneyError(f"An amount must be a Decimal, not {type(value).__name__}.")
        if isinstance(value, int):
            return cls(value * 10**exp, currency)
        if not value.is_finite():
            raise MoneyError("An amount must be a finite number.")
        # Integer arithmetic on the digits: exact at any size, no context precision involved.
        sign, digits, dec_exp = value.as_tuple()
        assert isinstance(dec_exp, int)  # finite, checked above
        coefficient = int("".join(map(str, digits)) or "0")
        shift = dec_exp + exp
        if shift >= 0:
            minor = coefficient * 10**shift
        else:
            minor, rest = divmod(coefficient, 10**-shift)
            if rest:
                raise MoneyError(f"A {currency} amount can have {_decimals_phrase(exp)}.")
        return cls(-minor if sign else minor, currency)

    @classmethod
    def of(cls, amount: str, currency: str) -> Money:
        """From a decimal string in major units such as "150.00" or "-12.5" (exact)."""
        if not isinstance(amount, str):
            raise MoneyError(f"An amount must be a decimal string, not {type(amount).__name__}.")
        try:
            value = Decimal(amount)
        except (InvalidOperation, TypeError):
            raise MoneyError("An amount must be a decimal number.") from None
        return cls.from_decimal(value, currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Nothing, in `currency`."""
        return cls(0, currency)

    # -- views ----------------------------------------------------------------------------------
    @property
    def exponent(self) -> int:
        """Decimals of the currency (2 for ZAR, 0 for UGX, 3 for LYD)."""
        return CURRENCY_EXPONENTS[self.currency]

    @property
    def amount(self) -> Decimal:
        """The exact amount in major units, with the currency's decimals: Decimal("150.50")."""
        # From the exact string: Decimal.scaleb would round past the context's precision.
        return Decimal(self.amount_str())

    def amount_str(self) -> str:
        """"150.00" style string (sign included if negative), the currency's decimals."""
        sign = "-" if self.minor < 0 else ""
        whole, frac = divmod(abs(self.minor), 10**self.exponent)
        return f"{sign}{whole}.{frac:0{self.exponent}d}" if self.exponent else f"{sign}{whole}"

    def to_json(self) -> dict[str, str]:
        """The API's `{"amount": "150.00", "currency": "ZAR"}` form."""
        return {"amount": self.amount_str(), "currency": self.currency}

    def __str__(self) -> str:
        # Display text, so the one display format: "ZAR 1,234.50", "ZAR -4.50".
        return format_money(self)

    # -- arithmetic and order (same currency only) ---------------------------------------------
    def _same(self, other: Money, what: str) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot {what} Money and {type(other).__name__}")
        if other.currency != self.currency:
            raise MoneyError(f"cannot {what} different currencies")

    def __add__(self, other: Money) -> Money:
        self._same(other, "add")
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other, "subtract")
        return Money(self.minor - other.minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    def __abs__(self) -> Money:
        return Money(abs(self.minor), self.currency)

    def __mul__(self, factor: int) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, int):
            # A fractional factor needs a rounding rule; that belongs to the caller.
            raise TypeError("Money can only be multiplied by an integer")
        return Money(self.minor * factor, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        self._same(other, "compare")
        return self.minor < other.minor

    def __le__(self, other: Money) -> bool:
        self._same(other, "compare")
        return self.minor <= other.minor

    def __gt__(self, other: Money) -> bool:
        self._same(other, "compare")
        return self.minor > other.minor

    def __ge__(self, other: Money) -> bool:
        self._same(other, "compare")
        return self.minor >= other.minor


def format_money(money: Money) -> str:
    """'ZAR 1,234.50', 'UGX 12,500', 'LYD 1,234.500', 'ZAR -5.00': the one display format
    (the code first, thousands grouped, the currency's decimals, the sign on the number).

    The code always leads, so every amount on a screen, slip or report starts the same way
    and lines up; the minus sits on the number it changes. Brackets ('(ZAR 5.00)') are an
    accountant's habit a customer reading a slip may not know, and a thermal printer's
    brackets are easily lost in a torn or faded line.
    """
    sign = "-" if money.minor < 0 else ""
    whole, frac = divmod(abs(money.minor), 10**money.exponent)
    decimals = f".{frac:0{money.exponent}d}" if money.exponent else ""
    return f"{money.currency} {sign}{whole:,}{decimals}"
