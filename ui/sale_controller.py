"""The sale flow: meter → customer confirmed → amount → quote → sell → tokens → next customer.

Decides what the cashier may do at each step and talks to the core only through `SalePort`
calls wrapped in `Op`, so the GUI thread never waits. Answers that arrive for an earlier meter
or amount (the cashier moved on) are dropped. A quote must match the meter and amount being
sold: the customer agreed to what was on screen.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from decimal import Decimal
from enum import Enum, auto

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QPushButton

from app.errors import InvalidInput, TransientError
from app.sales.service import SaleNotCompleted
from sts.errors import MeterNumberError
from sts.meter_number import parse_meter_number
from ui.errors import show_error
from ui.ops import Op
from ui.ports import (
    Customer,
    Operator,
    PriceChanged,
    PrintState,
    Quote,
    QuoteChange,
    SalePort,
    SaleResult,
    SaleState,
    SearchHit,
    format_money,
)
from ui.sale_view import SaleView

log = logging.getLogger("vendpoint.ui.sale")

_AMOUNT = re.compile(r"^[0-9]{1,9}(\.[0-9]{1,2})?$")
_AMOUNT_ANY_DECIMALS = re.compile(r"^[0-9]{1,9}\.[0-9]+$")


class Step(Enum):
    """Where the current customer's sale stands."""

    IDLE = auto()  # waiting for a meter number
    LOOKING_UP = auto()
    CONFIRMED = auto()  # customer on screen, amount to type
    QUOTING = auto()
    QUOTED = auto()  # breakdown on screen, ready to sell
    SELLING = auto()
    DONE = auto()  # tokens (or pending notice) on screen


def _tr(text: str) -> str:
    return QCoreApplication.translate("SaleController", text)


def parse_amount(text: str, field: str) -> Decimal:
    """A positive amount with at most 2 decimals ("1,000" and "55.50" are fine).

    `field` names it in messages: "amount" or "cash tendered".
    """
    name = _tr(field)
    cleaned = text.strip().replace(",", "").replace(" ", "")
    if not cleaned:
        raise InvalidInput(_tr("Type the {field}, for example 100 or 55.50.").format(field=name))
    if cleaned.startswith("-"):
        raise InvalidInput(_tr("The {field} must be more than zero.").format(field=name))
    if not _AMOUNT.match(cleaned):
        if _AMOUNT_ANY_DECIMALS.match(cleaned):
            raise InvalidInput(
                _tr("The {field} can have at most two decimals (cents).").format(field=name))
        raise InvalidInput(
            _tr("The {field} must be a number, for example 100 or 55.50.").format(field=name))
    value = Decimal(cleaned)
    if value <= 0:
        raise InvalidInput(_tr("The {field} must be more than zero.").format(field=name))
    return value.quantize(Decimal("0.01"))


