"""Amounts typed by people (sale amount, cash tendered, shift float, counted cash): one parser.

The terminal's locale decides the decimal separator: a point ("55.50") where that is the norm,
a comma ("55,50") where the decimal comma is. The symbols come from the same CLDR data (Babel)
as the display (`common.money.number_style`, with its `SEPARATOR_OVERRIDES`: en_ZA types and
shows a decimal point), for any locale Babel knows, so an amount is typed the way the till
shows it. What could be read two ways is refused with a message that says how to type it,
never guessed: under a decimal-point locale "10,50" is not ZAR 1,050.00 and not ZAR 10.50, it
is a question back to the cashier. Grouping (thousands separators) is accepted only where it
cannot be a decimal: whole groups of three digits, the locale's group character (or a space),
and never for a three-decimal currency, where "1,000" could be one unit. The messages are
translated (`common.i18n`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal

from common.errors import InvalidInput
from common.i18n import N_, _, ngettext
from common.money import Money, exponent, number_style

__all__ = [
    "AMOUNT_FORMATS", "DECIMAL_POINT", "SUPPORTED_LOCALES", "AmountFormat", "amount_format",
    "parse_amount",
]

#: at most 9 whole digits (the API's limit for a typed amount)
MAX_WHOLE_DIGITS = 9

# Spaces people (and copy-paste) put between groups: space, no-break space, narrow no-break.
_SPACES = " \u00a0\u202f"


@dataclass(frozen=True)
class AmountFormat:
    """How a locale writes numbers: its decimal separator and its grouping character."""

    decimal: str
    group: str

    def __post_init__(self) -> None:
        if self.decimal not in ".," or len(self.decimal) != 1 or self.group == self.decimal:
            raise ValueError("decimal must be '.' or ',' and differ from the group character")

    @property
    def other(self) -> str:
        """The punctuation that is NOT this locale's decimal separator ('.' ↔ ',')."""
        return "," if self.decimal == "." else "."

    @property
    def decimal_name(self) -> str:
        """'a point' or 'a comma', for messages (translated)."""
        return _("a point") if self.decimal == "." else _("a comma")

    def editable(self, money: Money) -> str:
        """'515.00' or '515,00': an amount as it is typed back into a field (no grouping)."""
        return money.amount_str().replace(".", self.decimal)

    def example(self, whole: str = "55", cents: str = "50") -> str:
        """'55.50' or '55,50': an example amount in this format."""
        return f"{whole}{self.decimal}{cents}"


DECIMAL_POINT = AmountFormat(".", ",")
"""Decimal point, comma grouping: '1,250.50'."""

#: The terminal locales offered in Settings (`ui.locale`): the markets VendPoint serves and
#: the continental locales of their neighbours and owners. `amount_format` takes any other
#: locale Babel knows as well.
SUPPORTED_LOCALES: tuple[str, ...] = (
    "en", "en_ZA", "en_BW", "en_NA", "en_ZM", "en_ZW", "en_KE", "en_UG", "en_TZ", "en_NG",
    "en_GH", "en_GB", "en_US", "af_ZA", "fr", "fr_FR", "fr_SN", "fr_CI", "fr_CM", "fr_CD",
    "pt_MZ", "pt_AO", "de", "de_DE", "es", "es_ES", "nl", "nl_NL", "pt_BR",
)


def amount_format(locale: str) -> AmountFormat:
    """The amount format of a terminal locale ('en_ZA', 'pt_MZ'): its CLDR decimal and group
    symbols (with the display's overrides); ValueError for a locale Babel does not know."""
    style = number_style(locale)
    return DECIMAL_POINT if (style.decimal, style.group) == (".", ",") else \
        AmountFormat(style.decimal, style.group)


