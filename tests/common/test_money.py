"""Money: minor units with the currency's own decimals, exact parsing, one formatter."""

from __future__ import annotations

import ast
import inspect
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import common.money
from common.amounts import SUPPORTED_LOCALES
from common.errors import InvalidInput
from common.money import (
    CURRENCY_EXPONENTS,
    SEPARATOR_OVERRIDES,
    Money,
    MoneyError,
    display_locale,
    exponent,
    format_money,
    format_number,
    number_style,
    set_display_locale,
)

CURRENCIES = st.sampled_from(sorted(CURRENCY_EXPONENTS))
MINOR = st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1)  # the wire form's 15 digits


@st.composite
def money(draw: st.DrawFn) -> Money:
    return Money(draw(MINOR), draw(CURRENCIES))


def test_exponents_come_from_iso_4217() -> None:
    expected = {
        "ZAR": 2, "UGX": 0, "XOF": 0, "XAF": 0, "KES": 2, "NGN": 2, "LYD": 3, "AOA": 2,
        "MZN": 2, "GHS": 2, "TZS": 2, "RWF": 0, "ZMW": 2, "MWK": 2, "BWP": 2, "NAD": 2,
        "SZL": 2, "LSL": 2, "USD": 2, "EUR": 2, "JPY": 0, "KWD": 3, "BHD": 3, "CLF": 4,
    }
    assert {code: exponent(code) for code in expected} == expected
    assert Money(1, "UGX").exponent == 0


def test_unknown_currency_is_refused_not_assumed_two_decimals() -> None:
    with pytest.raises(MoneyError, match="not known"):
        Money(100, "XYZ")
    with pytest.raises(MoneyError, match="3-letter"):
        Money(100, "rand")
    with pytest.raises(MoneyError, match="not known"):
        Money.parse("1.00", "ABC")
    # Plain for the cashier, and still a ValueError for parsers that catch that.
    assert issubclass(MoneyError, InvalidInput) and issubclass(MoneyError, ValueError)


def test_api_money_behaviour_is_kept_for_two_decimal_currencies() -> None:
    m = Money.parse("150.5", "ZAR")
    assert m == Money(15050, "ZAR")
    assert m.amount_str() == "150.50"
    assert m.to_json() == {"amount": "150.50", "currency": "ZAR"}
    assert str(m) == "ZAR 150.50" == format_money(m)
    assert str(Money(-123450, "ZAR")) == "ZAR -1,234.50"
    assert Money(-5, "ZAR").amount_str() == "-0.05"
    assert m + Money(50, "ZAR") == Money(15100, "ZAR")
    assert sorted([Money(3, "ZAR"), Money(1, "ZAR"), Money(2, "ZAR")]) == [
        Money(1, "ZAR"), Money(2, "ZAR"), Money(3, "ZAR")]
    for bad in ["", "1.234", "-1", "1e3", "1,00", "0x10", "1234567890", " 1"]:
        with pytest.raises(ValueError, match="at most 2 decimals"):
            Money.parse(bad, "ZAR")


def test_decimals_follow_the_currency() -> None:
    assert Money.parse("12500", "UGX").amount_str() == "12500"
    with pytest.raises(MoneyError, match="no decimals"):
        Money.parse("12500.5", "UGX")
    assert Money.parse("1.5", "LYD") == Money(1500, "LYD")
    assert Money(1234500, "LYD").amount_str() == "1234.500"
    assert Money(1234500, "LYD").amount == Decimal("1234.500")
    assert Money(12500, "UGX").to_json() == {"amount": "12500", "currency": "UGX"}


def test_arithmetic_and_order_refuse_mixed_currencies() -> None:
    zar, usd = Money(100, "ZAR"), Money(100, "USD")
    with pytest.raises(ValueError, match="different currencies"):
        zar + usd
    with pytest.raises(ValueError, match="different currencies"):
        zar - usd
    with pytest.raises(ValueError, match="different currencies"):
        assert zar < usd
    assert zar - Money(250, "ZAR") == Money(-150, "ZAR")
    assert -zar == Money(-100, "ZAR") and abs(Money(-3, "ZAR")) == Money(3, "ZAR")
    assert zar * 3 == 3 * zar == Money(300, "ZAR")
    with pytest.raises(TypeError):
        zar * Decimal("1.5")  # type: ignore[operator]
    assert Money.zero("UGX") == Money(0, "UGX")


