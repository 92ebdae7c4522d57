"""STS token encoding and decoding (IEC 62055-41): classes 0, 1 and 2.

A token is a 66-bit number written as 20 decimal digits. The 64-bit data block is
``SubClass(4) | Data(44) | CRC(16)`` (most significant first); for credit and most management
tokens Data is ``RND(4) | TID(24) | Amount(16)``. The CRC covers ``Class(2) | SubClass | Data``
(50 bits, left-padded to 7 bytes) and is stored byte-swapped. Classes 0 and 2 are encrypted
with the decoder key; then ciphertext bits 27 and 28 move to token bits 64 and 65 and the class
bits take their place. Class 1 (test/display) blocks are not encrypted.

Readings where the notes leave room (see also the module docstrings of keys and sta):

* Amounts are given in units (kWh, kL, ...) and carried in tenths; any finer amount is rounded
  UP to the next 0.1 (in the customer's favour). The set-maximum-power-limit (subclass 0) and
  set-phase-unbalance-limit (subclass 6) management values are watts in the same
  exponent/mantissa format (also rounded up); other management values are plain 16-bit
  integers.
* TIDs (see :mod:`sts.tid`) count whole minutes since the base date (seconds truncated,
  naive = UTC, out of range refused, never wrapped); a token requested at 00:01 carries the
  TID of 00:02 (the reserved TID), and a TID beyond the decoder key's expiry number (KEN) is
  refused.
* Currency credit tokens (class 0 subclasses 4-7, 0.00001 currency units per the STS
  Association's public token-type list) are refused, not encoded. Their layout is not in any
  public source we could find: the one public implementation that makes them
  (NectarAPI/tokens-service, ``TransferCurrencyTokenGenerator``) reuses the energy layout,
  and compliance-suite currency tokens decode with a correct TID but a check field that is not
  the class 0 CRC, so that layout is wrong. Decoding still reports their raw fields, with
  ``crc_ok`` as computed for the energy layout.
* Key change tokens carry no RND or TID. For 64-bit keys section 1 (subclass 3,
  ``KENHO | KRN | RO | RES | KT | NKHO``) carries key bits 63..32 and section 2 (subclass 4,
  ``KENLO | TI | NKLO``) bits 31..0. For 128-bit (MISTY1) keys, with the key as big-endian
  bytes 0..15: section 1 carries bytes 0-3, section 2 bytes 12-15, section 3 (subclass 8,
  ``SGCLO(12) | NKMO2``) bytes 4-7 and section 4 (subclass 9, ``SGCHO(12) | NKMO1``) bytes
  8-11, where SGCHO/SGCLO are the high/low 12 bits of the SGC as a 24-bit binary number. This
  layout reproduces the STS 531-1-0-04 CTSA05 compliance vectors (as published in the
  NectarAPI tokens-service test suite); the RES bit (bit 50, "3KCT") is 0.
* The test-token manufacturer code is carried in binary.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import IntEnum

from common.i18n import _
from sts.ciphers import make_cipher
from sts.errors import AmountRangeError, KeyDataError, StsError, UnsupportedTokenError
from sts.keys import BASE_DATES, EA, MeterKeyData, key_length_bytes
from sts.sta import StaTables
from sts.tid import TID_MAX as TID_MAX  # re-exported: the TID helpers lived here before
from sts.tid import as_utc, check_not_expired, issue_tid
from sts.tid import base_datetime as base_datetime
from sts.tid import last_valid_time as last_valid_time
from sts.tid import tid_for as tid_for
from sts.tid import tid_to_datetime as tid_to_datetime
from sts.token_format import AMOUNT_MAX_TENTHS as AMOUNT_MAX_TENTHS  # re-exported, as above
from sts.token_format import MASK64 as MASK64
from sts.token_format import TOKEN_MAX as TOKEN_MAX
from sts.token_format import amount_to_tenths as amount_to_tenths
from sts.token_format import block_from_digits, block_to_digits
from sts.token_format import build_block as build_block
from sts.token_format import crc16_register as crc16_register
from sts.token_format import decode_amount as decode_amount
from sts.token_format import encode_amount as encode_amount
from sts.token_format import format_token as format_token
from sts.token_format import parse_token as parse_token
from sts.token_format import tenths_to_decimal as tenths_to_decimal
from sts.token_format import token_crc as token_crc


class TokenClass(IntEnum):
    """Token class (the 2 class bits)."""

    CREDIT = 0
    NON_MERCHANDISE = 1  # test / display tokens
    MANAGEMENT = 2


class CreditSubclass(IntEnum):
    """Class 0 subclasses: what the credit is for."""

    ELECTRICITY = 0
    WATER = 1
    GAS = 2
    TIME = 3


class ManagementSubclass(IntEnum):
    """Class 2 subclasses."""

    SET_MAX_POWER = 0
    CLEAR_CREDIT = 1
    SET_TARIFF_RATE = 2
    KEY_CHANGE_1 = 3
    KEY_CHANGE_2 = 4
    CLEAR_TAMPER = 5
    SET_PHASE_UNBALANCE = 6
    SET_WATER_FACTOR = 7
    KEY_CHANGE_3 = 8
    KEY_CHANGE_4 = 9


class TestSubclass(IntEnum):
    """Class 1 subclasses that this engine encodes."""

    __test__ = False  # not a pytest test class

    CONTROL_36 = 0
    CONTROL_28 = 1


RESERVED_CLASS = 3  # reserved by the STS Association; no layout
KEY_CHANGE_SUBCLASSES = frozenset({3, 4, 8, 9})
CURRENCY_SUBCLASSES = frozenset({4, 5, 6, 7})
CURRENCY_REFUSAL = (
    "Currency credit tokens (class 0 subclasses 4-7) are not supported: their token layout "
    "is not publicly documented, and encoding them in the energy format would make tokens "
    "that meters reject."
)
# Management values carried in the exponent/mantissa format (watts).
_AMOUNT_CODED_MANAGEMENT = frozenset({0, 6})


# ---------------------------------------------------------------- assembly -----------------

def _check_nibble(name: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 15:
        raise StsError(f"{name} must be a whole number from 0 to 15.")
    return value


def _rnd(rnd: int | None) -> int:
    return secrets.randbelow(16) if rnd is None else _check_nibble("RND", rnd)


def _encrypt_token(
    ea: EA | int, dk: bytes, token_class: int, subclass: int, data44: int,
    sta_tables: StaTables | None,
) -> str:
    block = build_block(token_class, subclass, data44)
    return block_to_digits(token_class, make_cipher(ea, dk, sta_tables).encrypt_int(block))


def credit_token(
    ea: EA | int,
    dk: bytes,
    subclass: int,
    amount: Decimal,
    issued: datetime,
    *,
    rnd: int | None = None,
    base_date: int = 1993,
    sta_tables: StaTables | None = None,
    ken: int = 255,
) -> str:
    """A class 0 credit token (20 digits) for ``amount`` units, rounded UP to 0.1.

    The TID follows the reserved-TID rule (:func:`sts.tid.issue_tid`); a TID beyond the key
    expiry number ``ken`` of the meter's decoder key is refused with ``KeyExpiredError``.
    Currency subclasses 4-7 are refused (``UnsupportedTokenError``, see the module docstring).
    """
    sub = _check_nibble("Credit subclass", subclass)
    if sub in CURRENCY_SUBCLASSES:
        raise UnsupportedTokenError(CURRENCY_REFUSAL)
    if sub > 7:
        raise StsError("Credit subclass must be 0 to 3 (0 electricity, 1 water, 2 gas, 3 time).")
    field = encode_amount(amount_to_tenths(amount))
    tid = issue_tid(issued, base_date)
    check_not_expired(tid, ken, base_date)
    data = (_rnd(rnd) << 40) | (tid << 16) | field
    return _encrypt_token(ea, dk, TokenClass.CREDIT, sub, data, sta_tables)


def management_value_field(subclass: int, value: int) -> int:
    """The 16-bit field for a management value (watts use the amount format, see module doc)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise AmountRangeError("Management value must be a whole number.")
    if subclass in _AMOUNT_CODED_MANAGEMENT:
        return encode_amount(value)
    if subclass == ManagementSubclass.CLEAR_TAMPER and value != 0:
        raise AmountRangeError("Clear tamper tokens carry the value 0.")
    if not 0 <= value <= 0xFFFF:
        raise AmountRangeError("Management value must be from 0 to 65535.")
    return value


