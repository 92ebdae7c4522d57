"""`tariffs()`, `tariff_version()`, `poll_events()` and `ClientTariffSource`: against the real
reference server on loopback, and against scripted answers for the strict validation."""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from app.api import (
    ApiRejected,
    MalformedResponse,
    PinnedAdapter,
    ServerUnavailable,
    Timeouts,
    VendingClient,
)
from app.api.tariff_source import ClientTariffSource
from app.tariffs import Refusal, TariffNotFound, TariffService, TariffSourceError, verify_envelope
from common.events import EventBus
from offline_store import Store, open_store
from tests.reliability.faultproxy import scripted_server
from vendserver.testing import RunningServer, running_server

JSON = "application/json"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with running_server(tmp_path_factory.mktemp("tariff-calls"), demo=True) as srv:
        yield srv


@pytest.fixture(scope="module")
def terminal(server: RunningServer) -> dict[str, Any]:
    return server.activate("Tariff calls")


def _client(url: str, credential: str = "vpt_test",
            sink: list[MalformedResponse] | None = None, **kw: Any) -> VendingClient:
    return VendingClient(requests.Session(), url, lambda: credential, timeouts=Timeouts(2, 5),
                         malformed_sink=None if sink is None else sink.append, **kw)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(tmp_path / "client.db", secrets.token_bytes(32), create=True)
    yield s
    s.close()


def _republish(server: RunningServer, rate: str) -> int:
    doc = dict(server.service.tariff_version("WAT-DOM", 1)["document"])
    doc.pop("effective_from", None)
    doc.pop("expires_at", None)
    doc["blocks"] = [dict(b) for b in doc["blocks"]]
    doc["blocks"][0]["rate"] = rate
    return int(server.service.publish_tariff(doc)["version"])


# -- the real server -------------------------------------------------------------------------
def test_tariffs_and_signed_versions_from_the_real_server(
        server: RunningServer, terminal: dict[str, Any]) -> None:
    client = _client(server.base_url, terminal["credential"])
    listing = {t.tariff_id: t for t in client.tariffs()}
    assert {"RES-IBT", "COM-FLAT", "WAT-DOM"} <= set(listing)
    assert listing["RES-IBT"].unit == "kWh" and listing["RES-IBT"].current_version >= 1
    version = _republish(server, "16.0000")
    water = {t.tariff_id: t for t in client.tariffs()}["WAT-DOM"]
    assert water.versions[-1] == version and water.current_version == version
    envelope = client.tariff_version("WAT-DOM", version)
    keys = {k["key_id"]: base64.b64decode(k["public_key"])
            for k in terminal["tariff_signing_keys"]}
    doc = verify_envelope(envelope, keys, ("WAT-DOM", version))  # the real signature path
    assert doc.version == version and str(doc.blocks[0].rate) == "16.0000"
    with pytest.raises(ApiRejected) as info:
        client.tariff_version("WAT-DOM", version + 50)
    assert info.value.code == "TARIFF_NOT_FOUND"


def test_bad_tariff_id_or_version_is_refused_before_sending() -> None:
    with scripted_server() as s:
        client = _client(s.url)
        for tariff_id, version in (("../v1/sales", 1), ("RES IBT", 1), ("", 1),
                                   ("RES-IBT", 0), ("RES-IBT", True)):
            with pytest.raises(ValueError):
                client.tariff_version(tariff_id, version)
        with pytest.raises(ValueError):
            client.poll_events(-1)
        with pytest.raises(ValueError):
            client.poll_events(0, limit=501)
        assert s.requests == []


def test_poll_events_resumes_exactly_after_last_id(
        server: RunningServer, terminal: dict[str, Any]) -> None:
    client = _client(server.base_url, terminal["credential"])
    first = client.poll_events(0, limit=500)
    start = first.last_id
    server.service.set_policy(terminal["terminal_id"], {"max_count": 9})
    server.service.top_up("V001", 100)
    page = client.poll_events(start)
    names = [e.event for e in page.events]
    assert names == ["terminal.policy", "vendor.credit"]
    assert page.events[0].data["offline_policy"]["max_count"] == 9
    assert page.last_id == page.events[-1].event_id > start
    # One at a time gives the same events, and nothing after the last one.
    one = client.poll_events(start, limit=1)
    assert [e.event_id for e in one.events] == [page.events[0].event_id]
    empty = client.poll_events(page.last_id)
    assert empty.events == () and empty.last_id == page.last_id


def test_client_tariff_source_drives_the_tariff_service(
        server: RunningServer, terminal: dict[str, Any], store: Store) -> None:
    source = ClientTariffSource(_client(server.base_url, terminal["credential"]))
    tariffs = TariffService(store, source, EventBus())
    tariffs.provision_keys(terminal["tariff_signing_keys"])
    outcomes = tariffs.reconcile()
    assert {o.tariff_id for o in outcomes if o.status == "applied"} >= {"RES-IBT", "WAT-DOM"}
    assert tariffs.in_force("RES-IBT") is not None
    assert tariffs.handle_announcement("RES-IBT", 999).status == "missing"
    assert [k["key_id"] for k in source.signing_keys()] == \
        [k["key_id"] for k in terminal["tariff_signing_keys"]]
    with pytest.raises(TariffNotFound):
        source.fetch_version("no such id", 1)


def test_client_tariff_source_errors_are_transient() -> None:
    dead = ClientTariffSource(_client("http://127.0.0.1:9"))
    for call in (dead.list_tariffs, lambda: dead.fetch_version("RES-IBT", 1),
                 dead.signing_keys):
        with pytest.raises(TariffSourceError):
            call()
    with scripted_server() as s:
        s.script.append((200, "text/html", b"<html>captive portal</html>"))
        with pytest.raises(TariffSourceError):
            ClientTariffSource(_client(s.url)).list_tariffs()


