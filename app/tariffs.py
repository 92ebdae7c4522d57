"""Signed tariffs on the terminal: verify, refuse what is not trustworthy, store, apply in time.

The server announces "tariff X has version N" (push or reconciliation); `TariffService` fetches
that version, checks it and stores it in the encrypted store. A document is accepted only if

* its Ed25519 signature verifies over the exact payload bytes, under a key id the terminal was
  provisioned with at activation (`provision_keys`; several ids may be trusted while keys rotate,
  and a key id is never re-bound to other bytes);
* the envelope agrees with the signed payload (tariff, version, key id, the parsed `document`)
  and it is the version that was asked for (an old genuine document served in answer to a
  request for a newer one is a replay);
* its version is above the highest version accepted for that tariff (persisted, so a restart
  does not reopen rollback), is not a second, different document for an accepted version, and is
  not a copy of a version already accepted (replay);
* it has not expired, and its fields follow the contract (docs/api.md).

Everything refused is written to `tariff_rejections` and the audit journal in one transaction,
logged, and published as `tariff.rejected`; an accepted version is published as
`tariff.applied`, and again as `tariff.in_force` when its `effective_from` time arrives. The
version in force at a time is the highest accepted version whose `effective_from` is not later
than that time (the server's pricing rule, docs/api.md §6). See docs/tariffs.md.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Protocol

import requests
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from app.errors import BusinessRuleError, TransientError
from app.events import EventBus
from offline_store import Connection, Store
from offline_store.journal import append, utc_now

log = logging.getLogger("vendpoint.tariffs")

__all__ = [
    "HttpTariffSource",
    "Outcome",
    "PriceDifference",
    "QuoteCheck",
    "Refusal",
    "TariffDocument",
    "TariffNotFound",
    "TariffRefused",
    "TariffService",
    "TariffSource",
    "TariffSourceError",
    "TrustedKey",
    "endorsement_payload",
    "parse_document",
    "price_difference",
    "verify_envelope",
]

_TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_UNITS_RE = re.compile(r"^[0-9]{1,9}\.[0-9]$")
_RATE_RE = re.compile(r"^[0-9]{1,6}\.[0-9]{4}$")
_MONEY_RE = re.compile(r"^[0-9]{1,9}\.[0-9]{2}$")
_PERCENT_RE = re.compile(r"^[0-9]{1,3}\.[0-9]{2}$")
_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")


class Refusal:
    """Reason codes for a refused tariff document (stable: stored, logged and shown)."""

    UNSIGNED = "UNSIGNED"
    MALFORMED = "MALFORMED"
    WRONG_ALG = "WRONG_ALG"
    UNKNOWN_KEY = "UNKNOWN_KEY"
    BAD_SIGNATURE = "BAD_SIGNATURE"
    ENVELOPE_MISMATCH = "ENVELOPE_MISMATCH"
    INVALID_DOCUMENT = "INVALID_DOCUMENT"
    ROLLBACK = "ROLLBACK"
    CONFLICT = "CONFLICT"
    REPLAY = "REPLAY"
    EXPIRED = "EXPIRED"


_REFUSAL_TEXT = {
    Refusal.UNSIGNED: "it carries no signature",
    Refusal.MALFORMED: "it is not a readable signed tariff document",
    Refusal.WRONG_ALG: "it is not signed with Ed25519",
    Refusal.UNKNOWN_KEY: "it is signed with a key this terminal does not trust",
    Refusal.BAD_SIGNATURE: "its signature does not match its content (altered or forged)",
    Refusal.ENVELOPE_MISMATCH: "its envelope does not agree with the signed content",
    Refusal.INVALID_DOCUMENT: "its content does not follow the tariff format",
    Refusal.ROLLBACK: "its version is lower than a version already in use",
    Refusal.CONFLICT: "a different document with the same version is already in use",
    Refusal.REPLAY: "it is a copy of a document already received",
    Refusal.EXPIRED: "it has expired",
}


class TariffRefused(BusinessRuleError):
    """A tariff document was refused; `code` is a `Refusal` code. Nothing was applied."""

    title = "Tariff update refused"

    def __init__(self, code: str, detail: str = "", *, tariff_id: str = "",
                 version: int | None = None, key_id: str | None = None,
                 payload_sha256: str | None = None) -> None:
        what = f"tariff {tariff_id or '?'} version {version if version is not None else '?'}"
        text = f"The update of {what} was refused: {_REFUSAL_TEXT.get(code, code)}"
        if detail:
            text += f" ({detail})"
        super().__init__(text + ".", code=code,
                         hint="The tariff in use is unchanged. If this repeats, call the utility.")
        self.tariff_id = tariff_id
        self.version = version
        self.key_id = key_id
        self.payload_sha256 = payload_sha256


class TariffSourceError(TransientError):
    """The server could not be asked about tariffs right now; try again later."""


class TariffNotFound(BusinessRuleError):
    """The server does not have the announced tariff version (404 TARIFF_NOT_FOUND)."""


# -- documents ------------------------------------------------------------------------------------
def parse_time(value: Any, where: str) -> datetime:
    """A contract time ("2026-11-25T03:30:00Z") as an aware UTC datetime."""
    if not isinstance(value, str) or not _TIME_RE.match(value):
        raise ValueError(f"{where} is not an ISO-8601 UTC time with Z")
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def iso(dt: datetime) -> str:
    """An aware datetime in the contract's form."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Block:
    """One inclining block: kWh from `start` up to `end` (None = no upper bound) at `rate`."""

    start: Decimal
    end: Decimal | None
    rate: Decimal


