"""Adapts the real client core to the UI ports (`ui.ports`), and maps sales to receipts.

Qt-free: every method may block (network, SQLCipher store, printer queue) and is called by the
controllers through `ui.ops.Op` only. The core publishes its own events (`sale.tokened`,
`print.job_done`, `connectivity.changed`, `outbox.changed`, `sync.progress` ...); this adapter
turns the ones the screens care about into two UI events on the same bus:

- `ui.pending_tokened` when a sale that was pending (or whose answer was lost) gets its token
  later through the sync engine; its token receipt is queued for printing exactly once;
- `ui.print` when a slip printed or failed;
- `ui.not_sold` when a sale that got no answer turned out never to have reached the server;
- `ui.attention` when a sale needs a person (an offline sale the server refused: refund; a
  sale that went through after the cashier was told it did not: hand over the token);
- `ui.status` when something the status bar shows changed (vendor credit, printer).

Gaps in the core that this adapter works around are marked `CORE GAP` (see docs/ui.md).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

from app.api import models as api
from app.api.errors import ServerUnavailable, TlsProblem
from app.errors import BusinessRuleError, InvalidInput, PermissionDenied
from app.events import Event, EventBus
from app.operators import OperatorDirectory
from app.sales import repository as repo
from app.sales.history import SaleHistory
from app.sales.history import SaleRecord as StoredSale
from app.sales.receipts import stored_sale, stored_sale_receipt, token_receipt
from app.sales.service import PendingSlip, QuoteStale, SaleService, reference_for
from app.settings import Settings
from app.supervisor.approvals import Approval as CoreApproval
from app.supervisor.approvals import CallableVerifier
from app.supervisor.permissions import Actor
from app.supervisor.services import SupervisorServices
from app.tariffs import TariffService, price_difference
from printers import model as pm
from printers.config import config_from_settings
from printers.connections import ConnectionConfig, PrinterState, open_connection
from printers.profile import PrinterProfile
from printers.queue import PrintQueue
from ui.ports import (
    Approval,
    Customer,
    Operator,
    PriceChanged,
    PrintState,
    Quote,
    QuoteChange,
    QuoteLine,
    Role,
    SaleRecord,
    SaleResult,
    SaleState,
    SearchHit,
    Status,
    Token,
)

log = logging.getLogger("vendpoint.ui.core")

#: how often the status bar may ask the server for credit and time
TERMINAL_REFRESH_SECONDS = 60.0


def to_decimal(money: api.Money) -> Decimal:
    """Integer cents to a Decimal amount (exact)."""
    return Decimal(money.minor).scaleb(-2)


def to_api_money(amount: Decimal, currency: str) -> api.Money:
    """A Decimal with at most 2 decimals to the client's integer-cents Money."""
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise InvalidInput("An amount can have at most two decimals (cents).")
    return api.Money(int(cents), currency)


def _pm_money(money: api.Money) -> pm.Money:
    return pm.Money(money.minor, money.currency)


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# -- mapping core answers to view data -----------------------------------------------------
def customer_from(meter: api.MeterInfo, *, from_cache: bool = False) -> Customer:
    """The customer panel's data; BLOCKED_METER is shown by `blocked`, not as a warning."""
    utility = meter.raw.get("utility") or {}
    warnings = [msg for code, msg in meter.warnings if code != "BLOCKED_METER" and msg]
    if from_cache:
        warnings.insert(0, "Offline: customer details from this terminal's cache.")
    return Customer(
        meter_number=meter.meter_number, name=meter.customer_name,
        address=meter.customer_address, account=meter.account,
        utility=str(utility.get("name", "")), tariff=meter.tariff_name, unit=meter.unit,
        days_since_last_purchase=meter.days_since_last_purchase, blocked=meter.blocked,
        blocked_reason=meter.blocked_reason or "", arrears=to_decimal(meter.arrears),
        currency=meter.arrears.currency, key_change_due=meter.key_change_due,
        warnings=tuple(warnings),
    )


