"""Quotes: the trial vend."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from vendserver.api.deps import Service, Terminal, doc
from vendserver.api.models import QuoteIn, body_dict
from vendserver.schemas import QuoteOut

router = APIRouter()


@router.post("/v1/quotes", tags=["sales"], response_model=None,
             responses=doc(QuoteOut))
def quote(service: Service, body: QuoteIn, t: Terminal) -> dict[str, Any]:
    """Trial vend: units and breakdown for an amount."""
    return service.quote(body_dict(body))
