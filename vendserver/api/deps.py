"""What the routers share: the service and terminal dependencies, headers, answer helpers.

Routes are thin: they validate the request shape, authenticate the terminal (`Terminal`) and
call the `VendingService` the app was made with (`Service`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

from vendserver.db import Row
from vendserver.schemas import ErrorOut
from vendserver.service import VendingService

_bearer = HTTPBearer(auto_error=False, description="The terminal credential")


async def app_service(request: Request) -> VendingService:
    """The service the app was created over (async: no thread hop for a dictionary read)."""
    service: VendingService = request.app.state.service
    return service


def current_terminal(
    request: Request,
    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Row:
    """The authenticated terminal (401/403 otherwise)."""
    service: VendingService = request.app.state.service
    return service.authenticate(creds.credentials if creds else None)


Service = Annotated[VendingService, Depends(app_service)]
Terminal = Annotated[Row, Depends(current_terminal)]
OperatorId = Annotated[str | None, Header(alias="X-Operator-Id", max_length=64)]
IdemKey = Annotated[str | None, Header(alias="Idempotency-Key")]

ERRORS: dict[int | str, dict[str, Any]] = {
    "4XX": {"model": ErrorOut, "description": "Refused: the contract's error body"},
    "5XX": {"model": ErrorOut, "description": "Server failure: the contract's error body"},
}


def doc(model: type[BaseModel]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI documentation of a route's answers (200 shape plus the error body)."""
    return {200: {"model": model}, **ERRORS}


def json_text(text: str, replayed: bool) -> Response:
    """A stored JSON response sent byte for byte (`replayed`: an idempotent replay)."""
    headers = {"Idempotent-Replayed": "true"} if replayed else {}
    return Response(content=text.encode("utf-8"), media_type="application/json",
                    headers=headers)
