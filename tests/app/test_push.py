"""Push listener: SSE parsing, backoff, prompt stop on a silent server, polling fallback, and the
real reference server (publish → applied, pass-through events, resume after a client restart)."""

from __future__ import annotations

import json
import logging
import queue
import random
import secrets
import socket
import ssl
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests

from app.api.models import Money
from app.push import Backoff, PushConfig, PushListener, SseEvent, SseParser
from app.push.events import PolicyPushed, VendorCreditChanged
from app.tariffs import TariffService, TariffSourceError
from common.errors import ConfigError
from common.events import CoreEvent, EventBus
from offline_store import Store, open_store
from tests.app.tariff_sources import HttpTariffSource
from vendserver.testing import running_server

WAIT = 20.0  # generous: these are waits for something to happen, never speed limits
#: A well-formed `vendor.credit` payload, and an offline policy as the contract has it.
CREDIT_JSON = (b'{"vendor_id": "V1", "vendor_credit": {"amount": "10.00", "currency": "ZAR"},'
               b' "reason": "top_up"}')
POLICY = {"offline_allowed": True, "max_sale": {"amount": "500.00", "currency": "ZAR"},
          "max_total": {"amount": "2000.00", "currency": "ZAR"}, "max_count": 5,
          "warn_after_hours": 12, "refuse_after_hours": 48, "refuse": []}


# -- helpers ------------------------------------------------------------------------------------
class Events:
    """Collects bus events; `wait_for` blocks on a condition, never on time."""

    def __init__(self, bus: EventBus) -> None:
        self.items: list[CoreEvent] = []
        self._cond = threading.Condition()
        bus.subscribe_all(self._add)

    def _add(self, event: CoreEvent) -> None:
        with self._cond:
            self.items.append(event)
            self._cond.notify_all()

    def wait_for(self, pred: Callable[[list[CoreEvent]], bool], timeout: float = WAIT) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: pred(self.items), timeout)

    def named(self, name: str) -> list[CoreEvent]:
        with self._cond:
            return [e for e in self.items if e.name == name]


class RawServer:
    """A loopback TCP server; each connection is handed to `handler(conn)` on a thread."""

    def __init__(self, handler: Callable[[socket.socket], None]) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.handler = handler
        self.conns: list[socket.socket] = []
        self.accepted = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)
            self.accepted.set()
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        try:
            self.handler(conn)
        except OSError:
            pass  # the client or the test closed the connection

    def close(self) -> None:
        try:
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        except OSError:
            pass
        self.sock.close()
        for c in self.conns:
            c.close()
        self._thread.join(5)


def read_request(conn: socket.socket) -> str:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.decode("latin-1")


def config(url: str, **kw: Any) -> PushConfig:
    kw.setdefault("read_timeout", 30.0)
    kw.setdefault("backoff", Backoff(0.05, 0.2, random.Random(1)))
    return PushConfig(url, lambda: "vpt_test", **kw)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(tmp_path / "client.db", secrets.token_bytes(32), create=True)
    yield s
    s.close()


# -- parsing and backoff ------------------------------------------------------------------------
def test_sse_parser_handles_split_lines_crlf_comments_and_multiline_data():
    p = SseParser()
    stream = (b"\xef\xbb\xbfretry: 3000\r\n\r\n: heartbeat 2026-11-25T03:00:00Z\n\n"
              b"id: 7\r\nevent: tariff.published\r\ndata: {\"a\":\r\ndata:  1}\r\n\r\n"
              b"id: 8\revent: vendor.credit\rdata: {}\r\r"
              b"data: no-event-type\n\n")
    events = []
    for i in range(len(stream)):  # one byte at a time: every split point
        events += p.feed(stream[i:i + 1])
    assert [(e.event, e.data, e.id) for e in events] == [
        ("tariff.published", '{"a":\n 1}', "7"),
        ("vendor.credit", "{}", "8"),
        ("message", "no-event-type", "8"),
    ]
    assert p.retry_ms == 3000


def test_backoff_grows_is_capped_and_jittered():
    b = Backoff(base=1.0, cap=8.0, rng=random.Random(42))
    for attempt, top in [(0, 1.0), (1, 2.0), (2, 4.0), (3, 8.0), (10, 8.0), (100, 8.0)]:
        delays = {b.delay(attempt) for _ in range(50)}
        assert all(top / 2 <= d <= top for d in delays)
        assert len(delays) > 1  # jitter


