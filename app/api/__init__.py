"""The vending API client: typed calls, strict answer validation, typed errors (docs/api.md)."""

from app.api.client import PinnedAdapter, Timeouts, VendingClient
from app.api.errors import (
    ApiBug,
    ApiRejected,
    MalformedResponse,
    ServerUnavailable,
    TerminalNotAuthorised,
    TlsProblem,
)
from app.api.models import (
    BatchResult,
    MeterInfo,
    Money,
    OfflinePolicy,
    OperatorRecord,
    Quote,
    Sale,
    TerminalInfo,
    Token,
)

__all__ = [
    "ApiBug",
    "ApiRejected",
    "BatchResult",
    "MalformedResponse",
    "MeterInfo",
    "Money",
    "OfflinePolicy",
    "OperatorRecord",
    "PinnedAdapter",
    "Quote",
    "Sale",
    "ServerUnavailable",
    "TerminalInfo",
    "TerminalNotAuthorised",
    "Timeouts",
    "TlsProblem",
    "Token",
    "VendingClient",
]
