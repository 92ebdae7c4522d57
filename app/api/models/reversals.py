"""Reversals (`POST /v1/sales/{receipt_no}/reversal`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.api.models.money import Money
from app.api.models.validators import (
    Invalid,
    id_name,
    identifier,
    money,
    obj,
    receipt_id,
    req,
    string,
    time_str,
)

__all__ = [
    "Reversal",
    "parse_reversal",
]


@dataclass(frozen=True)
class Reversal:
    """`POST /v1/sales/{receipt_no}/reversal`: the server's record of a reversed sale.

    A repeated reversal returns the original record, so `reason` and the supervisor may be
    those of the first request.
    """

    receipt_no: str
    reversal_no: str
    reversed_at: str
    reason: str
    supervisor_id: str
    supervisor_name: str
    amount_refunded: Money
    vendor_credit: Money
    arrears_restored: Money
    raw: dict[str, Any] = field(repr=False)


def parse_reversal(value: Any) -> Reversal:
    """Parse a reversal answer (money non-negative, one currency)."""
    where = "reversal"
    data = obj(value, where)
    supervisor = id_name(req(data, "supervisor", where), f"{where}.supervisor")
    refunded = money(req(data, "amount_refunded", where), f"{where}.amount_refunded")
    credit = money(req(data, "vendor_credit", where), f"{where}.vendor_credit")
    restored = money(req(data, "arrears_restored", where), f"{where}.arrears_restored")
    if len({refunded.currency, credit.currency, restored.currency}) != 1:
        raise Invalid(f"{where} mixes currencies")
    return Reversal(
        receipt_id(data, "receipt_no", where), identifier(data, "reversal_no", where),
        time_str(data, "reversed_at", where) or "", string(data, "reason", where, empty=True),
        supervisor[0], supervisor[1], refunded, credit, restored, data,
    )
