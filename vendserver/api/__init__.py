"""The HTTP face of the vending server: FastAPI routes, request models and error mapping.

Routes are thin: they validate the request shape (pydantic, strict, unknown fields refused),
authenticate the terminal and call `VendingService`. Every failure, including FastAPI's own
validation errors, unknown routes and bugs, leaves as the contract's JSON error body — never an
HTML page or a stack trace. A small ASGI middleware enforces the request size limit.

One router per resource (`meta`, `terminals`, `meters`, `quotes`, `sales`, `batch`,
`reversals`, `engineering`, `tariffs`, `reports`, `events`); request bodies in `models`, the
shared dependencies in `deps`, error mapping in `errors`, the middleware in `guard`.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI

from vendserver import API_VERSION
from vendserver.api import (
    batch,
    engineering,
    events,
    meta,
    meters,
    quotes,
    reports,
    reversals,
    sales,
    tariffs,
    terminals,
)
from vendserver.api.errors import install_error_handlers
from vendserver.api.guard import BATCH_LIMIT, BODY_LIMIT, Guard
from vendserver.eventhub import EventHub
from vendserver.service import VendingService
from vendserver.xmlvend import mount as mount_xmlvend

__all__ = ["BATCH_LIMIT", "BODY_LIMIT", "EVENT_POLL_SECONDS", "Guard", "create_app"]

EVENT_POLL_SECONDS = 0.5

# In the order the routes were always matched and documented.
ROUTERS = (meta, terminals, meters, quotes, sales, batch, reversals, engineering, tariffs,
           reports, events)


def create_app(service: VendingService, *, heartbeat: float = 15.0,
               shutdown: threading.Event | None = None,
               on_ready: Callable[[], None] | None = None,
               xmlvend: str = "hexing") -> FastAPI:
    """The ASGI application over `service`.

    `shutdown` ends open event streams (set it before stopping the server so it stops
    promptly); `on_ready` is called once the service's workers run. `xmlvend` names the
    personality of the XMLVend 2.1 SOAP face at `/xmlvend/2.1` (`vendserver.xmlvend`).
    """
    stop = shutdown or threading.Event()
    # One event-log reader for all open streams (see vendserver/eventhub.py).
    hub = EventHub(service, stop, poll_seconds=EVENT_POLL_SECONDS)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        service.start()
        await hub.start()
        if on_ready is not None:
            on_ready()
        try:
            yield
        finally:
            stop.set()
            await hub.stop()
            await anyio.to_thread.run_sync(service.stop)

    app = FastAPI(title="VendPoint vending API", version=API_VERSION, lifespan=lifespan,
                  description="Reference central vending server; contract in docs/api.md.")
    app.state.service = service
    app.router.redirect_slashes = False  # a redirect is not a contract answer: 404 instead
    app.state.shutdown = stop
    app.state.event_hub = hub
    app.state.heartbeat = heartbeat
    install_error_handlers(app)
    for module in ROUTERS:
        app.include_router(module.router)
    mount_xmlvend(app, service, xmlvend)
    app.add_middleware(Guard)
    return app
