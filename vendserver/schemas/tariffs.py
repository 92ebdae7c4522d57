"""Response shapes of tariffs, signed tariff versions and polled events."""

from __future__ import annotations

from typing import Any, Literal

from vendserver.schemas.common import Out


class TariffListItem(Out):
    """A tariff and its versions."""

    id: str
    name: str
    service: str
    unit: str
    current_version: int
    versions: list[int]


class TariffsOut(Out):
    """GET /v1/tariffs."""

    tariffs: list[TariffListItem]


class SignedTariffOut(Out):
    """GET /v1/tariffs/{id}/versions/{n}."""

    tariff_id: str
    version: int
    alg: Literal["Ed25519"]
    key_id: str
    payload: str
    signature: str
    document: dict[str, Any]


class EventOut(Out):
    """One event from the log."""

    id: int
    event: Literal["tariff.published", "sale.delivered", "terminal.policy", "vendor.credit"]
    data: dict[str, Any]


class PollOut(Out):
    """GET /v1/events/poll."""

    events: list[EventOut]
    last_id: int
