"""Adapts the core's `Till` facade (`app.till`) to the UI ports (`ui.ports`).

Qt-free: every method may block and is called by the controllers through `ui.ops.Op` only.
This is a thin translation layer: Decimal amounts <-> the core's `Money`, the till's result
types <-> the ports' view data, and the core's events into the UI events the screens follow:

- `ui.pending_tokened` from the core's `sale.late_token` (its token receipt was written by
  the core with the state change);
- `ui.print` when a document printed or failed;
- `ui.not_sold` from `sale.void`; `ui.attention` from `sale.needs_attention`;
- `ui.status` when something the status bar shows changed (vendor credit, printer).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from decimal import Decimal

from app.api.models import Money
from app.errors import InvalidInput
from app.events import Event, EventBus
from app.sales import repository as repo
from app.sales.money import from_decimal, to_decimal
from app.sales.service import PriceChanged as CorePriceChanged
from app.sales.service import reference_for
from app.settings import Settings
from app.supervisor.approvals import Approval as CoreApproval
from app.supervisor.permissions import Actor
from app.supervisor.permissions import Role as CoreRole
from app.supervisor.services import SupervisorServices
from app.till import Till
from app.till import results as till
from app.till.build import printer_config, printer_profile
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


def _operator(op: till.Operator) -> Operator:
    return Operator(op.id, op.name, Role(op.role.value))


def _core_operator(op: Operator) -> till.Operator:
    return till.Operator(op.id, op.name, CoreRole(op.role.value))


def customer_view(c: till.Customer) -> Customer:
    """The customer panel's data from the till's `Customer`."""
    return Customer(
        meter_number=c.meter_number, name=c.name, address=c.address, account=c.account,
        utility=c.utility, tariff=c.tariff, unit=c.unit,
        days_since_last_purchase=c.days_since_last_purchase, blocked=c.blocked,
        blocked_reason=c.blocked_reason, arrears=to_decimal(c.arrears),
        currency=c.arrears.currency, key_change_due=c.key_change_due, warnings=c.warnings)


def quote_view(q: till.Quote) -> Quote:
    """The quote panel's data from the till's `Quote`."""
    return Quote(
        meter_number=q.meter_number, amount=to_decimal(q.amount), currency=q.amount.currency,
        units=q.units, unit=q.unit, tariff=q.tariff,
        lines=tuple(QuoteLine(line.kind, line.description, to_decimal(line.amount),
                              line.units, line.rate) for line in q.lines),
        vat=to_decimal(q.vat), tokens_preview=q.tokens_preview, key_change=q.key_change,
        tariff_id=q.tariff_id, tariff_version=q.tariff_version)


def _change_view(change: till.QuoteChange) -> QuoteChange:
    return QuoteChange(quote_view(change.quote), change.summary, change.lines)


_SALE_STATES = {till.SaleState.TOKENED: SaleState.TOKENED,
                till.SaleState.PENDING: SaleState.PENDING}


def _record_view(r: till.SaleRecord) -> SaleRecord:
    return SaleRecord(
        reference=r.reference, meter_number=r.meter_number, customer_name=r.customer_name,
        amount=to_decimal(r.amount), currency=r.amount.currency, created_at=r.created_at,
        state=_SALE_STATES.get(r.state, SaleState.UNRESOLVED if r.state.is_open
                               else SaleState.PENDING),
        operator=r.operator, units=r.units, reversed=r.reversed, reprints=r.reprints)


class CoreAdapter:
    """SalePort, StatusPort, AuthPort and PrinterPort over the core's `Till`."""

    def __init__(self, till_: Till, *, bus: EventBus,
                 quick_amounts: Sequence[Decimal]) -> None:
        self.till = till_
        self.service = till_.service
        self.client = till_.backend
        self.store = till_.store
        self.bus = bus
        self.supervisor: SupervisorServices = till_.supervisor
        self.reversals = till_.supervisor.reversals
        self.reprints = till_.supervisor.reprints
        self.printer = till_.printer
        self._quick = list(quick_amounts)
        self._lock = threading.Lock()
        # The ports have no quote handle: the handle of the last quote per (meter, amount).
        self._handles: dict[tuple[str, int], till.QuoteHandle] = {}
        self._subscriptions = [
            bus.subscribe("sale.late_token", self._on_late_token),
            bus.subscribe("vendor.credit", self._on_status),
            bus.subscribe("sale.needs_attention", self._on_attention),
            bus.subscribe("sale.void", self._on_void),
            bus.subscribe("print.job_done", self._on_print),
            bus.subscribe("print.job_failed", self._on_print),
            bus.subscribe("printer.status", self._on_status),
        ]

    @property
    def tariffs(self) -> object:
        """The signed tariff service (for the status bar and the tariff viewer)."""
        return self.till.tariffs

    def close(self) -> None:
        for unsubscribe in self._subscriptions:
            unsubscribe()

    # -- AuthPort ---------------------------------------------------------------------------
    def operators(self) -> Sequence[Operator]:
        return [_operator(op) for op in self.till.operators()]

    def login(self, operator_id: str, pin: str) -> Operator:
        return _operator(self.till.sign_in(operator_id, pin))

    def check_supervisor(self, approval: Approval) -> Operator:
        return _operator(self.till.check_supervisor(CoreApproval(approval.operator_id,
                                                                 approval.pin)))

    def actor(self, operator: Operator) -> Actor:
        """The core's `Actor` for a signed-in operator."""
        return Till.actor(_core_operator(operator))

    # -- SalePort ---------------------------------------------------------------------------
    def currency(self) -> str:
        return self.till.currency

    def quick_amounts(self) -> Sequence[Decimal]:
        return list(self._quick)

    def lookup(self, meter_number: str) -> Customer:
        return customer_view(self.till.lookup(meter_number))

    def search(self, text: str) -> Sequence[SearchHit]:
        return [SearchHit(h.meter_number, h.customer_name, h.account, h.address, h.blocked)
                for h in self.till.search(text)]

    def _money(self, amount: Decimal) -> Money:
        return from_decimal(amount, self.currency())

    def _keep(self, quote: till.Quote) -> None:
        with self._lock:
            self._handles[(quote.meter_number, quote.amount.minor)] = quote.handle

    def quote(self, meter_number: str, amount: Decimal) -> Quote:
        result = self.till.quote(meter_number, self._money(amount))
        self._keep(result)
        return quote_view(result)

    def requote_if_stale(self, quote: Quote) -> QuoteChange | None:
        money = self._money(quote.amount)
        with self._lock:
            handle = self._handles.get((quote.meter_number, money.minor))
        if handle is None:
            return None
        try:
            change = self.till.requote_if_stale(handle)
        except InvalidInput:
            return None
        if change is None:
            return None
        self._keep(change.quote)
        return _change_view(change)

    def sell(self, meter_number: str, amount: Decimal, operator: Operator) -> SaleResult:
        money = self._money(amount)
        slot = (self.service.clean_meter(meter_number), money.minor)
        with self._lock:
            handle = self._handles.pop(slot, None)
        try:
            result = self.till.sell(meter_number, money, _core_operator(operator),
                                    quote=handle, tender="cash")
        except CorePriceChanged as exc:
            change = exc.change
            if change is not None:
                self._keep(change.quote)
            raise PriceChanged(str(exc.message), change=None if change is None
                               else _change_view(change), hint=exc.hint) from exc
        except InvalidInput:
            if handle is None:
                raise
            # The held quote is gone (too many quotes meanwhile): sell without it.
            result = self.till.sell(meter_number, money, _core_operator(operator),
                                    tender="cash")
        return SaleResult(
            SaleState.TOKENED if result.state is till.SaleState.TOKENED else SaleState.PENDING,
            result.reference, result.meter_number, result.customer_name,
            to_decimal(result.amount), result.amount.currency,
            tokens=tuple(Token(t.seq, t.kind, t.description, t.digits, t.units)
                         for t in result.tokens),
            units=result.units, unit=result.unit, print_state=PrintState(result.print_state),
            pending_reason=result.pending_reason,
            vendor_credit=None if result.vendor_credit is None
            else to_decimal(result.vendor_credit), print_job=result.print_job)

    # -- lists --------------------------------------------------------------------------------
    def pending(self) -> Sequence[SaleRecord]:
        return [_record_view(r) for r in self.till.pending()]

    def today(self) -> Sequence[SaleRecord]:
        from app.sales.history import SOLD_STATES

        # The screen's "today" lists the sales that stand.
        return [_record_view(r) for r in self.till.today() if r.state.value in SOLD_STATES]

    def find(self, text: str) -> Sequence[SaleRecord]:
        return [_record_view(r) for r in self.till.find(text)]

    # -- reprint / reversal -------------------------------------------------------------------
    def reprint(self, reference: str, operator: Operator, approval: Approval | None) -> None:
        self.till.reprint(reference, _core_operator(operator),
                          None if approval is None
                          else CoreApproval(approval.operator_id, approval.pin))

    def request_reversal(self, reference: str, reason: str, operator: Operator,
                         approval: Approval) -> str:
        result = self.till.request_reversal(reference, reason, _core_operator(operator),
                                            CoreApproval(approval.operator_id, approval.pin))
        return result.reversal_no

    # -- StatusPort ---------------------------------------------------------------------------
    def status(self) -> Status:
        s = self.till.status()
        return Status(
            online=s.online, offline_reason=s.offline_reason, pending_count=s.pending_count,
            pending_value=to_decimal(s.pending_value), currency=s.currency,
            last_sync=s.last_sync, printer=s.printer,
            printer_ok=s.printer_ok or self.printer is None,
            vendor_credit=None if s.vendor_credit is None else to_decimal(s.vendor_credit),
            tariff_version=s.tariff_label, clock_skew_seconds=s.clock_skew_seconds)

    # -- PrinterPort --------------------------------------------------------------------------
    def test_print(self, settings: Settings) -> None:
        config = printer_config(settings)
        if config is None:
            raise InvalidInput("Choose how the printer is connected first.")
        self.till.print_test_page(config, printer_profile(settings))

    # -- core events (any thread) ----------------------------------------------------------
    def _on_late_token(self, event: Event) -> None:
        printed = bool(event.data.get("printed"))
        self.bus.publish("ui.pending_tokened", reference=str(event.data.get("reference", "")),
                         receipt_no=str(event.data.get("receipt_no", "")),
                         meter_number=str(event.data.get("meter_number", "")),
                         customer_name=str(event.data.get("customer_name", "")),
                         print_state=(PrintState.QUEUED if printed
                                      else PrintState.NO_PRINTER).value,
                         job_id=str(event.data.get("job_id", "")))

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

    def _on_print(self, event: Event) -> None:
        done = event.name == "print.job_done"
        self.bus.publish("ui.print", job_id=str(event.data.get("job_id", "")),
                         reference=str(event.data.get("sale_ref", "")),
                         state=(PrintState.PRINTED if done else PrintState.FAILED).value,
                         detail="" if done else str(event.data.get("error", "")))

    def _on_status(self, event: Event) -> None:
        self.bus.publish("ui.status")
