"""The server calls supervisor features need (reversal, engineering tokens, Z upload).

`SupervisorApi` is the port; `ClientSupervisorApi` implements it on top of the core's public
`VendingClient.reverse`, `engineering_token` and `z_report` (their strict answer checks, error
mapping, TLS and credential handling). The port keeps handing the services the server's JSON
(`raw` of the typed answers), so the services and their stored records are unchanged.
"""

from __future__ import annotations

from typing import Any, Protocol

from app.api.client import VendingClient
from app.api.models import ZReportUpload


class SupervisorApi(Protocol):
    """Server endpoints used by supervisor services (docs/api.md §5)."""

    def reverse(self, receipt_no: str, operator_id: str, reason: str, supervisor_id: str,
                pin: str) -> dict[str, Any]: ...

    def engineering_token(self, operator_id: str, body: dict[str, Any],
                          key: str) -> dict[str, Any]: ...

    def upload_z_report(self, shift_id: str, operator_id: str,
                        body: dict[str, Any]) -> dict[str, Any]: ...


class ClientSupervisorApi:
    """`SupervisorApi` over the core's `VendingClient`."""

    def __init__(self, client: VendingClient) -> None:
        self._client = client

    def reverse(self, receipt_no: str, operator_id: str, reason: str, supervisor_id: str,
                pin: str) -> dict[str, Any]:
        return self._client.reverse(receipt_no, operator_id, reason=reason,
                                    supervisor_id=supervisor_id, supervisor_pin=pin).raw

    def engineering_token(self, operator_id: str, body: dict[str, Any],
                          key: str) -> dict[str, Any]:
        supervisor = body.get("supervisor") or {}
        return self._client.engineering_token(
            operator_id, meter_number=str(body.get("meter_number", "")),
            type=str(body.get("type", "")), supervisor_id=str(supervisor.get("operator_id", "")),
            supervisor_pin=str(supervisor.get("pin", "")), value=body.get("value"),
            register=body.get("register"), new_ti=body.get("new_ti"), idempotency_key=key).raw

    def upload_z_report(self, shift_id: str, operator_id: str,
                        body: dict[str, Any]) -> dict[str, Any]:
        return self._client.z_report(shift_id, operator_id, ZReportUpload.from_json(body)).raw