@dataclass(frozen=True)
class FixedCharge:
    """A monthly fixed charge, in integer cents."""

    code: str
    description: str
    amount_minor: int


@dataclass(frozen=True)
class TariffDocument:
    """A verified tariff version (the signed payload, parsed; money in cents, no float)."""

    tariff_id: str
    version: int
    name: str
    service: str
    unit: str
    currency: str
    key_id: str
    issued_at: datetime
    effective_from: datetime
    expires_at: datetime
    prices_include_vat: bool
    vat_rate: Decimal
    blocks: tuple[Block, ...]
    fixed_charges: tuple[FixedCharge, ...]
    debt_recovery_percent: Decimal
    debt_recovery_minimum_minor: int
    fbe_units_per_month: Decimal
    payload_sha256: str
    raw: Mapping[str, Any] = field(repr=False, compare=False)

    def expired(self, at: datetime) -> bool:
        """Whether the document may no longer be used at `at`."""
        return at >= self.expires_at

    def in_force_at(self, at: datetime) -> bool:
        """Whether `effective_from` has been reached at `at` (ignoring newer versions)."""
        return self.effective_from <= at


def _money_minor(value: Any, where: str) -> int:
    if not isinstance(value, str) or not _MONEY_RE.match(value):
        raise ValueError(f"{where} is not an amount with 2 decimals")
    whole, frac = value.split(".")
    return int(whole) * 100 + int(frac)


def _dec(value: Any, pattern: re.Pattern[str], where: str, what: str) -> Decimal:
    if not isinstance(value, str) or not pattern.match(value):
        raise ValueError(f"{where} is not {what}")
    return Decimal(value)


def _str(data: Mapping[str, Any], name: str, where: str = "document") -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value:
        raise ValueError(f"{where}.{name} is not a non-empty string")
    return value


