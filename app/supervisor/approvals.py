"""Supervisor approval: a supervisor's PIN lets a cashier do one action; every approval journaled.

`ApprovalService.authorise(actor, permission, approval, subject=...)` is what every supervisor
service calls first. It passes when the actor holds the permission; otherwise it needs an
`Approval` (supervisor id + PIN) whose PIN checks out and whose role may approve. Granted and
refused approvals both go to the audit journal: who approved, what, when, and for whom. The PIN
itself is never journaled, logged or put in a message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from app import lockout
from app.api.pins import verify_pin
from app.lockout import RunClock
from app.supervisor.permissions import (
    APPROVABLE,
    Actor,
    Permission,
    Role,
    allowed,
    describe,
    hint_for,
    not_allowed,
)
from common.errors import BusinessRuleError, PermissionDenied
from common.i18n import _, ngettext
from offline_store import Store
from offline_store.journal import append

MAX_PIN_FAILURES = lockout.MAX_FAILURES
LOCK_MINUTES = int(lockout.LOCKOUT.total_seconds()) // 60


@dataclass(frozen=True)
class Approval:
    """A supervisor's id and PIN for one approved action (the PIN is never shown)."""

    operator_id: str
    pin: str = field(repr=False)


@dataclass(frozen=True)
class Authorisation:
    """Who did an action and, if it was approved, by whom."""

    actor: Actor
    permission: Permission
    approved_by: Actor | None

    @property
    def supervisor(self) -> Actor:
        """The person answerable for the action: the approver, else the actor."""
        return self.approved_by or self.actor


class PinVerifier(Protocol):
    """Checks an operator's PIN; returns who it is or raises PermissionDenied."""

    def verify(self, operator_id: str, pin: str) -> Actor: ...


class CallableVerifier:
    """Adapts a function (e.g. the UI's `AuthPort.check_supervisor`) to `PinVerifier`."""

    def __init__(self, fn: Callable[[str, str], Actor]) -> None:
        self._fn = fn

    def verify(self, operator_id: str, pin: str) -> Actor:
        return self._fn(operator_id, pin)


@dataclass(frozen=True)
class OperatorCredential:
    """What the terminal knows to check a PIN offline (from `GET /v1/operators`)."""

    operator_id: str
    name: str
    role: str
    active: bool
    pin_kdf: dict[str, Any]
    pin_hash: str = field(repr=False)


def pin_matches(credential: OperatorCredential, pin: str) -> bool:
    """The PIN matches the operator's verification material, in constant time (the server's
    documented KDF, `app.api.pins`)."""
    try:
        return verify_pin(pin, credential.pin_kdf, credential.pin_hash)
    except (KeyError, ValueError, TypeError):
        return False


class ScryptVerifier:
    """Offline PIN check against the operators' verification material, with the persisted
    lockout of the operator sign-in (`app.lockout`): 5 consecutive failures lock the
    operator for 15 minutes of VendPoint run time, which neither a restart nor moving the
    terminal's clock shortens.
    """

    def __init__(
        self, store: Store, credentials: Callable[[], Iterable[OperatorCredential]],
        *, clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        run_clock: RunClock | None = None,
    ) -> None:
        self._store = store
        self._credentials = credentials
        self._clock = clock
        self._run = run_clock if run_clock is not None else RunClock()

    def verify(self, operator_id: str, pin: str) -> Actor:
        now = self._clock()
        until = self._store.call(
            lambda c: lockout.lock_of(c, operator_id, self._run.read(c)).until(now))
        if until is not None:
            raise BusinessRuleError(
                _("Operator {operator} is locked after {n} wrong PINs.").format(
                    operator=operator_id, n=MAX_PIN_FAILURES),
                code="OPERATOR_LOCKED",
                hint=_("Try again after about {time} UTC.").format(time=f"{until:%H:%M}"))
        record = next((c for c in self._credentials() if c.operator_id == operator_id), None)
        if record is None or not record.active or not pin_matches(record, pin):
            after = self._store.call(
                lambda c: lockout.note_failure(c, operator_id, self._run.read(c), now))
            left = MAX_PIN_FAILURES - after.failures
            raise PermissionDenied(
                _("That operator and PIN do not match."),
                hint=ngettext("Operator {operator} is now locked for {n} minute.",
                              "Operator {operator} is now locked for {n} minutes.",
                              LOCK_MINUTES).format(operator=operator_id, n=LOCK_MINUTES)
                if after.remaining is not None else
                ngettext("{n} attempt left before this operator is locked.",
                         "{n} attempts left before this operator is locked.", left).format(n=left))
        self._store.call(lambda c: lockout.clear(c, operator_id))
        return Actor.of(record.operator_id, record.name, record.role)


class ApprovalService:
    """Checks permissions and supervisor approvals, and journals every approval decision."""

    def __init__(self, store: Store, verifier: PinVerifier) -> None:
        self.store = store
        self.verifier = verifier

    def authorise(
        self, actor: Actor, permission: Permission, approval: Approval | None = None, *,
        subject: str = "", details: dict[str, Any] | None = None,
    ) -> Authorisation:
        """Allow `actor` to do `permission` on `subject`, or raise PermissionDenied.

        A supervisor/admin acting alone is allowed (and the action itself is journaled by the
        caller). A cashier needs `approval` from someone else whose role allows the action.
        """
        if allowed(actor.role, permission) and approval is None:
            return Authorisation(actor, permission, None)
        if permission not in APPROVABLE and not allowed(actor.role, permission):
            raise PermissionDenied(not_allowed(actor, permission), hint=hint_for(permission))
        if approval is None:
            raise PermissionDenied(
                _("A supervisor must approve: {action}.").format(action=describe(permission)),
                hint=_("Ask a supervisor to enter their PIN."))
        try:
            approver = self.verifier.verify(approval.operator_id, approval.pin)
        except PermissionDenied:
            self._journal(actor, permission, subject, approval.operator_id, False, "wrong PIN",
                          details)
            raise
        if approver.role not in (Role.SUPERVISOR, Role.ADMIN) or not allowed(
                approver.role, permission):
            self._journal(actor, permission, subject, approver.id, False,
                          "approver is not a supervisor", details)
            raise PermissionDenied(
                _("{operator} is not a supervisor and cannot approve this.").format(
                    operator=approver.name or approver.id))
        self._journal(actor, permission, subject, approver.id, True, "", details)
        return Authorisation(actor, permission, approver)

    def _journal(
        self, actor: Actor, permission: Permission, subject: str, approver_id: str,
        granted: bool, problem: str, details: dict[str, Any] | None,
    ) -> None:
        body: dict[str, Any] = {
            "action": permission.value, "subject": subject, "approved_by": approver_id,
            "for_operator": actor.id, "granted": granted,
        }
        if problem:
            body["problem"] = problem
        if details:
            body["details"] = details
        kind = "supervisor.approval" if granted else "supervisor.approval_refused"
        self.store.call(lambda c: append(c, kind, body, ref=subject))
