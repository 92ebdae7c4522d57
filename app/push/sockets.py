"""Sockets the push listener can shut down from another thread.

A blocked socket read never returns on its own, and closing the response object does not wake
it either; so every socket the listener's session opens is reported the moment it connects
(also while the request still waits for response headers), and `stop()` shuts it down.

Over https the adapter also checks the public key recorded with the terminal credential at
activation (`app.api.origin`), right after the handshake and before a byte of the request
(and so the credential) is written.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Callable
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from app.api.origin import spki_sha256

__all__ = ["SPKI_MISMATCH", "StoppableAdapter"]

#: the text of the error a connection to a server with another public key ends with
SPKI_MISMATCH = "the server's public key does not match the key recorded at activation"


class StoppableAdapter(HTTPAdapter):
    """An HTTP adapter that reports every socket it connects, so `stop()` can shut it down.

    `pin_sha256` is the settings' certificate fingerprint pin; `spki_sha256` the public key
    recorded at activation, which every https connection must present.
    """

    def __init__(self, on_socket: Callable[[socket.socket], None],
                 pin_sha256: str | None = None, *, spki_sha256: str | None = None) -> None:
        self._on_socket = on_socket
        self._pin = pin_sha256.replace(":", "").lower() if pin_sha256 else None
        self._spki = spki_sha256.lower() if spki_sha256 else None
        super().__init__(max_retries=0, pool_connections=1, pool_maxsize=2)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        if self._pin:
            kwargs["assert_fingerprint"] = self._pin
        super().init_poolmanager(*args, **kwargs)
        report = self._on_socket
        spki = self._spki

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
                if spki is not None:
                    sock = self.sock
                    der = sock.getpeercert(binary_form=True) \
                        if isinstance(sock, ssl.SSLSocket) else None
                    if not der or spki_sha256(der) != spki:
                        self.close()
                        raise ssl.SSLError(SPKI_MISMATCH)

        class Pool(HTTPConnectionPool):
            ConnectionCls = Conn

        class TlsPool(HTTPSConnectionPool):
            ConnectionCls = TlsConn

        self.poolmanager.pool_classes_by_scheme = {"http": Pool, "https": TlsPool}
