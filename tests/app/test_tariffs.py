"""Tariff service: the real Ed25519 verification path, the attack matrix (also across a client
restart), key rotation, effective-from, quotes, and a loopback HTTP source."""

from __future__ import annotations

import base64
import json
import logging
import secrets
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from app.sales.price_difference import price_difference
from app.tariffs import (
    Refusal,
    TariffRefused,
    TariffService,
    TariffSourceError,
    endorsement_payload,
    verify_envelope,
)
from app.tariffs.events import TariffApplied, TariffInForce, TariffRejected
from common.events import CoreEvent, EventBus
from offline_store import Store, open_store
from offline_store.journal import verify_chain
from tests.app.tariff_sources import HttpTariffSource

NOW = datetime(2026, 11, 25, 3, 0, 0, tzinfo=UTC)


def iso(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def canonical(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def public_b64(key: Ed25519PrivateKey) -> str:
    return base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def make_doc(version: int, *, tariff_id: str = "RES-IBT", key_id: str = "tsk-1",
             effective: datetime = NOW - timedelta(hours=1),
             expires: datetime = NOW + timedelta(days=365), rate: str = "1.8000",
             name: str = "Residential IBT") -> dict[str, Any]:
    return {
        "tariff_id": tariff_id, "name": name, "service": "electricity", "unit": "kWh",
        "currency": "ZAR", "version": version, "key_id": key_id,
        "issued_at": iso(effective - timedelta(days=1)), "effective_from": iso(effective),
        "expires_at": iso(expires), "prices_include_vat": True, "vat_rate": "15.00",
        "blocks": [{"from": "0.0", "to": "50.0", "rate": rate},
                   {"from": "50.0", "to": None, "rate": "2.5000"}],
        "fixed_charges": [{"code": "SERVICE", "description": "Monthly service charge",
                           "amount": "45.00"}],
        "debt_recovery": {"percent": "20.00", "minimum": "5.00"},
        "fbe_units_per_month": "50.0",
    }


def envelope(doc: dict[str, Any], key: Ed25519PrivateKey, *,
             key_id: str | None = None) -> dict[str, Any]:
    payload = canonical(doc)
    return {"tariff_id": doc["tariff_id"], "version": doc["version"], "alg": "Ed25519",
            "key_id": key_id or doc["key_id"],
            "payload": base64.b64encode(payload).decode(),
            "signature": base64.b64encode(key.sign(payload)).decode(),
            "document": json.loads(payload)}


def flip_bit(b64: str, index: int) -> str:
    raw = bytearray(base64.b64decode(b64))
    raw[index] ^= 0x01
    return base64.b64encode(bytes(raw)).decode()


class Recorder:
    def __init__(self, bus: EventBus) -> None:
        self.events: list[CoreEvent] = []
        bus.subscribe((TariffApplied, TariffInForce, TariffRejected), self.events.append)

    def names(self) -> list[str]:
        return [e.name for e in self.events]


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def utility_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def store_key() -> bytes:
    return secrets.token_bytes(32)


@pytest.fixture
def store(tmp_path: Path, store_key: bytes) -> Iterator[Store]:
    s = open_store(tmp_path / "client.db", store_key, create=True)
    yield s
    s.close()


def make_service(store: Store, key: Ed25519PrivateKey | None, clock: Clock | None = None,
                 source: Any = None) -> tuple[TariffService, Recorder]:
    bus = EventBus()
    service = TariffService(store, source, bus, clock=clock or Clock(NOW))
    if key is not None:
        service.provision_keys([{"key_id": "tsk-1", "alg": "Ed25519",
                                 "public_key": public_b64(key)}])
    return service, Recorder(bus)


def rejections(store: Store) -> list[tuple[str, int | None]]:
    return store.call(lambda c: c.execute(
        "SELECT reason, version FROM tariff_rejections ORDER BY id").fetchall())


def journal_kinds(store: Store) -> list[str]:
    return [r[0] for r in store.call(lambda c: c.execute(
        "SELECT kind FROM journal ORDER BY seq").fetchall())]


# -- acceptance --------------------------------------------------------------------------------
def test_a_valid_document_is_applied_stored_and_announced(store, utility_key):
    service, rec = make_service(store, utility_key)
    outcome = service.accept(envelope(make_doc(1), utility_key), expected=("RES-IBT", 1))
    assert outcome.status == "applied"
    assert service.highest("RES-IBT") == 1
    doc = service.in_force("RES-IBT", NOW)
    assert doc is not None and doc.version == 1
    assert doc.blocks[0].rate == doc.blocks[0].rate.__class__("1.8000")
    assert doc.fixed_charges[0].amount_minor == 4500
    assert doc.debt_recovery_minimum_minor == 500
    assert rec.names() == ["tariff.applied"]
    data = rec.events[0].data
    assert data["version"] == 1 and data["previous_version"] == 0 and data["in_force"] is True
    assert data["tariff_name"] == "Residential IBT"
    assert "tariff.accepted" in journal_kinds(store)
    assert store.call(verify_chain).ok


def test_versions_in_force_follow_effective_from(store, utility_key):
    clock = Clock(NOW)
    service, rec = make_service(store, utility_key, clock)
    later = NOW + timedelta(hours=21)  # next midnight SAST
    service.accept(envelope(make_doc(1), utility_key))
    service.accept(envelope(make_doc(2, effective=later, rate="2.0000"), utility_key))
    assert rec.events[-1].data["in_force"] is False
    assert service.in_force("RES-IBT", NOW).version == 1  # type: ignore[union-attr]
    assert service.in_force("RES-IBT", later).version == 2  # type: ignore[union-attr]
    assert service.in_force("RES-IBT", NOW - timedelta(days=2)) is None
    assert [d.version for d in service.history("RES-IBT")] == [2, 1]
    due, upcoming = service.due(NOW)
    assert due == [] and upcoming == later
    due, _ = service.due(later)
    assert [d.version for d in due] == [2]
    assert service.due(later)[0] == []  # announced once


def test_effective_time_publishes_in_force_from_the_timer_thread(store, utility_key):
    service, rec = make_service(store, utility_key, Clock(NOW))
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=1)
    service._clock = lambda: datetime.now(UTC)
    service.accept(envelope(make_doc(1, effective=soon, expires=soon + timedelta(days=3)),
                            utility_key))
    fired = threading.Event()
    service.bus.subscribe(TariffInForce, lambda e: fired.set())
    service.start()
    try:
        assert fired.wait(10), "tariff.in_force was not published at effective_from"
    finally:
        assert service.stop()
    assert rec.names() == ["tariff.applied", "tariff.in_force"]


# -- the attack matrix ------------------------------------------------------------------------
def _attack(kind: str, key: Ed25519PrivateKey) -> tuple[dict[str, Any], tuple[str, int], str]:
    """(envelope, expected, refusal code) for one attack; version 2 is already accepted."""
    if kind == "unsigned":
        env = envelope(make_doc(3), key)
        env["signature"] = ""
        return env, ("RES-IBT", 3), Refusal.UNSIGNED
    if kind == "signature_missing":
        env = envelope(make_doc(3), key)
        del env["signature"]
        return env, ("RES-IBT", 3), Refusal.UNSIGNED
    if kind == "wrong_key":
        return envelope(make_doc(3), Ed25519PrivateKey.generate()), ("RES-IBT", 3), \
            Refusal.BAD_SIGNATURE
    if kind == "unknown_key_id":
        return envelope(make_doc(3, key_id="tsk-evil"), Ed25519PrivateKey.generate()), \
            ("RES-IBT", 3), Refusal.UNKNOWN_KEY
    if kind == "flipped_payload_bit":
        env = envelope(make_doc(3), key)
        env["payload"] = flip_bit(env["payload"], 40)
        return env, ("RES-IBT", 3), Refusal.BAD_SIGNATURE
    if kind == "flipped_signature_bit":
        env = envelope(make_doc(3), key)
        env["signature"] = flip_bit(env["signature"], 5)
        return env, ("RES-IBT", 3), Refusal.BAD_SIGNATURE
    if kind == "altered_document_field":
        env = envelope(make_doc(3), key)
        env["document"]["blocks"][0]["rate"] = "0.0100"
        return env, ("RES-IBT", 3), Refusal.ENVELOPE_MISMATCH
    if kind == "wrong_alg":
        env = envelope(make_doc(3), key)
        env["alg"] = "RSA"
        return env, ("RES-IBT", 3), Refusal.WRONG_ALG
    if kind == "lower_version":
        return envelope(make_doc(1, rate="0.5000"), key), ("RES-IBT", 1), Refusal.ROLLBACK
    if kind == "same_version_other_content":
        return envelope(make_doc(2, rate="0.9000"), key), ("RES-IBT", 2), Refusal.CONFLICT
    if kind == "expired":
        return envelope(make_doc(3, effective=NOW - timedelta(days=10),
                                 expires=NOW - timedelta(seconds=1)), key), \
            ("RES-IBT", 3), Refusal.EXPIRED
    if kind == "replayed":
        return envelope(make_doc(2), key), ("RES-IBT", 2), Refusal.REPLAY
    if kind == "old_document_for_new_version":
        return envelope(make_doc(2), key), ("RES-IBT", 3), Refusal.REPLAY
    raise AssertionError(kind)


ATTACKS = ["unsigned", "signature_missing", "wrong_key", "unknown_key_id",
           "flipped_payload_bit", "flipped_signature_bit", "altered_document_field",
           "wrong_alg", "lower_version", "same_version_other_content", "expired", "replayed",
           "old_document_for_new_version"]


@pytest.mark.parametrize("kind", ATTACKS)
def test_attack_is_refused_logged_and_refused_again_after_restart(
        kind, tmp_path, store_key, utility_key, caplog):
    path = tmp_path / "client.db"
    store = open_store(path, store_key, create=True)
    try:
        service, rec = make_service(store, utility_key)
        assert service.accept(envelope(make_doc(1), utility_key)).status == "applied"
        assert service.accept(envelope(make_doc(2), utility_key)).status == "applied"
        env, expected, code = _attack(kind, utility_key)
        with caplog.at_level(logging.WARNING, logger="vendpoint.tariffs"):
            outcome = service.accept(json.loads(json.dumps(env)), expected=expected)
        assert (outcome.status, outcome.reason) == ("refused", code)
        assert rejections(store)[-1][0] == code
        assert journal_kinds(store)[-1] == "tariff.rejected"
        assert rec.events[-1].name == "tariff.rejected"
        assert rec.events[-1].data["reason"] == code
        assert any(code in r.getMessage() for r in caplog.records)
        assert service.highest("RES-IBT") == 2
        in_force = service.in_force("RES-IBT", NOW)
        assert in_force is not None and in_force.payload_sha256 == \
            verify_envelope(envelope(make_doc(2), utility_key),
                            {"tsk-1": base64.b64decode(public_b64(utility_key))}).payload_sha256
    finally:
        store.close()

    # A client restart: same encrypted file, a fresh service. Nothing was forgotten.
    store = open_store(path, store_key)
    try:
        service, rec = make_service(store, None)
        assert service.trusted_key_ids() == ["tsk-1"]
        assert service.highest("RES-IBT") == 2
        outcome = service.accept(json.loads(json.dumps(env)), expected=expected)
        assert (outcome.status, outcome.reason) == ("refused", code)
        assert [r[0] for r in rejections(store)][-2:] == [code, code]
        assert service.in_force("RES-IBT", NOW).version == 2  # type: ignore[union-attr]
        assert store.call(verify_chain).ok
    finally:
        store.close()


def test_refusal_message_never_carries_key_or_payload(store, utility_key):
    service, rec = make_service(store, utility_key)
    env = envelope(make_doc(1), Ed25519PrivateKey.generate())
    service.accept(env)
    message = rec.events[-1].data["message"]
    assert env["signature"] not in message and env["payload"][:20] not in message
    assert "signature does not match" in message


def test_invalid_document_content_is_refused(store, utility_key):
    service, _ = make_service(store, utility_key)
    doc = make_doc(1)
    doc["blocks"][1]["from"] = "60.0"  # a gap between blocks
    outcome = service.accept(envelope(doc, utility_key))
    assert outcome.reason == Refusal.INVALID_DOCUMENT
    doc = make_doc(1)
    doc["vat_rate"] = 15.0  # a float: never
    assert service.accept(envelope(doc, utility_key)).reason == Refusal.INVALID_DOCUMENT
    assert service.highest("RES-IBT") == 0


def test_concurrent_acceptance_of_one_version_applies_it_once(store, utility_key):
    service, rec = make_service(store, utility_key)
    env = envelope(make_doc(1), utility_key)
    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(service.accept(env).status))
               for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results) == ["applied", "refused", "refused", "refused"]
    assert rec.names().count("tariff.applied") == 1