def quote_from(quote: api.Quote) -> Quote:
    """The quote panel's data: every breakdown line, the VAT and the tokens to come."""
    raw_lines = quote.raw.get("lines", [])
    lines = tuple(
        QuoteLine(kind=line.kind, description=line.description, amount=to_decimal(line.amount),
                  units=line.units,
                  rate=(raw_lines[i].get("rate") if i < len(raw_lines) else None))
        for i, line in enumerate(quote.lines)
    )
    vat_raw = (quote.raw.get("vat") or {}).get("amount") or {}
    vat = Decimal(str(vat_raw.get("amount", "0.00")))
    tariff = quote.raw.get("tariff") or {}
    return Quote(
        meter_number=quote.meter_number, amount=to_decimal(quote.amount_tendered),
        currency=quote.amount_tendered.currency, units=quote.units, unit=quote.unit,
        tariff=f"{tariff.get('name', quote.tariff_id)} (version {quote.tariff_version})",
        lines=lines, vat=vat,
        tokens_preview=tuple(str(p.get("description", ""))
                             for p in quote.raw.get("tokens_preview") or []),
        key_change=quote.raw.get("key_change") is not None,
        tariff_id=quote.tariff_id, tariff_version=quote.tariff_version,
    )


def tokens_from(sale: api.Sale) -> tuple[Token, ...]:
    """The sale's tokens in entry order, for the screen."""
    return tuple(Token(t.seq, t.kind, t.description, t.digits, t.units) for t in sale.tokens)


def _record_from(stored: StoredSale) -> SaleRecord:
    """A stored sale as the lists show it."""
    return SaleRecord(
        reference=stored.reference, meter_number=stored.meter_number,
        customer_name=stored.customer_name, amount=to_decimal(stored.amount),
        currency=stored.amount.currency, created_at=_when(stored.created_at),
        state=SaleState.TOKENED if stored.state == "tokened" else SaleState.PENDING,
        operator=stored.operator_id, units=stored.units or "", reversed=stored.reversed)


def _customer_name(sale: api.Sale) -> str:
    return str((sale.raw.get("customer") or {}).get("name", ""))


# -- operators --------------------------------------------------------------------------
class DirectoryAuth:
    """AuthPort over the core's `OperatorDirectory`: PINs checked against cached scrypt hashes
    (so sign-in also works offline) with the lockout persisted in the store."""

    def __init__(self, directory: OperatorDirectory) -> None:
        self.directory = directory

    def refresh(self) -> bool:
        """Fetch the operator list from the server; False if it could not be reached."""
        try:
            self.directory.refresh()
        except (ServerUnavailable, TlsProblem):
            return False
        return True

    def _cached(self) -> list[Operator]:
        """The active operators of the directory's cache (works offline), by name."""
        return [Operator(o.operator_id, o.name, Role(o.role))
                for o in self.directory.list_operators()]

    def operators(self) -> Sequence[Operator]:
        return self._cached() or (self._cached() if self.refresh() else [])

    def login(self, operator_id: str, pin: str) -> Operator:
        if not self._cached():
            self.refresh()  # first start: nothing cached yet
        signed = self.directory.sign_in(operator_id, pin)
        return Operator(signed.operator_id, signed.name, Role(signed.role))

    def check_supervisor(self, approval: Approval) -> Operator:
        person = self.login(approval.operator_id, approval.pin)
        if not person.can_approve:
            raise PermissionDenied(f"{person.name} is not a supervisor.",
                                   hint="Ask a supervisor to type their username and PIN.")
        return person

    def actor(self, operator: Operator) -> Actor:
        """The core's `Actor` for a signed-in operator."""
        return Actor.of(operator.id, operator.name, operator.role.value)

    def verifier(self) -> CallableVerifier:
        """The supervisor services' PIN check, through the same directory and lockout."""
        def verify(operator_id: str, pin: str) -> Actor:
            return self.actor(self.login(operator_id, pin))
        return CallableVerifier(verify)


# -- printing --------------------------------------------------------------------------------
def printer_config(settings: Settings) -> ConnectionConfig | None:
    """The connection the settings describe, or None when no printer is set up."""
    return config_from_settings(settings["printer.connection"], settings["printer.address"])


def printer_profile(settings: Settings) -> PrinterProfile:
    """Paper width and capabilities profile from the settings (a bad profile is a ConfigError)."""
    return PrinterProfile(columns=int(settings["printer.columns"]),
                          escpos_profile=str(settings["printer.profile"]) or "default")


def test_page(columns: int, terminal_id: str) -> bytes:
    """A plain ESC/POS test slip: a ruler of `columns` characters shows whether the paper
    width setting is right (the last digit must sit at the right edge, not wrap)."""
    ruler = "".join(str(i % 10) for i in range(1, columns + 1))
    lines = ["VendPoint test print", f"Terminal {terminal_id}", f"Width: {columns} characters",
             ruler, "Digits above on one line:", "the width setting is right."]
    body = "\n".join(line[:columns] for line in lines)
    return b"\x1b@" + body.encode("ascii", "replace") + b"\n\n\n\n\x1dV\x00"


