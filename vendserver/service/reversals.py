"""Reversals: a supervisor-approved refund of a sale within policy."""

from __future__ import annotations

import json
from typing import Any

from vendserver.db import Row
from vendserver.errors import ApiError
from vendserver.money import money
from vendserver.service.common import iso, parse_time
from vendserver.service.terminals import TerminalOps


class ReversalOps(TerminalOps):
    """POST /v1/sales/{receipt_no}/reversal."""

    def reverse(self, terminal: Row, operator_id: str | None, receipt_no: str,
                body: dict[str, Any], *, approved_by: Row | None = None) -> dict[str, Any]:
        """POST /v1/sales/{receipt_no}/reversal (`approved_by`: the supervisor, already
        authenticated by the caller, as for `engineering`)."""
        self._operator(terminal, operator_id)
        sale = self.store.sale(receipt_no)
        if sale is None or sale["vendor_id"] != terminal["vendor_id"]:
            raise ApiError("RECEIPT_NOT_FOUND", "No sale with that receipt number.")
        sup = approved_by if approved_by is not None else \
            self._supervisor(terminal, body["supervisor"])
        now = self.now()
        cur = self._currency()
        with self.store.transaction():
            # Locks in the order every transaction takes them: sale, meter, vendor, events.
            sale = self.store.sale(receipt_no, lock=True)
            assert sale is not None
            if sale["reversal"]:
                return dict(json.loads(sale["reversal"]))
            reason = None
            if self.local_day(parse_time(sale["sold_at"], "sold_at")) != self.local_day(now):
                reason = "not_same_day"
            elif sale["delivered_at"]:
                reason = "delivered_to_meter"
            elif sale["key_change"]:
                reason = "key_change_issued"
            if reason:
                raise ApiError("REVERSAL_NOT_ALLOWED", {
                    "not_same_day": "Only sales of today can be reversed.",
                    "delivered_to_meter": "The smart meter already accepted this token.",
                    "key_change_issued": "This sale changed the meter's key; it cannot be "
                                         "reversed.",
                }[reason], {"reason": reason})
            meter = self.store.meter(sale["meter_drn"], lock=True)
            assert meter is not None
            vendor = self.store.vendor(sale["vendor_id"])
            assert vendor is not None
            refunded = self.store.credit_vendor(vendor["id"], int(sale["amount_cents"]))
            assert refunded is not None
            credit = refunded
            if sale["debt_cents"]:
                self.store.set_arrears(int(meter["customer_id"]),
                                       int(meter["arrears_cents"]) + int(sale["debt_cents"]))
            response = {
                "receipt_no": receipt_no,
                "reversal_no": f"RV{self.store.next_counter('reversal'):08d}",
                "reversed_at": iso(now),
                "reason": body["reason"],
                "supervisor": {"id": sup["id"], "name": sup["name"]},
                "amount_refunded": money(int(sale["amount_cents"]), cur),
                "vendor_credit": money(credit, cur),
                "arrears_restored": money(int(sale["debt_cents"]), cur),
            }
            self.store.mark_reversed(receipt_no, iso(now), json.dumps(response))
            self._event("vendor.credit", {"vendor_id": vendor["id"],
                                          "vendor_credit": money(credit, cur),
                                          "reason": "reversal"}, vendor_id=vendor["id"])
        self._notify()
        return response