def test_from_decimal_refuses_floats_and_extra_decimals_plainly() -> None:
    assert Money.from_decimal(Decimal("150.50"), "ZAR") == Money(15050, "ZAR")
    assert Money.from_decimal(Decimal("1.500"), "ZAR") == Money(150, "ZAR")  # zeros are exact
    assert Money.from_decimal(Decimal("1E+3"), "UGX") == Money(1000, "UGX")
    assert Money.from_decimal(7, "LYD") == Money(7000, "LYD")
    with pytest.raises(InvalidInput, match=r"^A ZAR amount can have at most 2 decimals\.$"):
        Money.from_decimal(Decimal("0.005"), "ZAR")
    with pytest.raises(InvalidInput, match=r"^A UGX amount can have no decimals\.$"):
        Money.from_decimal(Decimal("0.5"), "UGX")
    with pytest.raises(InvalidInput, match="Decimal, not float"):
        Money.from_decimal(0.1, "ZAR")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="finite"):
        Money.from_decimal(Decimal("NaN"), "ZAR")
    with pytest.raises(InvalidInput, match="minor units, not float"):
        Money(1.0, "ZAR")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="minor units, not bool"):
        Money(True, "ZAR")
    with pytest.raises(InvalidInput, match="decimal number"):
        Money.of("ten", "ZAR")
    with pytest.raises(InvalidInput, match="decimal string, not float"):
        Money.of(1.5, "ZAR")  # type: ignore[arg-type]


def test_wire_form_has_exactly_the_currency_decimals() -> None:
    assert Money.from_json({"amount": "150.00", "currency": "ZAR"}) == Money(15000, "ZAR")
    assert Money.from_wire("-1.500", "LYD") == Money(-1500, "LYD")
    assert Money.from_wire("12500", "UGX") == Money(12500, "UGX")
    for amount, currency in [("150.0", "ZAR"), ("150", "ZAR"), ("12500.00", "UGX"),
                             ("1.50", "LYD"), ("+1.00", "ZAR"), ("", "ZAR")]:
        with pytest.raises(MoneyError):
            Money.from_wire(amount, currency)
    with pytest.raises(MoneyError, match="amount string"):
        Money.from_json({"amount": 150, "currency": "ZAR"})


def test_one_formatter_groups_thousands_with_the_currency_decimals() -> None:
    assert format_money(Money(123450, "ZAR")) == "ZAR 1,234.50"
    assert format_money(Money(12500, "UGX")) == "UGX 12,500"
    assert format_money(Money(1234500, "LYD")) == "LYD 1,234.500"
    assert format_money(Money(-500, "ZAR")) == "ZAR -5.00"
    assert format_money(Money(5, "KWD")) == "KWD 0.005"


@given(money())
def test_wire_and_decimal_round_trips(m: Money) -> None:
    assert Money.from_json(m.to_json()) == m
    assert Money.from_wire(m.amount_str(), m.currency) == m
    assert Money.from_decimal(m.amount, m.currency) == m
    assert Money.of(str(m.amount), m.currency) == m


@given(money())
def test_amount_is_exact_with_the_currency_exponent(m: Money) -> None:
    assert isinstance(m.amount, Decimal)
    assert m.amount * 10 ** m.exponent == m.minor
    assert m.amount.as_tuple().exponent == -m.exponent
    assert ("." in m.amount_str()) == (m.exponent > 0)


@given(st.integers(min_value=0, max_value=10**9 - 1), CURRENCIES)
def test_request_parse_round_trips(minor: int, currency: str) -> None:
    m = Money(minor, currency)
    assert Money.parse(m.amount_str(), currency) == m


@given(money())
def test_formatted_text_reads_back_to_the_same_amount(m: Money) -> None:
    text = format_money(m)
    sign = "-" if text.startswith("-") else ""
    code, number = text.lstrip("-").split(" ")
    assert code == m.currency
    assert Money.from_wire(sign + number.replace(",", ""), code) == m


@given(money(), money())
def test_sum_is_exact(a: Money, b: Money) -> None:
    if a.currency != b.currency:
        b = Money(b.minor, a.currency)
    assert (a + b).amount == a.amount + b.amount
    assert (a - b).minor == a.minor - b.minor


def test_no_float_anywhere_in_the_module() -> None:
    tree = ast.parse(inspect.getsource(common.money))
    floats = [n for n in ast.walk(tree) if isinstance(n, ast.Constant) and type(n.value) is float]
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == "float"]
    assert floats == [] and calls == []


# -- display in the terminal's locale (CLDR through Babel) ---------------------------------------

