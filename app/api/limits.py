"""Bounds on one API call: a total deadline, an answer size limit, a JSON depth limit.

requests' read timeout applies to each socket read, so a server that trickles one byte every
few seconds keeps a call alive for ever. `Deadline` bounds the WHOLE call instead: connect,
the status line and headers, and the body. Connections made through `DeadlineAdapter` hand
their socket to the deadline of the call running on this thread (a context variable), and
when the deadline passes the deadlines' one watchdog thread shuts that socket down, so a read
blocked inside http.client or urllib3 returns at once and the call fails as "no answer in
time". A call that ends in time only withdraws its deadline: no thread is started per call.

Answers are streamed: a `Content-Length` above the call's limit is refused before the body
is read, and a body without one is cut off as soon as it passes the limit. `loads` refuses
JSON nested deeper than `MAX_JSON_DEPTH` before parsing it, so a hostile answer gives a
`ValueError` (a malformed answer), never a `RecursionError`.
"""

from __future__ import annotations

import contextvars
import heapq
import itertools
import json
import re
import socket
import threading
import time
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

__all__ = [
    "BATCH_ANSWER_LIMIT",
    "DEFAULT_ANSWER_LIMIT",
    "MAX_JSON_DEPTH",
    "Deadline",
    "DeadlineAdapter",
    "TooDeep",
    "json_depth",
    "loads",
]

#: Largest answer read for one call unless the call says otherwise (a sale is ~3 KB).
DEFAULT_ANSWER_LIMIT = 1 << 20
#: Largest answer to `POST /v1/sales/batch` (up to 200 sales).
BATCH_ANSWER_LIMIT = 8 << 20
#: Deepest JSON nesting accepted; the contract's answers nest at most 5 levels.
MAX_JSON_DEPTH = 32

_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(rb"[\[\]{}]")


class TooDeep(ValueError):
    """A JSON answer nests deeper than the limit (it is refused before parsing)."""


class Deadline:
    """The end of one call in `time.monotonic()` seconds; shuts its sockets down when due.

    Use it as a context manager around the call: `with Deadline(9.0) as d: ...`. Sockets the
    call opens or reuses are `watch`ed; `expired` tells afterwards whether the deadline cut
    the call short.
    """

    def __init__(self, seconds: float) -> None:
        if seconds <= 0:
            raise ValueError("a deadline must be positive")
        self.seconds = seconds
        self.at = time.monotonic() + seconds
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._expired = False
        #: Set (under the watchdog's lock) when the call ended or the deadline fired.
        self.withdrawn = False
        self._token: contextvars.Token[Deadline | None] | None = None

    @property
    def expired(self) -> bool:
        """True once the deadline has passed (its sockets were shut down)."""
        with self._lock:
            return self._expired or time.monotonic() >= self.at

    def remaining(self) -> float:
        """Seconds left (never below a millisecond, so it can be a socket timeout)."""
        return max(self.at - time.monotonic(), 0.001)

    def watch(self, sock: socket.socket | None) -> None:
        """Shut `sock` down when the deadline passes (at once if it already has)."""
        if sock is None:
            return
        with self._lock:
            if not self._expired:
                self._sockets.append(sock)
                return
        _shutdown(sock)

    def fire(self) -> None:
        """The deadline passed: shut the call's sockets down (the watchdog calls this)."""
        with self._lock:
            self._expired = True
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            _shutdown(sock)

    def __enter__(self) -> Deadline:
        self._token = _CURRENT.set(self)
        _WATCHDOG.add(self)
        return self

    def __exit__(self, *exc: object) -> None:
        _WATCHDOG.withdraw(self)
        if self._token is not None:
            _CURRENT.reset(self._token)
            self._token = None
        with self._lock:
            self._sockets = []


