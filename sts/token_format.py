"""The 66-bit token format below encryption: CRC, amount field, block assembly, 20 digits.

* CRC-16: reflected polynomial 0xA001, initial 0xFFFF, no final XOR, over the 50 bits
  ``Class(2) | SubClass(4) | Data(44)`` left-padded to 7 big-endian bytes; stored byte-swapped.
* Amount field: exponent e (bits 15-14) and mantissa m (bits 13-0); the value in tenths is
  m * 10**e plus the first value of e's range. Amounts are given in units and carried in
  tenths, rounded UP (in the customer's favour).
* Digits: the class bits go to block bits 27/28, whose (ciphertext) bits move to 64/65; the
  66-bit value is written as 20 decimal digits.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from common.i18n import _
from sts.errors import AmountRangeError, TokenFormatError

TOKEN_MAX = (1 << 66) - 1
MASK64 = (1 << 64) - 1

# Amount field: exponent e in bits 15-14, mantissa m in bits 13-0.
_MANTISSA_MAX = (1 << 14) - 1
_OFFSETS = (0, 16384, 180224, 1818624)  # first value (in tenths) of each exponent range
_STEPS = (1, 10, 100, 1000)  # 10**e
AMOUNT_MAX_TENTHS = _OFFSETS[3] + _MANTISSA_MAX * 1000  # 18 201 624 = 1 820 162.4 units
_AMOUNT_MAX_UNITS = Decimal(AMOUNT_MAX_TENTHS).scaleb(-1)
_ONE_TENTH = Decimal("0.1")


# ---------------------------------------------------------------- CRC ----------------------

def _crc_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        reg = byte
        for _round in range(8):
            reg = (reg >> 1) ^ 0xA001 if reg & 1 else reg >> 1
        table.append(reg)
    return tuple(table)


_CRC_TABLE = _crc_table()


def crc16_register(data: bytes) -> int:
    """CRC-16 register (reflected poly 0xA001, init 0xFFFF, no final XOR) over ``data``."""
    reg = 0xFFFF
    table = _CRC_TABLE
    for b in data:
        reg = (reg >> 8) ^ table[(reg ^ b) & 0xFF]
    return reg


def token_crc(bits50: int) -> int:
    """The CRC field for the 50 bits Class|SubClass|Data: register over 7 bytes, byte-swapped."""
    table = _CRC_TABLE
    reg = 0xFFFF
    for shift in (48, 40, 32, 24, 16, 8, 0):
        reg = (reg >> 8) ^ table[(reg ^ (bits50 >> shift)) & 0xFF]
    return ((reg & 0xFF) << 8) | (reg >> 8)


# ---------------------------------------------------------------- amounts ------------------

def encode_amount(tenths: int) -> int:
    """Encode a value in tenths (or watts) into the 16-bit exponent/mantissa field.

    Uses the exponent range that contains the value and rounds the mantissa up; a mantissa that
    rounds up to 16384 carries into the next exponent because the field is (e << 14) + m.
    """
    if isinstance(tenths, bool) or not isinstance(tenths, int):
        raise AmountRangeError(_("Amount must be a whole number of tenths."))
    if tenths < 0:
        raise AmountRangeError(_("Amount cannot be negative."))
    if tenths > AMOUNT_MAX_TENTHS:
        raise AmountRangeError(
            _("Amount is too large for one token: the maximum is 1820162.4 units.")
        )
    e = 3
    while _OFFSETS[e] > tenths:
        e -= 1
    step = _STEPS[e]
    m = -(-(tenths - _OFFSETS[e]) // step)  # ceiling division
    return (e << 14) + m


def decode_amount(field: int) -> int:
    """Decode a 16-bit amount field into tenths (or watts)."""
    if not 0 <= field <= 0xFFFF:
        raise AmountRangeError(_("Amount field must be a 16-bit value."))
    e = field >> 14
    return _OFFSETS[e] + (field & _MANTISSA_MAX) * _STEPS[e]


def amount_to_tenths(amount: Decimal | int | str) -> int:
    """Convert an amount in units to tenths, rounding UP to the next 0.1."""
    if isinstance(amount, float | bool):
        raise AmountRangeError(_("Amount must be a Decimal (or text), never a float."))
    try:
        value = amount if isinstance(amount, Decimal) else Decimal(str(amount).strip())
    except InvalidOperation:
        raise AmountRangeError(_("Amount must be a decimal number such as 25.6.")) from None
    if not value.is_finite():
        raise AmountRangeError(_("Amount must be a finite decimal number."))
    if value < 0:
        raise AmountRangeError(_("Amount cannot be negative."))
    if value > _AMOUNT_MAX_UNITS:  # compared first: 1e400000000 * 10 overflows the context
        raise AmountRangeError(
            _("Amount is too large for one token: the maximum is 1820162.4 units.")
        )
    # Exact rational arithmetic, no decimal context: value * 10 in the default context rounds
    # to 28 digits (0.10000000000000000000000000001 became 1, not 2 tenths) and a tiny amount
    # such as 1e-400000000 would need a 400-million-digit denominator; anything up to 0.1 is
    # 1 tenth anyway.
    if value <= _ONE_TENTH:
        return 1 if value else 0
    numerator, denominator = value.as_integer_ratio()
    return -(-numerator * 10 // denominator)  # ceiling


def tenths_to_decimal(tenths: int) -> Decimal:
    """Tenths → Decimal units with one decimal place (e.g. 256 → Decimal('25.6'))."""
    return Decimal(tenths).scaleb(-1)


# ---------------------------------------------------------------- digits -------------------

def parse_token(text: str) -> str:
    """Accept a token typed with spaces or dashes; return its 20 digits.

    Raises :class:`TokenFormatError` naming what is wrong (never echoing the digits).
    """
    if not isinstance(text, str):
        raise TokenFormatError(_("Token must be text of 20 digits."))
    digits = "".join(ch for ch in text.strip() if ch not in " -\t")
    if not digits:
        raise TokenFormatError(_("Token is empty; it must be 20 digits."))
    if not (digits.isascii() and digits.isdigit()):
        raise TokenFormatError(_("Token may contain only digits, spaces and dashes."))
    if len(digits) != 20:
        raise TokenFormatError(_("Token must be 20 digits, not {count}.").format(count=len(digits)))
    return digits


def format_token(token: str) -> str:
    """Group a token as 4-4-4-4-4 digits separated by spaces."""
    digits = parse_token(token)
    return " ".join(digits[i : i + 4] for i in range(0, 20, 4))


def build_block(token_class: int, subclass: int, data44: int) -> int:
    """The 64-bit plaintext block SubClass|Data|CRC for a class, subclass and 44-bit data."""
    bits50 = (token_class << 48) | (subclass << 44) | data44
    return ((subclass << 60) | (data44 << 16)) | token_crc(bits50)


def block_to_digits(token_class: int, block: int) -> str:
    """Insert the class bits at 27/28, moving block bits 27/28 to 64/65; 20 digits."""
    value = (block & ~(3 << 27)) | (((block >> 27) & 3) << 64) | ((token_class & 3) << 27)
    return f"{value:020d}"


def block_from_digits(digits: str) -> tuple[int, int]:
    """Reverse :func:`block_to_digits`: (class, block)."""
    value = int(digits)
    if value > TOKEN_MAX:
        raise TokenFormatError(
            _("Token number is too large to be a token: a digit is probably mistyped.")
        )
    token_class = (value >> 27) & 3
    block = ((value & MASK64) & ~(3 << 27)) | (((value >> 64) & 3) << 27)
    return token_class, block
