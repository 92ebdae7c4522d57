"""Tariffs and signed tariff versions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from vendserver.api.deps import Service, Terminal, doc
from vendserver.schemas import SignedTariffOut, TariffsOut

router = APIRouter()


@router.get("/v1/tariffs", tags=["tariffs"], response_model=None,
            responses=doc(TariffsOut))
def tariffs(service: Service, t: Terminal) -> dict[str, Any]:
    """Tariffs and their versions."""
    return service.tariffs()


@router.get("/v1/tariffs/{tariff_id}/versions/{version}", tags=["tariffs"], response_model=None,
            responses=doc(SignedTariffOut))
def tariff_version(service: Service, tariff_id: str, version: int, t: Terminal) -> dict[str, Any]:
    """A signed tariff version."""
    return service.tariff_version(tariff_id, version)