def parse_document(doc: Any, payload_sha256: str) -> TariffDocument:
    """Parse a signed payload's JSON strictly; `ValueError` names the first bad field."""
    if not isinstance(doc, dict):
        raise ValueError("document is not an object")
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValueError("document.version is not a positive integer")
    tariff_id = _str(doc, "tariff_id")
    if not _ID_RE.match(tariff_id):
        raise ValueError("document.tariff_id has the wrong format")
    currency = _str(doc, "currency")
    if not _CURRENCY_RE.match(currency):
        raise ValueError("document.currency is not a 3-letter code")
    include_vat = doc.get("prices_include_vat")
    if not isinstance(include_vat, bool):
        raise ValueError("document.prices_include_vat is not a boolean")
    raw_blocks = doc.get("blocks")
    if not isinstance(raw_blocks, list) or not raw_blocks:
        raise ValueError("document.blocks is not a non-empty list")
    blocks: list[Block] = []
    expected_start = Decimal("0.0")
    for i, b in enumerate(raw_blocks):
        where = f"document.blocks[{i}]"
        if not isinstance(b, dict):
            raise ValueError(f"{where} is not an object")
        start = _dec(b.get("from"), _UNITS_RE, f"{where}.from", "units with one decimal")
        end = None if b.get("to") is None else _dec(b.get("to"), _UNITS_RE, f"{where}.to",
                                                     "units with one decimal")
        rate = _dec(b.get("rate"), _RATE_RE, f"{where}.rate", "a rate with 4 decimals")
        # Blocks must tile [0, ∞) without gaps or overlaps, the last one open-ended.
        if start != expected_start or (end is not None and end <= start):
            raise ValueError(f"{where} does not continue the previous block")
        if (end is None) != (i == len(raw_blocks) - 1):
            raise ValueError(f"{where}: only the last block is open-ended")
        blocks.append(Block(start, end, rate))
        expected_start = end if end is not None else expected_start
    raw_charges = doc.get("fixed_charges", [])
    if not isinstance(raw_charges, list):
        raise ValueError("document.fixed_charges is not a list")
    charges: list[FixedCharge] = []
    for i, c in enumerate(raw_charges):
        where = f"document.fixed_charges[{i}]"
        if not isinstance(c, dict):
            raise ValueError(f"{where} is not an object")
        charges.append(FixedCharge(_str(c, "code", where), _str(c, "description", where),
                                   _money_minor(c.get("amount"), f"{where}.amount")))
    debt = doc.get("debt_recovery") or {"percent": "0.00", "minimum": "0.00"}
    if not isinstance(debt, dict):
        raise ValueError("document.debt_recovery is not an object")
    issued = parse_time(doc.get("issued_at"), "document.issued_at")
    effective = parse_time(doc.get("effective_from"), "document.effective_from")
    expires = parse_time(doc.get("expires_at"), "document.expires_at")
    if expires <= effective:
        raise ValueError("document.expires_at is not after effective_from")
    vat = _dec(doc.get("vat_rate"), _PERCENT_RE, "document.vat_rate", "a percentage")
    if vat >= 100:
        raise ValueError("document.vat_rate is not below 100")
    return TariffDocument(
        tariff_id=tariff_id, version=version, name=_str(doc, "name"),
        service=_str(doc, "service"), unit=_str(doc, "unit"), currency=currency,
        key_id=_str(doc, "key_id"), issued_at=issued, effective_from=effective,
        expires_at=expires, prices_include_vat=include_vat, vat_rate=vat,
        blocks=tuple(blocks), fixed_charges=tuple(charges),
        debt_recovery_percent=_dec(debt.get("percent"), _PERCENT_RE,
                                   "document.debt_recovery.percent", "a percentage"),
        debt_recovery_minimum_minor=_money_minor(debt.get("minimum"),
                                                 "document.debt_recovery.minimum"),
        fbe_units_per_month=_dec(doc.get("fbe_units_per_month", "0.0"), _UNITS_RE,
                                 "document.fbe_units_per_month", "units with one decimal"),
        payload_sha256=payload_sha256, raw=doc,
    )


# -- verification ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class TrustedKey:
    """A utility tariff-signing public key (raw 32 bytes) under its key id."""

    key_id: str
    public_key: bytes = field(repr=False)

    @classmethod
    def from_wire(cls, item: Mapping[str, Any]) -> TrustedKey:
        """From `{"key_id", "alg": "Ed25519", "public_key": base64}` (activation answer)."""
        key_id = item.get("key_id")
        if not isinstance(key_id, str) or not _ID_RE.match(key_id):
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
        shown = key_id if isinstance(key_id, str) and _ID_RE.match(key_id) else None
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


# -- where documents come from --------------------------------------------------------------------
class TariffSource(Protocol):
    """The server's tariff endpoints (GET /v1/tariffs and /v1/tariffs/{id}/versions/{n})."""

    def list_tariffs(self) -> list[dict[str, Any]]:
        """`tariffs` of GET /v1/tariffs: id, name, current_version, versions."""
        ...

    def fetch_version(self, tariff_id: str, version: int) -> Any:
        """The signed envelope, as parsed JSON (verification is the caller's job)."""
        ...

    def signing_keys(self) -> list[dict[str, Any]]:
        """`tariff_signing_keys` of GET /v1/terminal (for key rotation)."""
        ...


