"""The listening socket the server is handed (by `serve` and by the in-process test server).

uvicorn is given a ready socket rather than a port so that port 0 (a free one) can be
reported before serving; its own listen options then do not apply, so they are set here.
"""

from __future__ import annotations

import socket

LISTEN_BACKLOG = 2048


def free_socket(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    """A listening TCP socket (port 0 = a free one)."""
    # proto=IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on accepted sockets whose proto
    # says TCP, and without it every response body waits ~40 ms for a delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    # 2,048 like uvicorn's own default (which does not apply to a socket passed in): 1,000
    # terminals reconnecting at once after a restart must not wait for SYN retransmits.
    sock.listen(LISTEN_BACKLOG)
    return sock
