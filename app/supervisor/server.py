"""The server calls supervisor features need (reversal, engineering tokens, Z upload).

`SupervisorApi` is the port; `ClientSupervisorApi` implements it on top of the core's
`VendingClient` (its error mapping, TLS and credential handling). CORE GAP: `VendingClient` has
no public methods for these three endpoints yet, so this adapter calls its `_parsed` plumbing
with light validation here; when the core adds `reverse`, `engineering_token` and
`z_report`, only this file changes.
"""

from __future__ import annotations

import re
from typing import Any, Protocol
from urllib.parse import quote

from app.api.client import VendingClient
from app.api.errors import MalformedResponse

_TOKEN_RE = re.compile(r"^[0-9]{20}$")


class SupervisorApi(Protocol):
    """Server endpoints used by supervisor services (docs/api.md §5)."""

    def reverse(self, receipt_no: str, operator_id: str, reason: str, supervisor_id: str,
                pin: str) -> dict[str, Any]: ...

    def engineering_token(self, operator_id: str, body: dict[str, Any],
                          key: str) -> dict[str, Any]: ...

    def upload_z_report(self, shift_id: str, operator_id: str,
                        body: dict[str, Any]) -> dict[str, Any]: ...


def _require(data: Any, names: tuple[str, ...], what: str) -> dict[str, Any]:
    if not isinstance(data, dict) or any(n not in data for n in names):
        raise MalformedResponse(f"{what} answer is missing fields", method="POST", path=what,
                                status=200, content_type="application/json", body=b"",
                                idempotency_key=None)
    return data


class ClientSupervisorApi:
    """`SupervisorApi` over the core's `VendingClient`."""

    def __init__(self, client: VendingClient) -> None:
        self._client = client

    def _post(self, path: str, body: dict[str, Any], operator: str,
              key: str | None = None) -> Any:
        return self._client._parsed(lambda d: d, "POST", path, body=body, operator=operator,
                                    key=key)

    def reverse(self, receipt_no: str, operator_id: str, reason: str, supervisor_id: str,
                pin: str) -> dict[str, Any]:
        body = {"reason": reason, "supervisor": {"operator_id": supervisor_id, "pin": pin}}
        data = self._post(f"/v1/sales/{quote(receipt_no, safe='')}/reversal", body,
                          operator_id)
        return _require(data, ("receipt_no", "reversal_no", "reversed_at", "amount_refunded"),
                        "reversal")

    def engineering_token(self, operator_id: str, body: dict[str, Any],
                          key: str) -> dict[str, Any]:
        data = _require(self._post("/v1/engineering-tokens", body, operator_id, key),
                        ("reference", "tokens", "issued_at", "type"), "engineering-tokens")
        tokens = data["tokens"]
        if not isinstance(tokens, list) or not tokens or not all(
                isinstance(t, dict) and _TOKEN_RE.match(str(t.get("token", "")))
                for t in tokens):
            raise MalformedResponse("engineering tokens are not 20 digits", method="POST",
                                    path="/v1/engineering-tokens", status=200,
                                    content_type="application/json", body=b"",
                                    idempotency_key=None)
        return data

    def upload_z_report(self, shift_id: str, operator_id: str,
                        body: dict[str, Any]) -> dict[str, Any]:
        data = self._post(f"/v1/shifts/{quote(shift_id, safe='')}/z-report", body, operator_id)
        return _require(data, ("z_number", "differences", "matched"), "z-report")