class HttpTariffSource:
    """`TariffSource` over HTTP(S) with the terminal credential; every call has timeouts.

    `app.api.tariff_source.ClientTariffSource(client)` now does the same through the shared
    `VendingClient` (its session, timeouts, pin and malformed-answer sink) and is the one to
    wire; this class stays for callers that have no client. Same rules: TLS verification on,
    no redirects.
    """

    def __init__(self, session: requests.Session, base_url: str, credential: Callable[[], str],
                 *, timeouts: tuple[float, float] = (3.05, 15.0),
                 verify: bool | str = True, pin_sha256: str | None = None) -> None:
        self._session = session
        self._base = base_url.rstrip("/")
        if pin_sha256:
            # The same certificate pin as the API client (the signature protects the content
            # anyway; the pin keeps the credential away from anyone else).
            from app.api.client import PinnedAdapter

            session.mount(self._base + "/", PinnedAdapter(pin_sha256))
        self._credential = credential
        self._timeouts = timeouts
        self._verify: bool | str = verify if verify else True

    def _get(self, path: str) -> Any:
        try:
            r = self._session.get(self._base + path, timeout=self._timeouts,
                                  verify=self._verify, allow_redirects=False,
                                  headers={"Accept": "application/json",
                                           "Authorization": f"Bearer {self._credential()}"})
            body = r.content
        except requests.RequestException as exc:
            raise TariffSourceError(
                f"The tariff server could not be reached ({type(exc).__name__}).") from exc
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            data = None
        if r.status_code == 404 and isinstance(data, dict) and \
                (data.get("error") or {}).get("code") == "TARIFF_NOT_FOUND":
            raise TariffNotFound("The server does not have that tariff version.",
                                 code="TARIFF_NOT_FOUND")
        if r.status_code != 200 or data is None:
            raise TariffSourceError(f"The tariff server answered {r.status_code} to {path}.")
        return data

    def list_tariffs(self) -> list[dict[str, Any]]:
        """GET /v1/tariffs."""
        data = self._get("/v1/tariffs")
        items = data.get("tariffs") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise TariffSourceError("The tariff list is not in the expected form.")
        return [i for i in items if isinstance(i, dict)]

    def signing_keys(self) -> list[dict[str, Any]]:
        """`tariff_signing_keys` of GET /v1/terminal."""
        data = self._get("/v1/terminal")
        items = data.get("tariff_signing_keys") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise TariffSourceError("The terminal information has no tariff signing keys.")
        return [i for i in items if isinstance(i, dict)]

    def fetch_version(self, tariff_id: str, version: int) -> Any:
        """GET /v1/tariffs/{id}/versions/{n}."""
        if not _ID_RE.match(tariff_id) or version < 1:
            raise TariffNotFound("Not a valid tariff id or version.", code="TARIFF_NOT_FOUND")
        return self._get(f"/v1/tariffs/{tariff_id}/versions/{version}")


# -- the service ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    """What happened to one announced version: applied, known (already have it) or refused."""

    status: str
    tariff_id: str
    version: int
    reason: str = ""


@dataclass(frozen=True)
class QuoteCheck:
    """Whether a quote's tariff version is still the one in force (see `check_quote`)."""

    status: str  # "current" | "superseded" | "newer_than_local" | "unknown_tariff"
    quoted_version: int
    in_force_version: int | None

    @property
    def stale(self) -> bool:
        """True when the server will price a sale now on another version than the quote."""
        return self.status == "superseded"