class SaleController(QObject):
    """Runs one customer's sale at a time on a `SaleView`."""

    #: a sale is in flight (the shell postpones the idle lock meanwhile)
    busy_changed = Signal(bool)
    #: a sale finished: SaleResult (tokened or pending)
    sold = Signal(object)
    #: F3 pressed: the shell opens the search dialog and calls `use_meter`
    search_requested = Signal(str)
    #: F8 / F9 / F10 / F11 / Ctrl+L: handled by the shell
    action_requested = Signal(str)

    def __init__(
        self, view: SaleView, sales: SalePort, *, examples: tuple[SearchHit, ...] = ()
    ) -> None:
        super().__init__(view)
        self._view = view
        self._sales = sales
        self._examples = examples
        self._operator: Operator | None = None
        self._step = Step.IDLE
        self._customer: Customer | None = None
        self._quote: Quote | None = None
        #: the amount and currency the customer agreed to: from the quote, or (offline, when
        #: no quote is possible) the amount they were told will be sold pending
        self._agreed: tuple[Decimal, str] | None = None
        self._result: SaleResult | None = None
        #: the price changed under the quote (new tariff): shown, and the cashier must confirm
        #: it (one Enter) before the next Enter sells; the change, for the notice
        self._reconfirm: tuple[str, tuple[tuple[str, str, str], ...]] | None = None
        #: recent smart-meter read-backs by receipt number: the server may deliver the token
        #: (and announce it) before the sale's own answer reaches this screen
        self._deliveries: dict[str, tuple[bool, str, str]] = {}
        #: likewise the server's price differences (`sale.price_differs`), by receipt number
        self._differences: dict[str, str] = {}
        self._currency = "ZAR"
        self._generation = 0  # bumps when the cashier moves on; stale answers are dropped
        self._wire()
        self.new_customer()

    # -- wiring -------------------------------------------------------------------------
    def _wire(self) -> None:
        v = self._view
        v.meter.returnPressed.connect(self.meter_entered)
        v.meter.textEdited.connect(self._meter_edited)
        v.amount.returnPressed.connect(self.amount_entered)
        v.amount.textEdited.connect(self._amount_edited)
        v.tendered.returnPressed.connect(self.sell)
        v.tendered.textEdited.connect(self._update_change)
        v.quote_button.clicked.connect(self.request_quote)
        v.sell_button.clicked.connect(self.sell)
        v.next_button.clicked.connect(self.new_customer)
        v.search_button.clicked.connect(self._search)
        keys: list[tuple[str | QKeySequence.StandardKey, object]] = [
            ("F2", self.new_customer),
            ("F3", self._search),
            ("F5", self.request_quote),
            ("F12", self.sell),
            ("Esc", self.back),
            ("F8", lambda: self.action_requested.emit("reprint")),
            ("F9", lambda: self.action_requested.emit("pending")),
            ("F10", lambda: self.action_requested.emit("today")),
            ("F11", lambda: self.action_requested.emit("settings")),
            ("F6", lambda: self.action_requested.emit("tariffs")),
            ("Ctrl+L", lambda: self.action_requested.emit("lock")),
        ]
        self.shortcuts: dict[str, QShortcut] = {}
        for key, slot in keys:
            shortcut = QShortcut(QKeySequence(key), v)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
            self.shortcuts[str(key)] = shortcut

    def load(self) -> None:
        """Fetch quick amounts and currency in the background."""
        Op(self._view, lambda: (list(self._sales.quick_amounts()), self._sales.currency())
           ).success(self._quick_amounts_loaded).run()

    def _quick_amounts_loaded(self, loaded: tuple[list[Decimal], str]) -> None:
        amounts, self._currency = loaded
        self._view.set_quick_amounts(amounts, self._currency)
        for button in self._view.quick_buttons:
            button.clicked.connect(self._quick_amount_clicked)

    def _quick_amount_clicked(self) -> None:
        button = self.sender()
        if isinstance(button, QPushButton):
            self.use_amount(str(button.property("amount")))

    # -- state ----------------------------------------------------------------------------
    @property
    def step(self) -> Step:
        return self._step

    @property
    def result(self) -> SaleResult | None:
        return self._result

    def set_operator(self, operator: Operator) -> None:
        """Who is selling: shown on screen and sent with every sale."""
        self._operator = operator
        self._view.operator.setText(
            self.tr("Operator: {name}").format(name=operator.name)
        )

    def _set_step(self, step: Step) -> None:
        was_selling = self._step is Step.SELLING
        self._step = step
        v = self._view
        has_customer = step not in (Step.IDLE, Step.LOOKING_UP)
        can_sell = self._customer is not None and self._customer.can_sell
        editing = step in (Step.CONFIRMED, Step.QUOTING, Step.QUOTED)
        v.meter.setReadOnly(step in (Step.SELLING, Step.DONE))
        v.amount.setEnabled(has_customer and can_sell and step is not Step.DONE)
        v.amount.setReadOnly(not editing)
        v.tendered.setEnabled(step in (Step.QUOTED, Step.SELLING, Step.DONE))
        v.tendered.setReadOnly(step is not Step.QUOTED)
        for button in v.quick_buttons:
            button.setEnabled(editing and can_sell)
        v.quote_button.setEnabled(editing and can_sell)
        if step not in (Step.QUOTED, Step.SELLING):
            self._reconfirm = None  # a new quote or customer: nothing left to confirm
        v.sell_button.setEnabled(step is Step.QUOTED)
        if step is Step.SELLING:
            v.sell_button.setText(self.tr("Selling…"))
        elif self._reconfirm is not None:
            v.sell_button.setText(self.tr("Confirm (Enter)"))
        else:
            v.sell_button.setText(self.tr("Sell (Enter / F12)"))
        v.next_button.setEnabled(step is not Step.SELLING)
        v.show_tokens_side(step is Step.DONE)
        if (step is Step.SELLING) != was_selling:
            self.busy_changed.emit(step is Step.SELLING)

    # -- meter ----------------------------------------------------------------------------
    def new_customer(self) -> None:
        """F2: clear everything for the next customer (not while a sale is in flight)."""
        if self._step is Step.SELLING:
            return
        self._generation += 1
        self._customer = None
        self._quote = None
        self._agreed = None
        self._result = None
        v = self._view
        for field in (v.meter, v.amount, v.tendered):
            field.clear()
        v.change.setText("")
        v.set_meter_message("")
        v.customer.clear(self._examples)
        v.quote.clear(self.tr("The quote and its breakdown appear here."))
        self._set_step(Step.IDLE)
        v.meter.setFocus()

    def _meter_edited(self, text: str) -> None:
        # Check at once, as soon as the number is complete, so a mistyped digit shows before
        # Enter; a different number also drops the customer on screen.
        if self._step not in (Step.IDLE, Step.LOOKING_UP):
            self._drop_customer()
        self._view.set_meter_message(self._meter_problem(text, complete_only=True))

    def _meter_problem(self, text: str, *, complete_only: bool) -> str:
        digits = "".join(ch for ch in text if ch not in " -")
        still_typing = digits.isdigit() and len(digits) not in (11, 13) and len(digits) < 18
        if complete_only and (not digits or still_typing):
            return ""
        try:
            parse_meter_number(text)
        except MeterNumberError as exc:
            return str(exc)
        return ""

    def _drop_customer(self) -> None:
        self._generation += 1
        self._customer = None
        self._quote = None
        self._agreed = None
        self._view.customer.clear(self._examples)
        self._view.quote.clear()
        self._view.amount.clear()
        self._view.tendered.clear()
        self._view.change.setText("")
        self._set_step(Step.IDLE)

    def use_meter(self, meter_number: str) -> None:
        """Put a meter number in the field (from search) and look it up."""
        if self._step in (Step.SELLING, Step.DONE):
            self.new_customer()
        self._view.meter.setText(meter_number)
        self.meter_entered()

    def meter_entered(self) -> None:
        """Enter in the meter field: validate the check digit, then confirm the customer."""
        if self._step in (Step.SELLING, Step.DONE):
            return
        text = self._view.meter.text()
        try:
            meter = parse_meter_number(text)
        except MeterNumberError as exc:
            self._view.set_meter_message(str(exc))
            show_error(InvalidInput(str(exc), hint=self.tr(
                "Check the number on the meter or card.")), self._view)
            self._view.meter.selectAll()
            self._view.meter.setFocus()
            return
        if (self._customer is not None and self._customer.meter_number == meter.drn
                and self._step is not Step.IDLE):
            self._view.amount.setFocus()
            return
        self._view.set_meter_message("")
        self._view.meter.setText(meter.drn)
        self._generation += 1
        generation = self._generation
        self._set_step(Step.LOOKING_UP)
        self._view.customer.name.setText(self.tr("Looking up meter {meter}…").format(
            meter=meter.drn))
        Op(self._view, lambda: self._sales.lookup(meter.drn)).success(
            lambda customer: self._customer_loaded(generation, customer)
        ).failure(lambda exc: self._lookup_failed(generation, exc)).run()

    def _customer_loaded(self, generation: int, customer: Customer) -> None:
        if generation != self._generation:
            return
        self._customer = customer
        self._view.customer.show_customer(customer)
        self._set_step(Step.CONFIRMED)
        if customer.can_sell:
            self._view.amount.setFocus()
        else:
            self._view.meter.selectAll()
            self._view.meter.setFocus()

    def _lookup_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._view.customer.clear(self._examples)
        self._set_step(Step.IDLE)
        show_error(exc, self._view)
        self._view.meter.selectAll()
        self._view.meter.setFocus()

    def _search(self) -> None:
        if self._step is Step.SELLING:
            return
        text = self._view.meter.text().strip()
        self.search_requested.emit("" if text.isdigit() else text)

    # -- amount and quote ---------------------------------------------------------------
    def _amount_edited(self, _text: str) -> None:
        if self._step in (Step.QUOTING, Step.QUOTED):
            # The amount changed: the old quote no longer describes this sale.
            self._generation += 1
            self._quote = None
            self._agreed = None
            self._view.quote.clear()
            self._view.tendered.clear()
            self._view.change.setText("")
            self._set_step(Step.CONFIRMED)

    def use_amount(self, amount: str) -> None:
        """A quick-amount key: fill the amount and ask for the quote."""
        if self._step not in (Step.CONFIRMED, Step.QUOTING, Step.QUOTED):
            return
        self._view.amount.setText(amount)
        self._amount_edited(amount)
        self.request_quote()

    def amount_entered(self) -> None:
        """Enter in the amount: quote it, or sell when this very amount is already quoted."""
        if self._step is Step.QUOTED:
            self.sell()
        else:
            self.request_quote()

    def request_quote(self) -> None:
        """F5: ask the server what the amount buys, with the breakdown."""
        if self._step not in (Step.CONFIRMED, Step.QUOTED) or self._customer is None:
            return
        if not self._customer.can_sell:
            return
        try:
            amount = parse_amount(self._view.amount.text(), "amount")
        except InvalidInput as exc:
            show_error(exc, self._view)
            self._view.amount.setFocus()
            return
        meter = self._customer.meter_number
        self._generation += 1
        generation = self._generation
        self._set_step(Step.QUOTING)
        self._view.quote.clear(self.tr("Getting the quote…"))
        Op(self._view, lambda: self._sales.quote(meter, amount)).success(
            lambda quote: self._quote_loaded(generation, quote)
        ).failure(lambda exc: self._quote_failed(generation, exc)).run()

    def _quote_loaded(self, generation: int, quote: Quote) -> None:
        if generation != self._generation:
            return
        self._reconfirm = None  # the cashier asked for this quote: it is what they show
        self._quote = quote
        self._agreed = (quote.amount, quote.currency)
        self._view.quote.show_quote(quote)
        self._set_step(Step.QUOTED)
        self._update_change()
        self._view.tendered.setFocus()

    def _quote_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        if isinstance(exc, TransientError) and self._customer is not None:
            # No server, so no quote: the sale can still be taken as pending (the core applies
            # the offline policy). Say plainly what the customer will get.
            try:
                amount = parse_amount(self._view.amount.text(), "amount")
            except InvalidInput:
                amount = None
            if amount is not None:
                self._agreed = (amount, self._customer.currency)
                self._view.quote.show_offline(amount, self._customer.currency, str(exc))
                self._set_step(Step.QUOTED)
                self._update_change()
                self._view.tendered.setFocus()
                return
        self._view.quote.clear()
        self._set_step(Step.CONFIRMED)
        show_error(exc, self._view)
        self._view.amount.setFocus()

    def _tendered(self) -> Decimal | None:
        text = self._view.tendered.text().strip()
        return parse_amount(text, "cash tendered") if text else None

    def _update_change(self, _text: str = "") -> None:
        if self._agreed is None:
            self._view.change.setText("")
            return
        agreed, currency = self._agreed
        try:
            tendered = self._tendered()
        except InvalidInput:
            self._view.change.setText(self.tr("not a number"))
            return
        if tendered is None:
            self._view.change.setText(self.tr("Change: -"))
        elif tendered < agreed:
            self._view.change.setText(self.tr("Short by {money}").format(
                money=format_money(agreed - tendered, currency)))
        else:
            self._view.change.setText(self.tr("Change: {money}").format(
                money=format_money(tendered - agreed, currency)))

    # -- sell ------------------------------------------------------------------------------
    def sell(self) -> None:
        """Enter / F12 on a quote: sell exactly what was quoted."""
        if self._step is not Step.QUOTED or self._agreed is None or self._customer is None:
            return
        if self._operator is None:
            show_error(InvalidInput(self.tr("Sign in before selling.")), self._view)
            return
        try:
            tendered = self._tendered()
            amount = parse_amount(self._view.amount.text(), "amount")
        except InvalidInput as exc:
            show_error(exc, self._view)
            return
        agreed, currency = self._agreed
        if amount != agreed:
            self.request_quote()
            return
        if self._reconfirm is not None:
            # First Enter after a price change: the cashier confirms the customer accepts the
            # new price. Only the next Enter sells.
            (summary, lines), self._reconfirm = self._reconfirm, None
            log.info("new price confirmed by the cashier")
            self._view.quote.show_price_change(summary, lines, confirmed=True)
            self._set_step(Step.QUOTED)
            return
        if tendered is not None and tendered < amount:
            show_error(InvalidInput(
                self.tr("The cash tendered is {money} short of the amount.").format(
                    money=format_money(amount - tendered, currency)),
                hint=self.tr("Take the full amount or lower it.")), self._view)
            self._view.tendered.setFocus()
            return
        meter, operator = self._customer.meter_number, self._operator
        log.info("selling %s on meter %s", format_money(amount, currency), meter)
        self._set_step(Step.SELLING)
        self._view.tokens.headline.setText(self.tr("Selling…"))
        Op(self._view, lambda: self._sales.sell(meter, amount, operator)).success(
            self._sold
        ).failure(self._sell_failed).run()

    def _sold(self, result: SaleResult) -> None:
        self._result = result
        self._view.tokens.show_result(result)
        if result.reference in self._deliveries:
            self._view.tokens.show_delivered(*self._deliveries[result.reference])
        if result.reference in self._differences:
            self._view.tokens.show_price_note(self._differences[result.reference])
        self._set_step(Step.DONE)
        self._view.next_button.setFocus()
        if result.state is SaleState.PENDING:
            log.info("sale kept pending as %s", result.reference)
        self.sold.emit(result)

    def _sell_failed(self, exc: BaseException) -> None:
        if isinstance(exc, SaleNotCompleted) and self._customer is not None:
            # No answer, and the sale may not go offline: it may yet go through. Selling again
            # could sell twice, so the screen holds this sale until the server tells.
            agreed, currency = self._agreed or (Decimal(0), self._customer.currency)
            self._result = SaleResult(
                SaleState.UNRESOLVED, exc.reference, self._customer.meter_number,
                self._customer.name, agreed, currency, print_state=PrintState.NO_PRINTER,
                pending_reason=str(exc))
            self._view.tokens.show_result(self._result)
            self._set_step(Step.DONE)
            self._view.next_button.setFocus()
            show_error(exc, self._view)
            return
        if isinstance(exc, PriceChanged) and self._customer is not None:
            # The tariff changed since the quote: nothing was sold. Show the new price; the
            # cashier confirms it again before selling.
            if exc.change is not None:
                self._set_step(Step.QUOTED)
                self._show_price_change(exc.change)
                return
            # No new quote (server unreachable): only a sale without the old quote is possible
            # (priced by the server later); say so, and still ask for a confirmation.
            agreed, currency = self._agreed or (Decimal(0), self._customer.currency)
            self._quote = None
            self._view.quote.show_offline(agreed, currency, str(exc))
            self._ask_reconfirm(str(exc), ())
            return
        # Refused (blocked, no credit, offline policy...): nothing was sold; back to the quote.
        self._set_step(Step.QUOTED)
        show_error(exc, self._view)
        self._view.tendered.setFocus()

    def print_update(self, job_id: str, state: PrintState, detail: str = "",
                     reference: str = "") -> None:
        """The print queue reported on a slip; shown if it belongs to the sale on screen."""
        result = self._result
        if result is None:
            return
        if (job_id and job_id == result.print_job) or (reference and
                                                        reference == result.reference):
            self._view.tokens.set_print_state(state, detail)

    def tariff_changed(self) -> None:
        """A new tariff version is in force: if it is the quote's tariff (the core's
        `check_quote` says stale), quote again and show what changed; the cashier must then
        confirm the new price before selling. Another tariff's change leaves the quote alone."""
        quote = self._quote
        if self._step is not Step.QUOTED or quote is None:
            return
        generation = self._generation
        Op(self._view, lambda: self._sales.requote_if_stale(quote)).success(
            lambda change: self._requoted(generation, quote, change)
        ).failure(lambda exc: self._requote_failed(generation, quote, exc)).run()

    def _requoted(self, generation: int, quote: Quote, change: QuoteChange | None) -> None:
        if change is None or generation != self._generation or self._quote is not quote \
                or self._step is not Step.QUOTED:
            return  # still current, or the cashier moved on (or is selling: the core checks)
        log.info("tariff changed under the quote: new quote shown, confirmation needed")
        self._show_price_change(change)

    def _requote_failed(self, generation: int, quote: Quote, exc: BaseException) -> None:
        if generation != self._generation or self._quote is not quote \
                or self._step is not Step.QUOTED:
            return
        # The quote is stale and no new one could be had: it must not be sold on.
        self._quote = None
        self._set_step(Step.CONFIRMED)
        self._quote_failed(generation, exc)
        if self._step is Step.QUOTED:  # offline: it can be sold pending, priced later
            self._ask_reconfirm(self.tr(
                "A new tariff is in force and the new price cannot be fetched now."), ())

    def _show_price_change(self, change: QuoteChange) -> None:
        """Replace the quote by the new one, say what changed, and ask for a confirmation."""
        self._generation += 1  # answers for the old quote no longer apply
        self._quote = change.quote
        self._agreed = (change.quote.amount, change.quote.currency)
        self._view.quote.show_quote(change.quote)
        self._ask_reconfirm(change.summary, change.lines)

    def _ask_reconfirm(self, summary: str, lines: tuple[tuple[str, str, str], ...]) -> None:
        self._view.quote.show_price_change(summary, lines)
        self._reconfirm = (summary, lines)
        self._set_step(Step.QUOTED)
        self._update_change()
        self._view.tendered.setFocus()

    def price_differs(self, receipt_no: str, summary: str) -> bool:
        """`sale.price_differs`: the server priced a sale differently from its quote. Shown on
        that sale; True when it is (or may be: a sale in flight) the one on this screen."""
        self._differences[receipt_no] = summary
        while len(self._differences) > 20:
            del self._differences[next(iter(self._differences))]
        result = self._result
        if result is not None and result.state is SaleState.TOKENED \
                and result.reference == receipt_no:
            self._view.tokens.show_price_note(summary)
            return True
        return self._step is Step.SELLING

    def delivered(self, receipt_no: str, accepted: bool, balance: str, unit: str) -> None:
        """`sale.delivered`: a two-way meter took (or refused) a sale's token; shown on the
        sale on screen when it is that sale."""
        self._deliveries[receipt_no] = (accepted, balance, unit)
        while len(self._deliveries) > 20:  # only the last few can still be on their way
            del self._deliveries[next(iter(self._deliveries))]
        result = self._result
        if result is not None and result.state is SaleState.TOKENED \
                and result.reference == receipt_no:
            self._view.tokens.show_delivered(accepted, balance, unit)

    def pending_resolved(self, reference: str, receipt_no: str, job_id: str = "") -> None:
        """A pending sale got its token; if it is the one on screen, show that and follow
        the token receipt's print job from now on."""
        result = self._result
        if result is not None and result.state in (SaleState.PENDING, SaleState.UNRESOLVED) \
                and result.reference == reference:
            self._result = replace(result, print_job=job_id)
            self._view.tokens.show_token_arrived(reference, receipt_no)
            self._view.tokens.set_print_state(PrintState.QUEUED if job_id
                                              else PrintState.NO_PRINTER)

    def not_sold(self, reference: str) -> None:
        """An unresolved sale never reached the server; if it is on screen, say so."""
        result = self._result
        if result is not None and result.state is SaleState.UNRESOLVED \
                and result.reference == reference:
            self._view.tokens.show_not_sold(reference)

    # -- back -----------------------------------------------------------------------------
    def back(self) -> None:
        """Esc: one step back (quote → amount → meter); after a sale, the next customer."""
        if self._step in (Step.QUOTED, Step.QUOTING):
            self._generation += 1
            self._quote = None
            self._agreed = None
            self._view.quote.clear()
            self._view.tendered.clear()
            self._view.change.setText("")
            self._set_step(Step.CONFIRMED)
            self._view.amount.setFocus()
            self._view.amount.selectAll()
        elif self._step in (Step.CONFIRMED, Step.LOOKING_UP):
            self._drop_customer()
            self._view.meter.setFocus()
            self._view.meter.selectAll()
        elif self._step is Step.DONE:
            self.new_customer()
        else:
            self._view.meter.clear()
            self._view.set_meter_message("")
