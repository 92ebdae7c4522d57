"""Meter key data and decoder-key generation (DKGA02 and DKGA04, IEC 62055-41).

* DKGA02 (DES, 64-bit vending key): PANBlock is the 16 digits of the meter PAN after its first
  digit (for 11-digit DRNs: the last 5 digits of IIN 600727 followed by the DRN), read as 16 hex
  nibbles; ControlBlock is ``KT SGC(6) TI(2) KRN FFFFFF`` read as hex nibbles;
  X = PANBlock ⊕ ControlBlock and DK = DES_VK(X) ⊕ X ⊕ VK. For 13-digit DRNs (IIN 0000) the
  same rule (PAN digits 2..17) is used; this is our reading of "last 16 digits before the PAN
  check digit".
* DKGA04 (HMAC-SHA-256, 160-bit vending key): DK = the first L bits of HMAC-SHA256(VK, M),
  where L is 128 for MISTY1 (EA11) and 64 for STA/DEA, and M is
  ``04 | lp("04") | lp(BD) | lp(EA) | lp(TI) | 00 | 04 | lp(SGC) | lp(KT) | lp(KRN) | lp(PAN)
  | L (4 bytes big-endian)`` with lp(s) = one length byte followed by the ASCII text.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from enum import IntEnum

from sts.des import Des
from sts.errors import KeyDataError
from sts.meter_number import normalise_pan

BASE_DATES: tuple[int, ...] = (1993, 2014, 2035)


class EA(IntEnum):
    """STS encryption algorithm codes."""

    STA = 7
    DEA = 9
    MISTY1 = 11


class KeyType(IntEnum):
    """Decoder key types (KT)."""

    DITK = 0  # initialisation
    DDTK = 1  # default
    DUTK = 2  # unique
    DCTK = 3  # common


def key_length_bytes(ea: EA | int) -> int:
    """Decoder key length for an algorithm: 16 bytes for MISTY1, 8 for STA and DEA."""
    return 16 if int(ea) == EA.MISTY1 else 8


def parse_ea(value: int | str | EA) -> EA:
    """Turn 7/"07"/9/"09"/11/"11" into an :class:`EA`; raises :class:`KeyDataError`."""
    if type(value) is EA:
        return value
    try:
        return EA(int(value))
    except (ValueError, TypeError):
        raise KeyDataError(
            "Encryption algorithm must be 07 (STA), 09 (DEA) or 11 (MISTY1)."
        ) from None


@dataclass(frozen=True)
class MeterKeyData:
    """The key data a meter holds besides its DK: SGC, TI, KRN, KT, EA, base date and KEN."""

    sgc: str
    ti: int
    krn: int
    kt: int = 2
    ea: EA = EA.MISTY1
    base_date: int = 1993
    ken: int = 255

    def __post_init__(self) -> None:
        sgc = str(self.sgc).strip()
        if not (len(sgc) == 6 and sgc.isascii() and sgc.isdigit()):
            raise KeyDataError("Supply group code (SGC) must be exactly 6 digits.")
        object.__setattr__(self, "sgc", sgc)
        object.__setattr__(self, "ea", parse_ea(self.ea))
        if not isinstance(self.ti, int) or not 0 <= self.ti <= 99:
            raise KeyDataError("Tariff index (TI) must be a number from 0 to 99.")
        if not isinstance(self.krn, int) or not 1 <= self.krn <= 9:
            raise KeyDataError("Key revision number (KRN) must be from 1 to 9.")
        if not isinstance(self.kt, int) or not 0 <= self.kt <= 3:
            raise KeyDataError("Key type (KT) must be 0, 1, 2 or 3.")
        if self.base_date not in BASE_DATES:
            raise KeyDataError("Base date must be 1993, 2014 or 2035.")
        if not isinstance(self.ken, int) or not 0 <= self.ken <= 255:
            raise KeyDataError("Key expiry number (KEN) must be from 0 to 255.")


def _lp(text: str) -> bytes:
    raw = text.encode("ascii")
    return bytes((len(raw),)) + raw


def dkga04_message(pan: str, key: MeterKeyData) -> bytes:
    """The DKGA04 HMAC input M for an 18-digit meter PAN and key data (exposed for tests)."""
    bits = key_length_bytes(key.ea) * 8
    return (
        b"\x04"
        + _lp("04")
        + _lp(f"{key.base_date % 100:02d}")
        + _lp(f"{int(key.ea):02d}")
        + _lp(f"{key.ti:02d}")
        + b"\x00"
        + b"\x04"
        + _lp(key.sgc)
        + _lp(f"{key.kt:X}")
        + _lp(f"{key.krn:X}")
        + _lp(pan)
        + bits.to_bytes(4, "big")
    )


def _dkga04_message_fast(pan: str, key: MeterKeyData) -> bytes:
    """Same bytes as :func:`dkga04_message` for validated fields (fixed lengths), faster."""
    tail = b"\x00\x00\x00\x80" if key.ea == EA.MISTY1 else b"\x00\x00\x00\x40"
    return (
        f"\x04\x0204\x02{key.base_date % 100:02d}\x02{int(key.ea):02d}\x02{key.ti:02d}"
        f"\x00\x04\x06{key.sgc}\x01{key.kt:X}\x01{key.krn:X}\x12{pan}"
    ).encode("latin-1") + tail


def _dkga02(vk: bytes, pan: str, key: MeterKeyData) -> bytes:
    if len(vk) != 8:
        raise KeyDataError("DKGA02 needs a 64-bit (8-byte, 16 hex digit) vending key.")
    pan_block = int(pan[1:17], 16)
    control_block = int(f"{key.kt:X}{key.sgc}{key.ti:02d}{key.krn:X}FFFFFF", 16)
    x = pan_block ^ control_block
    e = Des(vk).encrypt_int(x)
    return (e ^ x ^ int.from_bytes(vk, "big")).to_bytes(8, "big")


def _dkga04(vk: bytes, pan: str, key: MeterKeyData) -> bytes:
    if len(vk) != 20:
        raise KeyDataError("DKGA04 needs a 160-bit (20-byte, 40 hex digit) vending key.")
    digest = hmac.digest(vk, _dkga04_message_fast(pan, key), hashlib.sha256)
    return digest[: key_length_bytes(key.ea)]


def check_dkga_pairing(dkga: int, ea: EA | int) -> None:
    """Refuse a key generation algorithm that cannot make a key for the meter's algorithm.

    DKGA02 (DES) makes 64-bit keys, so it serves only EA07 (STA) and EA09 (DEA); a MISTY1
    (EA11) meter has a 128-bit key and needs DKGA04. Raises :class:`KeyDataError`.
    """
    if int(dkga) not in (2, 4):
        raise KeyDataError("Decoder key generation algorithm must be 02 or 04.")
    if int(dkga) == 2 and int(ea) == EA.MISTY1:
        raise KeyDataError(
            "DKGA02 makes 64-bit keys for EA07 (STA) or EA09 (DEA) only; an EA11 (MISTY1) "
            "meter needs DKGA04."
        )


def derive_decoder_key(dkga: int, vk: bytes, pan: str, key: MeterKeyData) -> bytes:
    """Derive a meter's decoder key from the vending key.

    ``pan`` is the 18-digit meter PAN (any IIN, Luhn-checked); an 11- or 13-digit DRN is also
    accepted and turned into its PAN. DKGA02 gives 8 bytes and is refused for MISTY1 (EA11)
    key data; DKGA04 gives 16 bytes for MISTY1 and 8 otherwise.
    """
    check_dkga_pairing(dkga, key.ea)
    full_pan = normalise_pan(pan)
    if int(dkga) == 2:
        return _dkga02(bytes(vk), full_pan, key)
    if int(dkga) == 4:
        return _dkga04(bytes(vk), full_pan, key)
    raise KeyDataError("Decoder key generation algorithm must be 02 or 04.")