class TariffService:
    """Accepts, stores and looks up signed tariff versions; thread-safe.

    `handle_announcement` / `reconcile` are called by the push listener's worker; lookups
    (`in_force`, `history`, `tariffs`) read an in-memory index rebuilt from the store.
    """

    def __init__(self, store: Store, source: TariffSource | None, bus: EventBus, *,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 key_updates: str = "endorsed") -> None:
        if key_updates not in ("off", "endorsed", "server"):
            raise ValueError("key_updates must be 'off', 'endorsed' or 'server'")
        self.store = store
        self.source = source
        self.bus = bus
        self._clock = clock
        #: How a key id first seen on a document may become trusted (see `refresh_keys`).
        self.key_updates = key_updates
        self._lock = threading.RLock()  # serialises fetch → verify → commit
        self._index: dict[str, list[TariffDocument]] = {}
        self._keys: dict[str, bytes] = {}
        self._all_keys: dict[str, bytes] = {}
        self._timer_cond = threading.Condition()
        self._timer: threading.Thread | None = None
        self._stopping = False
        self._announced_in_force: set[tuple[str, int]] = set()
        self.load()

    # -- keys ------------------------------------------------------------------------------
    def provision_keys(self, keys: Iterable[Mapping[str, Any]], source: str = "activation") -> int:
        """Trust the activation answer's `tariff_signing_keys`; returns how many are new.

        A key id that is already trusted must carry the same bytes: re-binding an id to another
        key is refused (`TariffRefused` UNKNOWN_KEY), so a key cannot be swapped in silently.
        """
        parsed = [TrustedKey.from_wire(k) for k in keys]

        def write(conn: Connection) -> int:
            added = 0
            for k in parsed:
                row = conn.execute("SELECT public_key FROM tariff_keys WHERE key_id = ?",
                                   (k.key_id,)).fetchone()
                encoded = base64.b64encode(k.public_key).decode("ascii")
                if row is not None:
                    if row[0] != encoded:
                        raise TariffRefused(Refusal.UNKNOWN_KEY,
                                            f"key id {k.key_id} is already bound to another key",
                                            key_id=k.key_id)
                    continue
                conn.execute("INSERT INTO tariff_keys (key_id, alg, public_key, source, "
                             "added_at) VALUES (?, 'Ed25519', ?, ?, ?)",
                             (k.key_id, encoded, source, utc_now()))
                append(conn, "tariff.key_added", {"key_id": k.key_id, "source": source},
                       ref=k.key_id)
                added += 1
            return added

        added = self.store.call(write)
        self._load_keys()
        if added:
            log.info("trusted %d new tariff signing key(s) from %s", added, source)
        return added

    def refresh_keys(self) -> int:
        """Learn rotated keys from GET /v1/terminal; returns how many became trusted.

        `key_updates` decides: "off" (only activation provisions keys), "endorsed" (a new key
        is trusted only with an `endorsement` — an Ed25519 signature over
        `endorsement_payload(key_id, public_key)` by a key already trusted, named in
        `endorsed_by`), or "server" (trust what the authenticated server lists: rotation works
        with today's server, but a compromised server could then add its own key).
        Re-binding a known key id to other bytes is always refused.
        """
        if self.key_updates == "off" or self.source is None:
            return 0
        offered = self.source.signing_keys()
        with self._lock:
            trusted = dict(self._keys)
            known = set(self._all_keys)
        pending: dict[str, tuple[dict[str, Any], TrustedKey]] = {}
        for item in offered:
            try:
                key = TrustedKey.from_wire(item)
            except ValueError as exc:
                log.warning("offered tariff signing key ignored: %s", exc)
                continue
            if key.key_id not in known:
                pending[key.key_id] = (item, key)
        accepted: list[dict[str, Any]] = []
        progress = True
        while pending and progress:  # a chain tsk-1 → tsk-2 → tsk-3 is followed in any order
            progress = False
            for key_id, (item, key) in list(pending.items()):
                if self.key_updates == "endorsed" and not _endorsed(item, key_id, trusted):
                    continue
                accepted.append(item)
                trusted[key_id] = key.public_key
                del pending[key_id]
                progress = True
        for key_id in pending:
            log.warning("tariff signing key %s offered without a valid endorsement; "
                        "not trusted", key_id)
        if not accepted:
            return 0
        return self.provision_keys(accepted, "terminal:" + self.key_updates)

    def retire_key(self, key_id: str) -> None:
        """Stop accepting new documents signed by `key_id` (stored ones stay readable)."""
        def write(conn: Connection) -> None:
            conn.execute("UPDATE tariff_keys SET retired_at = ? WHERE key_id = ? AND "
                         "retired_at IS NULL", (utc_now(), key_id))
            append(conn, "tariff.key_retired", {"key_id": key_id}, ref=key_id)
        self.store.call(write)
        self._load_keys()

    def trusted_key_ids(self) -> list[str]:
        """Key ids that new documents may be signed with."""
        with self._lock:
            return sorted(self._keys)

    def _load_keys(self) -> None:
        rows = self.store.call(lambda c: c.execute(
            "SELECT key_id, public_key, retired_at FROM tariff_keys").fetchall())
        keys: dict[str, bytes] = {}
        every: dict[str, bytes] = {}
        for key_id, encoded, retired in rows:
            raw = base64.b64decode(encoded)
            every[key_id] = raw
            if retired is None:
                keys[key_id] = raw
        with self._lock:
            self._keys, self._all_keys = keys, every

    # -- loading -----------------------------------------------------------------------------
    def load(self) -> None:
        """(Re)build the index from the store, verifying every stored signature again."""
        self._load_keys()
        rows = self.store.call(lambda c: c.execute(
            "SELECT v.tariff_id, v.version, v.document, v.signature, a.key_id "
            "FROM tariff_versions v JOIN tariff_accepted a "
            "ON a.tariff_id = v.tariff_id AND a.version = v.version "
            "ORDER BY v.tariff_id, v.version").fetchall())
        index: dict[str, list[TariffDocument]] = {}
        with self._lock:
            keys = dict(self._all_keys)
        for tariff_id, version, payload_text, signature, key_id in rows:
            payload = payload_text.encode("utf-8")
            envelope = {"tariff_id": tariff_id, "version": version, "alg": "Ed25519",
                        "key_id": key_id, "signature": signature,
                        "payload": base64.b64encode(payload).decode("ascii")}
            try:
                doc = verify_envelope(envelope, keys, (tariff_id, version))
            except TariffRefused as exc:
                # The store is encrypted, so this means a bug or a tampered file: never use it.
                log.error("stored tariff %s v%s fails verification (%s); ignored",
                          tariff_id, version, exc.code)
                continue
            index.setdefault(tariff_id, []).append(doc)
        now = self._clock()
        with self._lock:
            self._index = index
            self._announced_in_force = {(d.tariff_id, d.version) for docs in index.values()
                                        for d in docs if d.in_force_at(now)}
        with self._timer_cond:
            self._timer_cond.notify_all()

    # -- accepting ---------------------------------------------------------------------------
    def highest(self, tariff_id: str) -> int:
        """The highest version accepted for `tariff_id` (0 if none)."""
        row = self.store.call(lambda c: c.execute(
            "SELECT version FROM tariff_highest WHERE tariff_id = ?", (tariff_id,)).fetchone())
        return int(row[0]) if row else 0

    def handle_announcement(self, tariff_id: str, version: int) -> Outcome:
        """Fetch and accept an announced version unless it is already known or older.

        An announcement itself is not signed, so a lower or known version is simply ignored
        ("known"); only a fetched document can be refused.
        Raises `TariffSourceError` when the server cannot be asked (retry later).
        """
        if self.source is None:
            raise TariffSourceError("No tariff server is configured.")
        with self._lock:
            if version <= self.highest(tariff_id):
                return Outcome("known", tariff_id, version)
            try:
                envelope = self.source.fetch_version(tariff_id, version)
            except TariffNotFound:
                log.warning("announced tariff %s v%d is not on the server", tariff_id, version)
                return Outcome("missing", tariff_id, version)
            key_id = envelope.get("key_id") if isinstance(envelope, dict) else None
            if isinstance(key_id, str) and key_id not in self._all_keys:
                try:
                    self.refresh_keys()
                except TariffSourceError:
                    log.info("could not ask the server for rotated keys")
            return self.accept(envelope, expected=(tariff_id, version))

    def reconcile(self) -> list[Outcome]:
        """Compare with the server's tariff list and fetch every newer version, oldest first."""
        if self.source is None:
            return []
        outcomes: list[Outcome] = []
        for item in self.source.list_tariffs():
            tariff_id, versions = item.get("id"), item.get("versions")
            if not isinstance(tariff_id, str) or not isinstance(versions, list):
                continue
            wanted = sorted({v for v in versions if isinstance(v, int)
                             and not isinstance(v, bool)})
            highest = self.highest(tariff_id)
            for v in wanted:
                if v > highest:
                    outcome = self.handle_announcement(tariff_id, v)
                    outcomes.append(outcome)
                    if outcome.status == "applied":
                        highest = v
        return outcomes

    def accept(self, envelope: Any, *, expected: tuple[str, int] | None = None) -> Outcome:
        """Verify and store one signed envelope; refusals are recorded and published."""
        with self._lock:
            keys = dict(self._keys)
            try:
                doc = verify_envelope(envelope, keys, expected)
                payload = base64.b64decode(envelope["payload"])
                signature = str(envelope["signature"])
                previous = self.store.call(lambda c: self._commit(c, doc, payload, signature))
            except TariffRefused as exc:
                self._record_refusal(exc)
                return Outcome("refused", exc.tariff_id, exc.version or 0, exc.code)
            self._index.setdefault(doc.tariff_id, []).append(doc)
            self._index[doc.tariff_id].sort(key=lambda d: d.version)
            now = self._clock()
            in_force = doc.in_force_at(now)
            if in_force:
                self._announced_in_force.add((doc.tariff_id, doc.version))
        log.info("tariff %s version %d accepted (key %s, effective %s)", doc.tariff_id,
                 doc.version, doc.key_id, iso(doc.effective_from))
        self.bus.publish("tariff.applied", tariff_id=doc.tariff_id, tariff_name=doc.name,
                         version=doc.version, previous_version=previous,
                         effective_from=iso(doc.effective_from), expires_at=iso(doc.expires_at),
                         in_force=in_force)
        with self._timer_cond:
            self._timer_cond.notify_all()
        return Outcome("applied", doc.tariff_id, doc.version)

    def _commit(self, conn: Connection, doc: TariffDocument, payload: bytes,
                signature: str) -> int:
        """Rollback / conflict / replay / expiry checks and the write, in ONE transaction."""
        def refuse(code: str, detail: str = "") -> TariffRefused:
            return TariffRefused(code, detail, tariff_id=doc.tariff_id, version=doc.version,
                                 key_id=doc.key_id, payload_sha256=doc.payload_sha256)

        row = conn.execute("SELECT version FROM tariff_highest WHERE tariff_id = ?",
                           (doc.tariff_id,)).fetchone()
        highest = int(row[0]) if row else 0
        same = conn.execute("SELECT payload_sha256 FROM tariff_accepted WHERE tariff_id = ? "
                            "AND version = ?", (doc.tariff_id, doc.version)).fetchone()
        if same is not None and same[0] == doc.payload_sha256:
            raise refuse(Refusal.REPLAY, "this version was already accepted")
        if doc.version < highest:
            raise refuse(Refusal.ROLLBACK, f"highest accepted is version {highest}")
        if same is not None or doc.version == highest:
            raise refuse(Refusal.CONFLICT)
        now = self._clock()
        if doc.expired(now):
            raise refuse(Refusal.EXPIRED, f"expired at {iso(doc.expires_at)}")
        accepted_at = utc_now()
        conn.execute("INSERT INTO tariff_versions (tariff_id, version, document, signature, "
                     "fetched_at) VALUES (?, ?, ?, ?, ?)",
                     (doc.tariff_id, doc.version, payload.decode("utf-8"), signature,
                      accepted_at))
        conn.execute("INSERT INTO tariff_accepted (tariff_id, version, name, key_id, "
                     "payload_sha256, issued_at, effective_from, expires_at, accepted_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (doc.tariff_id, doc.version, doc.name, doc.key_id, doc.payload_sha256,
                      iso(doc.issued_at), iso(doc.effective_from), iso(doc.expires_at),
                      accepted_at))
        conn.execute("INSERT INTO tariff_highest (tariff_id, version) VALUES (?, ?) "
                     "ON CONFLICT(tariff_id) DO UPDATE SET version = excluded.version",
                     (doc.tariff_id, doc.version))
        append(conn, "tariff.accepted",
               {"tariff_id": doc.tariff_id, "version": doc.version, "key_id": doc.key_id,
                "payload_sha256": doc.payload_sha256,
                "effective_from": iso(doc.effective_from)},
               ref=f"{doc.tariff_id}:{doc.version}")
        return highest

    def _record_refusal(self, exc: TariffRefused) -> None:
        log.warning("tariff document refused: %s %s v%s key=%s sha256=%s", exc.code,
                    exc.tariff_id or "?", exc.version, exc.key_id or "-",
                    (exc.payload_sha256 or "-")[:16])
        tariff_id = (exc.tariff_id or "?")[:64]

        def write(conn: Connection) -> None:
            conn.execute("INSERT INTO tariff_rejections (at, tariff_id, version, key_id, reason, "
                         "message, payload_sha256) VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (utc_now(), tariff_id, exc.version, exc.key_id, exc.code,
                          exc.message, exc.payload_sha256))
            append(conn, "tariff.rejected",
                   {"tariff_id": tariff_id, "version": exc.version, "reason": exc.code,
                    "key_id": exc.key_id, "payload_sha256": exc.payload_sha256},
                   ref=f"{tariff_id}:{exc.version}")

        try:
            self.store.call(write)
        except Exception:
            log.exception("could not record a tariff refusal")
        self.bus.publish("tariff.rejected", tariff_id=tariff_id, version=exc.version,
                         reason=exc.code, message=exc.message)

    def rejections(self, limit: int = 50) -> list[dict[str, Any]]:
        """The most recent refusals, newest first (for the viewer and support)."""
        rows = self.store.call(lambda c: c.execute(
            "SELECT at, tariff_id, version, key_id, reason, message FROM tariff_rejections "
            "ORDER BY id DESC LIMIT ?", (limit,)).fetchall())
        return [dict(zip(("at", "tariff_id", "version", "key_id", "reason", "message"), r,
                         strict=True)) for r in rows]

    # -- lookups -------------------------------------------------------------------------------
    def tariff_ids(self) -> list[str]:
        """Tariffs with at least one accepted version."""
        with self._lock:
            return sorted(self._index)

    def history(self, tariff_id: str) -> list[TariffDocument]:
        """Accepted versions of `tariff_id`, newest first."""
        with self._lock:
            return sorted(self._index.get(tariff_id, []), key=lambda d: -d.version)

    def in_force(self, tariff_id: str, at: datetime | None = None) -> TariffDocument | None:
        """The version the server prices on at `at`: the highest effective one (may be expired)."""
        at = at or self._clock()
        with self._lock:
            docs = [d for d in self._index.get(tariff_id, []) if d.in_force_at(at)]
        return max(docs, key=lambda d: d.version) if docs else None

    def check_quote(self, tariff_id: str, quoted_version: int,
                    at: datetime | None = None) -> QuoteCheck:
        """Is a quote on `quoted_version` still priced on the version in force at `at`?

        `superseded` means a newer version came into force since the quote: the sale would be
        priced differently, so the cashier must see a new quote before confirming.
        `newer_than_local` means the server knows a version this terminal has not accepted yet
        (the caller should run `reconcile`).
        """
        current = self.in_force(tariff_id, at)
        if current is None:
            return QuoteCheck("unknown_tariff", quoted_version, None)
        if quoted_version == current.version:
            return QuoteCheck("current", quoted_version, current.version)
        if quoted_version < current.version:
            return QuoteCheck("superseded", quoted_version, current.version)
        return QuoteCheck("newer_than_local", quoted_version, current.version)

    # -- effective-from timer ----------------------------------------------------------------------
    def start(self) -> None:
        """Start the thread that publishes `tariff.in_force` when a version's time comes."""
        with self._timer_cond:
            if self._timer is not None:
                return
            self._stopping = False
            self._timer = threading.Thread(target=self._timer_loop, name="tariff-effective",
                                           daemon=True)
            self._timer.start()

    def stop(self, timeout: float = 5.0) -> bool:
        """Stop the timer thread; True if it ended."""
        with self._timer_cond:
            self._stopping = True
            self._timer_cond.notify_all()
            thread, self._timer = self._timer, None
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()

    def due(self, now: datetime) -> tuple[list[TariffDocument], datetime | None]:
        """Versions that came into force by `now` and were not announced yet; the next time."""
        due: list[TariffDocument] = []
        upcoming: datetime | None = None
        with self._lock:
            for docs in self._index.values():
                for d in docs:
                    if (d.tariff_id, d.version) in self._announced_in_force:
                        continue
                    if d.in_force_at(now):
                        due.append(d)
                        self._announced_in_force.add((d.tariff_id, d.version))
                    elif upcoming is None or d.effective_from < upcoming:
                        upcoming = d.effective_from
        return due, upcoming

    def _timer_loop(self) -> None:
        while True:
            now = self._clock()
            due, upcoming = self.due(now)
            for d in due:
                current = self.in_force(d.tariff_id, now)
                if current is not None and current.version == d.version:
                    self.bus.publish("tariff.in_force", tariff_id=d.tariff_id, tariff_name=d.name,
                                     version=d.version, effective_from=iso(d.effective_from))
            with self._timer_cond:
                if self._stopping:
                    return
                # Wake at the next effective time (bounded so a changed wall clock is noticed).
                wait = 60.0 if upcoming is None else (upcoming - now).total_seconds()
                self._timer_cond.wait(min(max(wait, 0.05), 60.0))
                if self._stopping:
                    return