# -- keys --------------------------------------------------------------------------------------
def test_key_rotation_and_rebinding(store, utility_key):
    service, _ = make_service(store, utility_key)
    new_key = Ed25519PrivateKey.generate()
    assert service.provision_keys([{"key_id": "tsk-2", "alg": "Ed25519",
                                    "public_key": public_b64(new_key)}], "rotation") == 1
    assert service.trusted_key_ids() == ["tsk-1", "tsk-2"]
    assert service.accept(envelope(make_doc(1), utility_key)).status == "applied"
    assert service.accept(envelope(make_doc(2, key_id="tsk-2"), new_key)).status == "applied"
    with pytest.raises(TariffRefused) as err:
        service.provision_keys([{"key_id": "tsk-1", "alg": "Ed25519",
                                 "public_key": public_b64(new_key)}])
    assert err.value.code == Refusal.UNKNOWN_KEY
    service.retire_key("tsk-1")
    assert service.accept(envelope(make_doc(3), utility_key)).reason == Refusal.UNKNOWN_KEY
    service.load()  # stored versions signed by the retired key still verify
    assert [d.version for d in service.history("RES-IBT")] == [2, 1]
    with pytest.raises(ValueError):
        service.provision_keys([{"key_id": "tsk-3", "alg": "Ed25519", "public_key": "AAAA"}])


