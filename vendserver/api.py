"""The HTTP face of the vending server: FastAPI routes, request models and error mapping.

Routes are thin: they validate the request shape (pydantic, strict, unknown fields refused),
authenticate the terminal and call `VendingService`. Every failure, including FastAPI's own
validation errors, unknown routes and bugs, leaves as the contract's JSON error body — never an
HTML page or a stack trace. A small ASGI middleware enforces the request size limit.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

import anyio.to_thread
from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, SkipValidation, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from vendserver import API_VERSION
from vendserver.db import Row
from vendserver.errors import ApiError
from vendserver.eventhub import EventHub
from vendserver.schemas import (
    ActivationOut,
    BatchOut,
    EngineeringOut,
    ErrorOut,
    HealthOut,
    LoginOut,
    MeterOut,
    OperatorsOut,
    PollOut,
    QuoteOut,
    ReversalOut,
    SaleOut,
    SalesOut,
    SearchOut,
    SignedTariffOut,
    TariffsOut,
    TerminalOut,
    ZReportOut,
)
from vendserver.service import SQL_INT_MAX, VendingService, iso

log = logging.getLogger("vendserver.api")

BODY_LIMIT = 64 * 1024
BATCH_LIMIT = 1024 * 1024
EVENT_POLL_SECONDS = 0.5

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


# ---------------------------------------------------------------- request models -----------

class Strict(BaseModel):
    """Base of request bodies: exact JSON types, unknown fields refused."""

    model_config = ConfigDict(extra="forbid", strict=True)


class MoneyIn(Strict):
    """`{"amount": "150.00", "currency": "ZAR"}`."""

    amount: str = Field(max_length=16)
    currency: str = Field(max_length=3)


class ActivateIn(Strict):
    """POST /v1/terminals/activate."""

    activation_code: str = Field(min_length=1, max_length=64)
    terminal_name: str = Field(min_length=1, max_length=64)


class LoginIn(Strict):
    """POST /v1/operators/login."""

    operator_id: str = Field(min_length=1, max_length=32, pattern=r"^[a-z0-9._-]+$")
    pin: str = Field(pattern=r"^[0-9]{4,12}$")


class QuoteIn(Strict):
    """POST /v1/quotes."""

    meter_number: str = Field(max_length=32)
    amount: MoneyIn


class SaleIn(Strict):
    """POST /v1/sales (and each batch item's request)."""

    meter_number: str = Field(max_length=32)
    amount: MoneyIn
    offline_created_at: str | None = Field(default=None, max_length=40)
    client_reference: str | None = Field(default=None, max_length=64)
    notify: list[Literal["sms", "email"]] = Field(default_factory=list, max_length=2)


class BatchItemIn(Strict):
    """One offline sale in a batch."""

    idempotency_key: str = Field(max_length=200)
    # Checked per item (OPERATOR_REQUIRED / OPERATOR_NOT_ALLOWED), not for the whole batch.
    operator_id: str = Field(max_length=32)
    # Documented as SaleIn but validated per item by the handler, so one malformed offline
    # sale gets its own 400 and never blocks the rest of the batch.
    request: SkipValidation[SaleIn]


class BatchIn(Strict):
    """POST /v1/sales/batch."""

    items: list[BatchItemIn] = Field(min_length=1, max_length=200)


class SupervisorIn(Strict):
    """A supervisor's approval: who, and their PIN."""

    operator_id: str = Field(min_length=1, max_length=32, pattern=r"^[a-z0-9._-]+$")
    pin: str = Field(pattern=r"^[0-9]{4,12}$")


class ReversalIn(Strict):
    """POST /v1/sales/{receipt_no}/reversal."""

    reason: str = Field(min_length=1, max_length=200)
    supervisor: SupervisorIn


class EngineeringIn(Strict):
    """POST /v1/engineering-tokens."""

    meter_number: str = Field(max_length=32)
    type: Literal["clear_tamper", "clear_credit", "set_power_limit", "set_phase_unbalance",
                  "key_change", "test"]
    value: int | None = Field(default=None, ge=0, le=(1 << 36) - 1)
    register_: Literal["electricity", "water", "all"] | None = Field(default=None,
                                                                      alias="register")
    new_ti: int | None = Field(default=None, ge=0, le=99)
    supervisor: SupervisorIn


class ZTotalsIn(Strict):
    """A terminal's Z totals."""

    sales_count: int = Field(ge=0, le=10**9)
    sales_amount: MoneyIn
    reversals_count: int = Field(ge=0, le=10**9)
    reversals_amount: MoneyIn
    units: str = Field(pattern=r"^[0-9]{1,12}(\.[0-9])?$")
    vat: MoneyIn
    offline_pending_count: int = Field(ge=0, le=10**9)


class ZReportIn(Strict):
    """POST /v1/shifts/{shift_id}/z-report."""

    z_number: int = Field(ge=1, le=10**9)
    opened_at: str = Field(max_length=40)
    closed_at: str = Field(max_length=40)
    totals: ZTotalsIn


def body_dict(model: BaseModel) -> dict[str, Any]:
    """The request body as sent (defaults not added), for fingerprints and the service."""
    return model.model_dump(mode="json", exclude_unset=True, by_alias=True)


# ---------------------------------------------------------------- middleware ----------------

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


# ---------------------------------------------------------------- dependencies -------------

_bearer = HTTPBearer(auto_error=False, description="The terminal credential")


def current_terminal(
    request: Request,
    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Row:
    """The authenticated terminal (401/403 otherwise)."""
    service: VendingService = request.app.state.service
    return service.authenticate(creds.credentials if creds else None)


Terminal = Annotated[Row, Depends(current_terminal)]
OperatorId = Annotated[str | None, Header(alias="X-Operator-Id", max_length=64)]
IdemKey = Annotated[str | None, Header(alias="Idempotency-Key")]


# ---------------------------------------------------------------- app ----------------------

_ERRORS: dict[int | str, dict[str, Any]] = {
    "4XX": {"model": ErrorOut, "description": "Refused: the contract's error body"},
    "5XX": {"model": ErrorOut, "description": "Server failure: the contract's error body"},
}


def _doc(model: type[BaseModel]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI documentation of a route's answers (200 shape plus the error body)."""
    return {200: {"model": model}, **_ERRORS}


def _error(exc: ApiError) -> JSONResponse:
    return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)


def _validation(exc: RequestValidationError) -> ApiError:
    return _validation_errors(list(exc.errors()))


def _validation_errors(errors: Sequence[Any], *, request: bool = True) -> ApiError:
    """The contract's error for pydantic errors (`request`: of a whole HTTP request)."""
    for e in errors if request else ():
        loc = tuple(e.get("loc", ()))
        if e.get("type") == "json_invalid" or (
            loc == ("body",) and e.get("type") in ("model_attributes_type", "dict_type",
                                                   "missing")
        ):
            # A JSON object sent with another Content-Type is not parsed at all: name both.
            return ApiError("MALFORMED_JSON", "The request body must be a JSON object sent "
                            "with Content-Type: application/json.")
    problems = []
    for e in errors[:20]:
        parts = [str(x) for x in e.get("loc", ())]
        if parts and parts[0] in ("body", "query", "path", "header"):
            parts = parts[1:]
        problems.append({"field": ".".join(parts), "problem": str(e.get("msg", "invalid"))})
    first = problems[0]["field"] if problems else "request"
    return ApiError("VALIDATION_ERROR", f"The request is not valid (see {first}).",
                    {"errors": problems})


def _json_text(text: str, replayed: bool) -> Response:
    headers = {"Idempotent-Replayed": "true"} if replayed else {}
    return Response(content=text.encode("utf-8"), media_type="application/json",
                    headers=headers)


def create_app(service: VendingService, *, heartbeat: float = 15.0,
               shutdown: threading.Event | None = None,
               on_ready: Callable[[], None] | None = None) -> FastAPI:
    """The ASGI application over `service`.

    `shutdown` ends open event streams (set it before stopping the server so it stops
    promptly); `on_ready` is called once the service's workers run.
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

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return _error(exc)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(_validation(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404:
            return _error(ApiError("NOT_FOUND", "There is no such endpoint."))
        if exc.status_code == 405:
            return _error(ApiError("METHOD_NOT_ALLOWED", "This endpoint does not take that "
                                   "method."))
        if exc.status_code < 500:
            return _error(ApiError("VALIDATION_ERROR", "The request is not valid.",
                                   {"errors": []}))
        return _error(ApiError("INTERNAL_ERROR", "The server failed; nothing was changed."))

    @app.exception_handler(sqlite3.OperationalError)
    async def db_busy(_: Request, exc: sqlite3.OperationalError) -> JSONResponse:
        log.warning("database error: %s", exc)
        return _error(ApiError("SERVICE_UNAVAILABLE", "The server is busy; try again shortly."))

    @app.get("/health", tags=["meta"], response_model=None,
              responses=_doc(HealthOut))
    def health() -> dict[str, Any]:
        """Liveness; no credential needed."""
        return {"status": "ok", "time": iso(datetime.now(UTC)), "api_version": API_VERSION}

    @app.post("/v1/terminals/activate", tags=["terminal"], response_model=None,
              responses=_doc(ActivationOut))
    def activate(body: ActivateIn, request: Request) -> dict[str, Any]:
        """One-time activation code -> terminal credential."""
        client = request.client.host if request.client else "unknown"
        return service.activate(body.activation_code, body.terminal_name, client)

    @app.get("/v1/terminal", tags=["terminal"], response_model=None,
              responses=_doc(TerminalOut))
    def terminal_info(t: Terminal) -> dict[str, Any]:
        """Server time, vendor credit, offline policy."""
        return service.terminal_info(t)

    @app.get("/v1/operators", tags=["operators"], response_model=None,
              responses=_doc(OperatorsOut))
    def operators(t: Terminal) -> dict[str, Any]:
        """Operators allowed on this terminal, with scrypt PIN hashes for offline login."""
        return service.operators(t)

    @app.post("/v1/operators/login", tags=["operators"], response_model=None,
              responses=_doc(LoginOut))
    def login(body: LoginIn, t: Terminal) -> dict[str, Any]:
        """Online PIN check with the attempt limit."""
        return service.login(t, body.operator_id, body.pin)

    @app.get("/v1/meters/{meter_number}", tags=["meters"], response_model=None,
              responses=_doc(MeterOut))
    def meter(meter_number: str, t: Terminal) -> dict[str, Any]:
        """Confirm the customer before taking money."""
        return service.meter_info(meter_number)

    @app.get("/v1/meters", tags=["meters"], response_model=None,
              responses=_doc(SearchOut))
    def search(t: Terminal, q: Annotated[str, Query(min_length=2, max_length=64)],
               limit: Annotated[int, Query(ge=1, le=50)] = 20) -> dict[str, Any]:
        """Search by name, account, address or meter-number prefix."""
        return service.search(q, limit)

    @app.post("/v1/quotes", tags=["sales"], response_model=None,
              responses=_doc(QuoteOut))
    def quote(body: QuoteIn, t: Terminal) -> dict[str, Any]:
        """Trial vend: units and breakdown for an amount."""
        return service.quote(body_dict(body))

    @app.post("/v1/sales", tags=["sales"], response_model=None,
              responses=_doc(SaleOut))
    def sale(body: SaleIn, t: Terminal, operator: OperatorId = None,
             key: IdemKey = None) -> Response:
        """Sell; idempotent on the Idempotency-Key header."""
        text, replayed = service.sale(t, operator, key, body_dict(body))
        return _json_text(text, replayed)

    @app.post("/v1/sales/batch", tags=["sales"], response_model=None,
              responses=_doc(BatchOut))
    def batch(body: BatchIn, t: Terminal) -> dict[str, Any]:
        """Upload offline sales in order; per-item results."""
        items: list[dict[str, Any]] = []
        for i in body.items:
            item: dict[str, Any] = {"idempotency_key": i.idempotency_key,
                                    "operator_id": i.operator_id}
            try:
                # The same parsing as POST /v1/sales, so the fingerprints agree.
                item["request"] = body_dict(SaleIn.model_validate(i.request))
            except ValidationError as exc:
                item["invalid"] = _validation_errors(exc.errors(), request=False)
            items.append(item)
        return service.batch(t, items)

    @app.get("/v1/sales/{idempotency_key}", tags=["sales"], response_model=None,
              responses=_doc(SaleOut))
    def sale_by_key(idempotency_key: str, t: Terminal) -> Response:
        """The original response of a completed sale (404 = never processed)."""
        return _json_text(service.sale_by_key(t, idempotency_key), False)

    @app.get("/v1/sales", tags=["sales"], response_model=None,
              responses=_doc(SalesOut))
    def sales(t: Terminal, meter: Annotated[str, Query(max_length=32)],
              limit: Annotated[int, Query(ge=1, le=50)] = 10) -> dict[str, Any]:
        """Recent sales of a meter, for reprints."""
        return service.sales_for_meter(t, meter, limit)

    @app.post("/v1/sales/{receipt_no}/reversal", tags=["sales"], response_model=None,
              responses=_doc(ReversalOut))
    def reversal(receipt_no: str, body: ReversalIn, t: Terminal,
                 operator: OperatorId = None) -> dict[str, Any]:
        """Reverse a sale within policy, with a supervisor's PIN."""
        return service.reverse(t, operator, receipt_no[:32], body_dict(body))

    @app.post("/v1/engineering-tokens", tags=["engineering"], response_model=None,
              responses=_doc(EngineeringOut))
    def engineering(body: EngineeringIn, t: Terminal, operator: OperatorId = None,
                    key: IdemKey = None) -> Response:
        """Clear tamper, clear credit, power limits, key change, test tokens."""
        text, replayed = service.engineering(t, operator, key, body_dict(body))
        return _json_text(text, replayed)

    @app.get("/v1/tariffs", tags=["tariffs"], response_model=None,
              responses=_doc(TariffsOut))
    def tariffs(t: Terminal) -> dict[str, Any]:
        """Tariffs and their versions."""
        return service.tariffs()

    @app.get("/v1/tariffs/{tariff_id}/versions/{version}", tags=["tariffs"], response_model=None,
              responses=_doc(SignedTariffOut))
    def tariff_version(tariff_id: str, version: int, t: Terminal) -> dict[str, Any]:
        """A signed tariff version."""
        return service.tariff_version(tariff_id, version)

    @app.post("/v1/shifts/{shift_id}/z-report", tags=["shifts"], response_model=None,
              responses=_doc(ZReportOut))
    def z_report(shift_id: str, body: ZReportIn, t: Terminal,
                 operator: OperatorId = None) -> dict[str, Any]:
        """Reconcile a terminal's Z totals with the server's."""
        return service.z_report(t, operator, shift_id, body_dict(body))

    @app.get("/v1/events/poll", tags=["events"], response_model=None,
              responses=_doc(PollOut))
    def poll(t: Terminal, after: Annotated[int, Query(ge=0, le=SQL_INT_MAX)] = 0,
             limit: Annotated[int, Query(ge=1, le=500)] = 100) -> dict[str, Any]:
        """Polling fallback for the event stream."""
        rows = service.events_after(t, after, limit)
        return {"events": [{"id": r["id"], "event": r["type"], "data": json.loads(r["data"])}
                           for r in rows],
                "last_id": rows[-1]["id"] if rows else after}

    @app.get("/v1/events", tags=["events"], response_class=StreamingResponse,
             responses={200: {"content": {"text/event-stream": {}},
                              "description": "Server-Sent Events"}, **_ERRORS})
    def events(t: Terminal,
               last_event_id: Annotated[str | None, Header(alias="Last-Event-ID",
                                                           max_length=20)] = None,
               last_event_id_q: Annotated[str | None, Query(alias="last_event_id",
                                                           max_length=20)] = None,
               ) -> StreamingResponse:
        """Server-Sent Events: tariff.published, sale.delivered, terminal.policy, vendor.credit."""
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

    app.add_middleware(Guard)
    return app
