"""The one retry delay policy: capped exponential backoff with jitter.

Retry number n (0 = the first retry) waits `d = min(cap, base * factor**n)` seconds, of which
the last `jitter` fraction is random: the wait lies in `[d * (1 - jitter), d]`. The fixed part
means nothing ever spins; the random part spreads a crowd of terminals that lost the server at
the same moment, so they never all come back at once. The random source is injectable so tests
see exact delays.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

# Past this many doublings every delay is the cap anyway; it keeps factor**n a small float.
_MAX_EXPONENT = 64


@dataclass(frozen=True)
class Backoff:
    """Delays between retries of something that failed (server, stream, printer)."""

    base: float = 1.0
    cap: float = 30.0
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)
    jitter: float = 0.5
    factor: float = 2.0

    def __post_init__(self) -> None:
        if self.base < 0 or self.cap < 0:
            raise ValueError("backoff delays cannot be negative")
        if not (0.0 <= self.jitter <= 1.0):
            raise ValueError("backoff jitter is a fraction between 0 and 1")
        if self.factor < 1.0:
            raise ValueError("backoff factor must be at least 1")

    def ceiling(self, attempt: int) -> float:
        """The longest wait before retry number `attempt` (0 = the first retry)."""
        return min(self.cap, self.base * self.factor ** min(max(attempt, 0), _MAX_EXPONENT))

    def delay(self, attempt: int) -> float:
        """Seconds to wait before retry number `attempt` (0 = the first retry)."""
        d = self.ceiling(attempt)
        fixed = d * (1.0 - self.jitter)
        return fixed + self.rng.uniform(0.0, d - fixed)

    def after(self, failures: int) -> float:
        """Seconds to wait after `failures` consecutive failures (1 or more)."""
        return self.delay(failures - 1)
