"""The events the tariff service publishes on the core `EventBus` (declared once, here).

Times are in the contract's form (`2026-01-01T00:00:00Z`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from common.events import CoreEvent

__all__ = ["TariffApplied", "TariffInForce", "TariffRejected"]


@dataclass(frozen=True)
class TariffApplied(CoreEvent):
    """A signed tariff version was verified and stored (`previous_version`: the newest one the
    till had before, 0 for its first; `in_force`: it governs sales already)."""

    name: ClassVar[str] = "tariff.applied"
    tariff_id: str
    tariff_name: str
    version: int
    previous_version: int
    effective_from: str
    expires_at: str
    in_force: bool


@dataclass(frozen=True)
class TariffInForce(CoreEvent):
    """A stored tariff version reached its effective time and now governs sales."""

    name: ClassVar[str] = "tariff.in_force"
    tariff_id: str
    tariff_name: str
    version: int
    effective_from: str


@dataclass(frozen=True)
class TariffRejected(CoreEvent):
    """A tariff document was refused (`reason` is the refusal code; the tariff in use stays)."""

    name: ClassVar[str] = "tariff.rejected"
    tariff_id: str
    version: int | None
    reason: str
    message: str
