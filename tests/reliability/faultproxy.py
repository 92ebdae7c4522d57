"""Test helpers: a loopback HTTP proxy that injects network faults, and a scripted HTTP server.

`FaultProxy` sits between the client and the real server on 127.0.0.1 and forwards whole
HTTP messages (keep-alive, one request at a time):

* `down()` closes the listening socket (connection refused) and cuts the open connections,
  `up()` reopens the same port; `retarget(port)` follows a restarted server;
* `inject(Fault(kind), match=b"POST /v1/sales ", count=1)` applies a fault to the next
  `count` requests whose request line starts with `match` (count -1: until `clear()`);
* `clear()` removes every rule and ends the faults in progress (a stall is reset, a trickle
  or a delay delivers the rest at once): "the faults stop".

The kinds (`FaultKind`) say whether the request reaches the server first ("after commit":
the server did the work, the client never gets a usable answer):

| kind | request forwarded | what the client gets |
| --- | --- | --- |
| reset_before | no | RST instead of an answer |
| reset_after | yes | RST instead of the answer |
| truncate_fin / truncate_rst | yes | the head and half the body, then FIN / RST |
| error_html / error_json / error_empty | no (unless `after_commit`) | 503 HTML / 500 JSON |
|  |  | error body (retryable) / 500 empty |
| gateway_502 / gateway_504 | yes (unless `after_commit=False`) | a proxy's 502 / 504 page |
| stall | yes | nothing, the connection open, until the client gives up (or `clear()`) |
| latency | yes | the whole answer after `delay` seconds |
| trickle | yes | the answer one byte every `interval` seconds |
| html_200 | no (unless `after_commit`) | 200 text/html: a captive portal's login page |
| oversized | yes (unless `after_commit=False`) | 200 application/json of `size` bytes |
| deep_json | yes (unless `after_commit=False`) | 200 application/json nested `depth` levels |

`ScriptedServer` answers every request with the next scripted (status, content type, body),
to test how the client treats malformed answers.
"""

from __future__ import annotations

import http.server
import select
import socket
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum

from tests.reliability import httpwire
from tests.reliability.httpwire import ConnectionEnded, Message, Reader


class FaultKind(StrEnum):
    """The faults the proxy injects (see the module docstring)."""

    RESET_BEFORE = "reset_before"
    RESET_AFTER = "reset_after"
    TRUNCATE_FIN = "truncate_fin"
    TRUNCATE_RST = "truncate_rst"
    ERROR_HTML = "error_html"
    ERROR_JSON = "error_json"
    ERROR_EMPTY = "error_empty"
    GATEWAY_502 = "gateway_502"
    GATEWAY_504 = "gateway_504"
    STALL = "stall"
    LATENCY = "latency"
    TRICKLE = "trickle"
    HTML_200 = "html_200"
    OVERSIZED = "oversized"
    DEEP_JSON = "deep_json"


#: Answers the proxy makes up (before or after the server did the work: `after_commit`).
_MADE_UP = frozenset({FaultKind.ERROR_HTML, FaultKind.ERROR_JSON, FaultKind.ERROR_EMPTY,
                      FaultKind.GATEWAY_502, FaultKind.GATEWAY_504, FaultKind.HTML_200,
                      FaultKind.OVERSIZED, FaultKind.DEEP_JSON})
#: Made-up answers whose request never reaches the server unless `after_commit=True`.
_BEFORE_BY_DEFAULT = frozenset({FaultKind.RESET_BEFORE, FaultKind.ERROR_HTML,
                                FaultKind.ERROR_JSON, FaultKind.ERROR_EMPTY, FaultKind.HTML_200})


@dataclass(frozen=True)
class Fault:
    """One fault and its parameters (seconds, bytes, levels)."""

    kind: FaultKind
    after_commit: bool | None = None
    delay: float = 1.0
    interval: float = 0.05
    size: int = 8 * 1024 * 1024
    depth: int = 100_000

    @property
    def forwards(self) -> bool:
        """Whether the request reaches the server before the fault."""
        if self.kind is FaultKind.RESET_BEFORE:
            return False
        if self.kind not in _MADE_UP:
            return True  # the fault is in (or instead of) the server's own answer
        if self.after_commit is not None:
            return self.after_commit
        return self.kind not in _BEFORE_BY_DEFAULT


@dataclass
class _Rule:
    fault: Fault
    match: bytes
    count: int


class _Reset(Exception):
    """End this client connection with an RST."""


