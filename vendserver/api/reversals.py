"""Reversal of a sale with a supervisor's approval."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from vendserver.api.deps import OperatorId, Service, Terminal, doc
from vendserver.api.models import ReversalIn, body_dict
from vendserver.schemas import ReversalOut

router = APIRouter()


@router.post("/v1/sales/{receipt_no}/reversal", tags=["sales"], response_model=None,
             responses=doc(ReversalOut))
def reversal(service: Service, receipt_no: str, body: ReversalIn, t: Terminal,
             operator: OperatorId = None) -> dict[str, Any]:
    """Reverse a sale within policy, with a supervisor's PIN."""
    return service.reverse(t, operator, receipt_no[:32], body_dict(body))
