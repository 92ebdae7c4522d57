"""Events: the polling fallback and the Server-Sent Events stream."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse

from vendserver.api.deps import ERRORS, Service, Terminal, doc
from vendserver.errors import ApiError
from vendserver.eventhub import EventHub
from vendserver.schemas import PollOut
from vendserver.service import SQL_INT_MAX

router = APIRouter()


@router.get("/v1/events/poll", tags=["events"], response_model=None,
            responses=doc(PollOut))
def poll(service: Service, t: Terminal, after: Annotated[int, Query(ge=0, le=SQL_INT_MAX)] = 0,
         limit: Annotated[int, Query(ge=1, le=500)] = 100) -> dict[str, Any]:
    """Polling fallback for the event stream."""
    rows = service.events_after(t, after, limit)
    return {"events": [{"id": r["id"], "event": r["type"], "data": json.loads(r["data"])}
                       for r in rows],
            "last_id": rows[-1]["id"] if rows else after}


@router.get("/v1/events", tags=["events"], response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {}},
                             "description": "Server-Sent Events"}, **ERRORS})
def events(request: Request, service: Service, t: Terminal,
           last_event_id: Annotated[str | None, Header(alias="Last-Event-ID",
                                                       max_length=20)] = None,
           last_event_id_q: Annotated[str | None, Query(alias="last_event_id",
                                                       max_length=20)] = None,
           ) -> StreamingResponse:
    """Server-Sent Events: tariff.published, sale.delivered, terminal.policy, vendor.credit."""
    # One event-log reader for all open streams (see vendserver/eventhub.py).
    hub: EventHub = request.app.state.event_hub
    heartbeat: float = request.app.state.heartbeat
    raw = last_event_id if last_event_id is not None else last_event_id_q
    if raw is None or raw == "":
        after = service.store.max_event_id()
    elif raw.isascii() and raw.isdigit() and int(raw) <= SQL_INT_MAX:
        after = int(raw)
    else:
        raise ApiError("VALIDATION_ERROR", "Last-Event-ID must be an event id.",
                       {"errors": [{"field": "Last-Event-ID", "problem": "not a number"}]})
    return StreamingResponse(
        hub.stream(t, after, heartbeat),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
