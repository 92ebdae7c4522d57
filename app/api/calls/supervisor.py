"""Calls a supervisor approves or runs: reversals, engineering tokens, the Z report."""

from __future__ import annotations

import json
from urllib.parse import quote

from app.api.checks import (
    check_engineering_options,
    check_id,
    check_key,
    check_meter,
    check_operator,
    check_pin,
)
from app.api.models import (
    ENGINEERING_TYPES,
    EngineeringTokens,
    Reversal,
    ZReconciliation,
    ZReportUpload,
    parse_engineering,
    parse_reversal,
    parse_z_reconciliation,
)
from app.api.transport import Transport

__all__ = ["SupervisorCalls"]


class SupervisorCalls(Transport):
    """`POST /v1/sales/{receipt_no}/reversal`, `POST /v1/engineering-tokens`,
    `POST /v1/shifts/{shift_id}/z-report`."""

    def reverse(self, receipt_no: str, operator_id: str, *, reason: str, supervisor_id: str,
                supervisor_pin: str) -> Reversal:
        """`POST /v1/sales/{receipt_no}/reversal` (header `X-Operator-Id`).

        The supervisor's PIN goes in the body (never logged). The server refuses with
        `ApiRejected` (`RECEIPT_NOT_FOUND`, `REVERSAL_NOT_ALLOWED` with `details.reason`,
        `PIN_INVALID`, `OPERATOR_LOCKED`, `SUPERVISOR_REQUIRED`, `OPERATOR_NOT_ALLOWED`).
        Reversing a reversed receipt returns the original reversal. The answer must be for
        `receipt_no`.
        """
        check_id(receipt_no, "receipt number")
        check_operator(operator_id)
        check_operator(supervisor_id)
        check_pin(supervisor_pin)
        if not isinstance(reason, str) or not 1 <= len(reason) <= 200:
            raise ValueError("reason must be 1..200 characters")
        path = f"/v1/sales/{quote(receipt_no, safe='')}/reversal"
        body = {"reason": reason, "supervisor": {"operator_id": supervisor_id,
                                                 "pin": supervisor_pin}}
        result = self._parsed(parse_reversal, "POST", path, body=body, operator=operator_id)
        if result.receipt_no != receipt_no:
            raise self._malformed("reversal answer is for another receipt", "POST", path, 200,
                                  "application/json", json.dumps(result.raw).encode())
        return result

    def engineering_token(
        self, operator_id: str, *, meter_number: str, type: str, supervisor_id: str,
        supervisor_pin: str, value: int | None = None, register: str | None = None,
        new_ti: int | None = None, idempotency_key: str | None = None,
    ) -> EngineeringTokens:
        """`POST /v1/engineering-tokens` (header `X-Operator-Id`, optional `Idempotency-Key`).

        Checked before sending (`ValueError`): the meter number (11/13 digits, Luhn), the
        type, `value` 1..65535 W for `set_power_limit`/`set_phase_unbalance` (required) or
        control bits ≥ 0 for `test` (optional) and nothing otherwise, `register` only for
        `clear_credit`, `new_ti` 1..99 only for `key_change`. The answer must be for this
        meter and type, with tokens checked like a sale's. With a key, a repeated request
        returns the original tokens (the server keeps it).
        """
        check_operator(operator_id)
        check_operator(supervisor_id)
        check_pin(supervisor_pin)
        check_meter(meter_number)
        if type not in ENGINEERING_TYPES:
            raise ValueError("unknown engineering token type")
        if idempotency_key is not None:
            check_key(idempotency_key)
        check_engineering_options(type, value, register, new_ti)
        body = {"meter_number": meter_number, "type": type, "value": value,
                "register": register, "new_ti": new_ti,
                "supervisor": {"operator_id": supervisor_id, "pin": supervisor_pin}}
        path = "/v1/engineering-tokens"
        result = self._parsed(parse_engineering, "POST", path, body=body, operator=operator_id,
                              key=idempotency_key)
        if result.meter_number != meter_number or result.type != type:
            raise self._malformed("engineering answer is for another meter or type", "POST",
                                  path, 200, "application/json",
                                  json.dumps(result.raw).encode(), key=idempotency_key)
        return result

    def z_report(self, shift_id: str, operator_id: str,
                 upload: ZReportUpload) -> ZReconciliation:
        """`POST /v1/shifts/{shift_id}/z-report` (header `X-Operator-Id`): the server's totals
        of the period and the differences (terminal − server).

        The same shift with the same body returns the same answer; another body is
        `ApiBug` `DUPLICATE_REQUEST_MISMATCH`. The answer must be for this shift and Z number,
        and `matched` must agree with the differences.
        """
        check_id(shift_id, "shift id")
        check_operator(operator_id)
        path = f"/v1/shifts/{quote(shift_id, safe='')}/z-report"
        result = self._parsed(parse_z_reconciliation, "POST", path, body=upload.to_json(),
                              operator=operator_id)
        if result.shift_id != shift_id or result.z_number != upload.z_number:
            raise self._malformed("Z answer is for another shift or Z number", "POST", path,
                                  200, "application/json", json.dumps(result.raw).encode())
        return result
