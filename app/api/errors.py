"""Typed errors of the vending API client, each saying who it is for.

* `ServerUnavailable` (transient): connection refused/reset, timeout, truncated body, 5xx or
  429 marked retryable. A sale in this situation goes to the outbox.
* `ApiRejected` (user can act): the server refused for a business reason (unknown or blocked
  meter, amount out of range, vendor float too low, ...). `code` is the server's stable code.
* `TerminalNotAuthorised` (user can act): the terminal credential is missing, unknown or
  disabled; the terminal must be (re)activated.
* `TlsProblem` (user can act): certificate verification or pinning failed; nothing was sent.
* `MalformedResponse` (server bug, shown): the answer is not what the contract says; it was
  kept for investigation and never becomes a sale.
* `ApiBug` (our bug): the server says our request is invalid (validation, 409 mismatch, ...).
"""

from __future__ import annotations

from typing import Any

from common.errors import (
    BusinessRuleError,
    PermissionDenied,
    TransientError,
    UserFacingError,
    VendPointError,
)
from common.i18n import N_, _


class ServerUnavailable(TransientError):
    """The server could not be reached or did not answer usefully; try again later."""

    def __init__(self, message: str, *, sent: bool, status: int | None = None) -> None:
        super().__init__(message)
        #: True if the request may have reached the server (the answer was lost).
        self.sent = sent
        self.status = status


class ApiRejected(BusinessRuleError):
    """The server refused the request for a business reason; nothing was recorded."""

    def __init__(
        self, message: str, *, code: str, status: int, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message, code=code)
        self.status = status
        self.details = details or {}


class TerminalNotAuthorised(PermissionDenied):
    """The terminal credential was refused (missing, unknown or disabled terminal)."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message, hint=_("Activate this terminal again or call the utility."))
        self.code = code


class TlsProblem(UserFacingError):
    """TLS certificate verification or pinning failed: nothing was sent to the server."""

    title = N_("Secure connection refused")


class MalformedResponse(UserFacingError):
    """The server's answer does not follow the API contract; kept for investigation."""

    title = N_("Unreadable answer from the server")

    def __init__(
        self,
        problem: str,
        *,
        method: str,
        path: str,
        status: int | None,
        content_type: str | None,
        body: bytes,
        idempotency_key: str | None = None,
    ) -> None:
        super().__init__(
            _("The server's answer could not be understood ({problem}). It was kept for "
            "investigation; nothing was recorded from it.").format(problem=problem),
            hint=_("Report this to support if it happens again."),
        )
        self.problem = problem
        self.method = method
        self.path = path
        self.status = status
        self.content_type = content_type
        self.body = body
        self.idempotency_key = idempotency_key


class ApiBug(VendPointError):
    """The server says our request is wrong (a client bug, or a reused key with a new body)."""

    def __init__(self, message: str, *, code: str, status: int) -> None:
        super().__init__(message)
        self.code = code
        self.status = status