# -- quote/sale comparison ------------------------------------------------------------------------
@dataclass(frozen=True)
class PriceDifference:
    """How a new quote (or the sale) differs from the quote the cashier showed the customer."""

    amount: str
    old_version: int | None
    new_version: int | None
    old_units: str
    new_units: str
    unit: str
    lines: tuple[tuple[str, str, str], ...]  # (description, old amount, new amount)

    def summary(self) -> str:
        """One sentence for the confirmation dialog."""
        head = (f"The tariff changed from version {self.old_version} to {self.new_version}: "
                if self.old_version != self.new_version else "The price changed: ")
        return (f"{head}{self.amount} now buys {self.new_units} {self.unit} "
                f"instead of {self.old_units} {self.unit}.")


def _lines(data: Mapping[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in data.get("lines") or []:
        if isinstance(line, dict):
            amount = (line.get("amount") or {}).get("amount", "")
            out[str(line.get("description", line.get("kind", "?")))] = str(amount)
    return out


def price_difference(old: Mapping[str, Any], new: Mapping[str, Any]) -> PriceDifference | None:
    """Compare two quotes (or a quote and a sale) in the API's JSON form; None if the same.

    The same tariff version, units and lines mean the same price. Amounts stay strings (no
    float); only equality is needed.
    """
    old_t, new_t = old.get("tariff") or {}, new.get("tariff") or {}
    old_lines, new_lines = _lines(old), _lines(new)
    if (old_t.get("version") == new_t.get("version") and old.get("units") == new.get("units")
            and old_lines == new_lines):
        return None
    names: Sequence[str] = list(dict.fromkeys([*old_lines, *new_lines]))
    changed = tuple((n, old_lines.get(n, ""), new_lines.get(n, "")) for n in names
                    if old_lines.get(n) != new_lines.get(n))
    tendered = new.get("amount_tendered") or old.get("amount_tendered") or {}
    amount = f"{tendered.get('currency', '')} {tendered.get('amount', '')}".strip()
    return PriceDifference(
        amount=amount,
        old_version=old_t.get("version"), new_version=new_t.get("version"),
        old_units=str(old.get("units", "")), new_units=str(new.get("units", "")),
        unit=str(new.get("unit") or old.get("unit") or ""), lines=changed,
    )