def test_a_tampered_stored_version_is_not_used(store, utility_key, caplog):
    service, _ = make_service(store, utility_key)
    service.accept(envelope(make_doc(1), utility_key))
    service.accept(envelope(make_doc(2), utility_key))
    store.call(lambda c: c.execute(
        "UPDATE tariff_versions SET document = replace(document, '2.5000', '0.0001') "
        "WHERE version = 2"))
    with caplog.at_level(logging.ERROR, logger="vendpoint.tariffs"):
        service.load()
    assert [d.version for d in service.history("RES-IBT")] == [1]
    assert any("fails verification" in r.getMessage() for r in caplog.records)


# -- quotes ------------------------------------------------------------------------------------
def test_check_quote_and_price_difference(store, utility_key):
    service, _ = make_service(store, utility_key)
    service.accept(envelope(make_doc(1), utility_key))
    service.accept(envelope(make_doc(2, effective=NOW + timedelta(hours=1)), utility_key))
    assert service.check_quote("RES-IBT", 1, NOW).status == "current"
    check = service.check_quote("RES-IBT", 1, NOW + timedelta(hours=2))
    assert check.stale and check.in_force_version == 2
    assert service.check_quote("RES-IBT", 3, NOW).status == "newer_than_local"
    assert service.check_quote("OTHER", 1, NOW).status == "unknown_tariff"

    def quote(version: int, units: str, energy: str) -> dict[str, Any]:
        return {"tariff": {"id": "RES-IBT", "version": version}, "units": units, "unit": "kWh",
                "amount_tendered": {"amount": "100.00", "currency": "ZAR"},
                "lines": [{"kind": "energy", "description": "Block 1", "amount":
                           {"amount": energy, "currency": "ZAR"}}]}

    assert price_difference(quote(1, "48.0", "86.96"), quote(1, "48.0", "86.96")) is None
    diff = price_difference(quote(1, "48.0", "86.96"), quote(2, "43.5", "86.96"))
    assert diff is not None and diff.new_units == "43.5" and diff.lines == ()
    assert diff.summary() == ("The tariff changed from version 1 to 2: ZAR 100.00 now buys "
                              "43.5 kWh instead of 48.0 kWh.")