def test_plain_http_to_another_host_is_refused():
    with pytest.raises(ConfigError):
        PushListener(PushConfig("http://example.org", lambda: "x"), EventBus(), None)


# -- stopping ------------------------------------------------------------------------------------
@pytest.mark.parametrize("headers_sent", [False, True])
def test_stop_returns_promptly_while_the_server_is_silent(headers_sent):
    def silent(conn: socket.socket) -> None:
        read_request(conn)
        if headers_sent:
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                         b"Transfer-Encoding: chunked\r\n\r\n")
            event = (b"retry: 3000\n\nid: 1\nevent: vendor.credit\ndata: " + CREDIT_JSON
                     + b"\n\n")
            conn.sendall(b"%x\r\n%s\r\n" % (len(event), event))
        threading.Event().wait(120)  # say nothing more

    server = RawServer(silent)
    bus = EventBus()
    events = Events(bus)
    listener = PushListener(config(server.url, read_timeout=600.0), bus, None)
    try:
        listener.start()
        assert server.accepted.wait(WAIT)
        if headers_sent:
            # The event was handled, so the listener is back in a blocking read.
            assert events.wait_for(lambda ev: any(e.name == "vendor.credit" for e in ev))
        # stop() shuts the blocked socket down itself; a generous bound, asserted to have joined.
        assert listener.stop(timeout=10.0) is True
        assert listener._thread is None
    finally:
        server.close()


# -- polling fallback ----------------------------------------------------------------------------
def test_blocked_stream_falls_back_to_polling_and_publishes_events(store):
    polls: queue.Queue[str] = queue.Queue()
    events_json = json.dumps({"events": [
        {"id": 5, "event": "vendor.credit",
         "data": {"vendor_id": "V001", "vendor_credit": {"amount": "10.00", "currency": "ZAR"},
                  "reason": "top_up"}},
        {"id": 6, "event": "terminal.policy",
         "data": {"terminal_id": "T1", "offline_policy": POLICY}}], "last_id": 6})

    def proxy(conn: socket.socket) -> None:
        request = read_request(conn)
        path = request.split(" ")[1]
        if path.startswith("/v1/events/poll"):
            polls.put(path)
            body = events_json.encode() if "after=0" in path else b'{"events":[],"last_id":6}'
            ctype = b"application/json"
        else:  # a proxy that will not stream: an HTML page instead of the event stream
            body, ctype = b"<html>blocked</html>", b"text/html"
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: " + ctype + b"\r\nContent-Length: "
                     + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
        conn.close()

    server = RawServer(proxy)
    bus = EventBus()
    events = Events(bus)
    listener = PushListener(config(server.url, poll_interval=0.05, blocked_before_fallback=2),
                            bus, None, store)
    try:
        listener.start()
        assert events.wait_for(lambda ev: any(e.name == "terminal.policy" for e in ev))
        connected = events.named("push.connected")
        assert connected and connected[0].data["mode"] == "polling"
        (credit,) = events.named("vendor.credit")
        assert isinstance(credit, VendorCreditChanged)
        assert credit.vendor_credit == Money(1000, "ZAR") and credit.event_id == 5
        (policy,) = events.named("terminal.policy")
        assert isinstance(policy, PolicyPushed) and policy.offline_policy.max_count == 5
        assert polls.get(timeout=WAIT).startswith("/v1/events/poll?after=0")
        assert "after=6" in polls.get(timeout=WAIT)  # later polls resume after the last id
    finally:
        assert listener.stop(timeout=10.0)
        server.close()
    assert listener.last_event_id == 6
    assert store.call(lambda c: c.execute(
        "SELECT value FROM push_state WHERE name='last_event_id'").fetchone())[0] == "6"


# -- with the real reference server --------------------------------------------------------------
@pytest.fixture
def server(tmp_path: Path) -> Iterator[Any]:
    (tmp_path / "srv").mkdir()
    with running_server(tmp_path / "srv", demo=True, heartbeat=0.5) as srv:
        yield srv


