"""Meter numbers (DRN) and meter PANs with Luhn validation (IEC 62055-41).

An 11-digit DRN is a 2-digit manufacturer code, an 8-digit serial and a Luhn check digit; a
13-digit DRN has a 4-digit manufacturer code. The meter PAN is IIN + DRN + a Luhn digit over
those 17 digits, where the IIN is 600727 for 11-digit DRNs and 0000 for 13-digit DRNs.
"""

from __future__ import annotations

from dataclasses import dataclass

from common.i18n import N_, _
from sts.errors import MeterNumberError

IIN_11 = "600727"
IIN_13 = "0000"
# digit d → the digit sum of 2d (0→0, 5→1, 9→9)
_LUHN_DOUBLE = str.maketrans("0123456789", "0246813579")


def luhn_check_digit(digits: str) -> int:
    """Return the Luhn check digit to append to ``digits`` (a string of decimal digits)."""
    if not digits or not digits.isascii() or not digits.isdigit():
        raise MeterNumberError("Luhn check digit needs a non-empty string of digits.")
    # Double every second digit counting from the right-most digit (it will sit left of the
    # check digit once appended); doubling is done by a character translation table.
    rev = digits[::-1]
    total = sum(map(int, rev[0::2].translate(_LUHN_DOUBLE))) + sum(map(int, rev[1::2]))
    return (10 - total % 10) % 10


_NOT_VALID = N_("This is not a valid meter number: its check digit does not match. "
                "Check the whole number on the meter or the customer's card and type it again.")
_PAN_NOT_VALID = N_("This is not a valid meter PAN: its check digit does not match. "
                    "Check the whole number and type it again.")

_SEPARATORS = str.maketrans("", "", " -\t")


def _clean(text: str) -> str:
    """Strip spaces and dashes that people type inside meter numbers."""
    return text.strip().translate(_SEPARATORS)


@dataclass(frozen=True)
class MeterNumber:
    """A validated meter: its DRN, the IIN of its PAN and the 18-digit meter PAN."""

    drn: str
    iin: str
    pan: str

    @property
    def manufacturer_code(self) -> str:
        """The 2- or 4-digit manufacturer code at the start of the DRN."""
        return self.drn[:2] if len(self.drn) == 11 else self.drn[:4]

    @property
    def serial(self) -> str:
        """The 8-digit serial number inside the DRN."""
        return self.drn[-9:-1]

    def __str__(self) -> str:
        return self.drn


def parse_meter_number(text: str) -> MeterNumber:
    """Parse an 11- or 13-digit DRN (spaces/dashes allowed) or an 18-digit meter PAN.

    Raises :class:`MeterNumberError` with a specific reason: not digits, wrong length or a
    check digit that does not match. The message never names the "right" digit: the typo is
    as often elsewhere in the number, and the suggested digit makes another customer's meter.
    """
    if not isinstance(text, str):
        raise MeterNumberError(_("Meter number must be text of digits."))
    digits = _clean(text)
    if not digits:
        raise MeterNumberError(_("Meter number is empty; it must be 11 or 13 digits."))
    if not (digits.isascii() and digits.isdigit()):
        raise MeterNumberError(
            _("Meter number must contain only digits (spaces and dashes are allowed).")
        )
    if len(digits) == 18:
        return _parse_pan(digits)
    if len(digits) not in (11, 13):
        raise MeterNumberError(
            _("Meter number must be 11 or 13 digits, not {count}.").format(count=len(digits))
        )
    expected = luhn_check_digit(digits[:-1])
    if int(digits[-1]) != expected:
        raise MeterNumberError(_(_NOT_VALID))
    iin = IIN_11 if len(digits) == 11 else IIN_13
    body = iin + digits
    pan = body + str(luhn_check_digit(body))
    return MeterNumber(drn=digits, iin=iin, pan=pan)


def normalise_pan(text: str) -> str:
    """Return the 18-digit meter PAN for a PAN or an 11-/13-digit DRN.

    An 18-digit PAN is accepted with any IIN (test PANs such as 000001000000000082 use other
    IINs) as long as its own Luhn check digit is right; a DRN is validated and turned into its
    PAN.
    """
    if not isinstance(text, str):
        raise MeterNumberError(_("Meter PAN must be text of digits."))
    digits = _clean(text)
    if len(digits) == 18 and digits.isascii() and digits.isdigit():
        expected = luhn_check_digit(digits[:17])
        if int(digits[17]) != expected:
            raise MeterNumberError(_(_PAN_NOT_VALID))
        return digits
    return parse_meter_number(digits).pan


def _parse_pan(digits: str) -> MeterNumber:
    """Parse an 18-digit meter PAN back to its DRN, checking both Luhn digits."""
    if digits.startswith(IIN_11):
        iin, drn = IIN_11, digits[6:17]
    elif digits.startswith(IIN_13):
        iin, drn = IIN_13, digits[4:17]
    else:
        raise MeterNumberError(_("Meter PAN must start with IIN 600727 or 0000."))
    expected = luhn_check_digit(digits[:17])
    if int(digits[17]) != expected:
        raise MeterNumberError(_(_PAN_NOT_VALID))
    expected_drn = luhn_check_digit(drn[:-1])
    if int(drn[-1]) != expected_drn:
        raise MeterNumberError(_(_NOT_VALID))
    return MeterNumber(drn=drn, iin=iin, pan=digits)
