"""The sale's store writes: each state change, with its documents, in one guarded transaction.

`SaleWriter` is what the sale service, its attempts and the sync engine use to change a sale:
insert it, write it pending with its slip, record its token receipt, refuse it, void it, or set
it aside for attention. Every change goes through `app.sales.transitions` (a compare-and-set on
the state the actor read), so the writer's methods return whether the change happened; an
actor that lost the race re-reads the sale (`outcome_of`) instead of overwriting it. Events are
published after the commit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from typing import Any

from app.api.errors import ApiRejected
from app.api.models import MeterInfo, Money, Sale, parse_sale
from app.sales import repository as repo
from app.sales import transitions as tr
from app.sales.documents import Documents
from app.sales.events import (
    OutboxChanged,
    SaleLateToken,
    SaleNeedsAttention,
    SalePending,
    SalePriceDiffers,
    SaleRejected,
    SaleTokened,
    SaleVoid,
)
from app.sales.outcomes import PendingSlip, SaleOutcome, delivery_text, reference_for
from app.sales.policy import OfflineDecision, check_offline_sale
from app.sales.price_difference import PriceDifference, price_difference
from common.events import EventBus
from offline_store import Connection, Store
from offline_store.journal import append
from printers.job_store import PrintJob

log = logging.getLogger("vendpoint.sales")


class SaleWriter:
    """Writes sale state changes and their documents; publishes what changed."""

    def __init__(self, store: Store, bus: EventBus, documents: Documents | None,
                 clock: Callable[[], datetime], wake_sync: Callable[[], None]) -> None:
        self.store = store
        self.bus = bus
        self.documents = documents
        #: Now, as the service sees it (tests move it).
        self.clock = clock
        self._wake_sync = wake_sync

    def wake_sync(self) -> None:
        """Ask the sync worker to look at the outbox now."""
        self._wake_sync()

    # -- reading ---------------------------------------------------------------------------------
    def outcome_of(self, key: str) -> SaleOutcome | None:
        """What a sale already is, for an actor that lost a race: tokened (with the stored
        answer) or pending (with its slip's data); None in any other state."""
        def read(conn: Connection) -> tuple[repo.SaleRow | None, dict[str, Any] | None,
                                            MeterInfo | None]:
            row = repo.get_sale(conn, key)
            cached = None if row is None else repo.cached_meter(conn, row.meter_number)
            return row, repo.sale_response(conn, key), None if cached is None else cached[0]

        row, response, meter = self.store.call(read)
        if row is None:
            return None
        if row.state == "tokened" and response is not None:
            return SaleOutcome("tokened", key, sale=parse_sale(response))
        if row.state == "pending":
            return SaleOutcome("pending", key, slip=self.slip(
                key, row.created_at, row.amount, row.meter_number, meter, row.operator_id,
                (), ""))
        return None

    # -- pending ---------------------------------------------------------------------------------
    def check_policy(self, conn: Connection, meter_number: str, amount: Money
                     ) -> tuple[OfflineDecision, MeterInfo | None, repo.OutboxStats]:
        """The offline policy's decision for this sale (raises `OfflineRefused`)."""
        cached = repo.cached_meter(conn, meter_number)
        meter = None if cached is None else cached[0]
        stats = repo.outbox_stats(conn)
        decision = check_offline_sale(repo.load_policy(conn), meter, amount, stats,
                                      self.clock())
        return decision, meter, stats

    def slip(self, key: str, created: str, amount: Money, meter_number: str,
             meter: MeterInfo | None, operator_id: str, notify: Sequence[str],
             warning: str) -> PendingSlip:
        """The pending slip's data."""
        return PendingSlip(
            reference=reference_for(key), idempotency_key=key, created_at=created,
            amount=amount, meter_number=meter_number,
            customer_name=meter.customer_name if meter else "",
            customer_address=meter.customer_address if meter else "",
            operator_id=operator_id, delivery=delivery_text(meter, notify), warning=warning,
        )

    def record_slip(self, conn: Connection, slip: PendingSlip) -> PrintJob | None:
        """The pending slip's print job, in the caller's (the state change's) transaction."""
        if self.documents is None:
            return None
        return self.documents.record(conn, self.documents.pending_slip(
            conn, reference=slip.reference, created_at=slip.created_at,
            customer_name=slip.customer_name, customer_address=slip.customer_address,
            meter_number=slip.meter_number, amount=slip.amount, operator_id=slip.operator_id,
            delivery=slip.delivery))

    def announce_pending(self, slip: PendingSlip, job: PrintJob | None,
                         stats: repo.OutboxStats | None = None) -> None:
        """After a sale was committed pending: its slip prints, the outbox figures change,
        the sync worker wakes."""
        if self.documents is not None:
            self.documents.announce(job)
        self.bus.publish(SalePending(idempotency_key=slip.idempotency_key,
                                     reference=slip.reference, amount=slip.amount,
                                     meter_number=slip.meter_number))
        self.publish_outbox(stats)
        self._wake_sync()

    def publish_outbox(self, stats: repo.OutboxStats | None = None) -> None:
        """Tell the status bar what waits for the server."""
        if stats is None:
            stats = self.store.call(repo.outbox_stats)
        self.bus.publish(OutboxChanged(count=stats.count, value=stats.value,
                                       pending=stats.pending_count,
                                       needs_attention=stats.needs_attention))

    # -- closing a sale --------------------------------------------------------------------------
    def record_tokened(self, key: str, sale: Sale, *, after_lost_answer: bool = False,
                       by_sync: bool = False) -> tuple[bool, PrintJob | None]:
        """Store the server's sale for `key` with its token receipt (one transaction).

        False (nothing written) when the sale is already tokened: exactly one receipt per
        sale, whichever actor's answer came first.
        """
        def write(conn: Connection) -> tuple[bool, PriceDifference | None, PrintJob | None,
                                             repo.OutboxStats | None]:
            if not repo.mark_tokened(conn, key, sale):
                return False, None, None, None
            job = None if self.documents is None else \
                self.documents.record_token_receipt(conn, sale)
            quoted = repo.sale_quote(conn, key)
            difference = None if quoted is None else price_difference(quoted, sale.raw)
            if difference is not None:
                append(conn, "sale.price_differs", {
                    "receipt_no": sale.receipt_no, "quoted_version": difference.old_version,
                    "sold_version": difference.new_version,
                    "quoted_units": difference.old_units, "sold_units": difference.new_units,
                }, ref=key)
            # The status bar's figures in the same snapshot: no second round trip after it.
            return True, difference, job, repo.outbox_stats(conn)

        changed, difference, job, stats = self.store.call(write)
        if changed:
            self._announce_tokened(key, sale, job, difference, after_lost_answer, by_sync,
                                   stats)
        return changed, job

    def _announce_tokened(self, key: str, sale: Sale, job: PrintJob | None,
                          difference: PriceDifference | None, after_lost_answer: bool,
                          by_sync: bool, stats: repo.OutboxStats | None = None) -> None:
        if self.documents is not None:
            self.documents.announce(job)
        job_id = "" if job is None else job.id
        self.bus.publish(SaleTokened(
            idempotency_key=key, receipt_no=sale.receipt_no, meter_number=sale.meter_number,
            amount=sale.amount_tendered, token_count=len(sale.tokens),
            after_lost_answer=after_lost_answer, tariff_id=sale.tariff_id,
            tariff_version=sale.tariff_version, job_id=job_id, by_sync=by_sync))
        if by_sync:
            # The cashier's sale call is long over: the customer's token receipt was written
            # with the state change; say so, with its job.
            self.bus.publish(SaleLateToken(
                idempotency_key=key, reference=reference_for(key),
                receipt_no=sale.receipt_no, meter_number=sale.meter_number,
                customer_name=str((sale.raw.get("customer") or {}).get("name", "")),
                job_id=job_id,
                printed=job is not None and self.documents is not None
                and self.documents.printing))
        if difference is not None:
            log.warning("sale %s priced differently from its quote (v%s -> v%s)",
                        sale.receipt_no, difference.old_version, difference.new_version)
            self.bus.publish(SalePriceDiffers(
                idempotency_key=key, receipt_no=sale.receipt_no,
                summary=difference.summary(), quoted_version=difference.old_version,
                sold_version=difference.new_version, lines=difference.lines))
        self.publish_outbox(stats)

    def reject(self, key: str, exc: ApiRejected, *, expect: Collection[str]) -> bool:
        """The server refused the sale: nothing was sold."""
        changed = self.store.call(lambda c: tr.transition(
            c, key, "rejected", expect=expect, reason_code=exc.code, reason=exc.message))
        if changed:
            self.bus.publish(SaleRejected(idempotency_key=key, code=exc.code,
                                          reason=exc.message))
            self.publish_outbox()
        return changed

    def void(self, key: str, code: str, reason: str, *, expect: Collection[str]) -> bool:
        """The sale was not made (the server never processed it, or it may never be sent)."""
        changed = self.store.call(lambda c: tr.transition(
            c, key, "void", expect=expect, reason_code=code, reason=reason))
        if changed:
            self.bus.publish(SaleVoid(idempotency_key=key))
            self.publish_outbox()
        return changed

    def needs_attention(self, key: str, code: str, reason: str, *, expect: Collection[str],
                        retry_at: str | None = None) -> bool:
        """Set the sale aside with a reason; with `retry_at`, the sync worker asks the server
        about it again from then on (the cause may be transient)."""
        reason = reason[:300]

        def write(conn: Connection) -> bool:
            if not tr.transition(conn, key, "needs_attention", expect=expect,
                                 reason_code=code, reason=reason):
                return False
            if retry_at is not None:
                repo.note_failure(conn, key, f"{code}: {reason}", retry_at)
            return True

        changed = self.store.call(write)
        if changed:
            self.bus.publish(SaleNeedsAttention(idempotency_key=key, code=code, reason=reason))
            self.publish_outbox()
        return changed

    # -- leases ----------------------------------------------------------------------------------
    def take_lease(self, key: str, holder: str, seconds: float) -> bool:
        """Hold `key` (see `app.sales.transitions.take_lease`)."""
        now = self.clock()
        return bool(self.store.call(lambda c: tr.take_lease(c, key, holder, now, seconds)))

    def release_lease(self, key: str, holder: str) -> None:
        """Let go of `key`."""
        if not self.store.closed:
            self.store.call(lambda c: tr.release_lease(c, key, holder))