def test_refused_documents_reach_the_verifier_through_the_client(store: Store) -> None:
    # A server answering an old (genuine-looking) document for a newer version: the client
    # passes it on, so the tariff service records it as a refused REPLAY, not as a lost answer.
    with scripted_server() as s:
        env = {"tariff_id": "RES-IBT", "version": 1, "alg": "Ed25519", "key_id": "tsk-1",
               "payload": "e30=", "signature": ""}
        s.script.append((200, JSON, json.dumps(env).encode()))
        tariffs = TariffService(store, ClientTariffSource(_client(s.url)), EventBus())
        outcome = tariffs.handle_announcement("RES-IBT", 3)
    assert (outcome.status, outcome.reason) == ("refused", Refusal.UNSIGNED)
    rows = store.call(lambda c: c.execute("SELECT reason, version FROM tariff_rejections")
                      .fetchall())
    assert [r[0] for r in rows] == [Refusal.UNSIGNED]


# -- strict validation -----------------------------------------------------------------------
def _tariff(**changes: Any) -> dict[str, Any]:
    item = {"id": "RES-IBT", "name": "Res", "service": "electricity", "unit": "kWh",
            "current_version": 2, "versions": [1, 2]}
    item.update(changes)
    return item


BAD_TARIFFS = [
    ("no list", {"tariffs": {}}),
    ("version as float", {"tariffs": [_tariff(versions=[1, 2.0])]}),
    ("version as string", {"tariffs": [_tariff(current_version="2")]}),
    ("versions out of order", {"tariffs": [_tariff(versions=[2, 1])]}),
    ("versions repeated", {"tariffs": [_tariff(versions=[1, 1, 2])]}),
    ("current not a version", {"tariffs": [_tariff(current_version=3)]}),
    ("id repeated", {"tariffs": [_tariff(), _tariff()]}),
    ("id with a slash", {"tariffs": [_tariff(id="RES/IBT")]}),
    ("name missing", {"tariffs": [{k: v for k, v in _tariff().items() if k != "name"}]}),
]


@pytest.mark.parametrize(("case", "body"), BAD_TARIFFS, ids=[c for c, _ in BAD_TARIFFS])
def test_malformed_tariff_list_is_kept_and_raised(case: str, body: Any) -> None:
    kept: list[MalformedResponse] = []
    with scripted_server() as s:
        raw = json.dumps(body).encode()
        s.script.append((200, JSON, raw))
        with pytest.raises(MalformedResponse):
            _client(s.url, sink=kept).tariffs()
    assert kept and kept[0].body == raw and kept[0].path == "/v1/tariffs"


def _event(event_id: Any, data: Any = None, event: Any = "vendor.credit") -> dict[str, Any]:
    return {"id": event_id, "event": event, "data": {} if data is None else data}


BAD_PAGES = [
    ("id not above after", {"events": [_event(10)], "last_id": 10}),
    ("ids not increasing", {"events": [_event(12), _event(11)], "last_id": 11}),
    ("last_id not the last id", {"events": [_event(11), _event(12)], "last_id": 11}),
    ("last_id moves with no events", {"events": [], "last_id": 99}),
    ("data not an object", {"events": [_event(11, data=[1])], "last_id": 11}),
    ("id as string", {"events": [_event("11")], "last_id": 11}),
    ("event name missing", {"events": [_event(11, event="")], "last_id": 11}),
    ("more than the limit", {"events": [_event(11), _event(12), _event(13)], "last_id": 13}),
]


@pytest.mark.parametrize(("case", "body"), BAD_PAGES, ids=[c for c, _ in BAD_PAGES])
def test_malformed_poll_page_is_kept_and_raised(case: str, body: Any) -> None:
    kept: list[MalformedResponse] = []
    with scripted_server() as s:
        s.script.append((200, JSON, json.dumps(body).encode()))
        with pytest.raises(MalformedResponse):
            _client(s.url, sink=kept).poll_events(10, limit=2)
        assert s.requests[0][1] == "/v1/events/poll?after=10&limit=2"
    assert len(kept) == 1


def test_envelope_must_be_a_json_object_and_errors_map_as_usual() -> None:
    with scripted_server() as s:
        client = _client(s.url)
        s.script.append((200, JSON, b"[]"))
        with pytest.raises(MalformedResponse):
            client.tariff_version("RES-IBT", 1)
        s.script.append((200, "text/html", b"<html>login</html>"))
        with pytest.raises(MalformedResponse):
            client.tariff_version("RES-IBT", 1)
        s.script.append((503, JSON, json.dumps({"error": {
            "code": "SERVICE_UNAVAILABLE", "message": "busy", "retryable": True,
            "details": {}}}).encode()))
        with pytest.raises(ServerUnavailable):
            client.poll_events(0)
        assert [r[1] for r in s.requests] == ["/v1/tariffs/RES-IBT/versions/1"] * 2 + \
            ["/v1/events/poll?after=0&limit=100"]
        assert all(r[2]["Authorization"] == "Bearer vpt_test" for r in s.requests)


def test_tariff_calls_share_the_client_pin() -> None:
    session = requests.Session()
    VendingClient(session, "https://vend.example", lambda: "x", pin_sha256="ab" * 32)
    for path in ("/v1/tariffs", "/v1/tariffs/RES-IBT/versions/2", "/v1/events/poll?after=0"):
        assert isinstance(session.get_adapter("https://vend.example" + path), PinnedAdapter)

