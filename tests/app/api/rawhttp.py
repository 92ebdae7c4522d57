"""A raw TCP server on 127.0.0.1 for transport tests: each connection is answered by a
function that writes whatever bytes it likes (trickled, oversized, never ending)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: Writes the answer on the accepted socket (`server.stop` is set when the test is over).
Answerer = Callable[["RawServer", socket.socket], None]


def read_request(conn: socket.socket) -> bytes:
    """Read one HTTP request's head and its Content-Length body."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


class RawServer:
    """Accepts connections and hands each one to `answer` on its own thread."""

    def __init__(self, answer: Answerer) -> None:
        self.answer = answer
        self.stop = threading.Event()
        self.sent = 0  # bytes written by `send`, across connections
        self._lock = threading.Lock()
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self._threads: list[threading.Thread] = []
        self._accepter = threading.Thread(target=self._accept, daemon=True)
        self._accepter.start()

    def send(self, conn: socket.socket, data: bytes) -> None:
        """`sendall`, counting the bytes."""
        conn.sendall(data)
        with self._lock:
            self.sent += len(data)

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            try:
                read_request(conn)
                self.answer(self, conn)
            except OSError:
                pass  # the client gave up: that is what these tests provoke

    def close(self) -> None:
        self.stop.set()
        self._sock.close()
        for thread in self._threads:
            thread.join(10)


@contextmanager
def raw_server(answer: Answerer) -> Iterator[RawServer]:
    """A `RawServer` for the duration of the block."""
    server = RawServer(answer)
    try:
        yield server
    finally:
        server.close()
