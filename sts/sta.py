"""EA07 Standard Transfer Algorithm (STA) with tables supplied by the licensee.

The production S1/S2/P tables are licensed by the STS Association and are never shipped in this
package: :meth:`StaTables.from_json_file` loads them from the licensee's JSON file
``{"s1": [16 ints], "s2": [16 ints], "p": [64 ints]}``. Bits are numbered from 0 = least
significant.

Algorithm (as specified in the project's STS notes): the round key starts as the 64-bit decoder
key complemented and rotated right by 12. Each of the 16 rounds substitutes every nibble n
(n = 0 for bits 0..3) with S2 when round-key bit 4n+3 is set, else with S1; then permutes the
bits so that output bit P[i] takes input bit i; then rotates the round key left by one.
Decryption runs the exact inverse (inverse permutation, inverse substitution, round keys in
reverse order).

For speed the substitution and permutation of each round are fused: for each of the 8 input
bytes and each of the 4 choices of S-box pair for its two nibbles, a 256-entry table gives the
byte's contribution to the permuted 64-bit word. A round is then 8 lookups and ORs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from sts.errors import KeyDataError, StsError

MASK64 = (1 << 64) - 1


class StaTableError(StsError):
    """An STA table file is missing, unreadable or does not hold valid tables."""


def _rotr64(x: int, n: int) -> int:
    return ((x >> n) | (x << (64 - n))) & MASK64


def _rotl64(x: int, n: int) -> int:
    return ((x << n) | (x >> (64 - n))) & MASK64


def _check_perm(name: str, values: Any, size: int) -> tuple[int, ...]:
    if not isinstance(values, list | tuple) or len(values) != size:
        raise StaTableError(f"STA table {name!r} must be a list of {size} integers.")
    if any(not isinstance(v, int) or isinstance(v, bool) for v in values):
        raise StaTableError(f"STA table {name!r} must contain only integers.")
    if sorted(values) != list(range(size)):
        raise StaTableError(
            f"STA table {name!r} must be a permutation of 0..{size - 1} (each value once)."
        )
    return tuple(values)


@dataclass(frozen=True)
class StaTables:
    """The S1, S2 (4-bit S-boxes) and P (64-bit permutation) tables for EA07."""

    s1: tuple[int, ...]
    s2: tuple[int, ...]
    p: tuple[int, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "s1", _check_perm("s1", list(self.s1), 16))
        object.__setattr__(self, "s2", _check_perm("s2", list(self.s2), 16))
        object.__setattr__(self, "p", _check_perm("p", list(self.p), 64))

    @classmethod
    def from_mapping(cls, data: Any) -> StaTables:
        """Build tables from a parsed JSON object with keys s1, s2 and p."""
        if not isinstance(data, dict) or not {"s1", "s2", "p"} <= set(data):
            raise StaTableError("STA table file must be a JSON object with s1, s2 and p.")
        return cls(s1=data["s1"], s2=data["s2"], p=data["p"])

    @classmethod
    def from_json_file(cls, path: str | Path) -> StaTables:
        """Load the licensee's table file; raises :class:`StaTableError` with the reason."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise StaTableError(
                f"Cannot read STA table file {str(path)!r}: {exc.strerror or exc}."
            ) from None
        except UnicodeDecodeError:
            raise StaTableError(
                f"STA table file {str(path)!r} is not a UTF-8 JSON text file."
            ) from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise StaTableError(
                f"STA table file {str(path)!r} is not valid JSON (line {exc.lineno})."
            ) from None
        except RecursionError:  # absurdly nested arrays: not a table file either
            raise StaTableError(
                f"STA table file {str(path)!r} is not valid JSON (nested too deeply)."
            ) from None
        return cls.from_mapping(data)

    # -- precomputed tables (cached per instance; the dataclass itself stays immutable) --

    @cached_property
    def _enc_tables(self) -> tuple[tuple[tuple[int, ...], ...], ...]:
        """enc[j][sel] → 256-entry tuple: permuted contribution of input byte j.

        ``sel`` bit 0 selects S2 for the low nibble of byte j, bit 1 for its high nibble.
        """
        s1, s2, p = self.s1, self.s2, self.p
        out: list[tuple[tuple[int, ...], ...]] = []
        for j in range(8):
            per_sel: list[tuple[int, ...]] = []
            for sel in range(4):
                lo_box = s2 if sel & 1 else s1
                hi_box = s2 if sel & 2 else s1
                row: list[int] = []
                for byte in range(256):
                    sub = lo_box[byte & 0xF] | (hi_box[byte >> 4] << 4)
                    word = 0
                    for b in range(8):
                        if (sub >> b) & 1:
                            word |= 1 << p[8 * j + b]
                    row.append(word)
                per_sel.append(tuple(row))
            out.append(tuple(per_sel))
        return tuple(out)

    @cached_property
    def _inv_perm_tables(self) -> tuple[tuple[int, ...], ...]:
        """inv[j][byte] → contribution of byte j of a permuted word to the unpermuted word."""
        inv = [0] * 64
        for i, target in enumerate(self.p):
            inv[target] = i
        out: list[tuple[int, ...]] = []
        for j in range(8):
            row: list[int] = []
            for byte in range(256):
                word = 0
                for b in range(8):
                    if (byte >> b) & 1:
                        word |= 1 << inv[8 * j + b]
                row.append(word)
            out.append(tuple(row))
        return tuple(out)

    @cached_property
    def _inv_sub_tables(self) -> tuple[tuple[int, ...], ...]:
        """inv_sub[sel][byte] → byte with both nibbles passed through the inverse S-boxes."""
        inv1 = [0] * 16
        inv2 = [0] * 16
        for i in range(16):
            inv1[self.s1[i]] = i
            inv2[self.s2[i]] = i
        out: list[tuple[int, ...]] = []
        for sel in range(4):
            lo_box = inv2 if sel & 1 else inv1
            hi_box = inv2 if sel & 2 else inv1
            out.append(tuple(lo_box[b & 0xF] | (hi_box[b >> 4] << 4) for b in range(256)))
        return tuple(out)


