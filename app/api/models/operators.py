"""The operators allowed on this terminal (`GET /v1/operators`), for offline PIN login."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from app.api.models.validators import (
    Invalid,
    boolean,
    integer,
    obj,
    object_list,
    req,
    string,
)

__all__ = [
    "ROLES",
    "OperatorRecord",
    "parse_operators",
]


ROLES = frozenset({"cashier", "supervisor", "admin"})


@dataclass(frozen=True)
class OperatorRecord:
    """An operator allowed on this terminal, with the salted PIN hash for offline login."""

    operator_id: str
    name: str
    role: str
    active: bool
    pin_kdf: dict[str, Any]
    pin_hash: str = field(repr=False)


def parse_operators(value: Any) -> list[OperatorRecord]:
    """Parse `GET /v1/operators`."""
    out: list[OperatorRecord] = []
    for where, data in object_list(req(obj(value, "body"), "operators", "body"), "operators"):
        kdf = obj(req(data, "pin_kdf", where), f"{where}.pin_kdf")
        if kdf.get("alg") not in ("scrypt", "scrypt+argon2id"):
            raise Invalid(f"{where}.pin_kdf.alg is not scrypt or scrypt+argon2id")
        for name in ("n", "r", "p", "dklen"):
            if integer(kdf, name, f"{where}.pin_kdf") <= 0:
                raise Invalid(f"{where}.pin_kdf.{name} is not positive")
        if kdf["alg"] == "scrypt+argon2id":
            argon = obj(req(kdf, "argon2id", f"{where}.pin_kdf"), f"{where}.pin_kdf.argon2id")
            # Bounded, so a hostile list cannot make a sign-in take minutes or all memory.
            limits = {"iterations": 64, "memory_kib": 1 << 20, "lanes": 16}
            for name, most in limits.items():
                if not 0 < integer(argon, name, f"{where}.pin_kdf.argon2id") <= most:
                    raise Invalid(f"{where}.pin_kdf.argon2id.{name} is out of range")
            if not re.fullmatch(r"[0-9a-f]{16,}", string(argon, "salt",
                                                         f"{where}.pin_kdf.argon2id")):
                raise Invalid(f"{where}.pin_kdf.argon2id.salt is not lowercase hex")
        salt = string(kdf, "salt", f"{where}.pin_kdf")
        pin_hash = string(data, "pin_hash", where)
        if not re.fullmatch(r"[0-9a-f]+", salt) or not re.fullmatch(r"[0-9a-f]{16,}", pin_hash):
            raise Invalid(f"{where} salt or hash is not lowercase hex")
        role = string(data, "role", where)
        if role not in ROLES:
            raise Invalid(f"{where}.role is unknown")
        out.append(OperatorRecord(
            string(data, "id", where), string(data, "name", where), role,
            boolean(data, "active", where), dict(kdf), pin_hash,
        ))
    return out
