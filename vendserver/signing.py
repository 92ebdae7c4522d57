"""Ed25519 signing of tariff documents, with key ids so signing keys can rotate.

The signed bytes are the canonical JSON of the document (sorted keys, no spaces, UTF-8); the
server stores exactly those bytes and serves them base64-encoded, so a client verifies the
signature over what it received and never has to re-canonicalise.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)


def canonical_json(obj: Any) -> bytes:
    """The canonical byte form used for signatures and request fingerprints."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def new_keypair() -> tuple[bytes, bytes]:
    """A fresh (raw private 32 bytes, raw public 32 bytes) Ed25519 key pair."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return private, public


def sign(private: bytes, payload: bytes) -> bytes:
    """Sign `payload` with a raw Ed25519 private key."""
    return Ed25519PrivateKey.from_private_bytes(private).sign(payload)


def verify(public: bytes, payload: bytes, signature: bytes) -> bool:
    """Whether `signature` is a valid Ed25519 signature of `payload` under `public`."""
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, payload)
    except (InvalidSignature, ValueError):
        return False
    return True


def b64(data: bytes) -> str:
    """Standard base64 text."""
    return base64.b64encode(data).decode("ascii")


def endorsement_payload(key_id: str, public_key_b64: str) -> bytes:
    """The bytes the current tariff-signing key signs to endorse its successor (the client
    trusts a rotated key only with this signature by a key it already trusts)."""
    return canonical_json({"alg": "Ed25519", "key_id": key_id, "public_key": public_key_b64,
                           "purpose": "tariff-signing-key"})
