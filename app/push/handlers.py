"""What the push listener does with an event, and its tariff worker.

`handle_event` routes one new event: `tariff.published` becomes an announcement for the tariff
worker (fetch, verify, apply happen there, never on the stream's thread); `terminal.policy`,
`vendor.credit` and `sale.delivered` are published on the `EventBus` as typed events
(`app.push.events`; one whose shape is wrong is logged and dropped); anything else is ignored.
`run_tariff_worker` is the worker's loop: one thread does all tariff work, so announcements and
reconciliations never interleave.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from app.api.models import Invalid
from app.push.events import SERVER_EVENTS, from_server
from app.push.sse import SseEvent
from app.tariffs import TariffService, TariffSourceError
from common.events import EventBus

log = logging.getLogger("vendpoint.push")

__all__ = ["PASS_THROUGH", "WorkQueue", "handle_event", "run_tariff_worker"]

#: Event types published on the bus as typed events (after a shape check).
PASS_THROUGH = SERVER_EVENTS
#: The tariff worker's queue: ("announce", (tariff_id, version)), ("reconcile", None), or None
#: to stop.
WorkQueue = queue.Queue[tuple[str, Any] | None]


def handle_event(event: SseEvent, event_id: int | None, bus: EventBus, work: WorkQueue) -> None:
    """Route one event the listener has not handled before (see the module docstring)."""
    try:
        data = json.loads(event.data)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        log.warning("event %s (%s) has no JSON object; ignored", event.id, event.event)
    elif event.event == "tariff.published":
        tariff_id, version = data.get("tariff_id"), data.get("version")
        if isinstance(tariff_id, str) and isinstance(version, int) and \
                not isinstance(version, bool):
            work.put(("announce", (tariff_id, version)))
        else:
            log.warning("tariff.published event %s is malformed; ignored", event.id)
    elif event.event in PASS_THROUGH:
        try:
            typed = from_server(event.event, event_id, data)
        except Invalid as exc:
            log.warning("%s event %s ignored (%s)", event.event, event.id, exc)
            return
        bus.publish(typed)
    else:
        log.debug("event type %s ignored", event.event)


def run_tariff_worker(work: WorkQueue, tariffs: Callable[[], TariffService | None],
                      stopping: threading.Event, retry_after: float) -> None:
    """Do the queued tariff work until `None` arrives or `stopping` is set.

    When the tariff server could not be asked, the whole list is reconciled again after
    `retry_after` seconds (unless other work arrives first).
    """
    retry_reconcile = False
    while True:
        try:
            item = work.get(timeout=retry_after if retry_reconcile else None)
        except queue.Empty:
            item = ("reconcile", None)
        if item is None or stopping.is_set():
            return
        service = tariffs()
        if service is None:
            continue
        kind, arg = item
        try:
            if kind == "announce":
                service.handle_announcement(*arg)
            else:
                service.reconcile()
            retry_reconcile = False
        except TariffSourceError as exc:
            # The server is unreachable right now: try the whole list again shortly.
            log.info("tariff %s deferred: %s", kind, exc)
            retry_reconcile = True
        except Exception:
            log.exception("tariff %s failed", kind)
