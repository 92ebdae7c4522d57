"""Money: integer minor units with an ISO 4217 currency, and the one place it is formatted.

The number of decimals comes from the currency (ZAR 2, UGX 0, LYD 3, ...), never from an
assumption: a currency missing from `CURRENCY_EXPONENTS` is refused with a clear error rather
than treated as two-decimal. Amounts are `int` minor units or exact `Decimal`s; a float is refused
everywhere, because it would already have lost cents.

Wire form (the vending API's): `{"amount": "150.00", "currency": "ZAR"}`, the amount written
with exactly as many decimals as the currency has ("12500" for UGX, "1234.500" for LYD).

Display: ONE formatter, `format_money`, for screens, receipts, reports and exports alike. The
receipts are made here in the core, which has no Qt, and what the screen shows must read the
same as the slip the customer takes home, so money is never formatted with QLocale. The rules
come from CLDR (through Babel) for the display locale (`set_display_locale`, from the
`ui.locale` setting; "en" until it is set):

- the locale's decimal symbol, grouping symbol, grouping sizes and minus sign, and the
  currency's ISO 4217 decimals ("ZAR 1,234.50", "UGX 12,500", "LYD 1,234.500");
- the currency's PLACE from the locale's CLDR currency pattern: before the number in English
  ("ZAR 1,234.50"), after it in French and Portuguese ("12 500 XOF", "1 234,50 MZN");
- the symbol is always the ISO code, never "R", "USh", "F CFA" or "د.ل.": a prepaid receipt
  is a fiscal document, the code is unambiguous across the Rand and CFA zones, and it prints
  on every ESC/POS code page;
- one plain ASCII space between code and number, and as the grouping character wherever CLDR
  uses a no-break or narrow no-break space (U+00A0, U+202F): what is shown, printed, exported
  and searched is then the same text, and thermal code pages have no U+202F (bidi marks are
  dropped and U+2212 is written '-' for the same reason);
- the sign on the number, the code kept in its place: "ZAR -70.00", "-12 500 XOF". Brackets
  ('(ZAR 70.00)') are an accountant's habit a customer reading a slip may not know, and a
  thermal printer's brackets are easily lost in a torn or faded line.

`SEPARATOR_OVERRIDES` corrects CLDR where the counter writes otherwise: CLDR gives en_ZA a
decimal comma and space grouping, but South African tills, banks and utilities print
"R 1,234.50" with a point. The amount parser (`common.amounts`) reads typed amounts with the
same symbols, so what a cashier types and what the till shows agree.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation
from functools import lru_cache
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
        # Display text, so the one display format in the display locale: "ZAR 1,234.50".
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


DEFAULT_DISPLAY_LOCALE = "en"
"""The display locale until `set_display_locale` is called: English as CLDR writes it, the
house format every test and report was written against ("ZAR 1,234.50", "ZAR -70.00")."""

SEPARATOR_OVERRIDES: Mapping[str, tuple[str, str]] = {
    # CLDR: '1 234,50'. South African tills, banks and utilities print 'R 1,234.50', and
    # cashiers type the point; af_ZA keeps CLDR's decimal comma, as Afrikaans writes it.
    "en_ZA": (".", ","),
}
"""(decimal, group) where the counter writes numbers otherwise than CLDR, for display and
input alike."""

# Characters CLDR uses that a thermal printer's code page cannot print, and what is written.
_PLAIN = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2212": "-",
                        "\u200e": None, "\u200f": None, "\u061c": None})


@dataclass(frozen=True)
class NumberStyle:
    """How one locale writes numbers, from CLDR with `SEPARATOR_OVERRIDES` applied and the
    spaces made plain: what `format_number`, `format_money` and the amount parser use."""

    locale: str
    decimal: str
    group: str
    minus: str
    #: digits in the group next to the decimal, and in every group further left
    primary: int
    secondary: int
    #: the currency comes after the number ('12 500 XOF'), not before ('ZAR 1,234.50')
    code_after: bool
    #: what comes before and after a percentage's number ('' and ' %' in French)
    percent_prefix: str
    percent_suffix: str

    def group_digits(self, digits: str) -> str:
        """'1234567' as '1,234,567' (or '12,34,567' where the grouping sizes say so)."""
        if not self.group or len(digits) <= self.primary:
            return digits
        head, groups = digits[: -self.primary], [digits[-self.primary:]]
        while len(head) > self.secondary:
            groups.append(head[-self.secondary:])
            head = head[: -self.secondary]
        if head:
            groups.append(head)
        return self.group.join(reversed(groups))

    def compose(self, negative: bool, whole: str, fraction: str) -> str:
        """The number from its digits: grouped whole part, the locale's decimal and minus."""
        number = self.group_digits(whole) + (self.decimal + fraction if fraction else "")
        return self.minus + number if negative else number