class _AmountFormats(Mapping[str, AmountFormat]):
    """The supported locales' formats, each read from CLDR when first asked for (start-up
    needs the names only, and at most the terminal's own locale)."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self._names = names

    def __getitem__(self, name: str) -> AmountFormat:
        if name not in self._names:
            raise KeyError(name)
        return amount_format(name)  # number_style caches each locale's symbols

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


AMOUNT_FORMATS: Mapping[str, AmountFormat] = _AmountFormats(SUPPORTED_LOCALES)
"""The locales offered in Settings (`ui.locale`) and how each writes amounts."""


def _too_many_decimals(field: str, places: int) -> str:
    if places == 0:
        return _("The {field} can have no decimals.").format(field=field)
    if places == 2:
        return _("The {field} can have at most two decimals (cents).").format(field=field)
    return ngettext("The {field} can have at most {n} decimal.",
                    "The {field} can have at most {n} decimals.", places).format(
        field=field, n=places)


_GROUPED = re.compile(r"[0-9]{1,3}(?:(?P<sep>[^0-9])[0-9]{3})(?:(?P=sep)[0-9]{3})*")


def _whole_digits(whole: str, fmt: AmountFormat, places: int, text: str, name: str) -> str:
    """The digits of the whole part, grouping removed where it is unambiguous."""
    if whole.isdigit() or not whole:
        return whole
    separators = {ch for ch in whole if not ch.isdigit()}
    # Only the locale's own group character or a space: in a decimal-comma locale grouped by
    # spaces, "10.50" might be meant as cents and "1.000" as a thousand; neither is guessed.
    if not separators <= {fmt.group, *_SPACES} or not _GROUPED.fullmatch(whole):
        raise InvalidInput(_unclear(text, fmt, name))
    if places == 3 and separators & {".", ","}:
        # '1,000' of a three-decimal currency could be one unit: refuse, do not guess.
        raise InvalidInput(_unclear(text, fmt, name))
    return "".join(ch for ch in whole if ch.isdigit())


def _unclear(text: str, fmt: AmountFormat, name: str) -> str:
    return _("“{text}” is not clear as the {field}: this till writes decimals with "
             "{decimal}. Type ten and a half as {example} and a thousand and fifty as "
             "1050.").format(text=text.strip(), field=name, decimal=fmt.decimal_name,
                             example=fmt.example("10", "50"))


#: The fields whose amounts are read here, by the English name callers pass: each is shown
#: in the message translated, so a French screen says « fonds de caisse », not "opening float".
FIELD_NAMES = (N_("amount"), N_("cash tendered"), N_("opening float"), N_("cash drop"),
               N_("counted cash"))


def parse_amount(text: str, field: str, currency: str, fmt: AmountFormat = DECIMAL_POINT, *,
                 allow_zero: bool = False) -> Money:
    """The amount a person typed, as exact `Money` in `currency`, read in `fmt`.

    `field` names it in messages ("amount", "cash tendered", "opening float"). Refused with a
    plain `InvalidInput`: empty, negative, not a number, ambiguous separators, more decimals
    than the currency has, more than 9 whole digits, and zero unless `allow_zero` (a float or
    a count may be nothing; a sale may not).
    """
    field = _(field)
    cleaned = text.strip()
    places = exponent(currency)
    example = "100" if places == 0 else _("{whole} or {decimal}").format(
        whole="100", decimal=fmt.example("55", "5" + "0" * (places - 1)))
    not_a_number = _("The {field} must be a number, for example {example}.").format(
        field=field, example=example)
    if not cleaned:
        raise InvalidInput(_("Type the {field}, for example {example}.").format(
            field=field, example=example))
    if cleaned.startswith("-"):
        raise InvalidInput((_("The {field} cannot be negative.") if allow_zero
                            else _("The {field} must be more than zero.")).format(field=field))
    if not all((ch.isascii() and ch.isdigit()) or ch in ".," + _SPACES for ch in cleaned):
        raise InvalidInput(not_a_number)
    whole, sep, fraction = cleaned.rpartition(fmt.decimal) if fmt.decimal in cleaned \
        else (cleaned, "", "")
    if sep and fraction and not fraction.isdigit():
        raise InvalidInput(_unclear(cleaned, fmt, field))
    if fmt.decimal in whole:
        raise InvalidInput(_unclear(cleaned, fmt, field))
    digits = _whole_digits(whole, fmt, places, cleaned, field)
    if not digits and not fraction:
        raise InvalidInput(not_a_number)
    if len(digits.lstrip("0")) > MAX_WHOLE_DIGITS:
        raise InvalidInput(_("The {field} is too large.").format(field=field))
    if len(fraction.rstrip("0")) > places:
        raise InvalidInput(_too_many_decimals(field, places))
    value = Decimal(f"{digits or '0'}.{fraction or '0'}")
    money = Money.from_decimal(value.quantize(Decimal(1).scaleb(-places)), currency)
    if money.minor == 0 and not allow_zero:
        raise InvalidInput(_("The {field} must be more than zero.").format(field=field))
    return money
