"""The polled events (`GET /v1/events/poll`), the fallback of the event stream."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.api.models.validators import (
    Invalid,
    integer,
    obj,
    object_list,
    req,
    string,
)

__all__ = [
    "EventPage",
    "PolledEvent",
    "parse_event_page",
]


@dataclass(frozen=True)
class PolledEvent:
    """One event of `GET /v1/events/poll` (same types and data as the SSE stream)."""

    event_id: int
    event: str
    data: dict[str, Any]


@dataclass(frozen=True)
class EventPage:
    """`GET /v1/events/poll`: events after the asked id, in order, and where to resume."""

    events: tuple[PolledEvent, ...]
    last_id: int


def parse_event_page(value: Any, after: int, limit: int) -> EventPage:
    """Parse a poll answer: ids above `after`, strictly increasing, at most `limit` of them,
    and `last_id` = the last id returned (or `after` when there is none)."""
    data = obj(value, "body")
    events: list[PolledEvent] = []
    previous = after
    for where, d in object_list(req(data, "events", "body"), "events", limit=limit):
        event_id = integer(d, "id", where)
        if event_id <= previous:
            raise Invalid(f"{where}.id is not above the previous id")
        previous = event_id
        events.append(PolledEvent(event_id, string(d, "event", where),
                                  obj(req(d, "data", where), f"{where}.data")))
    last_id = integer(data, "last_id", "body")
    if last_id != previous:
        raise Invalid("last_id is not the last event id returned")
    return EventPage(tuple(events), last_id)
