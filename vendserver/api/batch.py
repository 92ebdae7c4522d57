"""Batch upload of offline sales, each item validated on its own."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import ValidationError

from vendserver.api.deps import Service, Terminal, doc
from vendserver.api.errors import validation_errors
from vendserver.api.models import BatchIn, SaleIn, body_dict
from vendserver.schemas import BatchOut

router = APIRouter()


@router.post("/v1/sales/batch", tags=["sales"], response_model=None,
             responses=doc(BatchOut))
def batch(service: Service, body: BatchIn, t: Terminal) -> dict[str, Any]:
    """Upload offline sales in order; per-item results."""
    items: list[dict[str, Any]] = []
    for i in body.items:
        item: dict[str, Any] = {"idempotency_key": i.idempotency_key,
                                "operator_id": i.operator_id}
        try:
            # The same parsing as POST /v1/sales, so the fingerprints agree.
            item["request"] = body_dict(SaleIn.model_validate(i.request))
        except ValidationError as exc:
            item["invalid"] = validation_errors(exc.errors(), request=False)
        items.append(item)
    return service.batch(t, items)
