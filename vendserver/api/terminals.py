"""Terminal activation, terminal info and operators (list and online PIN check)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from vendserver.api.deps import Service, Terminal, doc
from vendserver.api.models import ActivateIn, LoginIn
from vendserver.schemas import ActivationOut, LoginOut, OperatorsOut, TerminalOut

router = APIRouter()


@router.post("/v1/terminals/activate", tags=["terminal"], response_model=None,
             responses=doc(ActivationOut))
def activate(service: Service, body: ActivateIn, request: Request) -> dict[str, Any]:
    """One-time activation code -> terminal credential."""
    client = request.client.host if request.client else "unknown"
    return service.activate(body.activation_code, body.terminal_name, client,
                            fingerprint=body.terminal_fingerprint)


@router.get("/v1/terminal", tags=["terminal"], response_model=None,
            responses=doc(TerminalOut))
def terminal_info(service: Service, t: Terminal) -> dict[str, Any]:
    """Server time, vendor credit, offline policy."""
    return service.terminal_info(t)


@router.get("/v1/operators", tags=["operators"], response_model=None,
            responses=doc(OperatorsOut))
def operators(service: Service, t: Terminal) -> dict[str, Any]:
    """Operators allowed on this terminal, with scrypt PIN hashes for offline login."""
    return service.operators(t)


@router.post("/v1/operators/login", tags=["operators"], response_model=None,
             responses=doc(LoginOut))
def login(service: Service, body: LoginIn, t: Terminal) -> dict[str, Any]:
    """Online PIN check with the attempt limit."""
    return service.login(t, body.operator_id, body.pin)