_PRINTER_WORDS = {
    PrinterState.ONLINE: "ready", PrinterState.PAPER_LOW: "paper low",
    PrinterState.PAPER_OUT: "PAPER OUT", PrinterState.OFFLINE: "offline",
    PrinterState.UNKNOWN: "unknown",
}


class CoreAdapter:
    """SalePort, StatusPort, AuthPort, PrinterPort and TerminalPort over the real core."""

    def __init__(
        self,
        *,
        service: SaleService,
        bus: EventBus,
        terminal: api.TerminalInfo,
        auth: DirectoryAuth,
        supervisor: SupervisorServices,
        printer: PrintQueue | None,
        quick_amounts: Sequence[Decimal],
    ) -> None:
        self.service = service
        self.client = service.client
        self.store = service.store
        self.bus = bus
        self.auth = auth
        self.supervisor = supervisor
        self.reversals = supervisor.reversals
        self.reprints = supervisor.reprints
        self.history = SaleHistory(self.store)
        self.printer = printer
        self._terminal = terminal
        self._terminal_at = 0.0  # the first status() fetches credit and server time
        self._skew: int | None = None
        self._quick = list(quick_amounts)
        self._lock = threading.Lock()
        self._quotes: dict[tuple[str, int], api.Quote] = {}
        self._inline = threading.local()
        self._credit: api.Money | None = terminal.vendor_credit
        self._tariff = ""  # of the last quote, until the tariff service knows better
        self._tariff_id = ""
        self._last_sync: datetime | None = None
        #: the signed tariff service, when the push stream is wired (for the status bar)
        self.tariffs: TariffService | None = None
        self._subscriptions = [
            bus.subscribe("sale.tokened", self._on_tokened),
            bus.subscribe("vendor.credit", self._on_credit),
            bus.subscribe("sale.needs_attention", self._on_attention),
            bus.subscribe("sale.void", self._on_void),
            bus.subscribe("sync.progress", self._on_sync),
            bus.subscribe("print.job_done", self._on_print),
            bus.subscribe("print.job_failed", self._on_print),
            bus.subscribe("printer.status", self._on_printer),
        ]
        self._note_skew(terminal.server_time)

    def close(self) -> None:
        for unsubscribe in self._subscriptions:
            unsubscribe()

    # -- AuthPort ---------------------------------------------------------------------------
    def operators(self) -> Sequence[Operator]:
        return self.auth.operators()

    def login(self, operator_id: str, pin: str) -> Operator:
        return self.auth.login(operator_id, pin)

    def check_supervisor(self, approval: Approval) -> Operator:
        return self.auth.check_supervisor(approval)

    # -- SalePort ---------------------------------------------------------------------------
    def currency(self) -> str:
        return self._terminal.currency

    def quick_amounts(self) -> Sequence[Decimal]:
        return list(self._quick)

    def lookup(self, meter_number: str) -> Customer:
        confirmation = self.service.confirm_customer(meter_number)
        return customer_from(confirmation.meter, from_cache=confirmation.from_cache)

    def search(self, text: str) -> Sequence[SearchHit]:
        # The client checks the query (2..64 characters: InvalidInput) and the answer.
        return [SearchHit(hit.meter_number, hit.customer_name, hit.account, hit.address,
                          hit.blocked)
                for hit in self.client.search_meters(text, limit=20)]

    def quote(self, meter_number: str, amount: Decimal) -> Quote:
        money = to_api_money(amount, self.currency())
        result = self.service.quote(meter_number, money)
        with self._lock:
            self._quotes[(result.meter_number, money.minor)] = result
            self._tariff_id = result.tariff_id
            self._tariff = f"{result.tariff_id} v{result.tariff_version}"
        return quote_from(result)

    def requote_if_stale(self, quote: Quote) -> QuoteChange | None:
        if self.tariffs is None or not quote.tariff_id:
            return None
        if not self.tariffs.check_quote(quote.tariff_id, quote.tariff_version).stale:
            return None  # e.g. another tariff changed: this quote still stands
        money = to_api_money(quote.amount, quote.currency)
        slot = (quote.meter_number, money.minor)
        with self._lock:
            old = self._quotes.get(slot)
        try:
            fresh = self.service.quote(quote.meter_number, money)
        except BaseException:
            with self._lock:  # the old quote must not be sold on (the sale would refuse it)
                self._quotes.pop(slot, None)
            raise
        with self._lock:
            self._quotes[slot] = fresh
            self._tariff_id = fresh.tariff_id
            self._tariff = f"{fresh.tariff_id} v{fresh.tariff_version}"
        difference = None if old is None else price_difference(old.raw, fresh.raw)
        if difference is None and old is not None:
            return None  # the server still prices exactly as quoted
        log.info("quote on %s v%d superseded: new quote on v%d", quote.tariff_id,
                 quote.tariff_version, fresh.tariff_version)
        summary = difference.summary() if difference is not None else (
            f"The tariff changed from version {quote.tariff_version} to "
            f"{fresh.tariff_version}: {quote.currency} {quote.amount} now buys {fresh.units} "
            f"{fresh.unit} instead of {quote.units} {quote.unit}.")
        return QuoteChange(quote_from(fresh), summary,
                           difference.lines if difference is not None else ())

    def sell(self, meter_number: str, amount: Decimal, operator: Operator) -> SaleResult:
        money = to_api_money(amount, self.currency())
        with self._lock:
            quote = self._quotes.pop((meter_number, money.minor), None)
        # The operator's open shift gets the sale (exact shift cash); none open: the shift
        # figures count it in the operator's shift window.
        shift = self.supervisor.shifts.current(operator.id)
        self._inline.selling = True  # the sale.tokened of this call is printed here, not late
        try:
            # The tender is recorded in the sale's own insert transaction, so the report
            # ledger's by-tender totals have it when the sale turns tokened. The till takes
            # cash only, for now.
            outcome = self.service.sell(meter_number, money, operator.id, quote=quote,
                                        shift_id=None if shift is None else shift.shift_id,
                                        tender="cash")
        except QuoteStale as exc:
            # Nothing was sold: the customer must see the new price first. The new quote is
            # kept, so the cashier's confirmation sells exactly on it.
            change = None
            if exc.new_quote is not None:
                with self._lock:
                    self._quotes[(exc.new_quote.meter_number, money.minor)] = exc.new_quote
                change = QuoteChange(quote_from(exc.new_quote), exc.summary,
                                     exc.difference.lines if exc.difference else ())
            raise PriceChanged(str(exc), change=change, hint=exc.hint) from exc
        finally:
            self._inline.selling = False
        if outcome.state == "tokened" and outcome.sale is not None:
            sale = outcome.sale
            with self._lock:
                self._credit = sale.vendor_credit
            job_id, state = self._print(token_receipt(sale))
            return SaleResult(
                SaleState.TOKENED, sale.receipt_no, sale.meter_number, _customer_name(sale),
                to_decimal(sale.amount_tendered), sale.amount_tendered.currency,
                tokens=tokens_from(sale), units=sale.units, unit=sale.unit,
                print_state=state, vendor_credit=to_decimal(sale.vendor_credit),
                print_job=job_id)
        slip = outcome.slip
        assert slip is not None
        job_id, state = self._print(self._pending_slip(slip, operator))
        reason = self.service.connectivity.reason or "The server could not be reached."
        details = " ".join(part for part in (reason, slip.warning, slip.delivery) if part)
        return SaleResult(
            SaleState.PENDING, slip.reference, slip.meter_number, slip.customer_name,
            to_decimal(slip.amount), slip.amount.currency, print_state=state,
            pending_reason=details, print_job=job_id)

    def _pending_slip(self, slip: PendingSlip, operator: Operator) -> pm.PendingSlip:
        raw = self._terminal.raw
        utility, vendor = raw.get("utility") or {}, raw.get("vendor") or {}
        return pm.PendingSlip(
            utility=pm.Party(str(utility.get("name", "")), (str(utility.get("address", "")),),
                             tax_id=str(utility.get("vat_number", ""))),
            pos=pm.PointOfSale(pm.Party(str(vendor.get("name", ""))), str(vendor.get("id", "")),
                               self._terminal.terminal_id, operator.name),
            reference=slip.reference, issued_at=_when(slip.created_at),
            customer=pm.Party(slip.customer_name, (slip.customer_address,)),
            meter=pm.MeterInfo(slip.meter_number), amount=_pm_money(slip.amount),
            delivery=slip.delivery)

    def _print(self, receipt: pm.Receipt) -> tuple[str, PrintState]:
        if self.printer is None:
            return "", PrintState.NO_PRINTER
        job = self.printer.enqueue(receipt)
        return job.id, PrintState.QUEUED

    # -- lists (the core's typed listing queries, app.sales.history) --------------------------
    def _utc_offset(self) -> str:
        """The utility's local offset ("+02:00"): its business day, not this PC's."""
        utility = self._terminal.raw.get("utility") or {}
        return str(utility.get("utc_offset") or "+02:00")

    def pending(self) -> Sequence[SaleRecord]:
        return [_record_from(r) for r in self.history.open(newest_first=True, limit=200)]

    def today(self) -> Sequence[SaleRecord]:
        return [_record_from(r)
                for r in self.history.today(datetime.now(UTC), self._utc_offset(), limit=200)]

    def find(self, text: str) -> Sequence[SaleRecord]:
        records = [_record_from(r) for r in self.history.find(text, limit=50)]
        if self.printer is not None:
            counted = []
            for rec in records:
                jobs = self.printer.store.list_jobs(sale_ref=self._sale_ref(rec.reference))
                reprints = sum(1 for j in jobs if j.reprint_no > 0)
                counted.append(replace(rec, reprints=reprints))
            records = counted
        return records

    def _sale_ref(self, reference: str) -> str:
        """Print jobs are filed under the client reference (VP-...), also for token receipts."""
        stored = self.history.by_reference(reference)
        return reference if stored is None else stored.client_reference

    def _key_for(self, reference: str) -> str | None:
        """The idempotency key of the sale with this receipt number or slip reference."""
        stored = self.history.by_reference(reference)
        return None if stored is None else stored.idem_key

    # -- reprint / reversal -------------------------------------------------------------------
    def reprint(self, reference: str, operator: Operator, approval: Approval | None) -> None:
        if self.printer is None:
            raise BusinessRuleError("No printer is set up.", hint="Set one up in Settings (F11).")
        # CORE GAP: the core has no count of a sale's earlier reprints; count the print jobs.
        jobs = self.printer.store.list_jobs(sale_ref=self._sale_ref(reference))
        originals = [j for j in jobs if j.reprint_no == 0 and j.kind == "token"] or \
                    [j for j in jobs if j.reprint_no == 0]
        reprints = sum(1 for j in jobs if j.reprint_no > 0)
        issued_at = originals[0].created_at if originals else datetime.now(UTC)
        if (self.reprints.beyond_policy(reprints, issued_at) and approval is None
                and not operator.can_approve):
            raise BusinessRuleError(
                f"Receipt {reference} was reprinted {reprints} times already, or is too old "
                "for a routine reprint.", code="SUPERVISOR_REQUIRED",
                hint="A supervisor must approve this reprint.")
        # Journals the reprint (who, which number, who approved) and checks the approval.
        self.reprints.authorise(
            self.auth.actor(operator), reference, reprints_so_far=reprints,
            issued_at=issued_at,
            approval=None if approval is None else CoreApproval(approval.operator_id,
                                                                approval.pin))
        if originals:
            self.printer.reprint(originals[0].id, operator.name)
            return
        key = self._key_for(reference)
        data = None if key is None else \
            self.store.call(lambda c: stored_sale_receipt(c, key))
        if data is None:
            raise BusinessRuleError(f"There is no token receipt for {reference} yet.",
                                    hint="A pending sale prints when its token arrives.")
        self.printer.enqueue(pm.Reprint(pm.TokenReceipt(data), 1, datetime.now(UTC),
                                        operator.name))

    def request_reversal(self, reference: str, reason: str, operator: Operator,
                         approval: Approval) -> str:
        result = self.reversals.reverse(self.auth.actor(operator), reference, reason,
                                        CoreApproval(approval.operator_id, approval.pin))
        return result.reversal_no

    # -- StatusPort ---------------------------------------------------------------------------
    def status(self) -> Status:
        if time.monotonic() - self._terminal_at > TERMINAL_REFRESH_SECONDS:
            self._refresh_terminal()
        stats = self.store.call(repo.outbox_stats)
        printer_word, printer_ok = "not set up", True
        if self.printer is not None:
            state = self.printer.status.state
            printer_word = _PRINTER_WORDS.get(state, str(state))
            printer_ok = state.can_print
        with self._lock:
            credit, tariff, skew, last_sync = self._credit, self._tariff, self._skew, \
                self._last_sync
        tariff = self._tariff_label(tariff)
        connectivity = self.service.connectivity
        value = stats.value
        return Status(
            online=connectivity.online, offline_reason=connectivity.reason,
            pending_count=stats.count,
            pending_value=Decimal("0.00") if value is None else to_decimal(value),
            currency=self._terminal.currency, last_sync=last_sync, printer=printer_word,
            printer_ok=printer_ok, vendor_credit=None if credit is None else to_decimal(credit),
            tariff_version=tariff, clock_skew_seconds=skew,
        )

    def _tariff_label(self, quoted: str) -> str:
        """The version in force of the tariff last quoted (or of every tariff before that)."""
        if self.tariffs is None:
            return quoted
        ids = [self._tariff_id] if self._tariff_id else self.tariffs.tariff_ids()
        labels = []
        for tariff_id in ids:
            doc = self.tariffs.in_force(tariff_id)
            if doc is not None:
                labels.append(f"{tariff_id} v{doc.version}")
        return ", ".join(labels) or quoted

    def _refresh_terminal(self) -> None:
        self._terminal_at = time.monotonic()
        try:
            info = self.client.terminal()
        except (ServerUnavailable, TlsProblem) as exc:
            self.service.connectivity.set(False, str(exc))
            return
        self.service.connectivity.set(True)
        with self._lock:
            self._terminal = info
            self._credit = info.vendor_credit
        self._note_skew(info.server_time)

    def _note_skew(self, server_time: str) -> None:
        if not server_time:
            return
        skew = int((datetime.now(UTC) - _when(server_time)).total_seconds())
        with self._lock:
            self._skew = skew

    # -- PrinterPort --------------------------------------------------------------------------
    def test_print(self, settings: Settings) -> None:
        config = printer_config(settings)
        if config is None:
            raise InvalidInput("Choose how the printer is connected first.")
        profile = printer_profile(settings)
        open_connection(config).send(test_page(profile.columns, self._terminal.terminal_id))

    # -- core events (any thread) ----------------------------------------------------------
    def _on_tokened(self, event: Event) -> None:
        # CORE GAP: printing a late token's receipt (once) belongs in the client core.
        if getattr(self._inline, "selling", False):
            return  # printed by sell() itself
        key = str(event.data.get("idempotency_key", ""))
        sale = self.store.call(lambda c: stored_sale(c, key))
        if sale is None:
            return
        with self._lock:
            self._credit = sale.vendor_credit
        job_id, state = self._print(token_receipt(sale))
        log.info("late token for %s arrived (receipt %s)", reference_for(key), sale.receipt_no)
        self.bus.publish("ui.pending_tokened", reference=reference_for(key),
                         receipt_no=sale.receipt_no, meter_number=sale.meter_number,
                         customer_name=_customer_name(sale), print_state=state.value,
                         job_id=job_id)

    def _on_attention(self, event: Event) -> None:
        key = str(event.data.get("idempotency_key", ""))
        row = self.store.call(lambda c: repo.get_sale(c, key))
        self.bus.publish("ui.attention", reference=reference_for(key) if key else "",
                         meter_number="" if row is None else row.meter_number,
                         receipt_no="" if row is None or row.receipt_no is None
                         else row.receipt_no,
                         code=str(event.data.get("code", "")),
                         reason=str(event.data.get("reason", "")))

    def _on_void(self, event: Event) -> None:
        key = str(event.data.get("idempotency_key", ""))
        if key:
            self.bus.publish("ui.not_sold", reference=reference_for(key))

    def _on_credit(self, event: Event) -> None:
        credit = event.data.get("vendor_credit") or {}
        try:
            money = api.money(credit, "vendor_credit")
        except api.Invalid:
            log.warning("vendor.credit event without a valid amount")
            return
        with self._lock:
            self._credit = money
        self.bus.publish("ui.status")

    def _on_sync(self, event: Event) -> None:
        if not event.data.get("unreachable"):
            with self._lock:
                self._last_sync = datetime.now(UTC)

    def _on_print(self, event: Event) -> None:
        done = event.name == "print.job_done"
        self.bus.publish("ui.print", job_id=str(event.data.get("job_id", "")),
                         reference=str(event.data.get("sale_ref", "")),
                         state=(PrintState.PRINTED if done else PrintState.FAILED).value,
                         detail="" if done else str(event.data.get("error", "")))

    def _on_printer(self, event: Event) -> None:
        self.bus.publish("ui.status")
