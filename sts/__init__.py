"""STS (IEC 62055-41) token engine: meter numbers, decoder keys, ciphers, tokens, a virtual meter.

Pure Python, no Qt and no network. The public names are re-exported here for convenience.
"""

from sts.errors import (
    AmountRangeError,
    KeyDataError,
    KeyExpiredError,
    MeterNumberError,
    StsError,
    TidRangeError,
    TokenFormatError,
    UnsupportedTokenError,
)
from sts.keys import EA, MeterKeyData, derive_decoder_key
from sts.meter_number import MeterNumber, luhn_check_digit, parse_meter_number
from sts.sta import StaTables
from sts.tid import is_reserved_tid, issue_tid, key_expiry_time
from sts.tokens import (
    CreditSubclass,
    DecodedToken,
    ManagementSubclass,
    TokenClass,
    credit_token,
    decode_amount,
    decode_token,
    encode_amount,
    format_token,
    key_change_tokens,
    management_token,
    parse_token,
    test_token,
)
from sts.virtual_meter import MeterResponse, VirtualMeter

__all__ = [
    "EA",
    "AmountRangeError",
    "CreditSubclass",
    "DecodedToken",
    "KeyDataError",
    "KeyExpiredError",
    "ManagementSubclass",
    "MeterKeyData",
    "MeterNumber",
    "MeterNumberError",
    "MeterResponse",
    "StaTables",
    "StsError",
    "TidRangeError",
    "TokenClass",
    "TokenFormatError",
    "UnsupportedTokenError",
    "VirtualMeter",
    "credit_token",
    "decode_amount",
    "decode_token",
    "derive_decoder_key",
    "encode_amount",
    "format_token",
    "is_reserved_tid",
    "issue_tid",
    "key_change_tokens",
    "key_expiry_time",
    "luhn_check_digit",
    "management_token",
    "parse_meter_number",
    "parse_token",
    "test_token",
]
