"""Test helpers: a loopback TCP proxy that injects network faults, and a scripted HTTP server.

`FaultProxy` sits between the client and the real server on 127.0.0.1:
* `down()` closes the listening socket (connection refused), `up()` reopens the same port;
* `drop_responses(prefix, count)` forwards the next `count` requests whose first bytes start with
  `prefix` (e.g. b"POST /v1/sales ") to the server but throws the answer away and cuts the
  connection: the server has committed, the client never hears about it.

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


class FaultProxy:
    """A fault-injecting TCP proxy to `upstream_port` on 127.0.0.1."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self._lock = threading.Lock()
        self._drop_prefix = b""
        self._drop_count = 0
        self.dropped = 0
        self._listener: socket.socket | None = None
        self._closed = threading.Event()
        self._conns: list[socket.socket] = []
        self.port = 0
        self.up()

    @property
    def url(self) -> str:
        """Base URL through the proxy."""
        return f"http://127.0.0.1:{self.port}"

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
            conns, self._conns = self._conns, []
        if sock is not None:
            # shutdown() wakes the thread blocked in accept(); close() alone would not.
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
        for c in conns:
            _hard_close(c)

    def drop_responses(self, prefix: bytes, count: int = 1) -> None:
        """Lose the answers of the next `count` requests starting with `prefix`."""
        with self._lock:
            self._drop_prefix = prefix
            self._drop_count = count

    def close(self) -> None:
        """Stop everything."""
        self._closed.set()
        self.down()

    def _accept(self, sock: socket.socket) -> None:
        while True:
            try:
                client, _ = sock.accept()
            except OSError:
                return
            threading.Thread(target=self._pump, args=(client,), daemon=True).start()

    def _pump(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=10)
        except OSError:
            _hard_close(client)
            return
        with self._lock:
            self._conns.extend([client, upstream])
        dropping = False
        try:
            while True:
                readable, _, _ = select.select([client, upstream], [], [], 30)
                if not readable:
                    break
                if client in readable:
                    data = client.recv(65536)
                    if not data:
                        break
                    with self._lock:
                        if self._drop_count > 0 and data.startswith(self._drop_prefix):
                            self._drop_count -= 1
                            dropping = True
                    upstream.sendall(data)
                if upstream in readable:
                    data = upstream.recv(65536)
                    if not data:
                        break
                    if dropping:
                        # The server answered (so it committed); the client never sees it.
                        with self._lock:
                            self.dropped += 1
                        break
                    client.sendall(data)
        except OSError:
            pass
        finally:
            _hard_close(client)
            _hard_close(upstream)


def _hard_close(sock: socket.socket) -> None:
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


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
