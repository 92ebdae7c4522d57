"""The cashier's online sale attempt and its retry: every failure contained, the same key kept.

`SaleAttempt.send` is one attempt on a sale that was committed `sending` with the attempt's
lease: `POST /v1/sales`, and when the answer is lost or unreadable one look-up of the SAME key
(and, when the server says it never saw it and time is left, one resend of the same key).
Whatever happens — no answer, an HTML page with status 200, a bug, an exception nobody
expected — the sale stays open under its key and the cashier gets a typed answer: tokened,
pending (slip), refused (nothing sold), `SaleNotCompleted` (retry THIS sale or leave it to
sync) or, from `resolve`, `SaleNotMade` (the server confirmed it never happened). A new key is
never made for a sale whose answer was lost.

Every state change is guarded (`app.sales.transitions`): if another actor decided first, the
attempt reports that decision instead of overwriting it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from datetime import timedelta

from app.api.errors import (
    ApiBug,
    ApiRejected,
    MalformedResponse,
    ServerUnavailable,
    TerminalNotAuthorised,
    TlsProblem,
)
from app.api.models import MeterInfo, Sale
from app.backend import VendingBackend
from app.sales import repository as repo
from app.sales import transitions as tr
from app.sales.connectivity import Connectivity
from app.sales.outcomes import (
    SaleNotCompleted,
    SaleNotMade,
    SaleOutcome,
    reference_for,
)
from app.sales.policy import OfflineDecision, OfflineRefused
from app.sales.writer import SaleWriter
from common.errors import TransientError, UserFacingError
from common.i18n import _
from offline_store import Connection
from printers.job_store import PrintJob

log = logging.getLogger("vendpoint.sales")

#: How long the cashier's attempt holds a sale (the till uses the sync worker's grace, 60 s at
#: the defaults). An attempt is bounded by its calls' deadlines (`budget`, 20 s at the
#: defaults); the lease is longer so that the sync worker never resolves a sale an attempt is
#: still working on, and it expires on its own after a crash.
ATTEMPT_LEASE = 60.0

#: How soon the sync worker first asks again about a sale an attempt set aside.
RETRY_AFTER = 5.0

_UNKNOWN = ("sending", "unresolved", "needs_attention")


class SaleAttempt:
    """Sends a committed sale and resolves its outcome for the cashier (see module doc)."""

    def __init__(self, client: VendingBackend, writer: SaleWriter, connectivity: Connectivity,
                 in_force_versions: Callable[[str], dict[str, int]], *,
                 budget: float = 20.0, call_bound: float = 9.0,
                 monotonic: Callable[[], float] = time.monotonic,
                 lease: float = ATTEMPT_LEASE) -> None:
        self.client = client
        self.writer = writer
        self.store = writer.store
        self.connectivity = connectivity
        self._in_force_versions = in_force_versions
        #: The cashier knows within `budget` seconds; an extra call (a resend after the
        #: server said it never saw the key) starts only if its deadline fits.
        self.budget = budget
        self.call_bound = call_bound
        self._monotonic = monotonic
        self.lease = lease

    # -- the first attempt -------------------------------------------------------------------
    def send(self, row: repo.SaleRow, notify: Sequence[str]) -> SaleOutcome:
        """POST the committed sale; every failure leaves it open under its key."""
        started = self._monotonic()
        key = row.idem_key
        try:
            try:
                sale = self.client.sell(key, row.operator_id, row.request)
            except ApiRejected as exc:
                self.connectivity.set(True)
                self._rejected(key, exc)
                raise
            except TerminalNotAuthorised:
                self.writer.void(key, "TERMINAL_NOT_AUTHORISED", "terminal credential refused",
                                 expect=("sending",))
                raise
            except (ServerUnavailable, TlsProblem) as exc:
                sent = exc.sent if isinstance(exc, ServerUnavailable) else False
                self.connectivity.set(False, str(exc))
                if sent:
                    resolved = self._look_up(row, started)
                    if resolved is not None:
                        return resolved
                return self.go_offline(row, notify, sent=sent, cause=exc)
            except (MalformedResponse, ApiBug) as exc:
                resolved = self._look_up(row, started)
                if resolved is not None:
                    return resolved
                code = "MALFORMED" if isinstance(exc, MalformedResponse) else \
                    getattr(exc, "code", "BUG")
                reason = exc.problem if isinstance(exc, MalformedResponse) else str(exc)
                raise self._not_completed(row, code, reason) from exc
            self.connectivity.set(True)
            return self._tokened(key, sale, after_lost_answer=False)
        except (ApiRejected, TerminalNotAuthorised, OfflineRefused, SaleNotCompleted):
            raise
        except Exception as exc:  # contained: the sale stays open, the cashier can retry it
            log.exception("sale attempt failed unexpectedly (kept open under its key)")
            raise self._not_completed(row, "UNEXPECTED", type(exc).__name__) from exc

    # -- retry / resolve the SAME sale ----------------------------------------------------------
    def resolve(self, key: str, notify: Sequence[str] = ()) -> SaleOutcome:
        """The cashier's retry of an unfinished sale: ask the server about THIS key.

        Tokened (found), pending (unreachable, and the offline policy allows it), or raises
        `SaleNotCompleted` again, `ApiRejected` (refused when resent: nothing sold) or
        `SaleNotMade`.
        """
        row = self.store.call(lambda c: repo.get_sale(c, key))
        if row is None:
            raise UserFacingError(_("This sale is not known on this terminal."))
        done = self._settled(row)
        if done is not None:
            return done
        if not self.writer.take_lease(key, tr.ATTEMPT, self.lease):
            raise SaleNotCompleted(
                _("VendPoint is checking this sale with the server right now."),
                reference=reference_for(key), idempotency_key=key,
                hint=_("Wait a few seconds and press Enter again."))
        started = self._monotonic()
        try:
            try:
                sale = self.client.get_sale(key, row.request)
            except (ServerUnavailable, TlsProblem) as exc:
                self.connectivity.set(False, str(exc))
                if row.state == "pending":
                    return self._pending_again(row)
                return self.go_offline(row, notify, sent=True, cause=exc)
            except (MalformedResponse, ApiBug) as exc:
                raise self._not_completed(row, "RESOLVE_FAILED", str(exc)) from exc
            self.connectivity.set(True)
            if sale is not None:
                return self._tokened(key, sale, after_lost_answer=True)
            if row.state == "pending" or row.offline:
                # The customer holds a pending slip: it is sent (same key) by the sync worker.
                return self._pending_again(row)
            return self._resend(row, notify, started, not_made_if_refused=True)
        except (ApiRejected, OfflineRefused, SaleNotCompleted, SaleNotMade):
            raise
        except Exception as exc:
            log.exception("sale retry failed unexpectedly (kept open under its key)")
            raise self._not_completed(row, "UNEXPECTED", type(exc).__name__) from exc
        finally:
            self.writer.release_lease(key, tr.ATTEMPT)

    def _settled(self, row: repo.SaleRow) -> SaleOutcome | None:
        key = row.idem_key
        if row.state == "tokened":
            return self.writer.outcome_of(key)
        if row.state == "rejected":
            raise SaleNotMade(
                _("The server refused this sale ({reason}). Nothing was sold.")
                .format(reason=row.reason or row.reason_code),
                reference=reference_for(key), idempotency_key=key,
                hint=_("Give the customer their money back, or sell again."))
        if row.state == "void":
            raise self._not_made(key)
        return None

    @staticmethod
    def _not_made(key: str) -> SaleNotMade:
        return SaleNotMade(
            _("The server confirms this sale was never made: nothing was sold."),
            reference=reference_for(key), idempotency_key=key,
            hint=_("Sell again for the customer, or give their money back."))

    # -- internals -----------------------------------------------------------------------------
    def _tokened(self, key: str, sale: Sale, *, after_lost_answer: bool) -> SaleOutcome:
        _sale, job = self.writer.record_tokened(key, sale, after_lost_answer=after_lost_answer)
        return SaleOutcome("tokened", key, sale=sale,
                           resolved_after_lost_answer=after_lost_answer, job=job)

    def _rejected(self, key: str, exc: ApiRejected) -> None:
        self.writer.reject(key, exc, expect=_UNKNOWN)

    def _look_up(self, row: repo.SaleRow, started: float) -> SaleOutcome | None:
        """Ask the server about the SAME key once; tokened outcome if it was processed, None
        when the outcome is still unknown."""
        try:
            sale = self.client.get_sale(row.idem_key, row.request)
        except (TransientError, UserFacingError, ApiBug):
            return None
        self.connectivity.set(True)
        if sale is not None:
            return self._tokened(row.idem_key, sale, after_lost_answer=True)
        try:
            return self._resend(row, (), started, not_made_if_refused=False)
        except SaleNotCompleted:
            return None

    def _resend(self, row: repo.SaleRow, notify: Sequence[str], started: float, *,
                not_made_if_refused: bool) -> SaleOutcome:
        """The server never saw this key: send it again with the same key, once, if the
        call's deadline still fits the cashier's budget."""
        key = row.idem_key
        if self._monotonic() - started + self.call_bound > self.budget:
            raise self._not_completed(row, "NO_TIME", "the server never saw the sale and "
                                      "there was no time left to send it again")
        try:
            sale = self.client.sell(key, row.operator_id, row.request)
        except ApiRejected as exc:
            self._rejected(key, exc)
            if not_made_if_refused:
                raise SaleNotMade(
                    _("The server refused this sale: {message} Nothing was sold.")
                        .format(message=exc.message),
                    reference=reference_for(key), idempotency_key=key) from exc
            raise
        except (ServerUnavailable, TlsProblem) as exc:
            self.connectivity.set(False, str(exc))
            return self.go_offline(row, notify, sent=True, cause=exc)
        except (MalformedResponse, ApiBug) as exc:
            raise self._not_completed(row, "MALFORMED", str(exc)) from exc
        return self._tokened(key, sale, after_lost_answer=True)

    def _pending_again(self, row: repo.SaleRow) -> SaleOutcome:
        outcome = self.writer.outcome_of(row.idem_key)
        if outcome is not None:
            return outcome
        raise self._not_completed(row, "UNREACHABLE", "the server could not be reached")

    def _not_completed(self, row: repo.SaleRow, code: str, reason: str) -> SaleNotCompleted:
        """Set the sale aside (retried by sync with backoff: the cause may be transient) and
        say so; if another actor settled it meanwhile, say THAT instead."""
        key = row.idem_key
        retry_at = tr.iso(self.writer.clock() + timedelta(seconds=RETRY_AFTER))
        if not self.writer.needs_attention(key, code, reason, expect=_UNKNOWN,
                                           retry_at=retry_at):
            # Another actor settled it meanwhile; the retry shows what it became.
            log.info("sale %s was settled by another actor meanwhile", reference_for(key))
        return SaleNotCompleted(
            _("The answer to this sale was lost or could not be read. The sale is NOT complete: "
            "do not hand over a token, and do not sell it again."),
            reference=reference_for(key), idempotency_key=key,
            hint=_("Press Enter to ask the server about this same sale again; VendPoint keeps "
                 "checking it in the background too."))

    def go_offline(self, row: repo.SaleRow, notify: Sequence[str], *, sent: bool,
                   cause: BaseException) -> SaleOutcome:
        """No answer: pending with a slip when the offline policy allows it; otherwise
        unresolved (maybe sent) or void (surely not sent)."""
        key = row.idem_key
        local_versions = self._in_force_versions(row.created_at)
        writer = self.writer

        def decide(conn: Connection) -> tuple[str, OfflineDecision | OfflineRefused | None,
                                              MeterInfo | None, PrintJob | None]:
            try:
                decision, meter, _stats = writer.check_policy(conn, row.meter_number, row.amount)
            except OfflineRefused as refused:
                to = "unresolved" if sent else "void"
                if not tr.transition(conn, key, to, expect=_UNKNOWN, reason_code=refused.code,
                                     reason=refused.message):
                    return "lost", None, None, None
                return to, refused, None, None
            if not tr.transition(conn, key, "pending", expect=_UNKNOWN, offline=True):
                return "lost", None, None, None
            tariff_id = row.tariff_id or (meter.tariff_id if meter is not None else None)
            repo.set_local_tariff(conn, key, tariff_id,
                                  None if tariff_id is None else local_versions.get(tariff_id))
            slip = writer.slip(key, row.created_at, row.amount, row.meter_number, meter,
                               row.operator_id, notify, decision.warning)
            return "pending", decision, meter, writer.record_slip(conn, slip)

        state, result, meter, job = self.store.call(decide)
        if state == "lost" or result is None:
            # Another actor decided first: report its decision, never overwrite it.
            outcome = writer.outcome_of(key)
            if outcome is not None:
                return outcome
            raise SaleNotCompleted(
                _("The server did not answer. The sale is NOT complete: do not hand over a "
                "token."), reference=reference_for(key), idempotency_key=key,
                hint=_("Press Enter to ask the server about this same sale again.")) from cause
        if isinstance(result, OfflineRefused):
            writer.publish_outbox()
            if state == "void":
                raise OfflineRefused(
                    _("The server is unreachable and this sale cannot be made offline: "
                      "{message}").format(message=result.message),
                    code=result.code, hint=result.hint) from cause
            writer.wake_sync()
            raise SaleNotCompleted(
                _("The server did not answer and this sale cannot be made offline "
                "({message}). The sale is NOT complete: do not hand over a "
                "token.").format(message=result.message.rstrip('.')),
                reference=reference_for(key), idempotency_key=key,
                hint=_("Press Enter to ask the server about this same sale again; VendPoint "
                     "will also check it and show the result."),
            ) from cause
        slip = writer.slip(key, row.created_at, row.amount, row.meter_number, meter,
                           row.operator_id, notify, result.warning)
        writer.announce_pending(slip, job)
        return SaleOutcome("pending", key, slip=slip, job=job)
