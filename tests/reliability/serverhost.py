"""The real reference server on one folder, killed and started again on the same database
while clients keep talking to it through a fault proxy (which follows it to its new port)."""

from __future__ import annotations

import threading
from contextlib import ExitStack
from pathlib import Path

from tests.reliability.faultproxy import FaultProxy
from vendserver.testing import RunningServer, running_server


def port_of(base_url: str) -> int:
    """The port of a loopback base URL."""
    return int(base_url.rsplit(":", 1)[1])


class ServerHost:
    """Starts `running_server(folder)` and kills/restarts it on demand; thread-safe."""

    def __init__(self, folder: Path, proxy: FaultProxy | None = None) -> None:
        self.folder = folder
        self.proxy = proxy
        self._lock = threading.Lock()
        self._stack: ExitStack | None = None
        self._server: RunningServer | None = None
        self.restarts = 0

    @property
    def server(self) -> RunningServer:
        """The server now running (RuntimeError between a kill and the next start)."""
        server = self._server
        if server is None:
            raise RuntimeError("the server is not running")
        return server

    @property
    def db_path(self) -> Path:
        """The server's database (the same across restarts)."""
        return self.folder / "vendserver.db"

    def start(self) -> RunningServer:
        """Start the server on the folder's database; the proxy forwards to it."""
        with self._lock:
            if self._server is None:
                stack = ExitStack()
                self._server = stack.enter_context(running_server(self.folder, demo=True))
                self._stack = stack
            server = self._server
        if self.proxy is not None:
            self.proxy.retarget(port_of(server.base_url))
            self.proxy.up()
        return server

    def kill(self) -> None:
        """The server goes away: its clients' connections are cut first (refused and reset,
        as when the process dies), then it stops."""
        if self.proxy is not None:
            self.proxy.down()
        with self._lock:
            stack, self._stack, self._server = self._stack, None, None
        if stack is not None:
            stack.close()

    def restart(self) -> RunningServer:
        """Kill, then start again on the same database."""
        self.kill()
        self.restarts += 1
        return self.start()

    def close(self) -> None:
        """Stop the server for good."""
        self.kill()
