"""`Till`: everything the counter does, as one Qt-free object with typed results.

Every method may block (network, SQLCipher store, printer) and is safe to call from any
thread; a UI calls them off its GUI thread. The till holds the quotes between quote and sell
(the UI holds only a `QuoteHandle`), applies the reprint policy, probes connectivity and keeps
the terminal facts (vendor credit, server time, clock skew) fresh for `status()`.

Documents are written by the core in the transaction that changes the sale (see
`app.sales.documents`): a sale's token receipt, pending slip, reversal slip and reprints are
never queued by the UI.

Core events the till's parts publish (on the Qt-free `EventBus`; never token digits):
`sale.tokened` (with `job_id`, `by_sync`), `sale.late_token` (a pending or lost-answer sale
got its token through sync: reference, receipt_no, meter_number, customer_name, job_id,
printed), `sale.pending`, `sale.void` (never reached the server: not sold), `sale.rejected`,
`sale.needs_attention` (code, reason), `sale.price_differs`, `outbox.changed`,
`connectivity.changed`, `sync.progress`, `vendor.credit`, `print.job_queued`,
`print.job_done`, `print.job_failed`, `printer.status`, `tariff.*`.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, tzinfo
from decimal import Decimal

from app.api import models as api
from app.api.errors import ServerUnavailable, TlsProblem
from app.backend import Capabilities, VendingBackend
from app.operators import OperatorDirectory
from app.push import PushListener
from app.sales.documents import Documents
from app.sales.history import FAILED_STATES, SOLD_STATES, SaleHistory
from app.sales.history import SaleRecord as StoredSale
from app.sales.outcomes import SaleNotMade, SaleOutcome
from app.sales.price_difference import price_difference
from app.sales.service import PriceChanged, QuoteStale, SaleNotCompleted, SaleService
from app.supervisor.approvals import Approval, CallableVerifier
from app.supervisor.engineering import EngineeringRequest, EngineeringResult
from app.supervisor.permissions import Actor, Role
from app.supervisor.reversals import ReversalResult
from app.supervisor.services import SupervisorServices
from app.supervisor.shifts import open_shift_of
from app.sync.engine import SyncEngine
from app.tariffs import TariffService
from app.till import mapping, offline
from app.till.offline import OfflineDecision
from app.till.offline import utc_now as _utc_now
from app.till.results import (
    Customer,
    Operator,
    PrintState,
    Quote,
    QuoteChange,
    QuoteHandle,
    ReprintResult,
    SaleRecord,
    SaleResult,
    SaleState,
    SearchHit,
    Status,
)
from app.till.status import TerminalWatch
from app.till.unfinished import UnfinishedSale, refuse_unfinished
from app.till.units import quote_by_units
from common.errors import InvalidInput, PermissionDenied
from common.events import EventBus
from common.format import terminal_zone
from common.i18n import _
from offline_store import Connection
from printers.connections import ConnectionConfig, open_connection
from printers.profile import PrinterProfile
from printers.queue import PrintQueue
from printers.test_page import test_page

log = logging.getLogger("vendpoint.till")

#: how many quotes the till holds at once (the oldest is dropped)
MAX_QUOTES = 64

__all__ = ["PriceChanged", "QuoteStale", "SaleNotCompleted", "SaleNotMade", "Till",
           "UnfinishedSale"]


class Till:
    """The counter's operations over the client core (see the module docstring)."""

    def __init__(
        self, *, service: SaleService, sync: SyncEngine, directory: OperatorDirectory,
        supervisor: SupervisorServices, documents: Documents, backend: VendingBackend,
        terminal: api.TerminalInfo, printer: PrintQueue | None = None,
        tariffs: TariffService | None = None, push: PushListener | None = None,
        closers: Sequence[Callable[[], object]] = (), language: str = "en",
    ) -> None:
        #: the terminal's language (its setting, else the utility's): the screens' default
        self.language = language
        self.service = service
        self.sync = sync
        self.directory = directory
        self.supervisor = supervisor
        self.documents = documents
        self.backend = backend
        self.printer = printer
        self.tariffs = tariffs
        #: the server event listener (tariff news, credit, policy), when the backend has one
        self.push = push
        self.store = service.store
        self.bus: EventBus = service.bus
        self.history = SaleHistory(self.store)
        self._closers = list(closers)
        self._lock = threading.Lock()
        self._quotes: OrderedDict[str, api.Quote] = OrderedDict()
        self._closed = False
        self._watch = TerminalWatch(service, backend, terminal, printer=printer,
                                    tariffs=tariffs)

    # -- terminal facts -----------------------------------------------------------------------
    @property
    def capabilities(self) -> Capabilities:
        """What the vending server offers (the UI disables what is missing)."""
        return self.backend.capabilities

    @property
    def terminal(self) -> api.TerminalInfo:
        """The terminal's facts as last fetched (or cached)."""
        return self._watch.terminal

    @property
    def currency(self) -> str:
        """The terminal's currency (ISO 4217)."""
        return self.terminal.currency

    @property
    def zone(self) -> tzinfo:
        """The utility's zone (its IANA `time_zone`, else its `utc_offset`): its business
        day, not this PC's."""
        return terminal_zone(self.terminal.raw)

    # -- operators ----------------------------------------------------------------------------
    def refresh_operators(self) -> bool:
        """Fetch the operator list from the server; False if it could not be reached."""
        try:
            self.directory.refresh()
        except (ServerUnavailable, TlsProblem):
            return False
        return True

    def _cached_operators(self) -> list[Operator]:
        return [Operator(o.operator_id, o.name, Role(o.role), o.locked_until)
                for o in self.directory.list_operators()]

    def operators(self) -> list[Operator]:
        """The active operators (from the cache, so offline too), by name."""
        return self._cached_operators() or (
            self._cached_operators() if self.refresh_operators() else [])

    def sign_in(self, operator_id: str, pin: str) -> Operator:
        """Check the PIN against the cached hash (lockout persisted); raises PermissionDenied
        (`WrongPin`, `OperatorLocked`)."""
        if not self._cached_operators():
            self.refresh_operators()  # first start: nothing cached yet
        signed = self.directory.sign_in(operator_id, pin)
        return Operator(signed.operator_id, signed.name, Role(signed.role))

    def check_supervisor(self, approval: Approval) -> Operator:
        """Check a supervisor's PIN; PermissionDenied if wrong or not a supervisor."""
        person = self.sign_in(approval.operator_id, approval.pin)
        if not person.can_approve:
            raise PermissionDenied(_("{name} is not a supervisor.").format(name=person.name),
                                   hint=_("Ask a supervisor to type their username and PIN."))
        return person

    @staticmethod
    def actor(operator: Operator) -> Actor:
        """The supervisor services' `Actor` for a signed-in operator."""
        return Actor(operator.id, operator.name, operator.role)

    def verifier(self) -> CallableVerifier:
        """The approvals' PIN check, through the same directory and lockout."""
        return CallableVerifier(lambda op, pin: self.actor(self.sign_in(op, pin)))

    # -- customer and quote -------------------------------------------------------------------
    def lookup(self, meter_number: str) -> Customer:
        """Confirm the customer of a meter (offline: from the cache, marked `from_cache`)."""
        confirmation = self.service.confirm_customer(meter_number)
        return mapping.customer_from(confirmation.meter, from_cache=confirmation.from_cache)

    def search(self, text: str, *, limit: int = 20) -> list[SearchHit]:
        """Customers by name, account, address or meter prefix (`NotOffered` without it)."""
        self.capabilities.require("search")
        return [SearchHit(h.meter_number, h.customer_name, h.account, h.address, h.blocked)
                for h in self.backend.search_meters(text, limit=limit)]

    def quote(self, meter_number: str, amount: api.Money) -> Quote:
        """A trial vend (needs the server); the till holds it under the returned handle."""
        return self._hold(self.service.quote(meter_number, amount))

    def quote_units(self, meter_number: str, units: Decimal) -> Quote:
        """A trial vend by units (`app.till.units`), held and sold on like `quote`."""
        return self._hold(quote_by_units(self.service, self.backend, meter_number, units))

    def offline_check(self, meter_number: str, amount: api.Money) -> OfflineDecision:
        """Would a pending sale of `amount` pass the offline policy now? (`app.till.offline`)"""
        return offline.offline_check(self.store, self.tariffs, meter_number, amount, _utc_now)

    def _hold(self, quote: api.Quote) -> Quote:
        handle = QuoteHandle(uuid.uuid4().hex)
        with self._lock:
            self._quotes[handle.id] = quote
            while len(self._quotes) > MAX_QUOTES:
                self._quotes.popitem(last=False)
        return mapping.quote_from(quote, handle)

    def _held(self, handle: QuoteHandle) -> api.Quote:
        with self._lock:
            quote = self._quotes.get(handle.id)
        if quote is None:
            raise InvalidInput(_("This quote is no longer held."), hint=_("Quote again (F5)."))
        return quote

    def forget_quote(self, handle: QuoteHandle) -> None:
        """The cashier moved on: drop the held quote."""
        with self._lock:
            self._quotes.pop(handle.id, None)

    def requote_if_stale(self, handle: QuoteHandle) -> QuoteChange | None:
        """A new tariff version came in: if the held quote's version is no longer in force,
        quote again (held under a new handle) and say what changed; None if it stands."""
        old = self._held(handle)
        if self.tariffs is None or not old.tariff_id:
            return None
        if not self.tariffs.check_quote(old.tariff_id, old.tariff_version).stale:
            return None
        try:
            fresh = self.service.quote(old.meter_number, old.amount_tendered)
        except BaseException:
            self.forget_quote(handle)  # it must not be sold on (the sale would refuse it)
            raise
        difference = price_difference(old.raw, fresh.raw)
        if difference is None:
            with self._lock:  # the server still prices exactly as quoted: same handle
                self._quotes[handle.id] = fresh
            return None
        self.forget_quote(handle)
        held = self._hold(fresh)
        log.info("quote on %s v%d superseded: new quote on v%d", old.tariff_id,
                 old.tariff_version, fresh.tariff_version)
        return QuoteChange(held, difference.summary(), difference.lines)

    # -- sale --------------------------------------------------------------------------------
    def sell(self, meter_number: str, amount: api.Money, operator: Operator, *,
             quote: QuoteHandle | None = None, tender: str = "cash",
             notify: Sequence[str] = (), cash_tendered: api.Money | None = None) -> SaleResult:
        """Sell; TOKENED (token receipt queued) or PENDING (pending slip queued).

        With `quote`, the held quote is checked against the tariff in force and sold on
        (`PriceChanged` with the new quote held, nothing sold, when the price changed).
        `cash_tendered` (what the customer handed over) goes on the receipt with the change.
        Raises `SaleNotCompleted` (the outcome is not known: the sale stays open under its
        key; `retry_sale(exc.idempotency_key)` asks about the SAME sale), `UnfinishedSale` (an
        earlier sale for this meter has no known outcome yet: nothing sold), `ApiRejected` /
        `OfflineRefused` (refused, nothing sold).
        """
        held = None if quote is None else self._held(quote)
        if held is not None and (held.meter_number != SaleService.clean_meter(meter_number)
                                 or held.amount_tendered != amount):
            raise InvalidInput(_("The amount or meter changed since the quote."),
                               hint=_("Quote again (F5)."))
        meter = SaleService.clean_meter(meter_number)

        def shift_of(conn: Connection) -> str | None:
            # The operator's open shift gets the sale (exact shift cash).
            shift = open_shift_of(conn, operator.id)
            return None if shift is None else shift.shift_id

        try:
            # The unfinished-sale check and the shift are read in the sale's own insert
            # transaction: no store round trip of their own, no gap before the insert.
            outcome = self.service.sell(meter_number, amount, operator.id, quote=held,
                                        guard=lambda conn: refuse_unfinished(conn, meter),
                                        shift_of=shift_of, tender=tender, notify=notify,
                                        cash_tendered=cash_tendered)
        except QuoteStale as exc:
            if quote is not None:
                self.forget_quote(quote)
            change = None
            if exc.new_quote is not None:
                held_new = self._hold(exc.new_quote)
                change = QuoteChange(held_new, exc.summary,
                                     exc.difference.lines if exc.difference else ())
            raise PriceChanged(exc, change) from exc
        except SaleNotCompleted:
            if quote is not None:
                self.forget_quote(quote)
            raise
        if quote is not None:
            self.forget_quote(quote)
        return self._result(outcome)

    def retry_sale(self, idempotency_key: str) -> SaleResult:
        """Ask the server about THIS unfinished sale again (the same key, never a new one).

        TOKENED or PENDING; raises `SaleNotCompleted` (still not known), `SaleNotMade` (the
        server confirmed it never happened: the customer may be sold to again) or
        `ApiRejected` (refused when it was sent again: nothing sold).
        """
        return self._result(self.service.retry(idempotency_key))

    def stored_result(self, idempotency_key: str) -> SaleResult | None:
        """A sale's stored outcome (tokened with its tokens, or pending), None otherwise."""
        outcome = self.service.writer.outcome_of(idempotency_key)
        return None if outcome is None else self._result(outcome)

    def _result(self, outcome: SaleOutcome) -> SaleResult:
        print_state = self._print_state(outcome.job is not None)
        job_id = "" if outcome.job is None else outcome.job.id
        if outcome.state == "tokened" and outcome.sale is not None:
            sale = outcome.sale
            self._watch.note_credit(sale.vendor_credit)
            return SaleResult(
                SaleState.TOKENED, sale.receipt_no, sale.meter_number,
                mapping.customer_name(sale), sale.amount_tendered,
                tokens=mapping.tokens_from(sale), units=sale.units, unit=sale.unit,
                print_state=print_state, print_job=job_id, vendor_credit=sale.vendor_credit,
                resolved_after_lost_answer=outcome.resolved_after_lost_answer)
        slip = outcome.slip
        assert slip is not None  # a pending outcome always has its slip
        reason = self.service.connectivity.reason or _("The server could not be reached.")
        details = " ".join(part for part in (reason, slip.warning, slip.delivery) if part)
        return SaleResult(
            SaleState.PENDING, slip.reference, slip.meter_number, slip.customer_name,
            slip.amount, print_state=print_state, print_job=job_id, pending_reason=details)

    def _print_state(self, recorded: bool) -> PrintState:
        if not recorded:
            return PrintState.NO_PRINTER
        return PrintState.QUEUED if self.documents.printing else PrintState.NO_PRINTER

    # -- lists ---------------------------------------------------------------------------------
    def _records(self, stored: list[StoredSale]) -> list[SaleRecord]:
        keys = [s.idem_key for s in stored]
        counts = self.store.call(lambda c: mapping.reprint_counts(c, keys))
        return [mapping.record_from(s, counts.get(s.idem_key, 0)) for s in stored]

    def pending(self) -> list[SaleRecord]:
        """Sales that still need the server (in any open state), newest first."""
        return self._records(self.history.open(newest_first=True, limit=200))

    def today(self) -> list[SaleRecord]:
        """Today's sales in the utility's business day, newest first (every state)."""
        return self._records(self.history.today(datetime.now(UTC), self.zone,
                                                states=SOLD_STATES + FAILED_STATES,
                                                limit=200))

    def find(self, text: str) -> list[SaleRecord]:
        """Sales by meter number, slip reference or receipt number, newest first."""
        return self._records(self.history.find(text, limit=50))

    # -- reprint / reversal / engineering ------------------------------------------------------
    def reprint(self, reference: str, operator: Operator,
                approval: Approval | None = None) -> ReprintResult:
        """Reprint the sale's newest document (the token receipt once tokened); beyond the
        reprint policy a supervisor approves (PermissionDenied without it)."""
        stored = self.history.by_reference(reference)
        if stored is None:
            raise InvalidInput(_("There is no sale {reference} on this terminal.")
                .format(reference=reference))
        done = self.supervisor.reprints.reprint(self.actor(operator), stored.idem_key,
                                                self.documents, approval=approval)
        return ReprintResult(stored.reference, done.kind, done.reprint_no, done.job.id,
                             self._print_state(True), done.approved_by)

    def request_reversal(self, reference: str, reason: str, operator: Operator,
                         approval: Approval) -> ReversalResult:
        """Reverse a tokened sale through the server (supervisor PIN; `NotOffered` without
        the capability); its slip is written with the reversal's record."""
        self.capabilities.require("reversal")
        stored = self.history.by_reference(reference)
        receipt_no = stored.receipt_no if stored is not None and stored.receipt_no else \
            reference
        return self.supervisor.reversals.reverse(self.actor(operator), receipt_no, reason,
                                                 approval)

    def issue_engineering(self, operator: Operator, request: EngineeringRequest,
                          approval: Approval) -> EngineeringResult:
        """An engineering token set (supervisor PIN; `NotOffered` without the capability)."""
        self.capabilities.require("engineering_tokens")
        return self.supervisor.engineering.issue(self.actor(operator), request, approval)

    # -- status --------------------------------------------------------------------------------
    def probe(self) -> bool:
        """Ask the server for the terminal facts now; True if it answered."""
        return self._watch.probe()

    def status(self) -> Status:
        """A fresh snapshot for the status bar (probes the server at most once a minute)."""
        return self._watch.status()

    # -- printer ------------------------------------------------------------------------------
    def print_test_page(self, config: ConnectionConfig, profile: PrinterProfile) -> None:
        """Send a test page straight to a printer (maybe not yet saved in the settings)."""
        open_connection(config).send(test_page(profile, self.terminal.terminal_id))

    # -- lifecycle ----------------------------------------------------------------------------
    def close(self) -> None:
        """Stop tariffs, sync and printing, then what the composition root opened (push,
        store, demo server), in that order; idempotent."""
        if self._closed:
            return
        self._closed = True
        self._watch.close()
        for close in self._closers:
            try:
                close()
            except Exception:
                log.exception("closing the till")
