"""Single DES (FIPS 46-3) for EA09 and DKGA02, via the ``cryptography`` package.

``cryptography`` no longer offers single DES directly: Triple-DES with the key K‖K‖K is exactly
single DES (E_K ∘ D_K ∘ E_K = E_K). TripleDES lives in ``cryptography.hazmat.decrepit`` (the
pinned cryptography release). Parity bits of the key are ignored, as in the DES standard.
"""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES as _TripleDES
from cryptography.hazmat.primitives.ciphers import Cipher, modes


class Des:
    """A single-DES cipher bound to one 8-byte key, working on 8-byte blocks or integers."""

    __slots__ = ("_cipher",)

    def __init__(self, key: bytes) -> None:
        if len(key) != 8:
            raise ValueError("DES needs a 64-bit (8-byte) key.")
        self._cipher: Any = Cipher(_TripleDES(key * 3), modes.ECB())  # noqa: S305 - one block

    def encrypt(self, block: bytes) -> bytes:
        """Encrypt one 8-byte block."""
        enc = self._cipher.encryptor()
        out: bytes = enc.update(block) + enc.finalize()
        return out

    def decrypt(self, block: bytes) -> bytes:
        """Decrypt one 8-byte block."""
        dec = self._cipher.decryptor()
        out: bytes = dec.update(block) + dec.finalize()
        return out

    def encrypt_int(self, block: int) -> int:
        """Encrypt one 64-bit block given as an integer."""
        return int.from_bytes(self.encrypt(block.to_bytes(8, "big")), "big")

    def decrypt_int(self, block: int) -> int:
        """Decrypt one 64-bit block given as an integer."""
        return int.from_bytes(self.decrypt(block.to_bytes(8, "big")), "big")