def client_for(srv: Any, store: Store, term: dict[str, Any],
               **kw: Any) -> tuple[PushListener, TariffService, Events]:
    bus = EventBus()
    events = Events(bus)
    cred = term["credential"]
    tariffs = TariffService(store, HttpTariffSource(requests.Session(), srv.base_url,
                                                    lambda: cred), bus)
    tariffs.provision_keys(term["tariff_signing_keys"])
    cfg = PushConfig(srv.base_url, lambda: cred, read_timeout=5.0,
                     backoff=Backoff(0.05, 0.5), **kw)
    return PushListener(cfg, bus, tariffs, store), tariffs, events


def republish(srv: Any, tariff_id: str = "RES-IBT", **changes: Any) -> int:
    doc = dict(srv.service.tariff_version(tariff_id, 1)["document"])
    doc.pop("effective_from", None)
    doc.pop("expires_at", None)
    doc.update(changes)
    return int(srv.service.publish_tariff(doc)["version"])


def applied(events: Events, tariff_id: str, version: int) -> Callable[[list[CoreEvent]], bool]:
    return lambda ev: any(e.name == "tariff.applied" and e.data["tariff_id"] == tariff_id
                          and e.data["version"] == version for e in ev)


def test_publish_is_applied_and_other_events_pass_through(server, store):
    term = server.activate("Counter 1")
    listener, tariffs, events = client_for(server, store, term)
    listener.start()
    try:
        # The first connect reconciles: every demo tariff's current version arrives.
        assert events.wait_for(applied(events, "RES-IBT", 1))
        v = republish(server, name="Residential IBT")
        assert events.wait_for(applied(events, "RES-IBT", v))
        assert tariffs.in_force("RES-IBT").name == "Residential IBT"  # type: ignore[union-attr]

        server.service.top_up("V001", 12345)
        server.service.set_policy(term["terminal_id"], {"max_count": 7})
        meter = server.meter("two_way")
        r = httpx.post(f"{server.base_url}/v1/sales", timeout=30, json={
            "meter_number": meter["meter_number"],
            "amount": {"amount": "50.00", "currency": "ZAR"}},
            headers=server.headers(term["credential"], "thandi", str(uuid.uuid4())))
        assert r.status_code == 200, r.text
        assert events.wait_for(lambda ev: {"vendor.credit", "terminal.policy",
                                           "sale.delivered"} <= {e.name for e in ev})
    finally:
        assert listener.stop(timeout=10.0)
    delivered = events.named("sale.delivered")[0].data
    assert delivered["receipt_no"] == r.json()["receipt_no"] and delivered["accepted"] is True
    assert delivered["balance"]
    assert events.named("terminal.policy")[0].data["offline_policy"].max_count == 7
    assert any(e.data["reason"] == "top_up" for e in events.named("vendor.credit"))
    assert events.named("push.connected")[0].data["mode"] == "stream"


def test_a_netrc_login_for_the_server_never_replaces_the_streams_credential(
        server, store, tmp_path, monkeypatch):
    # requests, trusting the environment, would send ~/.netrc's Basic login instead (401).
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login someone password secret\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    term = server.activate("Counter netrc")
    listener, _, events = client_for(server, store, term)
    listener.start()
    try:
        assert events.wait_for(lambda ev: any(e.name == "push.connected" for e in ev))
    finally:
        assert listener.stop(timeout=10.0)
    assert events.named("push.connected")[0].data["mode"] == "stream"


def test_a_client_restart_resumes_from_the_stored_event_id(server, store):
    term = server.activate("Counter 2")
    listener, _, events = client_for(server, store, term)
    listener.start()
    assert events.wait_for(applied(events, "RES-IBT", 1))
    server.service.top_up("V001", 100)
    assert events.wait_for(lambda ev: any(e.name == "vendor.credit" for e in ev))
    assert listener.stop(timeout=10.0)
    seen = listener.last_event_id
    assert seen > 0

    # While the client is down: a top-up and a new tariff version.
    server.service.top_up("V001", 200)
    v = republish(server)

    listener2, tariffs2, events2 = client_for(server, store, term)
    assert tariffs2.highest("RES-IBT") == 1
    listener2.start()
    try:
        assert events2.wait_for(applied(events2, "RES-IBT", v))
        assert events2.wait_for(lambda ev: any(
            e.name == "vendor.credit" and e.data["event_id"] > seen for e in ev))
    finally:
        assert listener2.stop(timeout=10.0)
    assert listener2.last_event_id > seen
    # Nothing handled twice: every event id published after the restart is new.
    assert all(e.data["event_id"] > seen for e in events2.named("vendor.credit"))