def _key_int(dk: bytes) -> int:
    if len(dk) != 8:
        raise KeyDataError("EA07 (STA) needs a 64-bit (8-byte) decoder key.")
    return int.from_bytes(dk, "big")


_SEL_LO = 0x0101010101010101  # bit 3 of each byte, shifted down to bit 0
_SEL_HI = 0x0202020202020202  # bit 7 of each byte, shifted down to bit 1


def _initial_round_key(dk: bytes) -> int:
    return _rotr64(~_key_int(dk) & MASK64, 12)


def _selector_word(rk: int) -> int:
    """Byte j of the result holds the S-box choice for byte j of the block (2 bits).

    Bit 0 is round-key bit 8j+3 (low nibble uses S2 when set), bit 1 is bit 8j+7 (high nibble).
    """
    return ((rk >> 3) & _SEL_LO) | ((rk >> 6) & _SEL_HI)


class Sta:
    """An EA07 cipher bound to one 64-bit decoder key and one set of tables.

    Construction is cheap (one 64-bit word) because a fresh key is derived for almost every
    token; the per-round S-box choices are computed on the fly from the rotating round key.
    """

    __slots__ = ("_rk0", "_tables")

    def __init__(self, dk: bytes, tables: StaTables) -> None:
        self._tables = tables
        self._rk0 = _initial_round_key(dk)

    def encrypt_int(self, block: int) -> int:
        """Encrypt one 64-bit block given as an integer."""
        e0, e1, e2, e3, e4, e5, e6, e7 = self._tables._enc_tables
        rk = self._rk0
        x = block
        for _ in range(16):
            s = ((rk >> 3) & _SEL_LO) | ((rk >> 6) & _SEL_HI)
            x = (
                e0[s & 3][x & 0xFF]
                | e1[(s >> 8) & 3][(x >> 8) & 0xFF]
                | e2[(s >> 16) & 3][(x >> 16) & 0xFF]
                | e3[(s >> 24) & 3][(x >> 24) & 0xFF]
                | e4[(s >> 32) & 3][(x >> 32) & 0xFF]
                | e5[(s >> 40) & 3][(x >> 40) & 0xFF]
                | e6[(s >> 48) & 3][(x >> 48) & 0xFF]
                | e7[s >> 56][x >> 56]
            )
            rk = ((rk << 1) | (rk >> 63)) & MASK64
        return x

    def decrypt_int(self, block: int) -> int:
        """Decrypt one 64-bit block given as an integer (exact inverse of encryption)."""
        tables = self._tables
        inv_p = tables._inv_perm_tables
        inv_s = tables._inv_sub_tables
        x = block
        for r in range(15, -1, -1):
            s = _selector_word(_rotl64(self._rk0, r) if r else self._rk0)
            y = 0
            for j in range(8):
                y |= inv_p[j][(x >> (8 * j)) & 0xFF]
            x = 0
            for j in range(8):
                x |= inv_s[(s >> (8 * j)) & 3][(y >> (8 * j)) & 0xFF] << (8 * j)
        return x

    def encrypt(self, block: bytes) -> bytes:
        """Encrypt 8 bytes."""
        return self.encrypt_int(int.from_bytes(block, "big")).to_bytes(8, "big")

    def decrypt(self, block: bytes) -> bytes:
        """Decrypt 8 bytes."""
        return self.decrypt_int(int.from_bytes(block, "big")).to_bytes(8, "big")


def sta_encrypt_reference(dk: bytes, tables: StaTables, block: int) -> int:
    """Bit-by-bit EA07 encryption exactly as specified (slow; used to check the fast path)."""
    rk = _rotr64(~_key_int(dk) & MASK64, 12)
    x = block
    for _ in range(16):
        sub = 0
        for n in range(16):
            box = tables.s2 if (rk >> (4 * n + 3)) & 1 else tables.s1
            sub |= box[(x >> (4 * n)) & 0xF] << (4 * n)
        x = 0
        for i in range(64):
            if (sub >> i) & 1:
                x |= 1 << tables.p[i]
        rk = _rotl64(rk, 1)
    return x