class _Watchdog:
    """The one thread that fires every due `Deadline`: it sleeps until the earliest one and is
    woken only when a new deadline is earlier than all it knows. A withdrawn deadline stays in
    the heap until it comes up (or the heap is compacted), so ending a call costs a flag."""

    #: Compact the heap once this many withdrawn deadlines wait in it (and they are most).
    COMPACT_AT = 256

    def __init__(self) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._heap: list[tuple[float, int, Deadline]] = []
        self._order = itertools.count()
        self._withdrawn = 0
        self._thread: threading.Thread | None = None

    def add(self, deadline: Deadline) -> None:
        with self._cond:
            entry = (deadline.at, next(self._order), deadline)
            heapq.heappush(self._heap, entry)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="api-deadlines",
                                                daemon=True)
                self._thread.start()
            elif self._heap[0] is entry:
                self._cond.notify()  # earlier than what the watchdog sleeps towards

    def withdraw(self, deadline: Deadline) -> None:
        with self._cond:
            if deadline.withdrawn:
                return
            deadline.withdrawn = True
            self._withdrawn += 1
            if self._withdrawn >= self.COMPACT_AT and 2 * self._withdrawn > len(self._heap):
                self._heap = [e for e in self._heap if not e[2].withdrawn]
                heapq.heapify(self._heap)
                self._withdrawn = 0

    def _run(self) -> None:
        while True:
            due: list[Deadline] = []
            with self._cond:
                while not due:
                    heap = self._heap
                    while heap and heap[0][2].withdrawn:
                        heapq.heappop(heap)
                        self._withdrawn -= 1
                    if not heap:
                        self._cond.wait()
                        continue
                    delay = heap[0][0] - time.monotonic()
                    if delay > 0:
                        self._cond.wait(delay)
                        continue
                    while heap and heap[0][0] <= time.monotonic():
                        deadline = heapq.heappop(heap)[2]
                        if deadline.withdrawn:
                            self._withdrawn -= 1
                        else:
                            deadline.withdrawn = True  # out of the heap: nothing to withdraw
                            due.append(deadline)
            for deadline in due:  # outside the lock: a shutdown may take a moment
                deadline.fire()


_WATCHDOG = _Watchdog()

_CURRENT: contextvars.ContextVar[Deadline | None] = contextvars.ContextVar(
    "vendpoint_api_deadline", default=None)


def _shutdown(sock: socket.socket) -> None:
    # The plain socket's shutdown, also for a TLS socket: SSLSocket.shutdown would unwrap
    # the TLS object under the reading thread's feet; this only makes its next read end.
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass


def _watch(sock: socket.socket | None) -> None:
    deadline = _CURRENT.get()
    if deadline is not None:
        deadline.watch(sock)


class _WatchedHTTPConnection(HTTPConnection):
    """An urllib3 connection whose socket the running call's deadline can shut down."""

    def connect(self) -> None:
        super().connect()
        _watch(self.sock)

    def getresponse(self) -> Any:  # a reused keep-alive connection does not connect again
        _watch(self.sock)
        return super().getresponse()


class _WatchedHTTPSConnection(HTTPSConnection):
    """The TLS twin of `_WatchedHTTPConnection`."""

    def connect(self) -> None:
        super().connect()
        _watch(self.sock)

    def getresponse(self) -> Any:
        _watch(self.sock)
        return super().getresponse()


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class DeadlineAdapter(HTTPAdapter):
    """A requests adapter whose connections obey the deadline of the call using them."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


def json_depth(body: bytes) -> int:
    """How deeply the JSON text `body` nests arrays and objects (strings do not count)."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_STRINGS.sub(b'""', body)):
        if bracket in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def loads(body: bytes, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse a JSON answer; `ValueError` if it is not UTF-8 JSON, `TooDeep` (a ValueError)
    if it nests deeper than `max_depth`."""
    if json_depth(body) > max_depth:
        raise TooDeep(f"the answer nests deeper than {max_depth} levels")
    try:
        return json.loads(body.decode("utf-8"))
    except RecursionError:  # the depth check makes this unreachable; never let it escape
        raise TooDeep(f"the answer nests deeper than {max_depth} levels") from None

