"""Re-exports of `common.events`, kept while older imports of `app.events` remain."""

from __future__ import annotations

from common.events import Event, EventBus, Handler

__all__ = ["Event", "EventBus", "Handler"]
