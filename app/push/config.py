"""How patient the push listener is: where the stream is, timeouts, reconnect backoff."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from common.backoff import Backoff

__all__ = ["Backoff", "PushConfig"]


@dataclass(frozen=True)
class PushConfig:
    """Where the stream is and how patient to be.

    `read_timeout` must exceed the server's heartbeat interval (15 s by default) by a margin;
    a connection silent for longer is treated as dead (or as a buffering proxy).
    """

    base_url: str
    credential: Callable[[], str] = field(repr=False)
    verify: bool | str = True
    pin_sha256: str | None = None
    connect_timeout: float = 3.05
    read_timeout: float = 45.0
    backoff: Backoff = field(default_factory=Backoff)
    blocked_before_fallback: int = 2
    poll_interval: float = 5.0
    stream_retry_after: float = 60.0
    poll_limit: int = 500
    #: After the tariff server failed to answer, reconcile again after this many seconds.
    tariff_retry_after: float = 5.0

