"""Z-report reconciliation of a shift."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from vendserver.api.deps import OperatorId, Service, Terminal, doc
from vendserver.api.models import ZReportIn, body_dict
from vendserver.schemas import ZReportOut

router = APIRouter()


@router.post("/v1/shifts/{shift_id}/z-report", tags=["shifts"], response_model=None,
             responses=doc(ZReportOut))
def z_report(service: Service, shift_id: str, body: ZReportIn, t: Terminal,
             operator: OperatorId = None) -> dict[str, Any]:
    """Reconcile a terminal's Z totals with the server's."""
    return service.z_report(t, operator, shift_id, body_dict(body))
