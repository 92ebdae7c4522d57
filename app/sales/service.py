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
from concurrent.futures import Future
from datetime import UTC, datetime, timedelta
from typing import Any

from app.api.errors import MalformedResponse, ServerUnavailable, TlsProblem
from app.api.models import MeterInfo, Money, Quote, Sale
from app.backend import VendingBackend
from app.sales import repository as repo
from app.sales import transitions as tr
from app.sales.attempt import ATTEMPT_LEASE, SaleAttempt
from app.sales.cash import record_cash_tendered
from app.sales.connectivity import Connectivity
from app.sales.documents import Documents
from app.sales.outcomes import (
    CustomerConfirmation,
    PendingSlip,
    PriceChanged,
    QuoteStale,
    SaleNotCompleted,
    SaleNotMade,
    SaleOutcome,
    delivery_text,
    reference_for,
)
from app.sales.policy import OfflineDecision, OfflineRefused
from app.sales.price_difference import price_difference
from app.sales.writer import SaleWriter
from app.tariffs import TariffService
from common.errors import InvalidInput
from common.events import EventBus
from common.i18n import _
from offline_store import Connection, Store
from offline_store.journal import utc_now
from printers.job_store import PrintJob
from sts.errors import MeterNumberError
from sts.meter_number import parse_meter_number

__all__ = ["CustomerConfirmation", "PendingSlip", "PriceChanged", "QuoteStale",
           "SaleNotCompleted", "SaleNotMade", "SaleOutcome", "SaleService", "delivery_text",
           "reference_for"]

log = logging.getLogger("vendpoint.sales")

#: How a tender (payment method) may be named: "cash", "card", "eft", ...
_TENDER_RE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


