"""PIN verification material: scrypt then this terminal's argon2id, bounded in cost."""

from __future__ import annotations

import hashlib

import pytest

from app.api.models import Invalid, parse_operators
from app.api.pins import verify_pin
from vendserver.service.common import pin_material
from vendserver.testing import TEST_PIN_COST

SALT = bytes(range(16))
SCRYPT = {"n": 1024, "r": 8, "p": 1, "dklen": 32}


def _material(pin: str, terminal: str) -> tuple[dict[str, object], str]:
    scrypt_hash = hashlib.scrypt(pin.encode(), salt=SALT, **SCRYPT)
    salt, material = pin_material(scrypt_hash, terminal, SALT, TEST_PIN_COST)
    kdf: dict[str, object] = {"alg": "scrypt+argon2id", **SCRYPT, "salt": SALT.hex(),
                              "argon2id": {**TEST_PIN_COST, "salt": salt.hex()}}
    return kdf, material.hex()


def test_the_right_pin_matches_and_a_wrong_one_does_not() -> None:
    kdf, material = _material("48151623", "T0001")  # PINs longer than 4 digits work
    assert verify_pin("48151623", kdf, material)
    assert not verify_pin("48151624", kdf, material)
    # The scrypt hash alone (what terminals used to get) no longer verifies anything.
    scrypt_hash = hashlib.scrypt(b"48151623", salt=SALT, **SCRYPT).hex()
    assert scrypt_hash != material


def test_material_is_per_terminal() -> None:
    kdf_a, material_a = _material("4321", "T0001")
    _, material_b = _material("4321", "T0002")
    assert material_a != material_b
    assert not verify_pin("4321", kdf_a, material_b)


def test_a_list_asking_for_an_absurd_cost_is_refused() -> None:
    kdf, material = _material("4321", "T0001")
    argon = dict(kdf["argon2id"])  # type: ignore[call-overload]
    argon["memory_kib"] = 1 << 24
    item = {"id": "sipho", "name": "Sipho", "role": "supervisor", "active": True,
            "pin_kdf": {**kdf, "argon2id": argon}, "pin_hash": material,
            "updated_at": "2026-11-25T00:00:00Z"}
    with pytest.raises(Invalid):
        parse_operators({"operators": [item]})
