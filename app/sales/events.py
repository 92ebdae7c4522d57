"""The events the sale layer publishes on the core `EventBus` (declared once, here).

Published by the sale service, its connectivity tracker and the sync engine (which settles the
sales the service left open). They name a sale by its idempotency key and receipt; they never
carry token digits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from app.api.models import Money
from common.events import CoreEvent

__all__ = [
    "ConnectivityChanged", "OutboxChanged", "SaleLateToken", "SaleNeedsAttention", "SalePending",
    "SalePriceDiffers", "SaleRejected", "SaleTokened", "SaleVoid",
]


@dataclass(frozen=True)
class SaleTokened(CoreEvent):
    """A sale got its tokens from the server (`token_count` of them) and was stored."""

    name: ClassVar[str] = "sale.tokened"
    idempotency_key: str
    receipt_no: str
    meter_number: str
    amount: Money
    token_count: int
    after_lost_answer: bool
    tariff_id: str
    tariff_version: int
    job_id: str
    by_sync: bool


@dataclass(frozen=True)
class SaleLateToken(CoreEvent):
    """A pending or unanswered sale got its token through the sync engine, after the
    cashier's sale call had ended; `printed`: its receipt is on its way to the printer."""

    name: ClassVar[str] = "sale.late_token"
    idempotency_key: str
    reference: str
    receipt_no: str
    meter_number: str
    customer_name: str
    job_id: str
    printed: bool


@dataclass(frozen=True)
class SalePending(CoreEvent):
    """A sale was taken offline ("token pending"): the customer holds a pending slip."""

    name: ClassVar[str] = "sale.pending"
    idempotency_key: str
    reference: str
    amount: Money
    meter_number: str


@dataclass(frozen=True)
class SaleVoid(CoreEvent):
    """An unanswered sale never reached the server: nothing was sold."""

    name: ClassVar[str] = "sale.void"
    idempotency_key: str


@dataclass(frozen=True)
class SaleRejected(CoreEvent):
    """The server refused a sale (`code`, and its message when there is one)."""

    name: ClassVar[str] = "sale.rejected"
    idempotency_key: str
    code: str
    reason: str = ""


@dataclass(frozen=True)
class SaleNeedsAttention(CoreEvent):
    """A sale needs a supervisor's decision (`code`, and why in words)."""

    name: ClassVar[str] = "sale.needs_attention"
    idempotency_key: str
    code: str
    reason: str


@dataclass(frozen=True)
class SalePriceDiffers(CoreEvent):
    """A sale confirmed on a quote was priced differently by the server.

    `lines` are (description, quoted amount, sold amount).
    """

    name: ClassVar[str] = "sale.price_differs"
    idempotency_key: str
    receipt_no: str
    summary: str
    quoted_version: int | None
    sold_version: int | None
    lines: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class OutboxChanged(CoreEvent):
    """The outbox changed: `count` sales wait (`pending` of them offline), worth `value`
    (None when empty); `needs_attention` of them need a supervisor."""

    name: ClassVar[str] = "outbox.changed"
    count: int
    value: Money | None
    pending: int
    needs_attention: int


@dataclass(frozen=True)
class ConnectivityChanged(CoreEvent):
    """The vending server became reachable (`online`) or not (with `reason`)."""

    name: ClassVar[str] = "connectivity.changed"
    online: bool
    reason: str
