"""The liveness route (no credential)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter

from vendserver import API_VERSION
from vendserver.api.deps import doc
from vendserver.schemas import HealthOut
from vendserver.service import iso

router = APIRouter()


@router.get("/health", tags=["meta"], response_model=None,
            responses=doc(HealthOut))
def health() -> dict[str, Any]:
    """Liveness; no credential needed."""
    return {"status": "ok", "time": iso(datetime.now(UTC)), "api_version": API_VERSION}
