"""Engineering tokens."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from vendserver.api.deps import IdemKey, OperatorId, Service, Terminal, doc, json_text
from vendserver.api.models import EngineeringIn, body_dict
from vendserver.schemas import EngineeringOut

router = APIRouter()


@router.post("/v1/engineering-tokens", tags=["engineering"], response_model=None,
             responses=doc(EngineeringOut))
def engineering(service: Service, body: EngineeringIn, t: Terminal, operator: OperatorId = None,
                key: IdemKey = None) -> Response:
    """Clear tamper, clear credit, power limits, key change, test tokens."""
    text, replayed = service.engineering(t, operator, key, body_dict(body))
    return json_text(text, replayed)
