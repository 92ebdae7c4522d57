"""Meter look-up and search."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from vendserver.api.deps import Service, Terminal, doc
from vendserver.schemas import MeterOut, SearchOut

router = APIRouter()


@router.get("/v1/meters/{meter_number}", tags=["meters"], response_model=None,
            responses=doc(MeterOut))
def meter(service: Service, meter_number: str, t: Terminal) -> dict[str, Any]:
    """Confirm the customer before taking money."""
    return service.meter_info(meter_number)


@router.get("/v1/meters", tags=["meters"], response_model=None,
            responses=doc(SearchOut))
def search(service: Service, t: Terminal, q: Annotated[str, Query(min_length=2, max_length=64)],
           limit: Annotated[int, Query(ge=1, le=50)] = 20) -> dict[str, Any]:
    """Search by name, account, address or meter-number prefix."""
    return service.search(q, limit)