# -- reconciliation and the HTTP source ----------------------------------------------------------
class _Served:
    """What the loopback tariff server answers."""

    def __init__(self) -> None:
        self.listing: list[dict[str, Any]] = []
        self.versions: dict[tuple[str, int], dict[str, Any]] = {}
        self.requests: list[str] = []
        self.status = 200
        self.keys: list[dict[str, Any]] = []


@pytest.fixture
def loopback() -> Iterator[tuple[str, _Served]]:
    served = _Served()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            served.requests.append(self.path)
            assert self.headers["Authorization"] == "Bearer vpt_test"
            body: Any
            status = served.status
            if self.path == "/v1/tariffs":
                body = {"tariffs": served.listing}
            elif self.path == "/v1/terminal":
                body = {"tariff_signing_keys": served.keys}
            else:
                parts = self.path.split("/")
                found = served.versions.get((parts[3], int(parts[5])))
                if found is None:
                    status, body = 404, {"error": {"code": "TARIFF_NOT_FOUND", "message": "x",
                                                   "retryable": False, "details": {}}}
                else:
                    body = found
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", served
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def test_reconcile_over_http_fetches_missing_versions_in_order(store, utility_key, loopback):
    url, served = loopback
    source = HttpTariffSource(requests.Session(), url, lambda: "vpt_test")
    service, rec = make_service(store, utility_key, source=source)
    for v in (1, 2, 3):
        served.versions[("RES-IBT", v)] = envelope(make_doc(v), utility_key)
    served.listing = [{"id": "RES-IBT", "versions": [1, 2, 3], "current_version": 3}]
    outcomes = service.reconcile()
    assert [(o.status, o.version) for o in outcomes] == [("applied", 1), ("applied", 2),
                                                         ("applied", 3)]
    served.requests.clear()
    assert service.reconcile() == []  # nothing new: no document fetched
    assert served.requests == ["/v1/tariffs"]
    assert service.handle_announcement("RES-IBT", 2).status == "known"
    assert service.handle_announcement("RES-IBT", 9).status == "missing"
    assert [e.data["version"] for e in rec.events] == [1, 2, 3]


