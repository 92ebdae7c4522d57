"""Reprint policy: routine reprints are free; beyond a count or an age a supervisor approves.

The sale screen calls `ReprintGate.authorise` before queueing a reprint; it raises
PermissionDenied (ask a supervisor) beyond policy, and journals every reprint with who did it
and who approved. The print queue's reprint jobs are counted in the reports by a trigger.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.supervisor.approvals import Approval, ApprovalService, Authorisation
from app.supervisor.permissions import Actor, Permission, require
from offline_store import Store
from offline_store.journal import append


@dataclass(frozen=True)
class ReprintPolicy:
    """How many reprints, and up to what age, a cashier may do alone."""

    max_free_reprints: int = 2
    max_age: timedelta = timedelta(days=1)


class ReprintGate:
    """Decides and journals reprints."""

    def __init__(self, store: Store, approvals: ApprovalService,
                 policy: ReprintPolicy = ReprintPolicy(), *,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.store = store
        self.approvals = approvals
        self.policy = policy
        self._clock = clock

    def beyond_policy(self, reprints_so_far: int, issued_at: datetime) -> bool:
        """True when this reprint needs a supervisor."""
        return reprints_so_far >= self.policy.max_free_reprints or \
            self._clock() - issued_at > self.policy.max_age

    def authorise(self, actor: Actor, reference: str, *, reprints_so_far: int,
                  issued_at: datetime, approval: Approval | None = None) -> Authorisation:
        """Allow the next reprint of `reference` (or raise PermissionDenied); journaled."""
        require(actor, Permission.REPRINT)
        beyond = self.beyond_policy(reprints_so_far, issued_at)
        if beyond:
            auth = self.approvals.authorise(
                actor, Permission.REPRINT_BEYOND_POLICY, approval, subject=reference,
                details={"reprints_so_far": reprints_so_far})
        else:
            auth = Authorisation(actor, Permission.REPRINT, None)
        self.store.call(lambda c: append(c, "sale.reprint", {
            "operator_id": actor.id, "reprint_no": reprints_so_far + 1,
            "beyond_policy": beyond, "approved_by": auth.supervisor.id if beyond else ""},
            ref=reference))
        return auth
