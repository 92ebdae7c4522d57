"""The one parser of typed amounts: the terminal locale's decimal separator, ambiguous input
refused (never read as another amount), grouping only where it cannot be a decimal."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import common.amounts
from common.amounts import (
    AMOUNT_FORMATS,
    DECIMAL_POINT,
    SUPPORTED_LOCALES,
    AmountFormat,
    amount_format,
    parse_amount,
)
from common.errors import InvalidInput
from common.money import Money, exponent, format_money

COMMA = amount_format("pt_MZ")  # decimal comma, grouped with (no-break) spaces
COMMA_DOT = amount_format("de")  # decimal comma, grouped with points


@pytest.mark.parametrize(("text", "minor"), [
    ("100", 10000), ("55.5", 5550), ("55.50", 5550), (" 1,000 ", 100000), ("1,000.50", 100050),
    ("1 000", 100000), ("1\u00a0250.75", 125075), ("12,345,678.90", 1234567890), (".5", 50),
    ("5.", 500), ("10.500", 1050),
])
def test_decimal_point_locale_reads(text: str, minor: int) -> None:
    assert parse_amount(text, "amount", "ZAR", DECIMAL_POINT) == Money(minor, "ZAR")


@pytest.mark.parametrize("text", ["10,50", "1,5", "1,0000", "12,34,567", "1.000,50", "10,50,"])
def test_a_comma_that_could_be_cents_is_refused_under_a_decimal_point(text: str) -> None:
    # "10,50" used to be read as ZAR 1,050.00, one Enter from selling.
    with pytest.raises(InvalidInput) as caught:
        parse_amount(text, "amount", "ZAR", DECIMAL_POINT)
    message = str(caught.value)
    assert "not clear" in message and "point" in message and "10.50" in message


@pytest.mark.parametrize(("text", "minor"), [
    ("10,50", 1050), ("55,5", 5550), ("1 000", 100000), ("1\u00a0000,25", 100025),
    ("1\u202f000", 100000),
])
def test_decimal_comma_locale_reads(text: str, minor: int) -> None:
    assert parse_amount(text, "amount", "MZN", COMMA) == Money(minor, "MZN")


@pytest.mark.parametrize("text", ["10.50", "1.000", "1.000,50", "1,2,3"])
def test_a_point_is_refused_where_the_decimal_is_a_comma(text: str) -> None:
    with pytest.raises(InvalidInput, match=r"not clear.*a comma.*10,50"):
        parse_amount(text, "amount", "MZN", COMMA)


def test_point_grouping_where_the_locale_groups_with_points() -> None:
    assert parse_amount("1.000,50", "amount", "EUR", COMMA_DOT) == Money(100050, "EUR")
    assert parse_amount("1.000", "amount", "EUR", COMMA_DOT) == Money(100000, "EUR")
    with pytest.raises(InvalidInput, match="not clear"):
        parse_amount("10.50", "amount", "EUR", COMMA_DOT)


def test_grouping_of_a_three_decimal_currency_is_ambiguous() -> None:
    # "1,000" LYD could be one dinar (three decimals) or a thousand: refused.
    with pytest.raises(InvalidInput, match="not clear"):
        parse_amount("1,000", "amount", "LYD", DECIMAL_POINT)
    assert parse_amount("1 000", "amount", "LYD") == Money(1000000, "LYD")
    assert parse_amount("12.345", "amount", "LYD") == Money(12345, "LYD")


def test_decimals_come_with_the_currency() -> None:
    assert parse_amount("1,000", "amount", "UGX") == Money(1000, "UGX")
    with pytest.raises(InvalidInput, match="no decimals"):
        parse_amount("10.5", "amount", "UGX")
    with pytest.raises(InvalidInput, match="at most 3 decimals"):
        parse_amount("1.2345", "amount", "LYD")
    with pytest.raises(InvalidInput, match="two decimals"):
        parse_amount("1.234", "cash tendered", "ZAR")


@pytest.mark.parametrize(("text", "problem"), [
    ("", "Type the amount"), ("abc", "must be a number"), ("-5", "more than zero"),
    ("1.234", "two decimals"), ("0", "more than zero"), ("1e3", "must be a number"),
    ("9999999999", "too large"), ("١٠٠", "must be a number"), (".", "must be a number"),
])
def test_refusals_say_what_is_wrong(text: str, problem: str) -> None:
    with pytest.raises(InvalidInput, match=problem):
        parse_amount(text, "amount", "ZAR")


def test_zero_when_allowed_and_the_field_named() -> None:
    assert parse_amount("0", "opening float", "ZAR", allow_zero=True) == Money(0, "ZAR")
    with pytest.raises(InvalidInput, match="The opening float cannot be negative"):
        parse_amount("-1", "opening float", "ZAR", allow_zero=True)


def test_every_known_locale_has_a_format_and_unknown_is_refused() -> None:
    assert AMOUNT_FORMATS["en_ZA"] is DECIMAL_POINT
    assert amount_format("af_ZA").decimal == ","
    with pytest.raises(ValueError, match="unknown locale"):
        amount_format("xx_XX")


# -- the same CLDR symbols as the display -------------------------------------------------------

def test_formats_come_from_cldr_for_any_locale_babel_knows() -> None:
    assert amount_format("fr_CI") == AmountFormat(",", " ")
    assert amount_format("pt_MZ") == AmountFormat(",", " ")
    assert amount_format("de_AT").decimal == ","  # not offered in Settings, still known
    assert amount_format("en_KE") is DECIMAL_POINT
    assert amount_format("en_ZA") is DECIMAL_POINT  # the counter's point, not CLDR's comma


def test_the_settings_list_keeps_every_locale_it_offered() -> None:
    for name in ("en", "en_ZA", "en_UG", "en_KE", "en_NG", "fr_CI", "fr_SN", "pt_MZ", "pt_AO",
                 "af_ZA", "de", "es", "nl", "pt_BR"):
        assert name in AMOUNT_FORMATS
    assert set(AMOUNT_FORMATS) == set(SUPPORTED_LOCALES)


def test_editable_and_example_follow_the_locale() -> None:
    fr = amount_format("fr_CI")
    assert fr.editable(Money(51500, "ZAR")) == "515,00"
    assert fr.example() == "55,50"
    assert DECIMAL_POINT.editable(Money(1234500, "LYD")) == "1234.500"


def test_messages_are_translated_whole_sentences(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def recording(message: str) -> str:
        seen.append(message)
        return message

    monkeypatch.setattr(common.amounts, "_", recording)
    with pytest.raises(InvalidInput):
        parse_amount("10,50", "amount", "ZAR", DECIMAL_POINT)
    assert any(m.startswith("“{text}” is not clear as the {field}") for m in seen)
    assert "a point" in seen


ROUND_TRIP_CURRENCIES = st.sampled_from(["ZAR", "UGX", "XOF", "LYD", "MZN", "KES", "EUR"])


@given(st.integers(min_value=0, max_value=10**9 - 1), ROUND_TRIP_CURRENCIES,
       st.sampled_from(SUPPORTED_LOCALES))
def test_what_the_till_shows_is_read_back_as_typed(whole: int, currency: str,
                                                   locale: str) -> None:
    # The amount shown (without its code) typed back in the same locale is the same money.
    places = exponent(currency)
    m = Money(whole * 10**places + whole % 10**places, currency)
    shown = format_money(m, locale, code=False)
    fmt = amount_format(locale)
    if places == 3 and m.minor >= 1000 * 10**places and fmt.group in ".,":
        # '1,234.500' LYD is shown grouped, but typed '1,234' could be one dinar: refused.
        with pytest.raises(InvalidInput, match="not clear"):
            parse_amount(shown, "amount", currency, fmt, allow_zero=True)
        return
    assert parse_amount(shown, "amount", currency, fmt, allow_zero=True) == m
    assert parse_amount(fmt.editable(m), "amount", currency, fmt, allow_zero=True) == m
