"""The `{"error": {...}}` body every error answer carries (docs/api.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.api.models.validators import (
    Invalid,
    boolean,
    obj,
    req,
    string,
)

__all__ = [
    "ApiErrorBody",
    "parse_error",
]


@dataclass(frozen=True)
class ApiErrorBody:
    """The `{"error": {...}}` body of every error response."""

    code: str
    message: str
    retryable: bool
    details: dict[str, Any]


def parse_error(value: Any) -> ApiErrorBody:
    """Parse an error body."""
    err = obj(req(obj(value, "body"), "error", "body"), "error")
    details = err.get("details", {})
    if not isinstance(details, dict):
        raise Invalid("error.details is not an object")
    return ApiErrorBody(
        string(err, "code", "error"),
        string(err, "message", "error", empty=True, max_len=1000),
        boolean(err, "retryable", "error"),
        details,
    )
