"""Meter numbers: Luhn check digits, 11/13-digit DRNs, PANs and their error messages."""

from __future__ import annotations

import re

import pytest

from sts.errors import MeterNumberError
from sts.meter_number import luhn_check_digit, normalise_pan, parse_meter_number


@pytest.mark.parametrize("drn", ["14339800360", "04092131566", "07040904562", "04257670895"])
def test_real_meter_numbers_pass(drn: str) -> None:
    meter = parse_meter_number(drn)
    assert meter.drn == drn
    assert meter.iin == "600727"
    assert meter.manufacturer_code == drn[:2]
    assert len(meter.pan) == 18 and meter.pan.startswith("600727" + drn)
    assert int(meter.pan[-1]) == luhn_check_digit(meter.pan[:17])


def test_pan_example_from_notes() -> None:
    assert parse_meter_number("00000000000").pan == "600727000000000009"


def test_popular_example_fails_without_suggesting_a_digit() -> None:
    # A suggested "right" last digit leads to another customer's meter when the typo was
    # elsewhere in the number: the message says only that the number is not valid.
    with pytest.raises(MeterNumberError) as caught:
        parse_meter_number("12345678901")
    message = str(caught.value)
    assert "not a valid meter number" in message and "check digit" in message
    assert not re.search(r"should be|\b3\b", message)
    assert luhn_check_digit("1234567890") == 3


def _pan_with_bad_drn() -> str:
    body = "600727" + "14339800361"  # the DRN's own check digit is wrong
    return body + str(luhn_check_digit(body))


@pytest.mark.parametrize("text", ["12345678901", "0123456789010", "600727143398003604",
                                  _pan_with_bad_drn(), "000001000000000083"])
def test_no_check_digit_message_names_a_digit(text: str) -> None:
    # normalise_pan checks an 18-digit PAN's own digit only; parse_meter_number also its DRN's.
    parses = (normalise_pan,) if text.startswith("000001") else (
        (parse_meter_number,) if text == _pan_with_bad_drn() else (parse_meter_number,
                                                                    normalise_pan))
    for parse in parses:
        with pytest.raises(MeterNumberError) as caught:
            parse(text)
        message = str(caught.value)
        assert "not a valid meter" in message and "should be" not in message
        # No digit at all outside the number as typed: nothing to copy into the field.
        assert not re.search(r"\d", message.replace(text, "")), message


def test_spaces_and_dashes_are_accepted() -> None:
    assert parse_meter_number(" 1433-9800 360 ").drn == "14339800360"


@pytest.mark.parametrize("text", ["1433980036", "143398003600", "1", "123456789012345"])
def test_wrong_length_is_reported(text: str) -> None:
    with pytest.raises(MeterNumberError, match="must be 11 or 13 digits"):
        parse_meter_number(text)


@pytest.mark.parametrize("text", ["1433980036O", "14339800a60", "١٤٣٣٩٨٠٠٣٦٠"])
def test_non_digits_are_reported(text: str) -> None:
    with pytest.raises(MeterNumberError, match="only digits"):
        parse_meter_number(text)


def test_empty_is_reported() -> None:
    with pytest.raises(MeterNumberError, match="empty"):
        parse_meter_number("  ")


def test_thirteen_digit_drn() -> None:
    body = "012345678901"
    drn = body + str(luhn_check_digit(body))
    meter = parse_meter_number(drn)
    assert meter.iin == "0000"
    assert meter.manufacturer_code == "0123"
    assert meter.pan == "0000" + drn + str(luhn_check_digit("0000" + drn))
    wrong = body + str((luhn_check_digit(body) + 1) % 10)
    with pytest.raises(MeterNumberError, match="not a valid meter number"):
        parse_meter_number(wrong)


def test_every_single_digit_change_is_caught() -> None:
    drn = "14339800360"
    for i in range(11):
        for d in "0123456789":
            if d == drn[i]:
                continue
            changed = drn[:i] + d + drn[i + 1 :]
            with pytest.raises(MeterNumberError):
                parse_meter_number(changed)


def test_eighteen_digit_pan_round_trip_and_other_iins() -> None:
    assert parse_meter_number("600727143398003605").drn == "14339800360"
    # Test PANs with other IINs are accepted for key derivation (Luhn-checked only).
    assert normalise_pan("000001000000000082") == "000001000000000082"
    assert normalise_pan("14339800360") == "600727143398003605"
    with pytest.raises(MeterNumberError, match="not a valid meter PAN"):
        normalise_pan("000001000000000083")
