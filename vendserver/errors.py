"""The contract's error type: every refusal the server sends has a code, a status and a flag.

`ApiError` is raised anywhere in the service layer and turned into the contract's body
``{"error": {"code", "message", "retryable", "details"}}`` by one handler in `api.py`.
Messages never contain tokens, PINs or keys.
"""

from __future__ import annotations

from typing import Any

#: code -> (HTTP status, retryable). The single source of truth; docs/api.md §3 lists the same.
ERROR_CODES: dict[str, tuple[int, bool]] = {
    "VALIDATION_ERROR": (400, False),
    "MALFORMED_JSON": (400, False),
    "METER_NUMBER_INVALID": (400, False),
    "METER_CHECK_DIGIT": (400, False),
    "IDEMPOTENCY_KEY_REQUIRED": (400, False),
    "IDEMPOTENCY_KEY_INVALID": (400, False),
    "OPERATOR_REQUIRED": (400, False),
    "TERMINAL_UNAUTHENTICATED": (401, False),
    "PIN_INVALID": (401, False),
    "TERMINAL_DISABLED": (403, False),
    "ACTIVATION_CODE_INVALID": (403, False),
    "OPERATOR_NOT_ALLOWED": (403, False),
    "SUPERVISOR_REQUIRED": (403, False),
    "UNKNOWN_METER": (404, False),
    "SALE_NOT_FOUND": (404, False),
    "RECEIPT_NOT_FOUND": (404, False),
    "TARIFF_NOT_FOUND": (404, False),
    "NOT_FOUND": (404, False),
    "METHOD_NOT_ALLOWED": (405, False),
    "DUPLICATE_REQUEST_MISMATCH": (409, False),
    "KEY_REVISION_MUST_BE_UPDATED": (409, False),
    "DECODER_KEY_EXPIRED": (409, False),
    "REQUEST_TOO_LARGE": (413, False),
    "BLOCKED_METER": (422, False),
    "AMOUNT_OUT_OF_RANGE": (422, False),
    "UNITS_OUT_OF_RANGE": (422, False),
    "CURRENCY_MISMATCH": (422, False),
    "INSUFFICIENT_VENDOR_CREDIT": (422, False),
    "REVERSAL_NOT_ALLOWED": (422, False),
    "ENGINEERING_TOKEN_INVALID": (422, False),
    "OFFLINE_SALE_TOO_OLD": (422, False),
    "OPERATOR_LOCKED": (423, False),
    "TOO_MANY_ATTEMPTS": (429, True),
    "INTERNAL_ERROR": (500, True),
    "TOKEN_ENGINE_ERROR": (500, False),
    "SERVICE_UNAVAILABLE": (503, True),
}


class ApiError(Exception):
    """A refusal with one of the contract's codes; `status` and `retryable` follow the code."""

    def __init__(
        self,
        code: str,
        message: str,
        details: dict[str, Any] | None = None,
        *,
        headers: dict[str, str] | None = None,
    ) -> None:
        if code not in ERROR_CODES:
            raise ValueError(f"unknown error code {code}")
        super().__init__(message)
        self.code = code
        self.message = message
        self.details: dict[str, Any] = details or {}
        self.status, self.retryable = ERROR_CODES[code]
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        """The contract's error body."""
        return {
            "error": {
                "code": self.code,
                "message": self.message,
                "retryable": self.retryable,
                "details": self.details,
            }
        }