def test_a_failing_round_does_not_end_the_listener(server, store):
    term = server.activate("Counter 3")
    calls = {"n": 0}

    def credential() -> str:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("keyring hiccup")  # a bug or an environment error
        return str(term["credential"])

    bus = EventBus()
    events = Events(bus)
    listener = PushListener(PushConfig(server.base_url, credential, read_timeout=5.0,
                                       backoff=Backoff(0.05, 0.2)), bus, None, store)
    listener.start()
    try:
        assert events.wait_for(lambda ev: any(e.name == "push.connected" for e in ev))
    finally:
        assert listener.stop(timeout=10.0)
    assert calls["n"] >= 2


def test_a_refused_credential_never_connects_and_stop_ends_the_wait(server, store):
    bus = EventBus()
    events = Events(bus)
    tried = threading.Event()

    def credential() -> str:
        tried.set()
        return "vpt_" + "x" * 43

    listener = PushListener(PushConfig(server.base_url, credential, read_timeout=5.0,
                                       backoff=Backoff(0.05, 600.0)), bus, None, store)
    refused = threading.Event()

    class Watch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if "credential refused" in record.getMessage():
                refused.set()

    handler = Watch()
    logging.getLogger("vendpoint.push").addHandler(handler)
    try:
        listener.start()
        assert tried.wait(WAIT) and refused.wait(WAIT)
        assert listener.stop(timeout=10.0)  # it was waiting the 600 s cap: stop ends it
    finally:
        logging.getLogger("vendpoint.push").removeHandler(handler)
    assert events.named("push.connected") == []


def test_dispatch_is_robust_to_odd_events_and_drops_duplicates():
    bus = EventBus()
    events = Events(bus)
    listener = PushListener(config("http://127.0.0.1:9"), bus, None)
    listener._dispatch(SseEvent("vendor.credit", CREDIT_JSON.decode(), "3"))
    listener._dispatch(SseEvent("vendor.credit", CREDIT_JSON.decode(), "3"))  # duplicate
    listener._dispatch(SseEvent("vendor.credit", '{"vendor_id": "V1"}', "4"))  # no amount
    listener._dispatch(SseEvent("sale.delivered", "not json", "4"))
    listener._dispatch(SseEvent("terminal.policy", '{"offline_policy": {"max_count": 5}}', "4"))
    listener._dispatch(SseEvent("tariff.published", '{"tariff_id": "RES-IBT", "version": true}',
                                "5"))
    listener._dispatch(SseEvent("tariff.published", '{"tariff_id": "RES-IBT", "version": 2}',
                                "6"))
    listener._dispatch(SseEvent("something.new", "{}", "7"))
    assert events.items == [VendorCreditChanged(event_id=3, vendor_id="V1",
                                                vendor_credit=Money(1000, "ZAR"),
                                                reason="top_up")]
    assert listener.last_event_id == 7  # odd events are skipped, not re-read forever
    assert listener._work.get_nowait() == ("announce", ("RES-IBT", 2))
    assert listener._work.empty()


class FlakySource:
    """The real HTTP tariff source, failing its first `failures` calls (server hiccup)."""

    def __init__(self, inner: HttpTariffSource, failures: int) -> None:
        self.inner = inner
        self.failures = failures

    def _maybe_fail(self) -> None:
        if self.failures > 0:
            self.failures -= 1
            raise TariffSourceError("simulated outage")

    def list_tariffs(self) -> list[dict[str, Any]]:
        self._maybe_fail()
        return self.inner.list_tariffs()

    def fetch_version(self, tariff_id: str, version: int) -> Any:
        self._maybe_fail()
        return self.inner.fetch_version(tariff_id, version)

    def signing_keys(self) -> list[dict[str, Any]]:
        return self.inner.signing_keys()


def test_tariff_work_is_retried_when_the_tariff_server_fails(server, store):
    term = server.activate("Counter 4")
    cred = term["credential"]
    bus = EventBus()
    events = Events(bus)
    source = FlakySource(HttpTariffSource(requests.Session(), server.base_url, lambda: cred), 2)
    tariffs = TariffService(store, source, bus)
    tariffs.provision_keys(term["tariff_signing_keys"])
    listener = PushListener(PushConfig(server.base_url, lambda: cred, read_timeout=5.0,
                                       backoff=Backoff(0.05, 0.5), tariff_retry_after=0.1),
                            bus, tariffs, store)
    listener.start()
    try:
        # The first reconcile fails; the stream stays up; the worker retries by itself.
        assert events.wait_for(applied(events, "RES-IBT", 1))
    finally:
        assert listener.stop(timeout=10.0)
    assert source.failures == 0
    assert len(events.named("push.connected")) == 1  # no reconnect was needed