#: The demo markets: the locale, its currency and the golden display strings.
GOLDEN = [
    ("en", Money(123450, "ZAR"), "ZAR 1,234.50"),
    ("en", Money(-7000, "ZAR"), "ZAR -70.00"),
    ("en", Money(12500, "UGX"), "UGX 12,500"),
    ("en", Money(1234500, "LYD"), "LYD 1,234.500"),
    ("en_UG", Money(12500, "UGX"), "UGX 12,500"),
    ("fr_CI", Money(12500, "XOF"), "12 500 XOF"),
    ("fr_CI", Money(-12500, "XOF"), "-12 500 XOF"),
    ("pt_MZ", Money(123450, "MZN"), "1 234,50 MZN"),
    ("pt_MZ", Money(-123450, "MZN"), "-1 234,50 MZN"),
    ("en_ZA", Money(123450, "ZAR"), "ZAR 1,234.50"),
    ("en_ZA", Money(-7000, "ZAR"), "ZAR -70.00"),
    ("af_ZA", Money(123450, "ZAR"), "ZAR 1 234,50"),
    ("de", Money(123450, "EUR"), "1.234,50 EUR"),
    ("nl", Money(-123450, "EUR"), "EUR -1.234,50"),
]


@pytest.mark.parametrize(("locale", "m", "text"), GOLDEN)
def test_each_market_sees_its_own_format(locale: str, m: Money, text: str) -> None:
    assert format_money(m, locale) == text


def test_the_default_display_locale_is_todays_house_format() -> None:
    assert display_locale() == "en"
    assert str(Money(123450, "ZAR")) == "ZAR 1,234.50"
    assert str(Money(-7000, "ZAR")) == "ZAR -70.00"


def test_the_display_locale_is_used_by_default_and_by_str() -> None:
    try:
        set_display_locale("fr_CI")
        assert display_locale() == "fr_CI"
        assert format_money(Money(-12500, "XOF")) == "-12 500 XOF"
        assert str(Money(12500, "XOF")) == "12 500 XOF"
        assert format_money(Money(12500, "XOF"), "en") == "XOF 12,500"
        set_display_locale("pt-MZ")  # either separator
        assert display_locale() == "pt_MZ"
        assert str(Money(123450, "MZN")) == "1 234,50 MZN"
    finally:
        set_display_locale("en")


def test_an_unknown_locale_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown locale"):
        set_display_locale("xx_XX")
    with pytest.raises(ValueError, match="unknown locale"):
        format_money(Money(1, "ZAR"), "nonsense")
    assert display_locale() == "en"


def test_the_number_alone_for_a_column_headed_by_the_currency() -> None:
    assert format_money(Money(-123450, "ZAR"), "en", code=False) == "-1,234.50"
    assert format_money(Money(12500, "XOF"), "fr_CI", code=False) == "12 500"


def test_en_za_shows_a_decimal_point_where_cldr_has_a_comma() -> None:
    # CLDR writes en_ZA '1 234,50'; the counter, its banks and utilities write '1,234.50'.
    assert "en_ZA" in SEPARATOR_OVERRIDES
    style = number_style("en_ZA")
    assert (style.decimal, style.group) == (".", ",")
    assert (number_style("af_ZA").decimal, number_style("af_ZA").group) == (",", " ")


def test_grouping_sizes_come_from_cldr() -> None:
    assert format_money(Money(1234567890, "INR"), "en_IN") == "INR 1,23,45,678.90"
    assert format_number(1234567, 0, "en") == "1,234,567"
    assert format_number(123, 0, "en") == "123"


def test_format_number_is_exact_and_refuses_a_float() -> None:
    assert format_number(Decimal("1234.5"), 1, "fr") == "1 234,5"
    assert format_number(Decimal("-0.04"), 1, "en") == "0.0"  # no '-0.0'
    assert format_number(Decimal("-1234.25"), 1, "pt_MZ") == "-1 234,2"  # half-even
    assert format_number(Decimal("12345678901234567890123456789.5"), 1, "en") == \
        "12,345,678,901,234,567,890,123,456,789.5"
    with pytest.raises(TypeError):
        format_number(1.5, 1)  # type: ignore[arg-type]


SUPPORTED = st.sampled_from(SUPPORTED_LOCALES)


@given(money(), SUPPORTED)
def test_no_no_break_space_nor_bidi_mark_is_ever_shown(m: Money, locale: str) -> None:
    text = format_money(m, locale)
    assert not set(text) & {"\u00a0", "\u202f", "\u200e", "\u200f", "\u2212"}
    assert text.isascii()


@given(money(), SUPPORTED)
def test_the_code_stays_in_its_place_and_the_sign_on_the_number(m: Money, locale: str) -> None:
    text = format_money(m, locale)
    number = format_money(m, locale, code=False)
    assert text in (f"{m.currency} {number}", f"{number} {m.currency}")
    assert number.startswith("-") == (m.minor < 0)
