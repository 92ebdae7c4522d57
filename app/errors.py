"""Re-exports of `common.errors`, kept while older imports of `app.errors` remain."""

from __future__ import annotations

from common.errors import (
    BusinessRuleError,
    ConfigError,
    InvalidInput,
    PermissionDenied,
    StorageError,
    TransientError,
    UserCancelled,
    UserFacingError,
    VendPointError,
    user_message,
)

__all__ = [
    "BusinessRuleError",
    "ConfigError",
    "InvalidInput",
    "PermissionDenied",
    "StorageError",
    "TransientError",
    "UserCancelled",
    "UserFacingError",
    "VendPointError",
    "user_message",
]
