"""Sales: idempotent selling, a stored sale by its key, a meter's recent sales."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from vendserver.api.deps import IdemKey, OperatorId, Service, Terminal, doc, json_text
from vendserver.api.models import SaleIn, body_dict
from vendserver.schemas import SaleOut, SalesOut

router = APIRouter()


@router.post("/v1/sales", tags=["sales"], response_model=None,
             responses=doc(SaleOut))
def sale(service: Service, body: SaleIn, t: Terminal, operator: OperatorId = None,
         key: IdemKey = None) -> Response:
    """Sell; idempotent on the Idempotency-Key header."""
    text, replayed = service.sale(t, operator, key, body_dict(body))
    return json_text(text, replayed)


@router.get("/v1/sales/{idempotency_key}", tags=["sales"], response_model=None,
            responses=doc(SaleOut))
def sale_by_key(service: Service, idempotency_key: str, t: Terminal) -> Response:
    """The original response of a completed sale (404 = never processed)."""
    return json_text(service.sale_by_key(t, idempotency_key), False)


@router.get("/v1/sales", tags=["sales"], response_model=None,
            responses=doc(SalesOut))
def sales(service: Service, t: Terminal, meter: Annotated[str, Query(max_length=32)],
          limit: Annotated[int, Query(ge=1, le=50)] = 10) -> dict[str, Any]:
    """Recent sales of a meter, for reprints."""
    return service.sales_for_meter(t, meter, limit)