@pytest.mark.parametrize("kind", ["flipped_payload_bit", "wrong_key", "unsigned",
                                  "old_document_for_new_version", "expired"])
def test_attack_served_over_http_is_refused(kind, store, utility_key, loopback):
    url, served = loopback
    source = HttpTariffSource(requests.Session(), url, lambda: "vpt_test")
    service, _ = make_service(store, utility_key, source=source)
    served.versions[("RES-IBT", 1)] = envelope(make_doc(1), utility_key)
    served.versions[("RES-IBT", 2)] = envelope(make_doc(2), utility_key)
    assert service.handle_announcement("RES-IBT", 2).status == "applied"
    env, expected, code = _attack(kind, utility_key)
    served.versions[expected] = env
    outcome = service.handle_announcement(*expected)
    assert (outcome.status, outcome.reason) == ("refused", code)
    assert rejections(store)[-1][0] == code


def test_http_source_errors_are_transient(store, utility_key, loopback):
    url, served = loopback
    served.status = 503
    source = HttpTariffSource(requests.Session(), url, lambda: "vpt_test")
    with pytest.raises(TariffSourceError):
        source.list_tariffs()
    dead = HttpTariffSource(requests.Session(), "http://127.0.0.1:9", lambda: "vpt_test",
                            timeouts=(1.0, 1.0))
    with pytest.raises(TariffSourceError):
        dead.fetch_version("RES-IBT", 1)


def _key_entry(key_id: str, key: Ed25519PrivateKey,
               endorser: tuple[str, Ed25519PrivateKey] | None = None) -> dict[str, Any]:
    entry = {"key_id": key_id, "alg": "Ed25519", "public_key": public_b64(key)}
    if endorser is not None:
        sig = endorser[1].sign(endorsement_payload(key_id, entry["public_key"]))
        entry |= {"endorsed_by": endorser[0], "endorsement": base64.b64encode(sig).decode()}
    return entry


