"""The fault proxy really does each fault: the bytes (or the reset) a raw client socket gets,
and whether the request reached the server behind it."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from tests.reliability.faultproxy import Fault, FaultKind, FaultProxy, ScriptedServer
from tests.reliability.httpwire import CAPTIVE_PORTAL, HTML_ERROR, deep_json

BODY = b'{"receipt_no": "VP00000001", "units": "55.5"}'
REQUEST = (b"POST /v1/sales HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
           b"Content-Length: 2\r\n\r\n{}")


@pytest.fixture
def upstream() -> Iterator[ScriptedServer]:
    server = ScriptedServer()
    server.script = [(200, "application/json", BODY)] * 3
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def proxy(upstream: ScriptedServer) -> Iterator[FaultProxy]:
    p = FaultProxy(upstream.port)
    try:
        yield p
    finally:
        p.close()


def exchange(proxy: FaultProxy, *, timeout: float = 10.0) -> tuple[bytes, str]:
    """Send one request through the proxy; (bytes received, how it ended: fin/rst/timeout)."""
    sock = socket.create_connection(("127.0.0.1", proxy.port), timeout=timeout)
    got = b""
    try:
        sock.sendall(REQUEST)
        while True:
            try:
                data = sock.recv(65536)
            except ConnectionResetError:
                return got, "rst"
            except TimeoutError:
                return got, "timeout"
            if not data:
                return got, "fin"
            got += data
    finally:
        sock.close()


def split(answer: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:])}
    return int(lines[0].split()[1]), headers, body


def test_no_fault_forwards_the_answer(proxy: FaultProxy, upstream: ScriptedServer) -> None:
    got, end = exchange(proxy)
    assert split(got)[0] == 200 and split(got)[2] == BODY and end == "fin"
    assert len(upstream.requests) == 1 and proxy.applied == []


def test_reset_before_forward(proxy: FaultProxy, upstream: ScriptedServer) -> None:
    proxy.inject(Fault(FaultKind.RESET_BEFORE), b"POST /v1/sales ")
    assert exchange(proxy) == (b"", "rst")
    assert upstream.requests == []
    # One request only: the next one goes through.
    assert split(exchange(proxy)[0])[2] == BODY


def test_reset_after_commit(proxy: FaultProxy, upstream: ScriptedServer) -> None:
    proxy.inject(Fault(FaultKind.RESET_AFTER), b"POST /v1/sales ")
    assert exchange(proxy) == (b"", "rst")
    assert len(upstream.requests) == 1 and proxy.dropped == 1


def test_a_rule_matches_only_its_request_line(proxy: FaultProxy,
                                              upstream: ScriptedServer) -> None:
    proxy.inject(Fault(FaultKind.RESET_BEFORE), b"GET /v1/sales/")
    assert split(exchange(proxy)[0])[2] == BODY


@pytest.mark.parametrize("kind,end", [(FaultKind.TRUNCATE_FIN, "fin"),
                                      (FaultKind.TRUNCATE_RST, "rst")])
def test_truncated_body(proxy: FaultProxy, upstream: ScriptedServer, kind: FaultKind,
                        end: str) -> None:
    proxy.inject(Fault(kind))
    got, how = exchange(proxy)
    assert how == end and len(upstream.requests) == 1
    if got:  # an RST may discard what was still unread; a FIN never does
        status, headers, body = split(got)
        assert status == 200 and int(headers["content-length"]) == len(BODY)
        assert body == BODY[: len(BODY) // 2]
    else:
        assert kind is FaultKind.TRUNCATE_RST


@pytest.mark.parametrize("kind,status,ctype,body", [
    (FaultKind.ERROR_HTML, 503, "text/html", HTML_ERROR),
    (FaultKind.ERROR_EMPTY, 500, None, b""),
])
def test_5xx_without_reaching_the_server(proxy: FaultProxy, upstream: ScriptedServer,
                                         kind: FaultKind, status: int, ctype: str | None,
                                         body: bytes) -> None:
    proxy.inject(Fault(kind))
    got, end = exchange(proxy)
    code, headers, payload = split(got)
    assert (code, headers.get("content-type"), payload, end) == (status, ctype, body, "fin")
    assert headers["content-length"] == str(len(body)) and upstream.requests == []


def test_5xx_json_error_body(proxy: FaultProxy, upstream: ScriptedServer) -> None:
    proxy.inject(Fault(FaultKind.ERROR_JSON, after_commit=True))
    code, headers, payload = split(exchange(proxy)[0])
    assert code == 500 and headers["content-type"] == "application/json"
    assert json.loads(payload)["error"]["retryable"] is True
    assert len(upstream.requests) == 1  # after_commit: the server did the work


@pytest.mark.parametrize("kind,status", [(FaultKind.GATEWAY_502, 502),
                                         (FaultKind.GATEWAY_504, 504)])
def test_gateway_error_after_commit(proxy: FaultProxy, upstream: ScriptedServer,
                                    kind: FaultKind, status: int) -> None:
    proxy.inject(Fault(kind))
    code, headers, payload = split(exchange(proxy)[0])
    assert code == status and headers["content-type"] == "text/html"
    assert str(status).encode() in payload and len(upstream.requests) == 1


def test_stall_until_the_client_gives_up_or_faults_stop(proxy: FaultProxy,
                                                         upstream: ScriptedServer) -> None:
    proxy.inject(Fault(FaultKind.STALL))
    assert exchange(proxy, timeout=0.3) == (b"", "timeout")
    assert len(upstream.requests) == 1
    proxy.inject(Fault(FaultKind.STALL))
    sock = socket.create_connection(("127.0.0.1", proxy.port), timeout=10)
    try:
        sock.sendall(REQUEST)
        sock.settimeout(0.3)
        with pytest.raises(TimeoutError):
            sock.recv(1)
        proxy.clear()  # the faults stop: the stalled connection is cut, not answered
        sock.settimeout(10)
        with pytest.raises(ConnectionResetError):
            sock.recv(1)
    finally:
        sock.close()


def test_latency_delivers_the_whole_answer_late(proxy: FaultProxy,
                                                upstream: ScriptedServer) -> None:
    proxy.inject(Fault(FaultKind.LATENCY, delay=0.4))
    start = time.monotonic()
    got, _ = exchange(proxy)
    assert time.monotonic() - start >= 0.4 and split(got)[2] == BODY


def test_trickle_sends_one_byte_at_a_time(proxy: FaultProxy, upstream: ScriptedServer) -> None:
    proxy.inject(Fault(FaultKind.TRICKLE, interval=0.004))
    sock = socket.create_connection(("127.0.0.1", proxy.port), timeout=10)
    sizes: list[int] = []
    start = time.monotonic()
    try:
        sock.sendall(REQUEST)
        while data := sock.recv(65536):
            sizes.append(len(data))
    finally:
        sock.close()
    elapsed = time.monotonic() - start
    total = sum(sizes)
    assert total > len(BODY) and elapsed >= (total - 1) * 0.004
    assert max(sizes) <= 2 and sizes.count(1) > total * 0.8


def test_html_200_captive_portal(proxy: FaultProxy, upstream: ScriptedServer) -> None:
    proxy.inject(Fault(FaultKind.HTML_200))
    code, headers, payload = split(exchange(proxy)[0])
    assert code == 200 and headers["content-type"].startswith("text/html")
    assert payload == CAPTIVE_PORTAL and upstream.requests == []
    proxy.inject(Fault(FaultKind.HTML_200, after_commit=True))
    assert split(exchange(proxy)[0])[2] == CAPTIVE_PORTAL and len(upstream.requests) == 1


def test_oversized_answer(proxy: FaultProxy, upstream: ScriptedServer) -> None:
    proxy.inject(Fault(FaultKind.OVERSIZED, size=3 * 1024 * 1024))
    code, headers, payload = split(exchange(proxy)[0])
    assert code == 200 and int(headers["content-length"]) == len(payload) == 3 * 1024 * 1024
    assert isinstance(json.loads(payload), dict) and len(upstream.requests) == 1


def test_deep_json(proxy: FaultProxy, upstream: ScriptedServer) -> None:
    proxy.inject(Fault(FaultKind.DEEP_JSON, depth=50_000))
    code, headers, payload = split(exchange(proxy)[0])
    assert code == 200 and headers["content-type"] == "application/json"
    assert payload == deep_json(50_000)
    with pytest.raises(RecursionError):
        json.loads(payload)


def test_down_refuses_and_up_reopens_the_same_port(proxy: FaultProxy,
                                                   upstream: ScriptedServer) -> None:
    port = proxy.port
    proxy.down()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2)
    proxy.up()
    assert proxy.port == port and split(exchange(proxy)[0])[2] == BODY


def test_retarget_follows_a_restarted_server(proxy: FaultProxy) -> None:
    other = ScriptedServer()
    other.script = [(200, "application/json", b'{"moved": true}')]
    try:
        proxy.retarget(other.port)
        assert split(exchange(proxy)[0])[2] == b'{"moved": true}'
    finally:
        other.close()


def test_an_event_stream_is_forwarded_as_it_arrives() -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    finish = threading.Event()

    def stream() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                         b"Transfer-Encoding: chunked\r\n\r\n6\r\nhello\n\r\n")
            finish.wait(30)
            conn.sendall(b"0\r\n\r\n")

    threading.Thread(target=stream, daemon=True).start()
    proxy = FaultProxy(listener.getsockname()[1])
    sock = socket.create_connection(("127.0.0.1", proxy.port), timeout=3)
    try:
        sock.sendall(REQUEST)
        got = b""
        while b"hello" not in got:  # before the stream ends
            got += sock.recv(65536)
        finish.set()
        while not got.endswith(b"0\r\n\r\n"):
            got += sock.recv(65536)
    finally:
        sock.close()
        proxy.close()
        listener.close()