class FaultProxy:
    """A fault-injecting HTTP proxy to `upstream_port` on 127.0.0.1."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self._lock = threading.Lock()
        #: Notified whenever a fault is applied (`wait_applied`).
        self._applied_cv = threading.Condition(self._lock)
        self._rules: list[_Rule] = []
        #: Set by `clear()`: faults in progress end now.
        self._release = threading.Event()
        #: (kind, request line) of every fault applied, in order.
        self.applied: list[tuple[FaultKind, bytes]] = []
        self._listener: socket.socket | None = None
        self._conns: set[socket.socket] = set()
        self.port = 0
        self.up()

    @property
    def url(self) -> str:
        """Base URL through the proxy."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def dropped(self) -> int:
        """How many answers were lost after the server had them (reset after commit)."""
        with self._lock:
            return sum(1 for kind, _ in self.applied if kind is FaultKind.RESET_AFTER)

    def up(self) -> None:
        """Start accepting connections (on the same port as before)."""
        with self._lock:
            if self._listener is not None:
                return
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", self.port))
            self.port = sock.getsockname()[1]
            sock.listen(64)
            self._listener = sock
        threading.Thread(target=self._accept, args=(sock,), daemon=True).start()

    def down(self) -> None:
        """Refuse new connections and cut the open ones (the server looks unreachable)."""
        with self._lock:
            sock, self._listener = self._listener, None
            conns, self._conns = self._conns, set()
        if sock is not None:
            # shutdown() wakes the thread blocked in accept(); close() alone would not.
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
        for c in conns:
            _hard_close(c)

    def retarget(self, upstream_port: int) -> None:
        """Forward new connections to a (restarted) server on another port."""
        with self._lock:
            self.upstream_port = upstream_port

    def wait_applied(self, kind: FaultKind, match: bytes = b"", times: int = 1,
                     timeout: float = 30.0) -> bool:
        """Wait until `kind` was applied `times` times to requests starting with `match`
        (for tests that must act while a fault is in progress); whether it was in time."""
        def seen() -> bool:
            return sum(1 for k, line in self.applied
                       if k is kind and line.startswith(match)) >= times

        with self._applied_cv:
            return self._applied_cv.wait_for(seen, timeout)

    def inject(self, fault: Fault, match: bytes = b"", count: int = 1) -> None:
        """Apply `fault` to the next `count` requests starting with `match` (-1: always)."""
        with self._lock:
            self._release.clear()
            self._rules.append(_Rule(fault, match, count))

    def drop_responses(self, prefix: bytes, count: int = 1) -> None:
        """Lose the answers of the next `count` requests starting with `prefix` (after the
        server committed); `count=0` removes every rule."""
        if count == 0:
            self.clear()
        else:
            self.inject(Fault(FaultKind.RESET_AFTER), prefix, count)

    def clear(self) -> None:
        """No more faults; the ones in progress end now."""
        with self._lock:
            self._rules.clear()
            self._release.set()

    def close(self) -> None:
        """Stop everything."""
        self.clear()
        self.down()

    # -- connections ---------------------------------------------------------------------------
    def _accept(self, sock: socket.socket) -> None:
        while True:
            try:
                client, _ = sock.accept()
            except OSError:
                return
            with self._lock:
                self._conns.add(client)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _take(self, request: Message) -> Fault | None:
        line = request.start_line
        with self._lock:
            for rule in self._rules:
                if rule.count != 0 and line.startswith(rule.match):
                    if rule.count > 0:
                        rule.count -= 1
                    self.applied.append((rule.fault.kind, line))
                    self._applied_cv.notify_all()
                    return rule.fault
        return None

    def _serve(self, client: socket.socket) -> None:
        upstream: socket.socket | None = None
        reader = Reader(client)
        up_reader: Reader | None = None
        try:
            while True:
                if upstream is not None and not reader.buffer and \
                        not _client_speaks_first(client, upstream):
                    return  # the server closed the idle connection: so does the client's end
                try:
                    request = reader.read()
                except (ConnectionEnded, OSError):
                    return
                fault = self._take(request)
                if fault is not None and not fault.forwards:
                    if fault.kind is FaultKind.RESET_BEFORE:
                        raise _Reset
                    client.sendall(_made_up(fault))
                    return
                if upstream is None:
                    upstream = socket.create_connection(("127.0.0.1", self.upstream_port),
                                                        timeout=30)
                    with self._lock:
                        self._conns.add(upstream)
                    up_reader = Reader(upstream)
                assert up_reader is not None
                upstream.sendall(request.wire)
                if fault is None:
                    if _closes(up_reader.relay(client)):  # streamed: events are not held
                        return
                    continue
                response = up_reader.read(response=True)  # the server has done the work
                self._after(fault, client, response)
                return
        except (_Reset, OSError, ConnectionEnded):
            _hard_close(client)
        finally:
            with self._lock:
                self._conns.discard(client)
                if upstream is not None:
                    self._conns.discard(upstream)
            _soft_close(client)
            if upstream is not None:
                _hard_close(upstream)

    def _after(self, fault: Fault, client: socket.socket, response: Message) -> None:
        """What the client gets instead of the server's answer (the server has done it)."""
        kind = fault.kind
        if kind is FaultKind.RESET_AFTER:
            raise _Reset
        if kind in (FaultKind.TRUNCATE_FIN, FaultKind.TRUNCATE_RST):
            client.sendall(response.head + response.body[: len(response.body) // 2])
            if kind is FaultKind.TRUNCATE_RST:
                raise _Reset
            client.shutdown(socket.SHUT_WR)  # FIN: an orderly end, too early
            return
        if kind is FaultKind.STALL:
            # Hold the connection open and silent until the client gives up or faults stop.
            client.settimeout(0.05)
            while not self._release.is_set():
                try:
                    if not client.recv(1):
                        return
                except TimeoutError:
                    continue
            raise _Reset
        if kind is FaultKind.LATENCY:
            self._release.wait(fault.delay)
            client.sendall(response.wire)
            return
        if kind is FaultKind.TRICKLE:
            wire = response.wire
            for i in range(len(wire)):
                if self._release.is_set():
                    client.sendall(wire[i:])
                    return
                client.sendall(wire[i:i + 1])
                self._release.wait(fault.interval)
            return
        client.sendall(_made_up(fault))


def _client_speaks_first(client: socket.socket, upstream: socket.socket) -> bool:
    """Wait for the client's next request; False if the server ends the connection first."""
    while True:
        try:
            readable, _, _ = select.select([client, upstream], [], [], 60)
        except ValueError:  # closed by `down()` or `close()` meanwhile (its fd is -1)
            return False
        if client in readable:
            return True
        if upstream in readable:
            return False


def _closes(response: Message) -> bool:
    """Whether the server ends the connection after this answer."""
    connection = (response.header(b"connection") or b"").lower()
    if response.start_line.startswith(b"HTTP/1.0"):
        return connection != b"keep-alive"
    return connection == b"close"


def _made_up(fault: Fault) -> bytes:
    """An answer the proxy makes up instead of the server's."""
    kind = fault.kind
    if kind is FaultKind.ERROR_HTML:
        return httpwire.answer(503, "Service Unavailable", "text/html", httpwire.HTML_ERROR)
    if kind is FaultKind.ERROR_JSON:
        return httpwire.answer(500, "Internal Server Error", "application/json",
                               httpwire.JSON_ERROR)
    if kind is FaultKind.ERROR_EMPTY:
        return httpwire.answer(500, "Internal Server Error", None, b"")
    if kind in (FaultKind.GATEWAY_502, FaultKind.GATEWAY_504):
        status = 502 if kind is FaultKind.GATEWAY_502 else 504
        reason = "Bad Gateway" if status == 502 else "Gateway Time-out"
        return httpwire.answer(status, reason, "text/html", httpwire.gateway_page(status))
    if kind is FaultKind.HTML_200:
        return httpwire.answer(200, "OK", "text/html; charset=utf-8", httpwire.CAPTIVE_PORTAL)
    if kind is FaultKind.OVERSIZED:
        return httpwire.answer(200, "OK", "application/json",
                               httpwire.oversized_json(fault.size))
    if kind is FaultKind.DEEP_JSON:
        return httpwire.answer(200, "OK", "application/json", httpwire.deep_json(fault.depth))
    raise AssertionError(f"{kind} is not a made-up answer")


def _soft_close(sock: socket.socket) -> None:
    try:
        sock.close()
    except OSError:
        pass


def _hard_close(sock: socket.socket) -> None:
    """Close with an RST (SO_LINGER 0), not a FIN."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    _soft_close(sock)


class ScriptedServer:
    """An HTTP server on 127.0.0.1 answering from a script of (status, content_type, body)."""

    def __init__(self) -> None:
        self.script: list[tuple[int, str, bytes]] = []
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                outer.requests.append((self.command, self.path, dict(self.headers), body))
                status, ctype, payload = outer.script.pop(0) if outer.script else (
                    500, "text/plain", b"no script")
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _answer

            def log_message(self, format: str, *args: object) -> None:
                return

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        """Base URL."""
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        """Stop serving."""
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def scripted_server() -> Iterator[ScriptedServer]:
    """A `ScriptedServer` for the duration of the block."""
    server = ScriptedServer()
    try:
        yield server
    finally:
        server.close()
