"""Batch upload of offline sales: each item sold in order, each with its own result."""

from __future__ import annotations

import json
from typing import Any

from vendserver.db import Row
from vendserver.errors import ApiError
from vendserver.service.sales import SaleOps


class BatchOps(SaleOps):
    """POST /v1/sales/batch over the single-sale path."""

    def batch(self, terminal: Row, items: list[dict[str, Any]]) -> dict[str, Any]:
        """POST /v1/sales/batch: each item in order, one failure never stops the rest."""
        results = []
        for item in items:
            try:
                if item.get("invalid") is not None:  # failed validation on its own
                    raise item["invalid"]
                text, _ = self.sale(terminal, item["operator_id"], item["idempotency_key"],
                                    item["request"])
                results.append({"idempotency_key": item["idempotency_key"], "status": 200,
                                "sale": json.loads(text), "error": None})
            except ApiError as exc:
                results.append({"idempotency_key": item["idempotency_key"],
                                "status": exc.status, "sale": None, "error": exc.body()["error"]})
        return {"results": results}
