"""Calls that sell: the quote, the sale (one, looked up again, or a batch of offline ones).

Every sale answer must be for the idempotency key, meter and amount that were sent.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from app.api.checks import check_key, check_meter, units_wire
from app.api.errors import ApiRejected
from app.api.limits import BATCH_ANSWER_LIMIT
from app.api.models import BatchResult, Money, Quote, Sale, parse_batch, parse_quote, parse_sale
from app.api.models.validators import units_tenths
from app.api.transport import Transport

__all__ = ["SaleCalls"]


class SaleCalls(Transport):
    """`POST /v1/quotes` (by amount or by units), `POST /v1/sales`, `GET /v1/sales/{key}`,
    `POST /v1/sales/batch`."""

    def quote(self, meter_number: str, amount: Money) -> Quote:
        """`POST /v1/quotes`: trial vend."""
        body = {"meter_number": meter_number, "amount": amount.to_json()}
        result = self._parsed(parse_quote, "POST", "/v1/quotes", body=body)
        if result.meter_number != meter_number or result.amount_tendered != amount:
            raise self._malformed("quote is for another meter or amount", "POST",
                                  "/v1/quotes", 200, None, json.dumps(result.raw).encode())
        return result

    def quote_units(self, meter_number: str, units: Decimal) -> Quote:
        """`POST /v1/quotes` by units: the quote of the least amount that buys at least
        `units` (whole tenths, more than zero; ValueError otherwise). The answer must be for
        this meter and these units, and buy at least them for a positive amount."""
        check_meter(meter_number)
        wanted = units_wire(units)
        body = {"meter_number": meter_number, "units": wanted}
        result = self._parsed(parse_quote, "POST", "/v1/quotes", body=body)
        problem = ""
        if result.meter_number != meter_number:
            problem = "quote is for another meter"
        elif result.requested_units is None or \
                units_tenths(result.requested_units) != units_tenths(wanted):
            problem = "quote is not for the units asked for"
        elif units_tenths(result.units) < units_tenths(wanted):
            problem = "quote buys fewer units than asked for"
        elif result.amount_tendered.minor <= 0:
            problem = "quote by units names no amount"
        if problem:
            raise self._malformed(problem, "POST", "/v1/quotes", 200, None,
                                  json.dumps(result.raw).encode())
        return result

    def sell(self, key: str, operator_id: str, request: dict[str, Any]) -> Sale:
        """`POST /v1/sales` with the idempotency key saved beforehand by the caller."""
        check_key(key)
        sale = self._parsed(
            parse_sale, "POST", "/v1/sales", body=request, operator=operator_id, key=key
        )
        self._check_sale_matches(sale, key, request, "POST", "/v1/sales")
        return sale

    def get_sale(self, key: str, request: dict[str, Any] | None = None) -> Sale | None:
        """`GET /v1/sales/{key}`: the original answer, or None if never processed (404)."""
        check_key(key)
        path = f"/v1/sales/{quote(key, safe='')}"
        try:
            sale = self._parsed(parse_sale, "GET", path, key=None)
        except ApiRejected as exc:
            if exc.code == "SALE_NOT_FOUND":
                return None
            raise
        self._check_sale_matches(sale, key, request, "GET", path)
        return sale

    def sell_batch(self, items: Sequence[tuple[str, str, dict[str, Any]]]) -> list[BatchResult]:
        """`POST /v1/sales/batch` of (key, operator_id, request) in order; one result each."""
        keys = [k for k, _, _ in items]
        for key in keys:
            check_key(key)
        body = {"items": [
            {"idempotency_key": k, "operator_id": op, "request": req} for k, op, req in items
        ]}
        results = self._parsed(lambda d: parse_batch(d, keys), "POST", "/v1/sales/batch",
                               body=body, limit=BATCH_ANSWER_LIMIT,
                               deadline=self._timeouts.batch)
        for (key, _, request), result in zip(items, results, strict=True):
            if result.sale is not None:
                self._check_sale_matches(result.sale, key, request, "POST", "/v1/sales/batch")
        return results

    def _check_sale_matches(
        self, sale: Sale, key: str, request: dict[str, Any] | None, method: str, path: str
    ) -> None:
        problem = ""
        if sale.idempotency_key != key:
            problem = "sale answer carries another idempotency key"
        elif request is not None:
            amount = request.get("amount", {})
            if sale.meter_number != request.get("meter_number"):
                problem = "sale answer is for another meter"
            elif sale.amount_tendered != Money.parse(amount["amount"], amount["currency"]):
                problem = "sale answer is for another amount"
        if problem:
            raise self._malformed(problem, method, path, 200, "application/json",
                                  json.dumps(sale.raw).encode(), key=key)