@pytest.mark.parametrize("mode, endorsed_by, applied", [
    ("endorsed", "tsk-1", True),     # endorsed by the trusted key: rotation works
    ("endorsed", None, False),       # not endorsed: refused, key not trusted
    ("endorsed", "forger", False),   # "endorsed" by a key nobody trusts
    ("server", None, True),          # trust the authenticated server's list
    ("off", "tsk-1", False),         # only activation provisions keys
])
def test_rotated_key_is_learned_only_as_configured(mode, endorsed_by, applied, store,
                                                   utility_key, loopback):
    url, served = loopback
    source = HttpTariffSource(requests.Session(), url, lambda: "vpt_test")
    bus = EventBus()
    service = TariffService(store, source, bus, clock=Clock(NOW), key_updates=mode)
    service.provision_keys([_key_entry("tsk-1", utility_key)])
    new_key = Ed25519PrivateKey.generate()
    endorser = {"tsk-1": ("tsk-1", utility_key),
                "forger": ("forger", Ed25519PrivateKey.generate())}.get(endorsed_by or "")
    served.keys = [_key_entry("tsk-1", utility_key), _key_entry("tsk-2", new_key, endorser)]
    served.versions[("RES-IBT", 1)] = envelope(make_doc(1, key_id="tsk-2"), new_key)
    outcome = service.handle_announcement("RES-IBT", 1)
    if applied:
        assert outcome.status == "applied"
        assert service.trusted_key_ids() == ["tsk-1", "tsk-2"]
        assert "tariff.key_added" in journal_kinds(store)
    else:
        assert (outcome.status, outcome.reason) == ("refused", Refusal.UNKNOWN_KEY)
        assert service.trusted_key_ids() == ["tsk-1"]
    assert ("/v1/terminal" in served.requests) == (mode != "off")


def test_endorsement_cannot_rebind_a_key_id(store, utility_key, loopback):
    url, served = loopback
    source = HttpTariffSource(requests.Session(), url, lambda: "vpt_test")
    service = TariffService(store, source, EventBus(), clock=Clock(NOW), key_updates="server")
    service.provision_keys([_key_entry("tsk-1", utility_key)])
    evil = Ed25519PrivateKey.generate()
    served.keys = [_key_entry("tsk-1", evil)]  # same id, other bytes
    assert service.refresh_keys() == 0
    served.versions[("RES-IBT", 1)] = envelope(make_doc(1), evil)
    assert service.handle_announcement("RES-IBT", 1).reason == Refusal.BAD_SIGNATURE


def test_an_endorsement_chain_is_followed_and_bad_entries_skipped(store, utility_key, loopback):
    url, served = loopback
    source = HttpTariffSource(requests.Session(), url, lambda: "vpt_test")
    service = TariffService(store, source, EventBus(), clock=Clock(NOW))
    service.provision_keys([_key_entry("tsk-1", utility_key)])
    k2, k3 = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    served.keys = [
        {"key_id": "bad", "alg": "Ed25519", "public_key": "not base64!"},
        _key_entry("tsk-3", k3, ("tsk-2", k2)),  # listed before its endorser
        _key_entry("tsk-2", k2, ("tsk-1", utility_key)),
        _key_entry("tsk-1", utility_key),
    ]
    served.versions[("RES-IBT", 1)] = envelope(make_doc(1, key_id="tsk-3"), k3)
    assert service.handle_announcement("RES-IBT", 1).status == "applied"
    assert service.trusted_key_ids() == ["tsk-1", "tsk-2", "tsk-3"]


def test_http_source_mounts_the_certificate_pin():
    session = requests.Session()
    HttpTariffSource(session, "https://vend.example", lambda: "x", pin_sha256="ab" * 32)
    adapter = session.get_adapter("https://vend.example/v1/tariffs")
    assert type(adapter).__name__ == "PinnedAdapter"
