"""Trust in tariff documents: signing keys, signatures, endorsed key rotation, and the rules
that keep an accepted tariff from being rolled back or replayed.

`verify_envelope` is the only place a signature is checked; it is stateless. The rules that
need what was accepted before (rollback, conflict, replay of an accepted version, expiry
against the clock) are `check_new_version`, applied by `records.commit_version` inside the
write transaction. `endorsed_offers` decides which keys offered for a rotation become trusted.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from app.tariffs.document import ID_RE, TariffDocument, iso, parse_document
from app.tariffs.errors import Refusal, TariffRefused

log = logging.getLogger("vendpoint.tariffs")

__all__ = [
    "TrustedKey",
    "check_new_version",
    "endorsed_offers",
    "endorsement_payload",
    "verify_envelope",
]


@dataclass(frozen=True)
class TrustedKey:
    """A utility tariff-signing public key (raw 32 bytes) under its key id."""

    key_id: str
    public_key: bytes = field(repr=False)

    @classmethod
    def from_wire(cls, item: Mapping[str, Any]) -> TrustedKey:
        """From `{"key_id", "alg": "Ed25519", "public_key": base64}` (activation answer)."""
        key_id = item.get("key_id")
        if not isinstance(key_id, str) or not ID_RE.fullmatch(key_id):
            raise ValueError("tariff signing key: key_id has the wrong format")
        if item.get("alg") != "Ed25519":
            raise ValueError(f"tariff signing key {key_id}: only Ed25519 is supported")
        raw = _b64(item.get("public_key"))
        if raw is None or len(raw) != 32:
            raise ValueError(f"tariff signing key {key_id}: not a 32-byte Ed25519 key")
        return cls(key_id, raw)


def endorsement_payload(key_id: str, public_key_b64: str) -> bytes:
    """The bytes an already trusted key signs to endorse a new tariff-signing key."""
    return json.dumps({"alg": "Ed25519", "key_id": key_id, "public_key": public_key_b64,
                       "purpose": "tariff-signing-key"}, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


def _endorsed(item: Mapping[str, Any], key_id: str, trusted: Mapping[str, bytes]) -> bool:
    """Whether `item` carries a valid endorsement of itself by one of the `trusted` keys."""
    by, sig, public = item.get("endorsed_by"), _b64(item.get("endorsement")), \
        item.get("public_key")
    if not isinstance(by, str) or by not in trusted or sig is None or \
            not isinstance(public, str):
        return False
    try:
        Ed25519PublicKey.from_public_bytes(trusted[by]).verify(
            sig, endorsement_payload(key_id, public))
    except (InvalidSignature, ValueError):
        return False
    return True


def _b64(value: Any) -> bytes | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        return None


def verify_envelope(envelope: Any, keys: Mapping[str, bytes],
                    expected: tuple[str, int] | None = None) -> TariffDocument:
    """Check a `GET /v1/tariffs/{id}/versions/{n}` answer; the parsed document or `TariffRefused`.

    This is the only place a signature is checked. It is stateless: rollback, replay of an
    accepted version and expiry against the clock are checked by `TariffService`.
    """
    tid = envelope.get("tariff_id") if isinstance(envelope, dict) else None
    ver = envelope.get("version") if isinstance(envelope, dict) else None
    tariff_id = tid if isinstance(tid, str) else (expected[0] if expected else "")
    version = ver if isinstance(ver, int) and not isinstance(ver, bool) else (
        expected[1] if expected else None)

    def refuse(code: str, detail: str = "", *, key_id: str | None = None,
               sha: str | None = None) -> TariffRefused:
        return TariffRefused(code, detail, tariff_id=tariff_id, version=version,
                             key_id=key_id, payload_sha256=sha)

    if not isinstance(envelope, dict):
        raise refuse(Refusal.MALFORMED, "not a JSON object")
    payload = _b64(envelope.get("payload"))
    if payload is None:
        raise refuse(Refusal.MALFORMED, "payload is missing or not base64")
    sha = hashlib.sha256(payload).hexdigest()
    raw_sig = envelope.get("signature")
    if raw_sig is None or raw_sig == "":
        raise refuse(Refusal.UNSIGNED, sha=sha)
    if envelope.get("alg") != "Ed25519":
        raise refuse(Refusal.WRONG_ALG, sha=sha)
    key_id = envelope.get("key_id")
    if not isinstance(key_id, str) or key_id not in keys:
        shown = key_id if isinstance(key_id, str) and ID_RE.fullmatch(key_id) else None
        raise refuse(Refusal.UNKNOWN_KEY, f"key id {shown or '?'}", key_id=shown, sha=sha)
    signature = _b64(raw_sig)
    if signature is None or len(signature) != 64:
        raise refuse(Refusal.BAD_SIGNATURE, "signature is not 64 bytes of base64",
                     key_id=key_id, sha=sha)
    try:
        Ed25519PublicKey.from_public_bytes(keys[key_id]).verify(signature, payload)
    except (InvalidSignature, ValueError):
        raise refuse(Refusal.BAD_SIGNATURE, key_id=key_id, sha=sha) from None
    # From here on the payload is the utility's; only the envelope can disagree with it.
    try:
        doc = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise refuse(Refusal.INVALID_DOCUMENT, "signed payload is not JSON",
                     key_id=key_id, sha=sha) from None
    if not isinstance(doc, dict):
        raise refuse(Refusal.INVALID_DOCUMENT, "signed payload is not an object",
                     key_id=key_id, sha=sha)
    signed_id, signed_version = doc.get("tariff_id"), doc.get("version")
    tariff_id = signed_id if isinstance(signed_id, str) else tariff_id
    version = signed_version if isinstance(signed_version, int) else version
    if doc.get("key_id") != key_id:
        raise refuse(Refusal.ENVELOPE_MISMATCH, "key id differs from the signed one",
                     key_id=key_id, sha=sha)
    if tid != signed_id or ver != signed_version or isinstance(ver, bool):
        raise refuse(Refusal.ENVELOPE_MISMATCH, "tariff or version differs from the signed one",
                     key_id=key_id, sha=sha)
    if "document" in envelope and envelope["document"] != doc:
        raise refuse(Refusal.ENVELOPE_MISMATCH, "document differs from the signed payload",
                     key_id=key_id, sha=sha)
    if expected is not None and (signed_id, signed_version) != expected:
        # A genuine document, but not the one asked for: an old one served again.
        raise refuse(Refusal.REPLAY, f"asked for {expected[0]} version {expected[1]}",
                     key_id=key_id, sha=sha)
    try:
        return parse_document(doc, sha)
    except ValueError as exc:
        raise refuse(Refusal.INVALID_DOCUMENT, str(exc), key_id=key_id, sha=sha) from None



def endorsed_offers(offered: Iterable[Mapping[str, Any]], trusted: Mapping[str, bytes],
                    known: Iterable[str], mode: str) -> list[dict[str, Any]]:
    """The offered keys (`tariff_signing_keys` entries) that may become trusted, in order.

    Keys already `known` (trusted or retired) are left out: re-binding is the store's check.
    With `mode` "endorsed" a new key needs an endorsement by a key trusted already or accepted
    in this same round; with "server" every well-formed new key is taken.
    """
    known_ids = set(known)
    chain = dict(trusted)
    pending: dict[str, tuple[dict[str, Any], TrustedKey]] = {}
    for item in offered:
        try:
            key = TrustedKey.from_wire(item)
        except ValueError as exc:
            log.warning("offered tariff signing key ignored: %s", exc)
            continue
        if key.key_id not in known_ids:
            pending[key.key_id] = (dict(item), key)
    accepted: list[dict[str, Any]] = []
    progress = True
    while pending and progress:  # a chain tsk-1 → tsk-2 → tsk-3 is followed in any order
        progress = False
        for key_id, (item, key) in list(pending.items()):
            if mode == "endorsed" and not _endorsed(item, key_id, chain):
                continue
            accepted.append(item)
            chain[key_id] = key.public_key
            del pending[key_id]
            progress = True
    for key_id in pending:
        log.warning("tariff signing key %s offered without a valid endorsement; "
                    "not trusted", key_id)
    return accepted


def check_new_version(doc: TariffDocument, highest: int, accepted_sha256: str | None,
                      now: datetime) -> None:
    """Refuse `doc` if it would roll back, conflict with or replay what was accepted, or has
    expired at `now`. `highest` is the highest accepted version of its tariff (0 if none);
    `accepted_sha256` the payload hash of an accepted document with its version, if any.
    """
    def refuse(code: str, detail: str = "") -> TariffRefused:
        return TariffRefused(code, detail, tariff_id=doc.tariff_id, version=doc.version,
                             key_id=doc.key_id, payload_sha256=doc.payload_sha256)

    if accepted_sha256 is not None and accepted_sha256 == doc.payload_sha256:
        raise refuse(Refusal.REPLAY, "this version was already accepted")
    if doc.version < highest:
        raise refuse(Refusal.ROLLBACK, f"highest accepted is version {highest}")
    if accepted_sha256 is not None or doc.version == highest:
        raise refuse(Refusal.CONFLICT)
    if doc.expired(now):
        raise refuse(Refusal.EXPIRED, f"expired at {iso(doc.expires_at)}")
