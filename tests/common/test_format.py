"""Shared display rules: token grouping and masking, energy units."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from common.format import compact_token, format_units, group_token, mask_token
from printers import samples
from printers.render import render_text

TOKEN = st.text(alphabet="0123456789", min_size=20, max_size=20)


def test_token_is_grouped_4_4_4_4_4_and_masked() -> None:
    assert group_token("12345678901234567890") == "1234 5678 9012 3456 7890"
    assert group_token("1234-5678-9012-3456-7890") == "1234 5678 9012 3456 7890"
    assert mask_token("1234 5678 9012 3456 7890") == "1234 **** **** **** 7890"


@given(TOKEN)
def test_grouping_round_trips_and_masking_hides_the_middle(digits: str) -> None:
    grouped = group_token(digits)
    assert [len(g) for g in grouped.split(" ")] == [4, 4, 4, 4, 4]
    assert compact_token(grouped) == digits
    assert group_token(grouped) == grouped
    masked = mask_token(digits)
    assert masked.startswith(digits[:4]) and masked.endswith(digits[-4:])
    assert digits[4:16] not in masked.replace(" ", "")


def test_units_are_tenths() -> None:
    assert format_units(1462) == "146.2 kWh"
    assert format_units(-5, "kL") == "-0.5 kL"
    assert format_units(123456) == "12,345.6 kWh"


def test_the_receipt_prints_tokens_with_the_shared_grouping() -> None:
    text = render_text(samples.token_receipt(), 48)
    assert group_token(samples.CREDIT.digits) in text


def test_one_displayed_local_time_in_the_utilitys_zone() -> None:
    from datetime import UTC, datetime, timedelta, timezone

    from common.format import (
        display_zone,
        format_period,
        format_time,
        set_display_zone,
        terminal_zone,
        utility_zone,
    )

    moment = datetime(2026, 11, 25, 22, 30, tzinfo=UTC)
    assert format_time(moment, utility_zone("+02:00")) == "2026-11-26 00:30"
    assert format_time("2026-11-25T22:30:00Z", utility_zone("Africa/Johannesburg"),
                       date=False) == "00:30"
    assert format_time(moment, utility_zone("-0530")) == "2026-11-25 17:00"
    assert terminal_zone({"utility": {"utc_offset": "+03:00"}}).utcoffset(None) == \
        timedelta(hours=3)
    assert str(terminal_zone({"utility": {"time_zone": "Africa/Nairobi",
                                          "utc_offset": "+02:00"}})) == "Africa/Nairobi"
    before = display_zone()
    try:
        set_display_zone(timezone(timedelta(hours=3)))
        assert format_time(moment) == "2026-11-26 01:30"  # the PC's zone plays no part
        assert format_period("2026-11-24T21:00:00Z", "2026-11-25T21:00:00Z") == \
            "2026-11-25 00:00 – 2026-11-26 00:00"
    finally:
        set_display_zone(before)


def test_counts_are_never_written_with_s_in_brackets() -> None:
    from common.format import plural

    assert [plural(n, "sale") for n in (0, 1, 2)] == ["0 sales", "1 sale", "2 sales"]


def test_units_and_percentages_follow_the_display_locale() -> None:
    from common.format import format_percent
    from common.money import set_display_locale

    assert format_units(12345, "kWh", "fr_CI") == "1 234,5 kWh"
    assert format_units(12345, "kL", "pt_MZ") == "1 234,5 kL"
    assert format_units(12345, "kWh", "en_ZA") == "1,234.5 kWh"
    assert format_percent("15.00") == "15%"
    assert format_percent("7.50") == "7.5%"
    assert format_percent("15.00", "fr_CI") == "15 %"
    assert format_percent("7.5", "fr") == "7,5 %"
    assert format_percent("7.5", "pt_MZ") == "7,5%"
    assert format_percent("n/a", "fr") == "n/a"
    try:
        set_display_locale("fr_CI")
        assert format_units(-12345) == "-1 234,5 kWh"
        assert format_percent("15") == "15 %"
    finally:
        set_display_locale("en")


@given(st.integers(min_value=-(10**12), max_value=10**12),
       st.sampled_from(["en", "en_ZA", "fr", "fr_CI", "pt_MZ", "af_ZA", "de"]))
def test_numbers_never_carry_a_no_break_space(tenths: int, locale: str) -> None:
    from common.format import format_percent

    text = format_units(tenths, "kWh", locale) + format_percent("12.5", locale)
    assert "\u00a0" not in text and "\u202f" not in text and text.isascii()


def test_the_utilitys_day_cuts_at_local_midnight_in_its_iana_zone() -> None:
    from datetime import UTC, date, datetime, timedelta
    from zoneinfo import ZoneInfo

    import pytest

    from common.format import day_span, local_day, local_midnight, parse_zone, utility_zone

    lisbon, tripoli = ZoneInfo("Europe/Lisbon"), ZoneInfo("Africa/Tripoli")
    start, end = day_span(date(2026, 3, 29), zone=lisbon)  # clocks forward: 23 hours
    assert (start, end - start) == (datetime(2026, 3, 29, tzinfo=UTC), timedelta(hours=23))
    start, end = day_span(date(2026, 10, 25), zone=lisbon)  # clocks back: 25 hours
    assert end - start == timedelta(hours=25)
    start, end = day_span(date(2026, 3, 28), date(2026, 3, 30), lisbon)
    assert end - start == timedelta(hours=71)
    assert local_midnight(date(2026, 3, 29), tripoli) == datetime(2026, 3, 28, 22, tzinfo=UTC)
    # Cairo's clocks jump from 00:00 to 01:00: the day begins when they jump.
    cairo = day_span(date(2026, 4, 24), zone=ZoneInfo("Africa/Cairo"))
    assert cairo[1] - cairo[0] == timedelta(hours=23)
    assert local_day(datetime(2026, 3, 29, 23, 30, tzinfo=UTC), lisbon) == date(2026, 3, 30)
    with pytest.raises(ValueError, match="aware"):
        local_day(datetime(2026, 3, 29), lisbon)
    assert str(parse_zone("Africa/Tripoli")) == "Africa/Tripoli"
    assert parse_zone("-0530").utcoffset(None) == -timedelta(hours=5, minutes=30)
    for bad in ("", "+2", "Nowhere/Atlantis", "../etc/passwd"):
        with pytest.raises(ValueError, match="IANA name"):
            parse_zone(bad)
        assert utility_zone(bad).utcoffset(None) == timedelta(hours=2)  # the fallback