def management_token(
    ea: EA | int,
    dk: bytes,
    subclass: int,
    value: int,
    issued: datetime,
    *,
    rnd: int | None = None,
    base_date: int = 1993,
    sta_tables: StaTables | None = None,
    ken: int = 255,
) -> str:
    """A class 2 management token (not key change): SubClass|RND|TID|Value|CRC.

    TID and key expiry as for :func:`credit_token`.
    """
    sub = _check_nibble("Management subclass", subclass)
    if sub in KEY_CHANGE_SUBCLASSES:
        raise StsError("Key change tokens are made with key_change_tokens(), not here.")
    if sub > 9:
        raise StsError("Management subclass must be 0-2 or 5-7.")
    field = management_value_field(sub, value)
    tid = issue_tid(issued, base_date)
    check_not_expired(tid, ken, base_date)
    data = (_rnd(rnd) << 40) | (tid << 16) | field
    return _encrypt_token(ea, dk, TokenClass.MANAGEMENT, sub, data, sta_tables)


def _sgc_halves(sgc: str) -> tuple[int, int]:
    """The SGC as a 24-bit binary number split into high and low 12 bits."""
    value = int(sgc)
    return value >> 12, value & 0xFFF


def key_change_sections(
    new_dk: bytes, new_key: MeterKeyData, *, rollover: bool
) -> list[tuple[int, int]]:
    """(subclass, 44-bit data) for each key change section, in entry order.

    64-bit keys: 1st = key bits 63..32, 2nd = bits 31..0. 128-bit keys (big-endian bytes
    0..15): 1st = bytes 0-3 (NKHO), 2nd = bytes 12-15 (NKLO), 3rd = bytes 4-7 (NKMO2) with the
    low 12 bits of the binary SGC, 4th = bytes 8-11 (NKMO1) with the high 12 SGC bits.
    """
    n = len(new_dk)
    if n not in (8, 16):
        raise KeyDataError("New decoder key must be 64 or 128 bits (8 or 16 bytes).")
    key = int.from_bytes(new_dk, "big")
    kenho, kenlo = new_key.ken >> 4, new_key.ken & 0xF
    ro = 1 if rollover else 0
    high = key >> (32 * (n // 4 - 1))
    low = key & 0xFFFFFFFF
    first = (kenho << 40) | (new_key.krn << 36) | (ro << 35) | (new_key.kt << 32) | high
    second = (kenlo << 40) | (new_key.ti << 32) | low
    sections = [(3, first), (4, second)]
    if n == 16:
        sgc_hi, sgc_lo = _sgc_halves(new_key.sgc)
        sections.append((8, (sgc_lo << 32) | ((key >> 64) & 0xFFFFFFFF)))
        sections.append((9, (sgc_hi << 32) | ((key >> 32) & 0xFFFFFFFF)))
    return sections


def next_base_date(base_date: int) -> int | None:
    """The base date after ``base_date`` (None after 2035)."""
    i = BASE_DATES.index(base_date)
    return BASE_DATES[i + 1] if i + 1 < len(BASE_DATES) else None


def key_change_tokens(
    ea: EA | int,
    old_dk: bytes,
    new_dk: bytes,
    new_key: MeterKeyData,
    *,
    issued: datetime,
    rollover: bool = False,
    rnd: int | None = None,
    sta_tables: StaTables | None = None,
    old_base_date: int = 1993,
) -> list[str]:
    """Key change tokens, encrypted under the OLD key, in the order they must be entered.

    Two tokens for a 64-bit new key, four for a 128-bit one. The rollover bit (RO) is set when
    ``rollover`` is true or the new key's base date differs from ``old_base_date``; a rollover
    moves the meter to the NEXT base date and clears its TID memory, so the new base date must
    be exactly the next one. ``issued`` and ``rnd`` are accepted for a uniform call shape; key
    change tokens carry neither a TID nor an RND (``issued`` is only checked to be a datetime).
    """
    as_utc(issued)
    if rnd is not None:
        _check_nibble("RND", rnd)
    if len(new_dk) != key_length_bytes(new_key.ea):
        raise KeyDataError(
            f"New decoder key length does not suit EA{int(new_key.ea):02d} "
            f"({key_length_bytes(new_key.ea) * 8} bits needed)."
        )
    if old_base_date not in BASE_DATES:
        raise KeyDataError("Old base date must be 1993, 2014 or 2035.")
    changes_base = new_key.base_date != old_base_date
    ro = rollover or changes_base
    if ro and new_key.base_date != next_base_date(old_base_date):
        raise KeyDataError(
            "A TID rollover key change must move the meter to the next base date "
            f"after {old_base_date}."
        )
    cipher = make_cipher(ea, old_dk, sta_tables)
    tokens = []
    for subclass, data in key_change_sections(new_dk, new_key, rollover=ro):
        block = build_block(TokenClass.MANAGEMENT, subclass, data)
        tokens.append(block_to_digits(TokenClass.MANAGEMENT, cipher.encrypt_int(block)))
    return tokens


def test_token(subclass: int, control: int, mfr_code: str) -> str:
    """A class 1 test/display token (not encrypted).

    Subclass 0: Control(36) | MfrCode(8, a 2-digit code); subclass 1: Control(28) |
    MfrCode(16, a 4-digit code). The manufacturer code is carried in binary.
    """
    code = str(mfr_code).strip()
    if subclass == 0:
        ctrl_bits, digits = 36, 2
    elif subclass == 1:
        ctrl_bits, digits = 28, 4
    else:
        raise StsError("Test token subclass must be 0 or 1.")
    if not (len(code) == digits and code.isascii() and code.isdigit()):
        raise StsError(f"Manufacturer code for test subclass {subclass} must be {digits} digits.")
    if isinstance(control, bool) or not isinstance(control, int):
        raise StsError("Test token control must be a whole number.")
    if not 0 <= control < (1 << ctrl_bits):
        raise StsError(f"Test token control must fit in {ctrl_bits} bits.")
    mfr_bits = 44 - ctrl_bits
    data = (control << mfr_bits) | int(code)
    return block_to_digits(TokenClass.NON_MERCHANDISE, build_block(1, subclass, data))


test_token.__test__ = False  # type: ignore[attr-defined]  # not a pytest test function


# ---------------------------------------------------------------- decoding -----------------

@dataclass(frozen=True)
class DecodedToken:
    """What a token says once decrypted with a DK.

    ``rnd``/``tid``/``issued`` are None for tokens without them (test and key change tokens).
    ``amount`` (units) is set for credit tokens; ``value`` for management tokens (watts for
    power limits) and for test tokens (the control field). ``data`` is the raw 44-bit field.
    When ``crc_ok`` is false the other fields are meaningless (wrong key or mistyped digit).
    """

    token_class: int
    subclass: int
    rnd: int | None
    tid: int | None
    issued: datetime | None
    amount: Decimal | None
    value: int | None
    crc_ok: bool
    data: int = 0
    mfr_code: str | None = None
    crc: int = 0  # the 16-bit check field as carried (compare crc_ok)

    @property
    def block(self) -> int:
        """The decrypted 64-bit block SubClass|Data|CRC."""
        return (self.subclass << 60) | (self.data << 16) | self.crc


def decode_token(
    ea: EA | int,
    dk: bytes | None,
    token: str,
    *,
    base_date: int = 1993,
    sta_tables: StaTables | None = None,
) -> DecodedToken:
    """Decode a token with a DK. Raises :class:`TokenFormatError` for malformed text.

    A mistyped digit shows as ``crc_ok=False`` (or a TokenFormatError when the number is too
    large to be any token). Class 1 tokens need no key (``dk`` may be None for them).
    """
    digits = parse_token(token)
    token_class, block = block_from_digits(digits)
    if token_class != TokenClass.NON_MERCHANDISE:
        if dk is None:
            raise KeyDataError(_("A decoder key is needed to decode class 0 and 2 tokens."))
        block = make_cipher(ea, dk, sta_tables).decrypt_int(block)
    subclass = block >> 60
    data = (block >> 16) & ((1 << 44) - 1)
    crc_ok = token_crc((token_class << 48) | (subclass << 44) | data) == block & 0xFFFF
    rnd: int | None = None
    tid: int | None = None
    issued: datetime | None = None
    amount: Decimal | None = None
    value: int | None = None
    mfr: str | None = None
    if token_class == TokenClass.NON_MERCHANDISE:
        if subclass in (0, 1):
            mfr_bits = 8 if subclass == 0 else 16
            value = data >> mfr_bits
            mfr = f"{data & ((1 << mfr_bits) - 1):0{mfr_bits // 4}d}"
    elif token_class == RESERVED_CLASS or (
        token_class == TokenClass.MANAGEMENT
        and (subclass in KEY_CHANGE_SUBCLASSES or subclass > ManagementSubclass.KEY_CHANGE_4)
    ):
        pass  # no RND/TID: key change sections, or layouts this engine does not know
    else:
        rnd = data >> 40
        tid = (data >> 16) & TID_MAX
        issued = tid_to_datetime(tid, base_date)
        field = data & 0xFFFF
        if token_class == TokenClass.CREDIT:
            amount = tenths_to_decimal(decode_amount(field))
        elif subclass in _AMOUNT_CODED_MANAGEMENT:
            value = decode_amount(field)
        else:
            value = field
    return DecodedToken(
        token_class=token_class, subclass=subclass, rnd=rnd, tid=tid, issued=issued,
        amount=amount, value=value, crc_ok=crc_ok, data=data, mfr_code=mfr, crc=block & 0xFFFF,
    )
