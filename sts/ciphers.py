"""Dispatch from an EA code and decoder key to a 64-bit block cipher (STA, DEA, MISTY1)."""

from __future__ import annotations

from typing import Protocol

from sts.des import Des
from sts.errors import KeyDataError
from sts.keys import EA, parse_ea
from sts.misty1 import Misty1
from sts.sta import Sta, StaTables


class BlockCipher(Protocol):
    """Anything that encrypts and decrypts 64-bit blocks held as integers."""

    def encrypt_int(self, block: int) -> int: ...

    def decrypt_int(self, block: int) -> int: ...


def make_cipher(ea: EA | int, dk: bytes, sta_tables: StaTables | None = None) -> BlockCipher:
    """Return the cipher for ``ea`` keyed with ``dk``; checks the key length and STA tables."""
    algo = parse_ea(ea)
    dk = bytes(dk)
    if algo is EA.MISTY1:
        if len(dk) != 16:
            raise KeyDataError("EA11 (MISTY1) needs a 128-bit (16-byte, 32 hex digit) key.")
        return Misty1(dk)
    if len(dk) != 8:
        raise KeyDataError(f"EA{int(algo):02d} needs a 64-bit (8-byte, 16 hex digit) key.")
    if algo is EA.DEA:
        return Des(dk)
    if sta_tables is None:
        raise KeyDataError(
            "EA07 (STA) needs the licensee's STA table file; none was given."
        )
    return Sta(dk, sta_tables)


def encrypt_block(
    ea: EA | int, dk: bytes, block: bytes, sta_tables: StaTables | None = None
) -> bytes:
    """Encrypt one 8-byte block with the given algorithm and key."""
    if len(block) != 8:
        raise KeyDataError("A block must be exactly 8 bytes (16 hex digits).")
    c = make_cipher(ea, dk, sta_tables).encrypt_int(int.from_bytes(block, "big"))
    return c.to_bytes(8, "big")


def decrypt_block(
    ea: EA | int, dk: bytes, block: bytes, sta_tables: StaTables | None = None
) -> bytes:
    """Decrypt one 8-byte block with the given algorithm and key."""
    if len(block) != 8:
        raise KeyDataError("A block must be exactly 8 bytes (16 hex digits).")
    p = make_cipher(ea, dk, sta_tables).decrypt_int(int.from_bytes(block, "big"))
    return p.to_bytes(8, "big")
