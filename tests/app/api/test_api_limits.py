"""Bounds of one API call against real sockets: the total deadline (trickled answers), the
answer size limit (Content-Length and streamed), and the JSON depth limit."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from app.api import MalformedResponse, ServerUnavailable, Timeouts, VendingClient
from app.api.limits import DEFAULT_ANSWER_LIMIT, Deadline, json_depth, loads
from tests.app.api.rawhttp import RawServer, raw_server
from tests.reliability.api_samples import KEY, request, sale
from tests.reliability.faultproxy import ScriptedServer, scripted_server

# A generous bound on how long a cut-off call may take: far above the deadline below, far
# below the minutes a trickled answer took before calls had a total deadline.
_RETURNED_WITHIN = 8.0
_FAST = Timeouts(connect=1.0, read=5.0, total=1.5)


def _client(url: str, kept: list[MalformedResponse] | None = None,
            timeouts: Timeouts = _FAST) -> VendingClient:
    return VendingClient(requests.Session(), url, lambda: "vpt_test", timeouts=timeouts,
                         malformed_sink=None if kept is None else kept.append)


def _trickle(server: RawServer, conn: socket.socket, data: bytes, every: float) -> None:
    for byte in data:
        if server.stop.wait(every):  # the pace of the trickle, not a wait for a thread
            return
        server.send(conn, bytes([byte]))


def _trickled_head(server: RawServer, conn: socket.socket) -> None:
    body = json.dumps(sale()).encode()
    head = (f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    _trickle(server, conn, head + body, 0.2)


def _trickled_body(server: RawServer, conn: socket.socket) -> None:
    body = json.dumps(sale()).encode()
    server.send(conn, (f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                       f"Content-Length: {len(body)}\r\n\r\n").encode())
    _trickle(server, conn, body, 0.2)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("answer", [_trickled_head, _trickled_body], ids=["head", "body"])
def test_a_trickled_answer_ends_the_call_at_its_deadline(answer: Any) -> None:
    # Each byte comes well within the per-read timeout (5 s), so only a total deadline
    # (1.5 s) can end the call; before it, the look-up took minutes.
    with raw_server(answer) as server:
        started = time.monotonic()
        with pytest.raises(ServerUnavailable) as info:
            _client(server.url).get_sale(KEY, request())
        took = time.monotonic() - started
    assert info.value.sent is True
    assert "did not answer within 1.5 seconds" in str(info.value)
    assert took < _RETURNED_WITHIN


@pytest.mark.timeout(60)
def test_the_client_still_works_after_a_call_was_cut_off() -> None:
    calls: list[int] = []

    def first_trickles_then_answers(server: RawServer, conn: socket.socket) -> None:
        calls.append(1)
        if len(calls) == 1:
            _trickled_body(server, conn)
            return
        body = json.dumps(sale()).encode()
        server.send(conn, (f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                           f"Content-Length: {len(body)}\r\n\r\n").encode() + body)

    with raw_server(first_trickles_then_answers) as server:
        client = _client(server.url)
        with pytest.raises(ServerUnavailable):
            client.get_sale(KEY, request())
        found = client.get_sale(KEY, request())
    assert found is not None and found.receipt_no == "VP00000001"


def test_the_deadline_shuts_a_watched_socket_and_says_so() -> None:
    left, right = socket.socketpair()
    with left, right:
        with Deadline(0.2) as due:
            due.watch(left)
            left.settimeout(5.0)
            assert left.recv(1) == b""  # shut down by the deadline, not the 5 s timeout
        assert due.expired


def test_calls_that_end_in_time_start_no_thread_of_their_own() -> None:
    with Deadline(5.0):
        pass  # the watchdog exists from the first deadline on
    before = threading.active_count()
    for _i in range(200):
        with Deadline(5.0) as due:
            assert not due.expired
    assert threading.active_count() == before


def test_a_short_deadline_after_a_long_one_still_fires_on_time() -> None:
    left, right = socket.socketpair()
    with left, right, Deadline(30.0):  # the watchdog sleeps towards this one
        with Deadline(0.2) as due:  # ...and is woken for this earlier one
            due.watch(left)
            left.settimeout(5.0)
            started = time.monotonic()
            assert left.recv(1) == b""
        assert due.expired and time.monotonic() - started < 4.0


def _endless_zeros(server: RawServer, conn: socket.socket, head: bytes, chunked: bool) -> None:
    server.send(conn, head)
    block = b"0" * (64 << 10)
    if chunked:
        block = f"{len(block):x}\r\n".encode() + block + b"\r\n"
    while not server.stop.is_set():
        server.send(conn, block)  # until the client hangs up (OSError ends the handler)


def _announced_150_mb(server: RawServer, conn: socket.socket) -> None:
    _endless_zeros(server, conn, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                   b"Content-Length: 157286400\r\n\r\n", chunked=False)


def _chunked_without_end(server: RawServer, conn: socket.socket) -> None:
    _endless_zeros(server, conn, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                   b"Transfer-Encoding: chunked\r\n\r\n", chunked=True)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("answer", [_announced_150_mb, _chunked_without_end],
                         ids=["content-length", "chunked"])
def test_an_oversized_answer_is_refused_without_reading_it_whole(answer: Any) -> None:
    kept: list[MalformedResponse] = []
    timeouts = Timeouts(connect=1.0, read=5.0, total=30.0)
    with raw_server(answer) as server:
        with pytest.raises(MalformedResponse) as info:
            _client(server.url, kept, timeouts).sell(KEY, "thandi", request())
        sent = server.sent
    assert f"larger than {DEFAULT_ANSWER_LIMIT} bytes" in info.value.problem
    assert kept and kept[0].idempotency_key == KEY and len(kept[0].body) <= 64 << 10
    # What the server managed to write before the client hung up: the limit plus what the
    # sockets' buffers hold, nowhere near the 150 MB announced.
    assert sent < 16 << 20


@pytest.fixture
def scripted() -> Iterator[ScriptedServer]:
    with scripted_server() as s:
        yield s


@pytest.mark.parametrize("body", [b"[" * 100_000 + b"]" * 100_000,
                                  b'{"a":' * 50_000 + b"1" + b"}" * 50_000],
                         ids=["arrays", "objects"])
def test_deeply_nested_json_is_a_malformed_answer_not_a_recursion_error(
        scripted: ScriptedServer, body: bytes) -> None:
    scripted.script.append((200, "application/json", body))
    kept: list[MalformedResponse] = []
    with pytest.raises(MalformedResponse) as info:
        _client(scripted.url, kept).get_sale(KEY, request())
    assert "nests deeper than" in info.value.problem
    assert kept and kept[0].body == body


def test_json_depth_ignores_brackets_inside_strings() -> None:
    assert json_depth(b'{"a": "[[[[{{{{", "b": [1, {"c": "\\"]]]"}]}') == 3
    assert loads(b'{"a": "[[[["}') == {"a": "[[[["}
    with pytest.raises(ValueError):
        loads(b"[" * 40 + b"]" * 40)
