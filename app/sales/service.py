"""The sale service (Qt-free): confirm customer → quote → sell, online or "token pending".

The idempotency key and the sale row are committed in one transaction before the first byte
goes to the server. A lost answer is resolved by asking the server about the SAME key
(`GET /v1/sales/{key}`), never by selling again under a new key. When the server cannot be
reached, the sale goes to the outbox as "token pending" if the offline policy allows it, and the
cashier gets the data for a pending slip. See docs/client-core.md for the state machine.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from app.api.errors import (
    ApiBug,
    ApiRejected,
    MalformedResponse,
    ServerUnavailable,
    TerminalNotAuthorised,
    TlsProblem,
)
from app.api.models import MeterInfo, Money, Quote, Sale
from app.backend import VendingBackend
from app.sales import repository as repo
from app.sales.connectivity import Connectivity
from app.sales.documents import Documents
from app.sales.events import (
    OutboxChanged,
    SaleLateToken,
    SaleNeedsAttention,
    SalePending,
    SalePriceDiffers,
    SaleRejected,
    SaleTokened,
)
from app.sales.outcomes import (
    CustomerConfirmation,
    PendingSlip,
    PriceChanged,
    QuoteStale,
    SaleNotCompleted,
    SaleOutcome,
    delivery_text,
    reference_for,
)
from app.sales.policy import OfflineDecision, OfflineRefused, check_offline_sale
from app.sales.price_difference import PriceDifference, price_difference
from app.tariffs import TariffService
from common.errors import InvalidInput, TransientError, UserFacingError
from common.events import EventBus
from offline_store import Connection, Store
from offline_store.journal import append, utc_now
from printers.job_store import PrintJob
from sts.errors import MeterNumberError
from sts.meter_number import parse_meter_number

__all__ = ["CustomerConfirmation", "PendingSlip", "PriceChanged", "QuoteStale",
           "SaleNotCompleted", "SaleOutcome", "SaleService", "delivery_text", "reference_for"]

log = logging.getLogger("vendpoint.sales")

#: How a tender (payment method) may be named: "cash", "card", "eft", ...
_TENDER_RE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


class SaleService:
    """Sells tokens: one method per step of the counter flow; safe to call from any thread."""

    def __init__(
        self,
        store: Store,
        client: VendingBackend,
        bus: EventBus,
        connectivity: Connectivity,
        *,
        documents: Documents | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        wake_sync: Callable[[], None] | None = None,
        key_factory: Callable[[], str] = lambda: str(uuid.uuid4()),
        after_write: Callable[[str], None] | None = None,
        tariffs: TariffService | None = None,
    ) -> None:
        self.store = store
        #: Optional: with it, stale quotes are refused (`QuoteStale`) and offline sales record
        #: the tariff version in force locally. Without it the service works as before.
        self.tariffs = tariffs
        self.client = client
        #: Where the sale's documents go, in the state change's own transaction. None: no
        #: documents are recorded (tools and tests that do not print).
        self.documents = documents
        self.bus = bus
        self.connectivity = connectivity
        self._clock = clock
        self._wake_sync = wake_sync or (lambda: None)
        self._key_factory = key_factory
        #: Test hook: called with the key right after the sale row is committed (crash points).
        self._after_write = after_write
        if client.malformed_sink is None:
            client.malformed_sink = self._store_malformed

    # -- steps ---------------------------------------------------------------------------------
    def confirm_customer(self, meter_number: str) -> CustomerConfirmation:
        """Look the meter up (caching it); offline, fall back to the cached customer."""
        meter_number = self._clean_meter(meter_number)
        try:
            meter = self.client.meter(meter_number)
        except (ServerUnavailable, TlsProblem) as exc:
            self.connectivity.set(False, str(exc))
            cached = self.store.call(lambda c: repo.cached_meter(c, meter_number))
            if cached is None:
                raise OfflineRefused(
                    "The server is unreachable and this meter is not known on this terminal.",
                    code="OFFLINE_UNKNOWN_METER",
                    hint="Try again when the connection is back.",
                ) from exc
            return CustomerConfirmation(cached[0], True, cached[1])
        self.connectivity.set(True)
        self.store.call(lambda c: repo.cache_meter(c, meter))
        return CustomerConfirmation(meter, False)

    def quote(self, meter_number: str, amount: Money) -> Quote:
        """Trial vend (needs the server)."""
        meter_number = self._clean_meter(meter_number)
        try:
            result = self.client.quote(meter_number, amount)
        except (ServerUnavailable, TlsProblem) as exc:
            self.connectivity.set(False, str(exc))
            raise
        self.connectivity.set(True)
        return result

    def sell(
        self,
        meter_number: str,
        amount: Money,
        operator_id: str,
        *,
        quote: Quote | None = None,
        notify: Sequence[str] = (),
        shift_id: str | None = None,
        tender: str | None = None,
    ) -> SaleOutcome:
        """Sell `amount` on `meter_number`; returns tokened or pending, or raises with a reason.

        `tender` (e.g. "cash", "card") is recorded in the sale's own insert transaction, before
        anything is sent, so the report ledger's by-tender totals have it when the sale turns
        tokened (None: nothing recorded, the reports count it as cash).

        Raises `ApiRejected` / `OfflineRefused` (refused, nothing sold), `QuoteStale` (the
        tariff changed since `quote`: nothing written or sold; the new quote is attached),
        `SaleNotCompleted` (server silent and the sale may not go offline: it will be checked
        with the server), `MalformedResponse` (kept for investigation; the sale needs
        attention).
        """
        meter_number = self._clean_meter(meter_number)
        if amount.minor <= 0:
            raise InvalidInput("The amount must be more than zero.")
        if tender is not None and not _TENDER_RE.match(tender):
            raise InvalidInput("The tender must be a short lowercase name such as cash or card.")
        if quote is not None:
            self._check_quote(meter_number, amount, quote)
        key = self._key_factory()
        reference = reference_for(key)
        request: dict[str, Any] = {
            "meter_number": meter_number, "amount": amount.to_json(),
            "client_reference": reference, "notify": list(notify),
        }
        quote_raw = None if quote is None else quote.raw

        if not self.connectivity.online:
            # Known offline: do not make the cashier wait for a timeout if policy allows.
            try:
                return self._write_offline(key, meter_number, amount, operator_id, request,
                                           quote, notify, shift_id, tender)
            except OfflineRefused:
                pass  # it needs the server anyway: try it, the connection may be back

        row = self.store.call(lambda c: self._insert(
            c, key, "sending", False, meter_number, amount, operator_id, request, quote_raw,
            shift_id, maybe_sent=True, quote_obj=quote, tender=tender))
        if self._after_write is not None:
            self._after_write(key)
        self._publish_outbox()
        return self._send(row, notify)

    # -- internals -----------------------------------------------------------------------------
    def _check_quote(self, meter_number: str, amount: Money, quote: Quote) -> None:
        """Refuse to sell on a quote whose tariff version is no longer in force (QuoteStale).

        Only the tariff service's own view is used (the versions this terminal verified and
        their effective times). When it says a newer version came into force, the server is
        asked for a fresh quote; if the server still prices exactly as quoted, the sale goes
        on (the terminal's clock was ahead), otherwise nothing is written or sent.
        """
        if self.tariffs is None:
            return
        check = self.tariffs.check_quote(quote.tariff_id, quote.tariff_version, self._clock())
        if not check.stale:
            return
        new_version = check.in_force_version
        unreachable = QuoteStale(
            f"The tariff changed from version {quote.tariff_version} to {new_version} since "
            "this quote, and the new price cannot be fetched while the server is unreachable. "
            "Nothing was sold.", old_quote=quote, new_quote=None, difference=None,
            in_force_version=new_version,
            hint="Tell the customer the units will follow the new tariff and sell again "
                 "without the old quote, or wait for the connection.")
        if not self.connectivity.online:
            raise unreachable  # known offline: do not make the cashier wait for a timeout
        try:
            fresh = self.quote(meter_number, amount)
        except (ServerUnavailable, TlsProblem) as exc:
            raise unreachable from exc
        difference = price_difference(quote.raw, fresh.raw)
        if difference is None:
            return
        log.info("quote on tariff %s v%d is stale (v%s in force); sale refused before sending",
                 quote.tariff_id, quote.tariff_version, new_version)
        raise QuoteStale(
            f"{difference.summary()} Nothing was sold.", old_quote=quote, new_quote=fresh,
            difference=difference, in_force_version=new_version,
            hint="Show the customer the new price; confirm again to sell on it.")

    def _in_force_versions(self, at: str) -> dict[str, int]:
        """tariff id → version in force on this terminal at `at` (empty without a service).

        Read BEFORE a store transaction, never inside one: the tariff service holds its lock
        while it waits for the store, so asking it from the store thread could deadlock.
        """
        if self.tariffs is None:
            return {}
        when = datetime.fromisoformat(at.replace("Z", "+00:00"))
        out: dict[str, int] = {}
        for tariff_id in self.tariffs.tariff_ids():
            doc = self.tariffs.in_force(tariff_id, when)
            if doc is not None:
                out[tariff_id] = doc.version
        return out

    @staticmethod
    def clean_meter(meter_number: str) -> str:
        """The DRN from what was typed or scanned; InvalidInput when it is not one."""
        return SaleService._clean_meter(meter_number)

    @staticmethod
    def _clean_meter(meter_number: str) -> str:
        """The DRN from what was typed or scanned (spaces/dashes, or an 18-digit PAN), with
        its Luhn check digit verified before anything is written or sent."""
        try:
            return parse_meter_number(meter_number).drn
        except MeterNumberError as exc:
            raise InvalidInput(str(exc), hint="Check the number on the meter or the "
                               "customer's card.") from None

    def _store_malformed(self, exc: MalformedResponse) -> None:
        self.store.call(lambda c: repo.store_malformed(c, exc))

    def _insert(
        self, conn: Connection, key: str, state: str, offline: bool, meter_number: str,
        amount: Money, operator_id: str, request: dict[str, Any], quote: dict[str, Any] | None,
        shift_id: str | None, *, maybe_sent: bool, created_at: str | None = None,
        meter: MeterInfo | None = None, quote_obj: Quote | None = None,
        local_versions: dict[str, int] | None = None, tender: str | None = None,
    ) -> repo.SaleRow:
        if meter is None:
            cached = repo.cached_meter(conn, meter_number)
            meter = None if cached is None else cached[0]
        customer: dict[str, Any] = {}
        if meter is not None:
            customer = {"name": meter.customer_name, "address": meter.customer_address,
                        "account": meter.account}
        tariff_id = quote_obj.tariff_id if quote_obj is not None else (
            meter.tariff_id if meter is not None else None)
        quoted = quote_obj.tariff_version if quote_obj is not None else None
        tariff = repo.TariffFacts(tariff_id, quoted)
        if local_versions is not None:
            # Offline: the server prices the sale when it syncs; until then record the version
            # in force here (also as the quoted one when no quote was shown), marked "local".
            local = local_versions.get(tariff_id) if tariff_id is not None else None
            tariff = repo.TariffFacts(tariff_id, quoted if quoted is not None else local,
                                      local, None if local is None else "local")
        row = repo.insert_sale(
            conn, key=key, state=state, offline=offline, meter_number=meter_number,
            amount=amount, operator_id=operator_id, customer=customer, request=request,
            quote=quote, maybe_sent=maybe_sent, created_at=created_at, tariff=tariff,
        )
        if shift_id is not None:
            conn.execute("UPDATE sales SET shift_id = ? WHERE idem_key = ?", (shift_id, key))
        if tender is not None:
            repo.record_tender(conn, key, tender)
        return row

    def _write_offline(
        self, key: str, meter_number: str, amount: Money, operator_id: str,
        request: dict[str, Any], quote: Quote | None, notify: Sequence[str],
        shift_id: str | None, tender: str | None = None,
    ) -> SaleOutcome:
        """Policy check and the pending sale in ONE transaction (no race on the caps)."""
        created = utc_now()
        offline_request = {**request, "offline_created_at": created[:19] + "Z"}
        local_versions = self._in_force_versions(created)
        quote_raw = None if quote is None else quote.raw

        def write(conn: Connection) -> tuple[OfflineDecision, MeterInfo | None,
                                             repo.OutboxStats, PrintJob | None]:
            decision, meter, stats = self._check_policy(conn, meter_number, amount)
            self._insert(conn, key, "pending", True, meter_number, amount, operator_id,
                         offline_request, quote_raw, shift_id, maybe_sent=False,
                         created_at=created, meter=meter, quote_obj=quote,
                         local_versions=local_versions, tender=tender)
            slip = self._slip(key, created, amount, meter_number, meter, operator_id, notify,
                              decision.warning)
            job = self._record_slip(conn, slip)
            # The outbox after this sale, without a second round trip to the store.
            value = stats.value + amount if stats.value is not None else amount
            after = repo.OutboxStats(stats.count + 1, value, stats.pending_count + 1,
                                     stats.pending_value_minor + amount.minor,
                                     stats.needs_attention,
                                     stats.oldest_pending_at or created)
            return decision, meter, after, job

        decision, meter, after, job = self.store.call(write)
        if self.documents is not None:
            self.documents.announce(job)
        if self._after_write is not None:
            self._after_write(key)
        slip = self._slip(key, created, amount, meter_number, meter, operator_id, notify,
                          decision.warning)
        self._announce_pending(slip, after)
        return SaleOutcome("pending", key, slip=slip, job=job)

    def _record_slip(self, conn: Connection, slip: PendingSlip) -> PrintJob | None:
        """The pending slip's print job, in the caller's (the state change's) transaction."""
        if self.documents is None:
            return None
        return self.documents.record(conn, self.documents.pending_slip(
            conn, reference=slip.reference, created_at=slip.created_at,
            customer_name=slip.customer_name, customer_address=slip.customer_address,
            meter_number=slip.meter_number, amount=slip.amount, operator_id=slip.operator_id,
            delivery=slip.delivery))

    def _check_policy(
        self, conn: Connection, meter_number: str, amount: Money
    ) -> tuple[OfflineDecision, MeterInfo | None, repo.OutboxStats]:
        cached = repo.cached_meter(conn, meter_number)
        meter = None if cached is None else cached[0]
        stats = repo.outbox_stats(conn)
        decision = check_offline_sale(repo.load_policy(conn), meter, amount, stats,
                                      self._clock())
        return decision, meter, stats

    def _slip(
        self, key: str, created: str, amount: Money, meter_number: str, meter: MeterInfo | None,
        operator_id: str, notify: Sequence[str], warning: str,
    ) -> PendingSlip:
        return PendingSlip(
            reference=reference_for(key), idempotency_key=key, created_at=created,
            amount=amount, meter_number=meter_number,
            customer_name=meter.customer_name if meter else "",
            customer_address=meter.customer_address if meter else "",
            operator_id=operator_id, delivery=delivery_text(meter, notify), warning=warning,
        )

    def _announce_pending(self, slip: PendingSlip, stats: repo.OutboxStats | None = None
                          ) -> None:
        self.bus.publish(SalePending(idempotency_key=slip.idempotency_key,
                                     reference=slip.reference, amount=slip.amount,
                                     meter_number=slip.meter_number))
        self._publish_outbox(stats)
        self._wake_sync()

    def _publish_outbox(self, stats: repo.OutboxStats | None = None) -> None:
        if stats is None:
            stats = self.store.call(repo.outbox_stats)
        self.bus.publish(OutboxChanged(count=stats.count, value=stats.value,
                                       pending=stats.pending_count,
                                       needs_attention=stats.needs_attention))

    def record_tokened(self, key: str, sale: Sale, *, after_lost_answer: bool = False,
                       by_sync: bool = False) -> bool:
        """Store a server sale for `key` and announce it (also used by the sync engine).

        The token receipt's print job is written in the same transaction as the state change
        (exactly one per sale: a sale already tokened writes nothing). When the sale was
        confirmed on a quote and the server's sale differs from it (another tariff version,
        other units or lines), `sale.price_differs` is journalled in the same transaction and
        published, so the difference is audited and can be shown. `by_sync`: the token came
        through the sync engine, after the cashier's sale call had ended (`sale.late_token`).
        """
        return self._record_tokened(key, sale, after_lost_answer=after_lost_answer,
                                    by_sync=by_sync)[0]

    def _record_tokened(self, key: str, sale: Sale, *, after_lost_answer: bool = False,
                        by_sync: bool = False) -> tuple[bool, PrintJob | None]:
        def write(conn: Connection) -> tuple[bool, PriceDifference | None, PrintJob | None]:
            if not repo.mark_tokened(conn, key, sale):
                return False, None, None
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
            return True, difference, job

        changed, difference, job = self.store.call(write)
        if changed:
            if self.documents is not None:
                self.documents.announce(job)
            job_id = "" if job is None else job.id
            self.bus.publish(SaleTokened(
                idempotency_key=key, receipt_no=sale.receipt_no, meter_number=sale.meter_number,
                amount=sale.amount_tendered, token_count=len(sale.tokens),
                after_lost_answer=after_lost_answer, tariff_id=sale.tariff_id,
                tariff_version=sale.tariff_version, job_id=job_id, by_sync=by_sync))
            if by_sync:
                # The cashier's sale call is long over: the customer's token receipt was
                # written with the state change; say so, with its job.
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
            self._publish_outbox()
        return changed, job

    def _send(self, row: repo.SaleRow, notify: Sequence[str]) -> SaleOutcome:
        key = row.idem_key
        try:
            sale = self.client.sell(key, row.operator_id, row.request)
        except ApiRejected as exc:
            self.connectivity.set(True)
            self._reject(key, exc)
            raise
        except TerminalNotAuthorised:
            self.store.call(lambda c: repo.set_state(
                c, key, "void", reason_code="TERMINAL_NOT_AUTHORISED",
                reason="terminal credential refused", keep_in_outbox=False))
            self._publish_outbox()
            raise
        except (ServerUnavailable, TlsProblem) as exc:
            sent = exc.sent if isinstance(exc, ServerUnavailable) else False
            self.connectivity.set(False, str(exc))
            if sent:
                resolved = self._resolve_now(row)
                if resolved is not None:
                    return resolved
            return self._go_offline(row, notify, sent=sent, cause=exc)
        except (MalformedResponse, ApiBug) as exc:
            resolved = self._resolve_now(row)
            if resolved is not None:
                return resolved
            reason = exc.problem if isinstance(exc, MalformedResponse) else str(exc)
            self._needs_attention(key, "MALFORMED" if isinstance(exc, MalformedResponse)
                                  else getattr(exc, "code", "BUG"), reason)
            raise
        self.connectivity.set(True)
        _, job = self._record_tokened(key, sale)
        return SaleOutcome("tokened", key, sale=sale, job=job)

    def _reject(self, key: str, exc: ApiRejected) -> None:
        code, message = exc.code, exc.message
        self.store.call(lambda c: repo.set_state(
            c, key, "rejected", reason_code=code, reason=message, keep_in_outbox=False))
        self.bus.publish(SaleRejected(idempotency_key=key, code=code))
        self._publish_outbox()

    def _resolve_now(self, row: repo.SaleRow) -> SaleOutcome | None:
        """Ask the server about the SAME key once; tokened outcome if it was processed."""
        try:
            sale = self.client.get_sale(row.idem_key, row.request)
        except (TransientError, UserFacingError, ApiBug):
            return None
        self.connectivity.set(True)
        if sale is None:
            # Never processed: send again with the SAME key, once.
            try:
                sale = self.client.sell(row.idem_key, row.operator_id, row.request)
            except ApiRejected as exc:
                self._reject(row.idem_key, exc)
                raise
            except (TransientError, UserFacingError, ApiBug):
                return None
        _, job = self._record_tokened(row.idem_key, sale, after_lost_answer=True)
        return SaleOutcome("tokened", row.idem_key, sale=sale, resolved_after_lost_answer=True,
                           job=job)

    def _needs_attention(self, key: str, code: str, reason: str) -> None:
        self.store.call(lambda c: repo.set_state(
            c, key, "needs_attention", reason_code=code, reason=reason, keep_in_outbox=True))
        self.bus.publish(SaleNeedsAttention(idempotency_key=key, code=code, reason=reason))
        self._publish_outbox()

    def _go_offline(
        self, row: repo.SaleRow, notify: Sequence[str], *, sent: bool, cause: BaseException
    ) -> SaleOutcome:
        key = row.idem_key
        local_versions = self._in_force_versions(row.created_at)

        def decide(conn: Connection) -> tuple[str, OfflineDecision | OfflineRefused,
                                              MeterInfo | None, PrintJob | None]:
            try:
                decision, meter, _ = self._check_policy(conn, row.meter_number, row.amount)
            except OfflineRefused as refused:
                if sent:
                    repo.set_state(conn, key, "unresolved", reason_code=refused.code,
                                   reason=refused.message, keep_in_outbox=True)
                    return "unresolved", refused, None, None
                repo.set_state(conn, key, "void", reason_code=refused.code,
                               reason=refused.message, keep_in_outbox=False)
                return "void", refused, None, None
            repo.set_state(conn, key, "pending", offline=True, keep_in_outbox=True)
            tariff_id = row.tariff_id or (meter.tariff_id if meter is not None else None)
            repo.set_local_tariff(conn, key, tariff_id,
                                  None if tariff_id is None else local_versions.get(tariff_id))
            slip = self._slip(key, row.created_at, row.amount, row.meter_number, meter,
                              row.operator_id, notify, decision.warning)
            return "pending", decision, meter, self._record_slip(conn, slip)

        state, result, meter, job = self.store.call(decide)
        if isinstance(result, OfflineRefused):
            self._publish_outbox()
            if state == "void":
                raise OfflineRefused(
                    f"The server is unreachable and this sale cannot be made offline: "
                    f"{result.message}", code=result.code, hint=result.hint) from cause
            self._wake_sync()
            raise SaleNotCompleted(
                "The server did not answer and this sale cannot be made offline "
                f"({result.message}). The sale is NOT complete: do not hand over a token.",
                reference=reference_for(key),
                hint="VendPoint will check with the server and show the result.",
            ) from cause
        if self.documents is not None:
            self.documents.announce(job)
        slip = self._slip(key, row.created_at, row.amount, row.meter_number, meter,
                          row.operator_id, notify, result.warning)
        self._announce_pending(slip)
        return SaleOutcome("pending", key, slip=slip, job=job)