# -- the credential's binding -------------------------------------------------------------------
class PushLog(logging.Handler):
    """The push logger's records; `wait_for` blocks on a condition, never on time."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self._cond = threading.Condition()

    def emit(self, record: logging.LogRecord) -> None:
        with self._cond:
            self.records.append(record)
            self._cond.notify_all()

    def wait_for(self, pred: Callable[[list[logging.LogRecord]], bool]) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: pred(self.records), WAIT)


@pytest.fixture
def push_log() -> Iterator[PushLog]:
    handler = PushLog()
    logger = logging.getLogger("vendpoint.push")
    old = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(old)


def test_https_stream_needs_the_public_key_recorded_at_activation(tmp_path, store, push_log):
    from app.api.origin import CredentialBinding, origin_of, spki_sha256
    from app.keystore import KeyringCredentialProvider, MemoryKeyring
    from tests.app.api.test_api_client import _self_signed
    from tests.app.api.test_api_origin import _serve

    cert, key, der = _self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd, seen = _serve(context)
    url = f"https://127.0.0.1:{httpd.server_address[1]}"
    provider = KeyringCredentialProvider(MemoryKeyring())
    good = spki_sha256(der)
    other = ("0" if good[0] != "0" else "1") + good[1:]
    try:
        # Same origin, a certificate the CA bundle trusts, but not the key of the activation.
        provider.save("vpt_" + "s" * 43, CredentialBinding(origin_of(url), other))
        listener = PushListener(PushConfig(url, provider, verify=str(cert), read_timeout=5.0,
                                           backoff=Backoff(0.01, 0.02)), EventBus(), None, store)
        listener.start()
        try:
            assert push_log.wait_for(lambda rs: sum(
                "does not match the key recorded" in r.getMessage() for r in rs) >= 3)
        finally:
            assert listener.stop(timeout=10.0)
        assert seen == []  # not a request, so never the credential
        warned = [r for r in push_log.records if r.levelno >= logging.WARNING]
        assert len(warned) == 1 and "does not match the key recorded" in warned[0].getMessage()
        # The key of the activation: the stream request goes out with the credential.
        provider.save("vpt_" + "s" * 43, CredentialBinding(origin_of(url), good))
        listener = PushListener(PushConfig(url, provider, verify=str(cert), read_timeout=5.0,
                                           backoff=Backoff(0.01, 0.02)), EventBus(), None, store)
        listener.start()
        try:
            assert push_log.wait_for(lambda rs: len(seen) >= 1)
        finally:
            assert listener.stop(timeout=10.0)
        assert seen[0].get("Authorization") == "Bearer vpt_" + "s" * 43
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_credential_of_another_address_is_one_clear_line(server, store, push_log):
    from app.api.origin import CredentialBinding
    from app.keystore import KeyringCredentialProvider, MemoryKeyring

    class Counting(KeyringCredentialProvider):
        asked = 0

        def binding(self) -> CredentialBinding | None:
            Counting.asked += 1
            with push_log._cond:
                push_log._cond.notify_all()
            return super().binding()

    provider = Counting(MemoryKeyring())
    provider.save("vpt_" + "o" * 43, CredentialBinding("http://127.0.0.1:1"))  # another server
    bus = EventBus()
    events = Events(bus)
    listener = PushListener(PushConfig(server.base_url, provider, read_timeout=5.0,
                                       backoff=Backoff(0.01, 0.02)), bus, None, store)
    listener.start()
    try:
        assert push_log.wait_for(lambda rs: Counting.asked >= 4)  # it kept retrying
    finally:
        assert listener.stop(timeout=10.0)
    assert events.named("push.connected") == []
    assert not any(r.exc_info for r in push_log.records)  # no traceback, ever
    warned = [r.getMessage() for r in push_log.records if r.levelno >= logging.WARNING]
    assert len(warned) == 1
    assert "issued by another server address" in warned[0] and "o" * 43 not in warned[0]