def _log_cache_failure(done: Future[None]) -> None:
    """A meter that could not be cached is only missing offline; say why in the log."""
    exc = done.exception()
    if exc is not None:
        log.warning("the meter could not be cached for offline sales: %s", exc)


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
        attempt_budget: float = 20.0,
        call_bound: float = 9.0,
        attempt_lease: float = ATTEMPT_LEASE,
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
        #: Every state change and its documents (guarded transitions).
        self.writer = SaleWriter(store, bus, documents, lambda: self._clock(),
                                 lambda: self._wake_sync())
        #: The cashier's attempts: bounded by `attempt_budget` seconds at `call_bound` a call.
        self.attempts = SaleAttempt(client, self.writer, connectivity, self._in_force_versions,
                                    budget=attempt_budget, call_bound=call_bound,
                                    lease=attempt_lease)
        self._lease = attempt_lease
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
                    _("The server is unreachable and this meter is not known on this terminal."),
                    code="OFFLINE_UNKNOWN_METER",
                    hint=_("Try again when the connection is back."),
                ) from exc
            return CustomerConfirmation(cached[0], True, cached[1])
        self.connectivity.set(True)
        # Queued, not waited for: the cashier sees the customer while the owner thread caches
        # it, and whatever reads the store next (the sale's insert) runs after it.
        self.store.submit(lambda c: repo.cache_meter(c, meter)).add_done_callback(
            _log_cache_failure)
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
        cash_tendered: Money | None = None,
        guard: Callable[[Connection], None] | None = None,
        shift_of: Callable[[Connection], str | None] | None = None,
    ) -> SaleOutcome:
        """Sell `amount` on `meter_number`; returns tokened or pending, or raises with a reason.

        `guard` runs first in the sale's insert transaction (e.g. the till's unfinished-sale
        check): when it raises, nothing is written or sent and its exception propagates.
        `shift_of` names the sale's shift in that same transaction (instead of `shift_id`), so
        neither costs a store round trip of its own.

        `cash_tendered`: what the customer handed over (for the receipt's tendered and change
        lines), kept in the sale's insert transaction.

        `tender` (e.g. "cash", "card") is recorded in the sale's own insert transaction, before
        anything is sent, so the report ledger's by-tender totals have it when the sale turns
        tokened (None: nothing recorded, the reports count it as cash).

        Raises `ApiRejected` / `OfflineRefused` (refused, nothing sold), `QuoteStale` (the
        tariff changed since `quote`: nothing written or sold; the new quote is attached), or
        `SaleNotCompleted` (the outcome is not known: no answer and not allowed offline, an
        unreadable answer, any fault; the sale stays open under its key — `retry(key)` asks
        the server about the SAME sale, and the sync worker keeps checking it).
        """
        meter_number = self._clean_meter(meter_number)
        if amount.minor <= 0:
            raise InvalidInput(_("The amount must be more than zero."))
        if tender is not None and not _TENDER_RE.match(tender):
            raise InvalidInput(_("The tender must be a short lowercase name such as cash or card."))
        if cash_tendered is not None and (cash_tendered.currency != amount.currency
                                          or cash_tendered.minor < amount.minor):
            raise InvalidInput(_("The cash tendered must cover the amount, in its currency."))
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
                                           quote, notify, shift_id, tender, cash_tendered,
                                           guard=guard, shift_of=shift_of)
            except OfflineRefused:
                pass  # it needs the server anyway: try it, the connection may be back

        lease = (tr.ATTEMPT, tr.iso(self._clock() + timedelta(seconds=self._lease)))

        def insert(conn: Connection) -> tuple[repo.SaleRow, repo.OutboxStats]:
            row = self._insert(
                conn, key, "sending", False, meter_number, amount, operator_id, request,
                quote_raw, shift_id, maybe_sent=True, quote_obj=quote, tender=tender,
                lease=lease, cash=cash_tendered, guard=guard, shift_of=shift_of)
            return row, repo.outbox_stats(conn)  # the status bar's figures, same snapshot

        row, stats = self.store.call(insert)
        if self._after_write is not None:
            self._after_write(key)
        self.writer.publish_outbox(stats)
        released = False
        try:
            outcome = self.attempts.send(row, notify)
            # Tokened, the sale's outbox row went in the same transaction, and its lease
            # with it: nothing is left to release.
            released = outcome.state == "tokened"
            return outcome
        finally:
            if not released:
                self.writer.release_lease(key, tr.ATTEMPT)

    def retry(self, key: str, notify: Sequence[str] = ()) -> SaleOutcome:
        """The cashier's retry of a sale whose outcome is not known: the SAME key.

        Tokened, pending, or raises `SaleNotCompleted` (still unknown), `SaleNotMade` (the
        server confirmed it never happened: the customer may be sold to again).
        """
        return self.attempts.resolve(key, notify)

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
            _("The tariff changed from version {tariff_version} to {new_version} since "
            "this quote, and the new price cannot be fetched while the server is unreachable. "
            "Nothing was sold.")
            .format(tariff_version=quote.tariff_version, new_version=new_version),
            old_quote=quote, new_quote=None, difference=None,
            in_force_version=new_version,
            hint=_("Tell the customer the units will follow the new tariff and sell again "
                 "without the old quote, or wait for the connection."))
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
            _("{difference} Nothing was sold.")
                .format(difference=difference.summary()), old_quote=quote, new_quote=fresh,
            difference=difference, in_force_version=new_version,
            hint=_("Show the customer the new price; confirm again to sell on it."))

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
            raise InvalidInput(str(exc), hint=_("Check the number on the meter or the "
                               "customer's card.")) from None

    def _store_malformed(self, exc: MalformedResponse) -> None:
        self.store.call(lambda c: repo.store_malformed(c, exc))

    def _insert(
        self, conn: Connection, key: str, state: str, offline: bool, meter_number: str,
        amount: Money, operator_id: str, request: dict[str, Any], quote: dict[str, Any] | None,
        shift_id: str | None, *, maybe_sent: bool, created_at: str | None = None,
        meter: MeterInfo | None = None, quote_obj: Quote | None = None,
        local_versions: dict[str, int] | None = None, tender: str | None = None,
        lease: tuple[str, str] | None = None, cash: Money | None = None,
        guard: Callable[[Connection], None] | None = None,
        shift_of: Callable[[Connection], str | None] | None = None,
    ) -> repo.SaleRow:
        if guard is not None:
            guard(conn)
        if shift_of is not None:
            shift_id = shift_of(conn)
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
            lease=lease,
        )
        if shift_id is not None:
            conn.execute("UPDATE sales SET shift_id = ? WHERE idem_key = ?", (shift_id, key))
        if tender is not None:
            repo.record_tender(conn, key, tender)
        if cash is not None:
            record_cash_tendered(conn, key, cash)
        return row

    def _write_offline(
        self, key: str, meter_number: str, amount: Money, operator_id: str,
        request: dict[str, Any], quote: Quote | None, notify: Sequence[str],
        shift_id: str | None, tender: str | None = None, cash: Money | None = None, *,
        guard: Callable[[Connection], None] | None = None,
        shift_of: Callable[[Connection], str | None] | None = None,
    ) -> SaleOutcome:
        """Policy check and the pending sale in ONE transaction (no race on the caps)."""
        created = utc_now()
        offline_request = {**request, "offline_created_at": created[:19] + "Z"}
        local_versions = self._in_force_versions(created)
        quote_raw = None if quote is None else quote.raw

        def write(conn: Connection) -> tuple[OfflineDecision, MeterInfo | None,
                                             repo.OutboxStats, PrintJob | None]:
            decision, meter, stats = self.writer.check_policy(conn, meter_number, amount)
            self._insert(conn, key, "pending", True, meter_number, amount, operator_id,
                         offline_request, quote_raw, shift_id, maybe_sent=False,
                         created_at=created, meter=meter, quote_obj=quote,
                         local_versions=local_versions, tender=tender, cash=cash,
                         guard=guard, shift_of=shift_of)
            slip = self.writer.slip(key, created, amount, meter_number, meter, operator_id,
                                    notify, decision.warning)
            job = self.writer.record_slip(conn, slip)
            # The outbox after this sale, without a second round trip to the store.
            value = stats.value + amount if stats.value is not None else amount
            after = repo.OutboxStats(stats.count + 1, value, stats.pending_count + 1,
                                     stats.pending_value_minor + amount.minor,
                                     stats.needs_attention,
                                     stats.oldest_pending_at or created)
            return decision, meter, after, job

        decision, meter, after, job = self.store.call(write)
        if self._after_write is not None:
            self._after_write(key)
        slip = self.writer.slip(key, created, amount, meter_number, meter, operator_id, notify,
                                decision.warning)
        self.writer.announce_pending(slip, job, after)
        return SaleOutcome("pending", key, slip=slip, job=job)

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
        return self.writer.record_tokened(key, sale, after_lost_answer=after_lost_answer,
                                          by_sync=by_sync)[0]


