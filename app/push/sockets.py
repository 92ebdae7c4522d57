"""Sockets the push listener can shut down from another thread.

A blocked socket read never returns on its own, and closing the response object does not wake
it either; so every socket the listener's session opens is reported the moment it connects
(also while the request still waits for response headers), and `stop()` shuts it down.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

__all__ = ["StoppableAdapter"]


class StoppableAdapter(HTTPAdapter):
    """An HTTP adapter that reports every socket it connects, so `stop()` can shut it down."""

    def __init__(self, on_socket: Callable[[socket.socket], None],
                 pin_sha256: str | None = None) -> None:
        self._on_socket = on_socket
        self._pin = pin_sha256.replace(":", "").lower() if pin_sha256 else None
        super().__init__(max_retries=0, pool_connections=1, pool_maxsize=2)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        if self._pin:
            kwargs["assert_fingerprint"] = self._pin
        super().init_poolmanager(*args, **kwargs)
        report = self._on_socket

        class Conn(HTTPConnection):
            def connect(self) -> None:
                super().connect()
                if self.sock is not None:
                    report(self.sock)

        class TlsConn(HTTPSConnection):
            def connect(self) -> None:
                super().connect()
                if self.sock is not None:
                    report(self.sock)

        class Pool(HTTPConnectionPool):
            ConnectionCls = Conn

        class TlsPool(HTTPSConnectionPool):
            ConnectionCls = TlsConn

        self.poolmanager.pool_classes_by_scheme = {"http": Pool, "https": TlsPool}
