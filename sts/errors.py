"""Typed errors raised by the STS token engine.

Every error is a :class:`ValueError` subclass whose message is one plain sentence that can be
shown to an operator. Messages never contain keys or token digits: tokens are cash.
"""

from __future__ import annotations


class StsError(ValueError):
    """Base class for every error the STS engine raises on bad input."""


class MeterNumberError(StsError):
    """A meter number (DRN) or PAN is malformed or fails its Luhn check."""


class TokenFormatError(StsError):
    """A token is not 20 digits, contains other characters, or cannot be a valid token."""


class AmountRangeError(StsError):
    """An amount or value is negative or larger than the token field can carry."""


class TidRangeError(StsError):
    """An issue time lies outside the 24-bit TID range of the base date."""


class KeyDataError(StsError):
    """A key, key-data field or algorithm choice is invalid (wrong length, out of range)."""


class KeyExpiredError(StsError):
    """A token's TID lies beyond the key expiry number (KEN) of the meter's decoder key."""


class UnsupportedTokenError(StsError):
    """A token kind this engine deliberately does not make (its layout is not known to be right)."""
