"""Checking a PIN against the verification material of `GET /v1/operators` (docs/api.md).

"scrypt+argon2id" (what the server gives now): scrypt with the operator's salt, then argon2id
with this terminal's salt over the scrypt hash. "scrypt" (older servers): scrypt alone. Shared
by the operator sign-in and the supervisor approvals, so both check PINs the same way.
"""

from __future__ import annotations

import hashlib
import hmac

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

__all__ = ["verify_pin"]


def verify_pin(pin: str, pin_kdf: dict[str, object], pin_hash: str) -> bool:
    """The PIN check exactly as docs/api.md describes, in constant time: scrypt, then (for
    "scrypt+argon2id", this terminal's material) argon2id over the scrypt hash."""
    salt = bytes.fromhex(str(pin_kdf["salt"]))
    n, r, p = (int(str(pin_kdf[k])) for k in ("n", "r", "p"))
    dklen = int(str(pin_kdf["dklen"]))
    digest = hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=dklen,
                            maxmem=256 * 1024 * 1024)
    if pin_kdf.get("alg") == "scrypt+argon2id":
        argon = pin_kdf["argon2id"]
        if not isinstance(argon, dict):
            return False
        digest = Argon2id(salt=bytes.fromhex(str(argon["salt"])), length=len(pin_hash) // 2,
                          iterations=int(argon["iterations"]), lanes=int(argon["lanes"]),
                          memory_cost=int(argon["memory_kib"])).derive(digest)
    return hmac.compare_digest(digest.hex(), pin_hash)
