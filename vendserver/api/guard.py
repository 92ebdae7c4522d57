"""The request size limit and the last-resort error answer, as one small ASGI middleware.

`Guard` sits inside Starlette's ServerErrorMiddleware: it refuses bodies over the limit with
413 (before the route reads them) and turns any bug into the contract's JSON 500.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from vendserver.errors import ApiError

log = logging.getLogger("vendserver.api")

BODY_LIMIT = 64 * 1024
BATCH_LIMIT = 1024 * 1024

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class Guard:
    """Refuse bodies over the size limit with 413, and turn any bug into a JSON 500.

    Catching here (inside Starlette's ServerErrorMiddleware) means a bug answers with the
    contract's body and the connection stays usable; the traceback goes to the server log only.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = BATCH_LIMIT if scope.get("path") == "/v1/sales/batch" else BODY_LIMIT
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > limit:
                    await _too_large(send, receive, limit, declared <= 16 * limit)
                    return
        chunks: list[bytes] = []
        size = 0
        more = True
        first: Message | None = None
        while more:
            message = await receive()
            if message["type"] != "http.request":
                first = message
                break
            body = message.get("body", b"")
            size += len(body)
            more = bool(message.get("more_body", False))
            if size > limit:
                # Drain only if THIS message said more follows: when the chunk that crosses the
                # limit is the last one (chunks coalesced under load), another receive() would
                # wait for a disconnect that never comes while the client waits for the answer.
                await _too_large(send, receive, limit, more)
                return
            chunks.append(body)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                if first is not None:
                    return first
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, replay, tracking_send)
        except Exception:
            log.exception("unhandled error in %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            body = ApiError("INTERNAL_ERROR", "The server failed; nothing was changed.").body()
            await _send_json(send, 500, body)


async def _send_json(send: Send, status: int, body: dict[str, Any]) -> None:
    raw = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(raw)).encode())]})
    await send({"type": "http.response.body", "body": raw})


async def _too_large(send: Send, receive: Receive, limit: int, drain: bool) -> None:
    # Reading the rest of a moderately large body first lets the client see the 413 instead
    # of a connection reset while it is still sending; a huge one is cut off.
    received = 0
    while drain and received <= 16 * limit:
        message = await receive()
        if message["type"] != "http.request":
            break
        received += len(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = ApiError("REQUEST_TOO_LARGE", "The request body is too large.",
                    {"limit_bytes": limit}).body()
    await _send_json(send, 413, body)