def _plain(text: str) -> str:
    return text.translate(_PLAIN)


@lru_cache(maxsize=64)
def _style(name: str) -> NumberStyle:
    # Babel (and its CLDR data) is imported when a locale's style is first needed, not with
    # this module: start-up needs one locale, and only once something is formatted.
    from babel import Locale, UnknownLocaleError

    try:
        loc = Locale.parse(name.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise ValueError(f"unknown locale {name!r}") from None
    key = str(loc)
    symbols = loc.number_symbols.get("latn", {})
    decimal, group = SEPARATOR_OVERRIDES.get(key) or (
        _plain(symbols.get("decimal", ".")), _plain(symbols.get("group", ",")))
    if decimal not in (".", ",") or group == decimal:
        # Typed amounts are read with '.' or ','; a till cannot show what it cannot read back.
        raise ValueError(f"unknown locale {name!r}: its decimal symbol {decimal!r} "
                         "cannot be typed at the till")
    money_pattern = loc.currency_formats["standard"]
    primary, secondary = money_pattern.grouping
    percent = loc.percent_formats[None]
    return NumberStyle(
        locale=key, decimal=decimal, group=group,
        minus=_plain(symbols.get("minusSign", "-")) or "-",
        primary=primary, secondary=secondary,
        code_after="\xa4" in money_pattern.suffix[0],
        percent_prefix=_plain(percent.prefix[0]), percent_suffix=_plain(percent.suffix[0]))


_display_locale = DEFAULT_DISPLAY_LOCALE


def number_style(locale: str | None = None) -> NumberStyle:
    """How `locale` (default: the display locale) writes numbers; ValueError for a locale
    Babel does not know or whose decimal symbol is neither '.' nor ','."""
    return _style(locale or _display_locale)


def set_display_locale(locale: str) -> None:
    """Make `locale` ('en_ZA', 'fr_CI', 'pt_MZ') the one every amount and number is shown in
    (set at start-up from the `ui.locale` setting); ValueError for an unknown one."""
    global _display_locale
    _display_locale = _style(locale).locale


def display_locale() -> str:
    """The locale every amount and number is shown in (see `set_display_locale`)."""
    return _display_locale


def format_number(value: Decimal | int, decimals: int, locale: str | None = None) -> str:
    """'1,234.5' (en) or '1 234,5' (fr): a number with exactly `decimals` decimals (rounded
    half-even), grouped, in `locale` (default: the display locale). For energy, percentages
    and counts; money has `format_money`, which adds its code."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"format_number takes a Decimal or an int, not {type(value).__name__}")
    if decimals < 0:
        raise ValueError("decimals must be zero or more")
    style = number_style(locale)
    if isinstance(value, int):
        return style.compose(value < 0, str(abs(value)), "0" * decimals)
    if not value.is_finite():
        raise ValueError("only a finite number can be shown")
    context = Context(prec=max(28, value.adjusted() + decimals + 2))
    exact = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN,
                           context=context)
    whole, _, fraction = f"{exact.copy_abs():f}".partition(".")
    return style.compose(exact.is_signed() and exact != 0, whole, fraction)


def format_money(money: Money, locale: str | None = None, *, code: bool = True) -> str:
    """'ZAR 1,234.50', 'UGX 12,500', 'LYD 1,234.500', 'ZAR -5.00' (en); '12 500 XOF',
    '-12 500 XOF' (fr_CI); '1 234,50 MZN' (pt_MZ): the one display format, in `locale`
    (default: the display locale). See the module's docstring for the rules and why.

    `code=False` gives the number alone ('1,234.50'), for a column headed by the currency.
    """
    style = number_style(locale)
    places = money.exponent
    whole, frac = divmod(abs(money.minor), 10**places)
    number = style.compose(money.minor < 0, str(whole), f"{frac:0{places}d}" if places else "")
    if not code:
        return number
    return f"{number} {money.currency}" if style.code_after else f"{money.currency} {number}"
