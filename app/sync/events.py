"""The events the sync engine publishes on the core `EventBus` (declared once, here).

The engine also settles sales (tokened late, void, rejected, needing attention): those are the
sale layer's events (`app.sales.events`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from app.api.models import Money
from common.events import CoreEvent

__all__ = ["OfflinePolicyChanged", "SyncProgress"]


@dataclass(frozen=True)
class SyncProgress(CoreEvent):
    """One sync step ended: `done` of `total` outbox items settled, `attention` of them need a
    supervisor; `unreachable`: the server could not be reached."""

    name: ClassVar[str] = "sync.progress"
    done: int
    total: int
    attention: int
    unreachable: bool


@dataclass(frozen=True)
class OfflinePolicyChanged(CoreEvent):
    """A new offline policy was saved (`source` "push": pushed by the server as `event_id`)."""

    name: ClassVar[str] = "offline_policy.changed"
    source: str
    event_id: int | None
    offline_allowed: bool
    max_count: int
    max_sale: Money
    max_total: Money
