"""Reprint policy: routine reprints are free; beyond a count or an age a supervisor approves.

`ReprintGate.reprint` is the whole reprint of a sale: the count on the sale (`reprint_count`,
migration 0013) is checked against the policy (a supervisor's approval beyond it), then ONE
transaction re-reads the count, inserts the reprint's print job of the sale's NEWEST document
(the reversal slip once reversed, the token receipt once tokened, never the pending slip
after tokens exist; the pending slip while the sale is not tokened), increments the count
and journals who, which number and who approved. The print queue's reprint jobs are counted
in the reports by a trigger. `authorise` alone (journal only) stays for callers that print
some other way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.supervisor.approvals import Approval, ApprovalService, Authorisation
from app.supervisor.documents import DocumentWriter
from app.supervisor.permissions import Actor, Permission, allowed, require
from common.errors import BusinessRuleError, InvalidInput
from common.i18n import N_, _, ngettext
from offline_store import Connection, Store
from offline_store.journal import append
from printers import model as pm
from printers.job_store import PrintJob
from printers.sql_job_store import latest_original

#: The vending server's copy of a tokened sale's receipt, by idempotency key (None: the
#: server has none, or cannot be asked now). Reprints prefer it to the till's own record.
ServerReprint = Callable[[str], "pm.Receipt | None"]


log = logging.getLogger("vendpoint.supervisor.reprints")


class SupervisorRequired(BusinessRuleError):
    """This reprint is beyond the reprint policy: a supervisor must approve it."""

    title = N_("Supervisor needed")

    def __init__(self, message: str) -> None:
        super().__init__(message, code="SUPERVISOR_REQUIRED",
                         hint=_("A supervisor must approve this reprint."),
                         title=_("Supervisor needed"))


@dataclass(frozen=True)
class ReprintDone:
    """A reprint written: which document, its number, its job, who approved."""

    idem_key: str
    kind: str  # the reprinted document: "token", "pending" or "reversal"
    reprint_no: int
    job: PrintJob
    approved_by: str
    #: Where the reprinted token receipt came from: "server" (its reprint answer) or "local".
    source: str = "local"


def _sale_facts(conn: Connection, key: str) -> tuple[str, str, int, str, str]:
    """(state, client reference, reprint count, issued at, receipt no) of a sale."""
    row = conn.execute(
        "SELECT s.state, json_extract(s.request, '$.client_reference'), s.reprint_count, "
        "COALESCE(r.issued_at, s.created_at), COALESCE(s.receipt_no, '') FROM sales s "
        "LEFT JOIN receipts r ON r.idem_key = s.idem_key WHERE s.idem_key = ?",
        (key,)).fetchone()
    if row is None:
        raise InvalidInput(_("There is no such sale on this terminal."))
    return str(row[0]), str(row[1] or ""), int(row[2]), str(row[3]), str(row[4])


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@dataclass(frozen=True)
class ReprintPolicy:
    """How many reprints, and up to what age, a cashier may do alone."""

    max_free_reprints: int = 2
    max_age: timedelta = timedelta(days=1)


class ReprintGate:
    """Decides and journals reprints."""

    def __init__(self, store: Store, approvals: ApprovalService,
                 policy: ReprintPolicy = ReprintPolicy(), *,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 server_copy: ServerReprint | None = None) -> None:
        self.store = store
        self.approvals = approvals
        self.policy = policy
        self._clock = clock
        self.server_copy = server_copy

    def _server_receipt(self, idem_key: str, state: str, receipt_no: str) -> pm.Receipt | None:
        """The server's copy of a tokened, unreversed sale's receipt, or None (asked before
        the reprint's transaction: it is a network call; any failure means local)."""
        if self.server_copy is None or state != "tokened" or not receipt_no:
            return None
        reversed_ = self.store.call(lambda c: c.execute(
            "SELECT 1 FROM reversals WHERE receipt_no = ?", (receipt_no,)).fetchone())
        if reversed_ is not None:
            return None
        try:
            return self.server_copy(idem_key)
        except Exception as exc:  # the till's own record is always there to reprint
            log.info("no server copy of %s (%s); reprinting the local record", receipt_no,
                     type(exc).__name__)
            return None

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

    def reprint(self, actor: Actor, idem_key: str, documents: DocumentWriter, *,
                approval: Approval | None = None) -> ReprintDone:
        """Reprint the sale's newest document (see the module docstring); raises
        PermissionDenied beyond policy without a valid approval, BusinessRuleError when the
        sale has no document yet."""
        require(actor, Permission.REPRINT)
        state0, reference, count, issued, receipt0 = self.store.call(
            lambda c: _sale_facts(c, idem_key))
        beyond = self.beyond_policy(count, _parse(issued))
        auth = self._approve(actor, reference, count, beyond, approval)
        at = self._clock()
        server = self._server_receipt(idem_key, state0, receipt0)

        def write(conn: Connection) -> ReprintDone:
            state, ref, now_count, issued_at, receipt_no = _sale_facts(conn, idem_key)
            if now_count != count and not beyond and self.beyond_policy(
                    now_count, _parse(issued_at)):
                # Another reprint went first and this one is now beyond policy.
                raise BusinessRuleError(
                    _("This receipt was reprinted meanwhile; this reprint needs a supervisor."),
                    code="SUPERVISOR_REQUIRED", hint=_("Ask a supervisor to approve it."))
            original, kind = self._newest_document(conn, documents, idem_key, state, ref,
                                                   receipt_no)
            number = now_count + 1
            base = original.receipt() if isinstance(original, PrintJob) else original
            source = "local"
            if kind == "token" and server is not None:
                base, source = server, "server"
            if isinstance(base, pm.Reprint):  # originals only are selected; be safe
                base = base.original
            receipt = pm.Reprint(base, number, at, actor.name)
            job = documents.record(conn, receipt, original_job_id=original.id
                                   if isinstance(original, PrintJob) else None)
            conn.execute("UPDATE sales SET reprint_count = ? WHERE idem_key = ?",
                         (number, idem_key))
            approver = auth.supervisor.id if beyond else ""
            append(conn, "sale.reprint", {
                "operator_id": actor.id, "reprint_no": number, "document": kind,
                "beyond_policy": beyond, "approved_by": approver, "source": source},
                ref=receipt_no or ref)  # what the counter calls the sale
            return ReprintDone(idem_key, kind, number, job, approver, source)

        done = self.store.call(write)
        documents.announce(done.job)
        return done

    def _approve(self, actor: Actor, reference: str, count: int, beyond: bool,
                 approval: Approval | None) -> Authorisation:
        if not beyond:
            return Authorisation(actor, Permission.REPRINT, None)
        if approval is None and not allowed(actor.role, Permission.REPRINT_BEYOND_POLICY):
            raise SupervisorRequired(ngettext(
                "Receipt {reference} was reprinted {n} time already, or is too old for a "
                "routine reprint.",
                "Receipt {reference} was reprinted {n} times already, or is too old for a "
                "routine reprint.", count).format(reference=reference, n=count))
        return self.approvals.authorise(actor, Permission.REPRINT_BEYOND_POLICY, approval,
                                        subject=reference, details={"reprints_so_far": count})

    @staticmethod
    def _newest_document(conn: Connection, documents: DocumentWriter, idem_key: str,
                         state: str, reference: str,
                         receipt_no: str) -> tuple[PrintJob | pm.Receipt, str]:
        """The document a reprint copies: the reversal slip once reversed (never the token
        receipt of a reversed sale: its tokens were paid back), the token receipt once tokened
        (its stored job, or rebuilt from the stored sale when that job is gone), else the
        pending slip."""
        reversal = None if not receipt_no else conn.execute(
            "SELECT reversal_no FROM reversals WHERE receipt_no = ? "
            "ORDER BY reversed_at DESC LIMIT 1", (receipt_no,)).fetchone()
        if reversal is not None:
            job = latest_original(conn, str(reversal[0]), ("reversal",))
            if job is not None:
                return job, "reversal"
            raise BusinessRuleError(
                _("Receipt {receipt} was reversed: its tokens cannot be reprinted.").format(
                    receipt=receipt_no),
                hint=_("The reversal slip was not kept on this terminal."))
        if state == "tokened":
            job = latest_original(conn, reference, ("token",))
            if job is not None:
                return job, "token"
            rebuilt = documents.stored_token_receipt(conn, idem_key)
            if rebuilt is not None:
                return rebuilt, "token"
        elif state not in ("rejected", "void"):
            job = latest_original(conn, reference, ("pending",))
            if job is not None:
                return job, "pending"
        raise BusinessRuleError(
            _("This sale has no receipt to reprint.") if state in ("rejected", "void") else
            _("There is no receipt for this sale yet."),
            hint=_("A pending sale's token receipt prints when its token arrives."))
