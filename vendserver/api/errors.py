"""The contract's error body for every failure the HTTP layer sees.

FastAPI's own validation errors, unknown routes and methods, a busy database and `ApiError`
all leave as `{"error": {...}}` with the contract's codes — never an HTML page or a trace.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from vendserver.db import Conflict, StoreUnavailable
from vendserver.errors import ApiError

log = logging.getLogger("vendserver.api")


def error_response(exc: ApiError) -> JSONResponse:
    """The JSON answer of an `ApiError` (status, body, headers such as Retry-After)."""
    return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)


def _validation(exc: RequestValidationError) -> ApiError:
    return validation_errors(list(exc.errors()))


def validation_errors(errors: Sequence[Any], *, request: bool = True) -> ApiError:
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



def install_error_handlers(app: FastAPI) -> None:
    """Map every exception the routes and FastAPI raise to the contract's error body."""

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(_validation(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404:
            return error_response(ApiError("NOT_FOUND", "There is no such endpoint."))
        if exc.status_code == 405:
            return error_response(ApiError("METHOD_NOT_ALLOWED", "This endpoint does not take "
                                           "that method."))
        if exc.status_code < 500:
            return error_response(ApiError("VALIDATION_ERROR", "The request is not valid.",
                                           {"errors": []}))
        return error_response(ApiError("INTERNAL_ERROR",
                                       "The server failed; nothing was changed."))

    @app.exception_handler(sqlite3.OperationalError)
    @app.exception_handler(StoreUnavailable)
    @app.exception_handler(Conflict)
    async def db_busy(_: Request, exc: Exception) -> JSONResponse:
        # Nothing was committed: the terminal retries (a sale with the same key).
        log.warning("database error: %s", exc)
        return error_response(ApiError("SERVICE_UNAVAILABLE",
                                       "The server is busy; try again shortly."))
