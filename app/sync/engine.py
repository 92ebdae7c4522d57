"""The sync engine: one worker (across processes) that drains the outbox to the server.

Per pass (`step`): sales whose answer may have been lost are first looked up by their key
(`GET /v1/sales/{key}`); pending sales are uploaded in order with `POST /v1/sales/batch`, after
marking them "maybe sent" (write-ahead). Every item gets its own result — tokened, rejected
with the server's reason, or needs attention — so one bad item never blocks the rest. When the
server is unreachable the worker backs off exponentially (capped, with jitter). It resumes after
a restart because all state is in the store, and stops promptly when asked.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.api.errors import (
    ApiBug,
    ApiRejected,
    MalformedResponse,
    ServerUnavailable,
    TerminalNotAuthorised,
    TlsProblem,
)
from app.api.messages import refusal_text
from app.api.models import ApiErrorBody, BatchResult, Sale
from app.push.events import PolicyPushed
from app.sales import repository as repo
from app.sales import transitions as tr
from app.sales.events import SaleNeedsAttention
from app.sales.outcomes import reference_for
from app.sales.service import SaleService
from app.sync.events import OfflinePolicyChanged, SyncProgress
from app.sync.lock import FileLock
from app.sync.wake import WakeSignal
from common.backoff import Backoff
from common.errors import TransientError, UserFacingError
from common.i18n import _
from offline_store import ConstraintError

log = logging.getLogger("vendpoint.sync")

_UNREACHABLE = (ServerUnavailable, TlsProblem, TerminalNotAuthorised)


@dataclass
class StepReport:
    """What one drain pass did."""

    tokened: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    attention: list[str] = field(default_factory=list)
    voided: list[str] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)
    unreachable: bool = False
    remaining: int = 0
    #: Another process holds the sync lock; this pass did nothing.
    locked_out: bool = False


def _iso(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


class SyncEngine:
    """Drains the outbox in order; run it on its own thread with `start()` / `stop()`."""

    def __init__(
        self,
        service: SaleService,
        *,
        lock_path: Path,
        batch_size: int = 50,
        backoff_base: float = 1.0,
        backoff_cap: float = 60.0,
        idle_interval: float = 30.0,
        resolve_grace: float = 60.0,
        policy_interval: float = 600.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        rng: random.Random | None = None,
        wake: WakeSignal | None = None,
    ) -> None:
        self.service = service
        self.store = service.store
        self.client = service.client
        self.bus = service.bus
        self.connectivity = service.connectivity
        self.lock = FileLock(lock_path)
        self.batch_size = batch_size
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.idle_interval = idle_interval
        self.resolve_grace = timedelta(seconds=resolve_grace)
        self.policy_interval = policy_interval
        self._last_refresh: float | None = None
        self._clock = clock
        self._rng = rng or random.Random()
        self._backoff = Backoff(backoff_base, backoff_cap, self._rng)
        self._failures = 0
        self._stop = threading.Event()
        #: Shared with the sale service (it wakes the engine after a pending sale).
        self.wake_signal = wake if wake is not None else WakeSignal()
        self._step_lock = threading.Lock()
        #: How long a pass holds a sale it resolves or sends (far above one batch deadline;
        #: it expires on its own after a crash).
        self._lease_seconds = 120.0
        self._thread: threading.Thread | None = None
        # Policy changes pushed by the server (`terminal.policy`, published by app.push)
        # take effect at once, not only at the next 10-minute GET /v1/terminal.
        self._unsubscribe_policy = self.bus.subscribe(PolicyPushed, self._on_policy_event)

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the worker thread (idempotent)."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="sync-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> bool:
        """Ask the worker to stop and wait for it; True if it stopped in time."""
        self._stop.set()
        self.wake_signal.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
            stopped = not thread.is_alive()
        else:
            stopped = True
        self.lock.release()
        return stopped

    def detach(self) -> None:
        """Stop following pushed policy changes (the store is about to close)."""
        self._unsubscribe_policy()

    def _on_policy_event(self, event: PolicyPushed) -> None:
        """A policy pushed by the server: cache it.

        Runs on the publishing (push listener) thread. A policy that does not follow the
        contract never gets here: the push layer logs and drops it, so the cached one stays.
        """
        policy = event.offline_policy
        if self.store.closed:
            return
        self.store.call(lambda c: repo.save_policy(c, policy))
        log.info("offline policy updated by the server (event %s)", event.event_id)
        self.bus.publish(OfflinePolicyChanged(
            source="push", event_id=event.event_id, offline_allowed=policy.offline_allowed,
            max_count=policy.max_count, max_sale=policy.max_sale, max_total=policy.max_total))

    def wake(self) -> None:
        """Drain now (a new pending sale, or the connection came back)."""
        self.wake_signal.set()

    def next_delay(self) -> float:
        """Capped exponential backoff with full jitter, based on consecutive failures."""
        if self._failures == 0:
            return 0.0
        return self._backoff.after(self._failures)

    def _run(self) -> None:
        while not self._stop.is_set():
            if not self.lock.acquire():
                # Another VendPoint process drains; check again later.
                self._wait(min(self.idle_interval, 5.0))
                continue
            try:
                self._maybe_refresh()
                report = self.step()
            except Exception:
                log.exception("sync pass failed")
                self._failures += 1
                self._wait(self.next_delay())
                continue
            if report.locked_out:
                self._wait(min(self.idle_interval, 5.0))
            elif report.unreachable:
                self._wait(self.next_delay())
            elif report.remaining and not report.deferred:
                continue
            else:
                self._wait(self.idle_interval if not report.deferred else
                           max(self.backoff_base, 0.05))

    def _maybe_refresh(self) -> None:
        """Fetch the offline policy now and then; while offline it also probes the server, so
        the status flips back to online even when nothing waits in the outbox."""
        now = time.monotonic()
        due = self._last_refresh is None or now - self._last_refresh >= self.policy_interval
        if due or not self.connectivity.online:
            if self.refresh_terminal():
                self._last_refresh = now

    def _wait(self, seconds: float) -> None:
        self.wake_signal.wait(seconds)

    # -- one pass ------------------------------------------------------------------------------
    def refresh_terminal(self) -> bool:
        """Fetch the terminal info (offline policy); True if the server answered."""
        try:
            info = self.client.terminal()
        except _UNREACHABLE as exc:
            self.connectivity.set(False, str(exc))
            return False
        except (MalformedResponse, ApiBug, ApiRejected):
            log.warning("terminal info could not be used; keeping the cached policy")
            return False
        self.store.call(lambda c: repo.save_policy(c, info.offline_policy))
        self.connectivity.set(True)
        return True

    def step(self) -> StepReport:
        """One ordered pass over the outbox; safe to call directly (tests, tools, a "sync now"
        button) even while the worker thread runs: passes never overlap."""
        with self._step_lock:
            return self._step()

    def _step(self) -> StepReport:
        report = StepReport()
        if not self.lock.acquire():
            report.locked_out = True
            return report
        now = self._clock()
        items = self.store.call(lambda c: repo.outbox_items(c))
        batch: list[repo.OutboxItem] = []
        total = len(items)
        for item in items:
            if self._stop.is_set() or report.unreachable:
                break
            try:
                if self._visit(item, now, batch, report) and len(batch) >= self.batch_size:
                    self._flush(batch, report)
                    self._progress(report, total)
            except Exception as exc:  # one item's fault never stops the queue
                self._set_aside(item, exc, report)
        if batch and not report.unreachable and not self._stop.is_set():
            self._flush(batch, report)
        for left in batch:  # not sent this pass (unreachable, stopping): let go of them
            self.service.writer.release_lease(left.sale.idem_key, tr.SYNC)
        if report.unreachable:
            self._failures += 1
        else:
            self._failures = 0
        report.remaining = self.store.call(repo.outbox_stats).count
        self._progress(report, total)
        return report

    def _visit(self, item: repo.OutboxItem, now: datetime, batch: list[repo.OutboxItem],
               report: StepReport) -> bool:
        """Look at one open sale: skip, resolve, or add it to the batch (True if added)."""
        sale = item.sale
        key = sale.idem_key
        if sale.state == "needs_attention" and item.next_attempt_at is None:
            return False  # set aside for a person: nothing automatic can fix it
        if item.next_attempt_at and _parse(item.next_attempt_at) > now:
            report.deferred.append(key)
            return False
        if tr.held_by_other(item.held_by, item.held_until, tr.SYNC, now):
            report.deferred.append(key)  # the cashier's attempt is resolving it
            return False
        unknown = sale.state in ("sending", "unresolved", "needs_attention")
        if sale.state in ("sending", "unresolved") and \
                now - _parse(sale.created_at) < self.resolve_grace:
            report.deferred.append(key)
            return False
        if not self.service.writer.take_lease(key, tr.SYNC, self._lease_seconds):
            report.deferred.append(key)
            return False
        if unknown or item.maybe_sent:
            if not self._resolve(item, report):
                self.service.writer.release_lease(key, tr.SYNC)
                return False
            current = self.store.call(lambda c: repo.get_sale(c, key))
            if current is None or current.state != "pending":
                self.service.writer.release_lease(key, tr.SYNC)
                return False
            item = replace(item, sale=current)
        elif sale.state != "pending":
            self.service.writer.release_lease(key, tr.SYNC)
            return False
        batch.append(item)
        return True

    def _flush(self, batch: list[repo.OutboxItem], report: StepReport) -> None:
        try:
            self._upload(batch, report)
        finally:
            keys = [i.sale.idem_key for i in batch]
            for key in keys:
                self.service.writer.release_lease(key, tr.SYNC)
            batch.clear()

    def _progress(self, report: StepReport, total: int) -> None:
        done = len(report.tokened) + len(report.rejected) + len(report.voided)
        self.bus.publish(SyncProgress(done=done, total=total, attention=len(report.attention),
                                      unreachable=report.unreachable))

    def _set_aside(self, item: repo.OutboxItem, exc: Exception, report: StepReport) -> None:
        """A sale whose answer could not be applied: needs attention, with the reason; retried
        with backoff unless retrying cannot help (its receipt number is already stored)."""
        key = item.sale.idem_key
        if isinstance(exc, ConstraintError):
            code, retry = "RECEIPT_CONFLICT", False
            reason = (_("the server's answer clashes with a sale already stored here (its "
                      "receipt number is taken); a supervisor must check it"))
        else:
            code, retry = "UNEXPECTED", True
            reason = _("the answer could not be applied ({error})").format(
                error=type(exc).__name__)
        log.error("sale %s set aside: %s (%s)", reference_for(key), code, type(exc).__name__)
        self._attention(item, code, reason, report, retry=retry)
        self.service.writer.release_lease(key, tr.SYNC)

    def _retry_at(self, item: repo.OutboxItem) -> str:
        delay = self._backoff.after(item.attempts + 1)
        return tr.iso(self._clock() + timedelta(seconds=delay))

    def _resolve(self, item: repo.OutboxItem, report: StepReport) -> bool:
        """Look the item up by key; False when it is settled (or the server is unreachable),
        True when it is still open and may be sent."""
        sale = item.sale
        key = sale.idem_key
        try:
            found = self.client.get_sale(key, sale.request)
        except _UNREACHABLE as exc:
            self.connectivity.set(False, str(exc))
            report.unreachable = True
            return False
        except (MalformedResponse, ApiBug, ApiRejected) as exc:
            # Unreadable for now: set aside and asked again with backoff.
            self._attention(item, "RESOLVE_FAILED", str(exc), report, retry=True)
            return False
        self.connectivity.set(True)
        if found is not None:
            self._tokened(key, found, report, late=sale.state != "pending")
            return False
        expect = (sale.state,)
        if sale.state == "pending":
            return True  # never processed: send it (same key)
        if sale.offline:
            # Never processed, but the customer holds a pending slip (e.g. a supervisor's
            # retry of a needs-attention item): send it, with the same key.
            return self.store.call(lambda c: tr.transition(
                c, key, "pending", expect=expect, version=sale.version,
                reason_code="NOT_PROCESSED"))
        # Never processed and never promised to the customer: it was not made.
        if self.service.writer.void(key, "NOT_PROCESSED", "the server never processed this "
                                    "sale", expect=expect):
            report.voided.append(key)
        return False

    def _tokened(self, key: str, sale: Sale, report: StepReport, *, late: bool = False) -> None:
        self.service.record_tokened(key, sale, after_lost_answer=late, by_sync=True)
        report.tokened.append(key)
        if late:
            # The cashier was told the sale was not complete; the customer needs the token.
            self.bus.publish(SaleNeedsAttention(
                idempotency_key=key, code="LATE_TOKEN",
                reason=_("The sale went through after all; reprint the token.")))

    def _attention(self, item: repo.OutboxItem, code: str, reason: str, report: StepReport,
                   *, retry: bool = False) -> None:
        key = item.sale.idem_key
        retry_at = self._retry_at(item) if retry else None
        if retry:
            self.store.call(lambda c: repo.note_attempt(c, [key]))
        self.service.writer.needs_attention(key, code, reason, expect=repo.OPEN_STATES,
                                            retry_at=retry_at)
        report.attention.append(key)

    def _upload(self, batch: list[repo.OutboxItem], report: StepReport) -> bool:
        """Send pending items in order; False if the server is unreachable."""
        keys = [i.sale.idem_key for i in batch]
        self.store.call(lambda c: repo.note_attempt(c, keys))  # write-ahead: "maybe sent"
        if not self.client.capabilities.batch_upload:
            # This backend takes one sale per request: same keys, same order.
            return self._upload_one_by_one(batch, report)
        items = [(i.sale.idem_key, i.sale.operator_id, i.sale.request) for i in batch]
        try:
            results = self.client.sell_batch(items)
        except _UNREACHABLE as exc:
            self.connectivity.set(False, str(exc))
            report.unreachable = True
            return False
        except (MalformedResponse, ApiBug, ApiRejected):
            # The batch answer is unusable as a whole: fall back to one item at a time so the
            # bad item is isolated and the others still go through.
            return self._upload_one_by_one(batch, report)
        self.connectivity.set(True)
        for item, result in zip(batch, results, strict=True):
            try:
                self._apply(item, result, report)
            except Exception as exc:  # one item's fault never stops the queue
                self._set_aside(item, exc, report)
        return True

    def _apply(self, item: repo.OutboxItem, result: BatchResult, report: StepReport) -> None:
        key = item.sale.idem_key
        if result.sale is not None:
            self._tokened(key, result.sale, report)
            return
        error = result.error
        assert error is not None
        if error.retryable or (result.status >= 500 and error.code != "TOKEN_ENGINE_ERROR"):
            self._defer(item, f"{error.code}: {error.message}", report)
        elif error.code == "INSUFFICIENT_VENDOR_CREDIT":
            # The customer already holds a pending slip: keep the sale and retry it after the
            # float is topped up, instead of refusing it; tell the supervisor.
            self._defer(item, f"{error.code}: {error.message}", report)
            self.bus.publish(SaleNeedsAttention(
                idempotency_key=key, code=error.code,
                reason=_("The vendor float is too low to sync this offline sale; "
                       "top it up and it will be sent again.")))
        elif error.code == "DUPLICATE_REQUEST_MISMATCH":
            if self._resolve(item, report) and key not in report.tokened:
                self._attention(item, error.code, self._said(error), report)
        elif error.code in ("VALIDATION_ERROR", "IDEMPOTENCY_KEY_INVALID", "OPERATOR_REQUIRED",
                            "MALFORMED_JSON"):
            self._attention(item, error.code, self._said(error), report)
        else:
            self._rejected(key, error.code, self._said(error), report)

    @staticmethod
    def _said(error: ApiErrorBody) -> str:
        """The refusal as the supervisor reads it: the client's words for its code."""
        return refusal_text(error.code, error.details, error.message)

    def _rejected(self, key: str, code: str, message: str, report: StepReport) -> None:
        refused = ApiRejected(message, code=code, status=422)
        if not self.service.writer.reject(key, refused, expect=("pending",)):
            return
        report.rejected.append(key)
        # An offline sale the server refused: the customer paid and must be refunded.
        self.bus.publish(SaleNeedsAttention(
            idempotency_key=key, code=code,
            reason=_("The server refused this offline sale: {message}").format(message=message)))

    def _defer(self, item: repo.OutboxItem, error: str, report: StepReport) -> None:
        when = self._retry_at(item)
        self.store.call(lambda c: repo.note_failure(c, item.sale.idem_key, error, when))
        report.deferred.append(item.sale.idem_key)

    def _upload_one_by_one(self, batch: list[repo.OutboxItem], report: StepReport) -> bool:
        for item in batch:
            try:
                if not self._send_one(item, report):
                    return False
            except Exception as exc:  # one item's fault never stops the queue
                self._set_aside(item, exc, report)
        return True

    def _send_one(self, item: repo.OutboxItem, report: StepReport) -> bool:
        """Look one pending sale up, then send it if the server never saw it; False if the
        server is unreachable."""
        key = item.sale.idem_key
        if not self._resolve(item, report):
            return not report.unreachable
        try:
            sale = self.client.sell(key, item.sale.operator_id, item.sale.request)
        except _UNREACHABLE as exc:
            self.connectivity.set(False, str(exc))
            report.unreachable = True
            return False
        except ApiRejected as exc:
            self._rejected(key, exc.code, exc.message, report)
        except (MalformedResponse, ApiBug, TransientError, UserFacingError) as exc:
            self._attention(item, "UNREADABLE", str(exc), report, retry=True)
        else:
            self._tokened(key, sale, report)
        return True
