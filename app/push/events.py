"""The events the push listener publishes on the core `EventBus` (declared once, here).

`PushConnected` / `PushDisconnected` follow the stream itself. The server's own events that
the till acts on become typed events here, after a shape check (`from_server`): a new offline
policy (`PolicyPushed`), the vendor's float (`VendorCreditChanged`) and a smart meter's
read-back after a sale (`SaleDelivered`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from app.api.models import Invalid, Money, OfflinePolicy, money, parse_offline_policy
from common.events import CoreEvent

__all__ = [
    "SERVER_EVENTS",
    "PolicyPushed",
    "PushConnected",
    "PushDisconnected",
    "SaleDelivered",
    "VendorCreditChanged",
    "from_server",
]


@dataclass(frozen=True)
class PushConnected(CoreEvent):
    """The push stream (or polling, `mode`) is up again, resuming after `last_event_id`."""

    name: ClassVar[str] = "push.connected"
    mode: str
    last_event_id: int


@dataclass(frozen=True)
class PushDisconnected(CoreEvent):
    """The push stream went down (`reason`; `mode` is the one it was in)."""

    name: ClassVar[str] = "push.disconnected"
    reason: str
    mode: str


@dataclass(frozen=True)
class PolicyPushed(CoreEvent):
    """The server changed this terminal's offline policy (`terminal.policy`)."""

    name: ClassVar[str] = "terminal.policy"
    event_id: int | None
    terminal_id: str
    offline_policy: OfflinePolicy


@dataclass(frozen=True)
class VendorCreditChanged(CoreEvent):
    """The vendor's float changed on the server (after a sale, a reversal or a top-up)."""

    name: ClassVar[str] = "vendor.credit"
    event_id: int | None
    vendor_id: str
    vendor_credit: Money
    reason: str


@dataclass(frozen=True)
class SaleDelivered(CoreEvent):
    """A two-way (smart) meter took a sale's token: whether it `accepted` it and the
    balance it reads back (`balance` in `unit`)."""

    name: ClassVar[str] = "sale.delivered"
    event_id: int | None
    receipt_no: str
    idempotency_key: str
    terminal_id: str
    meter_number: str
    accepted: bool
    balance: str
    unit: str
    delivered_at: str


def _text(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    return "" if value is None else str(value)


def _policy(event_id: int | None, data: dict[str, Any]) -> CoreEvent:
    return PolicyPushed(event_id, _text(data, "terminal_id"),
                        parse_offline_policy(data.get("offline_policy")))


def _credit(event_id: int | None, data: dict[str, Any]) -> CoreEvent:
    return VendorCreditChanged(event_id, _text(data, "vendor_id"),
                               money(data.get("vendor_credit") or {}, "vendor_credit"),
                               _text(data, "reason"))


def _delivered(event_id: int | None, data: dict[str, Any]) -> CoreEvent:
    return SaleDelivered(event_id, _text(data, "receipt_no"), _text(data, "idempotency_key"),
                         _text(data, "terminal_id"), _text(data, "meter_number"),
                         bool(data.get("accepted")), _text(data, "balance"),
                         _text(data, "unit"), _text(data, "delivered_at"))


_PARSERS = {"terminal.policy": _policy, "vendor.credit": _credit, "sale.delivered": _delivered}
#: The server's event types that become core events (`from_server`).
SERVER_EVENTS = tuple(_PARSERS)


def from_server(event_type: str, event_id: int | None, data: dict[str, Any]) -> CoreEvent:
    """The core event for one of `SERVER_EVENTS`; raises `Invalid` if its shape is wrong."""
    parser = _PARSERS.get(event_type)
    if parser is None:
        raise Invalid(f"{event_type} is not a server event the till follows")
    return parser(event_id, data)
