"""The sale flow as a Qt-free state machine: meter → customer → amount → quote → sell → done.

Events come in as method calls (a key, an edited field, an answer from the core); each returns
the actions the screen must take (`ui.sale_actions`): what to show, where the focus goes, which
till call to start. The Qt controller runs those calls in `Op` and feeds the answers back with
the generation they were started in, so answers for a meter or amount the cashier has since
changed are dropped. A sale is made on the quote the customer was shown (the till holds it;
the flow keeps its handle). While a sale is in flight nothing starts a second one. No PySide6
here: the whole flow, keyboard paths included, is tested without a display.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from decimal import Decimal

from app.sales.service import PriceChanged, SaleNotCompleted, SaleNotMade
from app.till.results import (
    Customer,
    Operator,
    PrintState,
    Quote,
    QuoteChange,
    SaleResult,
    SaleState,
)
from common.amounts import DECIMAL_POINT, AmountFormat, parse_amount
from common.errors import InvalidInput, TransientError
from common.money import Money
from sts.errors import MeterNumberError
from sts.meter_number import parse_meter_number
from ui import sale_actions as do
from ui.keymap import Action
from ui.money import format_money
from ui.sale_actions import Act, ChangeText, Controls, Field, Step, controls_for
from ui.sale_input import Translate, meter_problem, same
from ui.sale_news import SaleNews
from ui.translatable import QT_TRANSLATE_NOOP

__all__ = ["SaleFlow", "Step", "meter_problem", "parse_amount"]

log = logging.getLogger("vendpoint.ui.sale")


class SaleFlow(SaleNews):
    """One customer's sale at a time: events in, actions out (see the module docstring)."""

    def __init__(self, *, currency: str = "ZAR", tr: Translate = same,
                 amount_format: AmountFormat = DECIMAL_POINT) -> None:
        super().__init__()
        #: translates in the context "SaleFlow" (pyside6-lupdate files `self.tr` texts under
        #: this class's name)
        self.tr = tr
        self.currency = currency
        #: how the terminal's locale writes amounts (`ui.locale`)
        self.amount_format = amount_format
        self.operator: Operator | None = None
        self.step = Step.IDLE
        self.customer: Customer | None = None
        self.quote: Quote | None = None
        #: the amount the customer agreed to: from the quote, or (offline, when no quote is
        #: possible) the amount they were told will be sold pending
        self.agreed: Money | None = None
        self.result: SaleResult | None = None
        #: the price change awaiting the cashier's confirmation (PRICE_CHANGED)
        self._reconfirm: tuple[str, tuple[tuple[str, str, str], ...]] | None = None
        #: the fields' text as the cashier typed it
        self.meter_text = ""
        self.amount_text = ""
        self.tendered_text = ""
        self.generation = 0  # bumps when the cashier moves on; older answers are dropped
        #: the idempotency key of the sale on screen whose outcome is not known yet
        self.unfinished: str | None = None
        #: the vending server quotes by units (the till's capabilities), and the amount field
        #: takes units now (F7)
        self.units_offered = False
        self.by_units = False

    # -- derived ----------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """A sale is in flight (the idle lock waits, nothing else may start)."""
        return self.step is Step.SELLING

    def controls(self) -> Controls:
        """What is enabled in the current step."""
        return controls_for(self.step, self.customer is not None and self.customer.can_sell,
                            self.tr, by_units=self.by_units)

    # -- keys -------------------------------------------------------------------------------
    def key(self, action: Action) -> list[Act]:
        """A key of the sale screen (`ui.keymap`); keys for the shell are not handled here."""
        handlers: dict[Action, Callable[[], list[Act]]] = {
            Action.METER_ENTER: self.meter_entered, Action.AMOUNT_ENTER: self.amount_entered,
            Action.SELL: self.sell, Action.NEXT_CUSTOMER: self.new_customer,
            Action.SEARCH: self.search, Action.QUOTE: self.request_quote, Action.BACK: self.back,
            Action.UNITS: self.toggle_units,
        }
        handler = handlers.get(action)
        return [] if handler is None else handler()

    def _forget(self) -> list[Act]:
        """Drop the quote on screen; the till may let go of the quote it holds for it."""
        held, self.quote = self.quote, None
        return [] if held is None else [do.Forget(held.handle)]

    # -- meter ------------------------------------------------------------------------------
    def new_customer(self) -> list[Act]:
        """F2: clear everything for the next customer (not while a sale is in flight)."""
        if self.step is Step.SELLING:
            return []
        self.generation += 1
        forget = self._forget()
        if self.unfinished is not None:
            # Left to the sync worker: the core keeps checking it; the till refuses a new sale
            # on this meter until its outcome is known.
            log.info("unfinished sale left to the sync worker")
        self.customer = self.agreed = self.result = None
        self.unfinished = None
        self._reconfirm = None
        self.meter_text = self.amount_text = self.tendered_text = ""
        self.step = Step.IDLE
        mode: list[Act] = []
        if self.by_units:
            self.by_units = False
            mode.append(do.AmountMode(False))
        return [*forget, *mode, do.ClearTokens(), do.SetText(Field.METER, ""),
                do.SetText(Field.AMOUNT, ""), do.SetText(Field.TENDERED, ""), ChangeText(""),
                do.MeterMessage(""),
                do.ShowCustomer(None),
                do.ShowQuote(None, self.tr("The quote and its breakdown appear here.")),
                do.Focus(Field.METER)]

    def meter_edited(self, text: str) -> list[Act]:
        """The cashier typed in the meter field: check at once, as soon as the number is
        complete, so a mistyped digit shows before Enter; another number drops the customer."""
        acts: list[Act] = []
        if self.step in (Step.DONE, Step.UNFINISHED) and text and (
                self.customer is None or text != self.customer.meter_number):
            # Digits typed or scanned after a sale start the next customer (the finished
            # sale's number was selected, so the typing replaced it).
            acts += [a for a in self.new_customer()
                     if not (isinstance(a, do.SetText) and a.field is Field.METER)]
        elif self.step not in (Step.IDLE, Step.LOOKING_UP, Step.SELLING, Step.DONE,
                               Step.UNFINISHED):
            acts += self._drop_customer()
        self.meter_text = text
        return [*acts, do.MeterMessage(meter_problem(text, complete_only=True))]

    def _drop_customer(self) -> list[Act]:
        self.generation += 1
        forget = self._forget()
        self.customer = self.agreed = None
        self._reconfirm = None
        self.amount_text = self.tendered_text = ""
        self.step = Step.IDLE
        return [*forget, do.ShowCustomer(None), do.ShowQuote(None), do.SetText(Field.AMOUNT, ""),
                do.SetText(Field.TENDERED, ""), ChangeText("")]

    def use_meter(self, meter_number: str) -> list[Act]:
        """A meter chosen in the search: put it in the field and look it up."""
        acts: list[Act] = []
        if self.step is Step.SELLING:
            return acts
        if self.step in (Step.DONE, Step.UNFINISHED):
            acts += self.new_customer()
        self.meter_text = meter_number
        return [*acts, do.SetText(Field.METER, meter_number), *self.meter_entered()]

    def meter_entered(self) -> list[Act]:
        """Enter in the meter field: validate the check digit, then confirm the customer."""
        if self.step is Step.UNFINISHED and self.customer is not None \
                and self.meter_text == self.customer.meter_number:
            return self.retry()
        if self.step in (Step.SELLING, Step.DONE, Step.UNFINISHED):
            return []
        try:
            meter = parse_meter_number(self.meter_text)
        except MeterNumberError as exc:
            return [do.MeterMessage(str(exc)),
                    do.ShowError(InvalidInput(str(exc), hint=self.tr(
                        "Check the number on the meter or card."))),
                    do.Focus(Field.METER, select_all=True)]
        if (self.customer is not None and self.customer.meter_number == meter.drn
                and self.step is not Step.IDLE):
            return [do.Focus(Field.AMOUNT)]
        self.meter_text = meter.drn
        self.generation += 1
        self.step = Step.LOOKING_UP
        return [do.MeterMessage(""), do.SetText(Field.METER, meter.drn),
                do.ShowCustomer(None, looking_up=meter.drn), do.Lookup(self.generation, meter.drn)]

    def customer_loaded(self, generation: int, customer: Customer) -> list[Act]:
        """The core confirmed the customer."""
        if generation != self.generation:
            return []
        self.customer = customer
        self.step = Step.CONFIRMED
        focus = do.Focus(Field.AMOUNT) if customer.can_sell else do.Focus(Field.METER, True)
        return [do.ShowCustomer(customer), focus]

    def lookup_failed(self, generation: int, error: BaseException) -> list[Act]:
        """The customer could not be confirmed (unknown meter, server gone and not cached)."""
        if generation != self.generation:
            return []
        self.step = Step.IDLE
        return [do.ShowCustomer(None), do.ShowError(error), do.Focus(Field.METER, select_all=True)]

    def search(self) -> list[Act]:
        """F3: search customers (a typed name is handed over, a number is not)."""
        if self.step is Step.SELLING:
            return []
        text = self.meter_text.strip()
        return [do.Search("" if text.isdigit() else text)]

    # -- amount and quote -------------------------------------------------------------------
    def amount_edited(self, text: str) -> list[Act]:
        """The amount changed: a quote on screen no longer describes this sale."""
        self.amount_text = text
        if self.step not in (Step.QUOTING, Step.QUOTED, Step.PRICE_CHANGED):
            return []
        self.generation += 1
        forget = self._forget()
        self.agreed = None
        self._reconfirm = None
        self.tendered_text = ""
        self.step = Step.CONFIRMED
        return [*forget, do.ShowQuote(None), do.SetText(Field.TENDERED, ""), ChangeText("")]

    def use_amount(self, amount: str) -> list[Act]:
        """A quick-amount key: fill the amount and ask for the quote."""
        if self.step not in (Step.CONFIRMED, Step.QUOTING, Step.QUOTED, Step.PRICE_CHANGED):
            return []
        acts: list[Act] = [do.SetText(Field.AMOUNT, amount), *self.amount_edited(amount)]
        return acts + self.request_quote()

    def amount_entered(self) -> list[Act]:
        """Enter in the amount: quote it, or sell when this very amount is already quoted."""
        if self.step in (Step.QUOTED, Step.PRICE_CHANGED):
            return self.sell()
        return self.request_quote()

    def request_quote(self) -> list[Act]:
        """F5: ask the core what the amount buys, with the breakdown."""
        if self.step not in (Step.CONFIRMED, Step.QUOTED, Step.PRICE_CHANGED) \
                or self.customer is None or not self.customer.can_sell:
            return []
        if self.by_units:
            try:
                units = parse_units(self.amount_text, self.amount_format, self.tr)
            except InvalidInput as exc:
                return [do.ShowError(exc), do.Focus(Field.AMOUNT)]
            self.generation += 1
            self._reconfirm = None
            self.step = Step.QUOTING
            return [*self._forget(), do.ShowQuote(None, self.tr("Getting the quote…")),
                    do.FetchUnitsQuote(self.generation, self.customer.meter_number, units)]
        try:
            amount = parse_amount(self.amount_text, "amount", self.currency, self.amount_format)
        except InvalidInput as exc:
            return [do.ShowError(exc), do.Focus(Field.AMOUNT)]
        self.generation += 1
        self._reconfirm = None  # the cashier asked for this quote: it is what they show
        self.step = Step.QUOTING
        return [*self._forget(), do.ShowQuote(None, self.tr("Getting the quote…")),
                do.FetchQuote(self.generation, self.customer.meter_number, amount)]

    def toggle_units(self) -> list[Act]:
        """F7: the amount field takes units (kWh, kL) instead of money, or money again. A
        sale by units is a quote by units (the server says what it costs) sold as usual."""
        if self.step not in (Step.CONFIRMED, Step.QUOTING, Step.QUOTED, Step.PRICE_CHANGED) \
                or self.customer is None:
            return []
        if not self.units_offered and not self.by_units:
            return [do.ShowError(InvalidInput(
                self.tr("Sale by units is not offered by this vending server."),
                hint=self.tr("Type the amount of money instead.")))]
        self.by_units = not self.by_units
        acts = self.amount_edited("")
        return [*acts, do.SetText(Field.AMOUNT, ""), do.ShowQuote(None),
                do.AmountMode(self.by_units, self.customer.unit),
                do.Focus(Field.AMOUNT, select_all=True)]

    def quote_loaded(self, generation: int, quote: Quote) -> list[Act]:
        """The quote came back: show it; the tendered field is next."""
        if generation != self.generation:
            return []
        self.quote = quote
        self.agreed = quote.amount
        self.step = Step.QUOTED
        return [do.ShowQuote(quote), self._change(), do.Focus(Field.TENDERED)]

    def quote_failed(self, generation: int, error: BaseException) -> list[Act]:
        """No quote: offline, the sale can still be taken pending (the core applies the
        offline policy) after a plain notice; any other refusal is shown."""
        if generation != self.generation:
            return []
        if isinstance(error, TransientError) and self.customer is not None and self.by_units:
            self.quote = self.agreed = None
            self.step = Step.CONFIRMED
            return [do.ShowQuote(None), do.ShowError(InvalidInput(
                self.tr("A sale by units needs the server: only it knows what the units "
                         "cost. {reason}").format(reason=error),
                hint=self.tr("Press F7 and sell by amount (it goes pending), or wait."))),
                do.Focus(Field.AMOUNT)]
        if isinstance(error, TransientError) and self.customer is not None:
            try:
                amount = parse_amount(self.amount_text, "amount", self.currency, self.amount_format)
            except InvalidInput:
                amount = None
            if amount is not None:
                self.quote = None
                self.agreed = amount
                self.step = Step.QUOTED
                return [do.ShowOffline(amount, str(error)), self._change(),
                        do.Focus(Field.TENDERED)]
        self.quote = self.agreed = None
        self.step = Step.CONFIRMED
        return [do.ShowQuote(None), do.ShowError(error), do.Focus(Field.AMOUNT)]

    def tendered_edited(self, text: str) -> list[Act]:
        """The cash tendered changed: show the change or how much is short."""
        self.tendered_text = text
        return [self._change()]

    def _tendered(self) -> Money | None:
        text = self.tendered_text.strip()
        if not text:
            return None
        return parse_amount(text, "cash tendered", self.currency, self.amount_format)

    def _change(self) -> ChangeText:
        if self.agreed is None:
            return ChangeText("")
        agreed = self.agreed
        try:
            tendered = self._tendered()
        except InvalidInput:
            return ChangeText(self.tr("not a number"))
        if tendered is None:
            return ChangeText(self.tr("Change: -"))
        difference = Money(tendered.minor - agreed.minor, agreed.currency)
        if difference.minor < 0:
            return ChangeText(self.tr("Short by {money}").format(
                money=format_money(Money(-difference.minor, agreed.currency))))
        return ChangeText(self.tr("Change: {money}").format(money=format_money(difference)))

    def unfinished_resolved(self) -> None:
        """The unfinished sale on screen got its token through sync: it is done."""
        self.unfinished = None
        if self.step is Step.UNFINISHED:
            self.step = Step.DONE

    # -- sell -------------------------------------------------------------------------------
    def sell(self) -> list[Act]:
        """Enter / F12 on a quote: sell exactly what was quoted (after a price change, the
        first Enter only confirms that the customer accepts the new price). On a sale whose
        outcome is not known, it asks the core about THAT sale again."""
        if self.step is Step.UNFINISHED:
            return self.retry()
        if self.step not in (Step.QUOTED, Step.PRICE_CHANGED) or self.agreed is None \
                or self.customer is None:
            return []
        if self.operator is None:
            return [do.ShowError(InvalidInput(self.tr("Sign in before selling.")))]
        try:
            tendered = self._tendered()
            if self.by_units:
                units = parse_units(self.amount_text, self.amount_format, self.tr)
                quoted = None if self.quote is None else self.quote.requested_units
                if quoted is None or Decimal(quoted) != units:
                    return self.request_quote()
                amount = self.agreed
            else:
                amount = parse_amount(self.amount_text, "amount", self.currency,
                                      self.amount_format)
        except InvalidInput as exc:
            return [do.ShowError(exc)]
        if amount != self.agreed:
            return self.request_quote()
        if self.step is Step.PRICE_CHANGED and self._reconfirm is not None:
            (summary, lines), self._reconfirm = self._reconfirm, None
            log.info("new price confirmed by the cashier")
            self.step = Step.QUOTED
            return [do.ShowPriceChange(summary, lines, confirmed=True)]
        if tendered is not None and tendered.minor < amount.minor:
            return [do.ShowError(InvalidInput(
                self.tr("The cash tendered is {money} short of the amount.").format(
                    money=format_money(Money(amount.minor - tendered.minor, amount.currency))),
                hint=self.tr("Take the full amount or lower it."))), do.Focus(Field.TENDERED)]
        log.info("selling %s on meter %s", format_money(amount), self.customer.meter_number)
        self.step = Step.SELLING
        handle = None if self.quote is None else self.quote.handle  # None: sold pending
        return [do.ShowSelling(),
                do.Sell(self.customer.meter_number, amount, self.operator, handle,
                        cash=tendered)]

    def retry(self) -> list[Act]:
        """Enter / F12 on an unfinished sale: ask the core about the SAME sale (same key)."""
        if self.step is not Step.UNFINISHED or self.unfinished is None:
            return []
        log.info("asking the server again about the unfinished sale")
        self.step = Step.SELLING
        return [do.ShowSelling(), do.RetrySale(self.unfinished)]

    def sold(self, result: SaleResult) -> list[Act]:
        """The core answered the sale: its outcome goes on screen."""
        self.result = result
        self.quote = None  # sold on: the till has let go of it
        self.unfinished = None
        self.step = Step.DONE
        acts: list[Act] = [do.ShowResult(result), *self._noted(result)]
        if result.state is SaleState.PENDING:
            log.info("sale kept pending as %s", result.reference)
        # The customer's panel as it is now (arrears paid, free units taken, key change done).
        if self.customer is not None and result.state is SaleState.TOKENED:
            acts.append(do.RefreshCustomer(self.generation, self.customer.meter_number))
        # The meter field, its number selected: a scan or typed digits start the next customer.
        return [*acts, do.Focus(Field.METER, select_all=True), do.Sold(result)]

    def customer_refreshed(self, generation: int, customer: Customer) -> list[Act]:
        """The customer looked up again after the sale: shown if the sale is still on screen."""
        if generation != self.generation or self.step is not Step.DONE \
                or self.customer is None or customer.meter_number != self.customer.meter_number:
            return []
        self.customer = customer
        return [do.ShowCustomer(customer)]

    def sell_failed(self, error: BaseException) -> list[Act]:
        """The sale was not made, or its outcome is not known yet."""
        customer = self.customer
        if isinstance(error, SaleNotCompleted) and customer is not None:
            # The outcome is not known: it may yet go through. Selling again could sell twice,
            # so the screen holds THIS sale: Enter asks about it again, Esc/F2 leave it to sync.
            self.quote = None  # the till let go of it with the attempt
            self.unfinished = error.idempotency_key or None
            self.result = SaleResult(
                SaleState.UNRESOLVED, error.reference, customer.meter_number, customer.name,
                self.agreed or Money(0, self.currency), print_state=PrintState.NO_PRINTER,
                pending_reason=str(error))
            self.step = Step.UNFINISHED if self.unfinished else Step.DONE
            return [do.ShowResult(self.result), do.Focus(Field.METER, select_all=True),
                    do.ShowError(error)]
        if isinstance(error, SaleNotMade) and customer is not None:
            # The core confirmed nothing was sold: the customer is free to buy again.
            self.unfinished = None
            self.result = None
            self.quote = None
            self.step = Step.CONFIRMED
            return [do.ClearTokens(), do.ShowQuote(None), do.ShowError(error),
                    do.Focus(Field.AMOUNT, select_all=True)]
        if self.unfinished is not None and customer is not None:
            # A retry was refused or failed otherwise: the sale stays unfinished on screen.
            self.step = Step.UNFINISHED
            return [do.ShowError(error), do.Focus(Field.METER, select_all=True)]
        if isinstance(error, PriceChanged) and customer is not None:
            # The tariff changed since the quote: nothing was sold. Show the new price; the
            # cashier confirms it before selling.
            if error.change is not None:
                return self._price_change(error.change)
            # No new quote (server unreachable): only a sale without the old quote is possible
            # (priced by the server later); say so, and still ask for a confirmation.
            self.quote = None
            return [do.ShowOffline(self.agreed or Money(0, self.currency), str(error)),
                    *self._ask_reconfirm(str(error), ())]
        # Refused (blocked, no credit, offline policy...): nothing was sold; back to the quote.
        self.step = Step.QUOTED
        return [do.ShowError(error), do.Focus(Field.TENDERED)]

    # -- a new tariff under the quote -------------------------------------------------------
    def tariff_changed(self) -> list[Act]:
        """A tariff version came into force: ask whether it is the quote's (the core says)."""
        if self.step not in (Step.QUOTED, Step.PRICE_CHANGED) or self.quote is None:
            return []
        return [do.CheckQuote(self.generation, self.quote)]

    def requoted(self, generation: int, quote: Quote, change: QuoteChange | None) -> list[Act]:
        """The core's answer to `CheckQuote`: None when the quote still stands."""
        if change is None or not self._still(generation, quote):
            return []  # still current, or the cashier moved on (or is selling: the core checks)
        log.info("tariff changed under the quote: new quote shown, confirmation needed")
        return self._price_change(change)

    def requote_failed(self, generation: int, quote: Quote, error: BaseException) -> list[Act]:
        """The quote is stale and no new one could be had: it must not be sold on."""
        if not self._still(generation, quote):
            return []
        self.quote = None
        self.step = Step.CONFIRMED
        acts = self.quote_failed(generation, error)
        if self.step is Step.QUOTED:  # offline: it can be sold pending, priced later
            acts += self._ask_reconfirm(self.tr(
                "A new tariff is in force and the new price cannot be fetched now."), ())
        return acts

    def _still(self, generation: int, quote: Quote) -> bool:
        return (generation == self.generation and self.quote is quote
                and self.step in (Step.QUOTED, Step.PRICE_CHANGED))

    def _price_change(self, change: QuoteChange) -> list[Act]:
        """Replace the quote by the new one, say what changed, and ask for a confirmation."""
        self.generation += 1  # answers for the old quote no longer apply
        self.quote = change.quote
        self.agreed = change.quote.amount
        return [do.ShowQuote(change.quote), *self._ask_reconfirm(change.summary, change.lines)]

    def _ask_reconfirm(self, summary: str, lines: tuple[tuple[str, str, str], ...]
                       ) -> list[Act]:
        self._reconfirm = (summary, lines)
        self.step = Step.PRICE_CHANGED
        return [do.ShowPriceChange(summary, lines), self._change(), do.Focus(Field.TENDERED)]

    # -- back -------------------------------------------------------------------------------
    def back(self) -> list[Act]:
        """Esc: one step back (quote → amount → meter); after a sale, the next customer."""
        if self.step in (Step.QUOTED, Step.QUOTING, Step.PRICE_CHANGED):
            self.generation += 1
            forget = self._forget()
            self.agreed = None
            self._reconfirm = None
            self.tendered_text = ""
            self.step = Step.CONFIRMED
            return [*forget, do.ShowQuote(None), do.SetText(Field.TENDERED, ""), ChangeText(""),
                    do.Focus(Field.AMOUNT, select_all=True)]
        if self.step in (Step.CONFIRMED, Step.LOOKING_UP):
            return [*self._drop_customer(), do.Focus(Field.METER, select_all=True)]
        if self.step in (Step.DONE, Step.UNFINISHED):
            return self.new_customer()
        if self.step is Step.IDLE:
            self.meter_text = ""
            return [do.SetText(Field.METER, ""), do.MeterMessage("")]
        return []


_UNITS = re.compile(r"^\d{1,7}(?:[.,]\d)?$")


def parse_units(text: str, amount_format: AmountFormat, tr: Translate = same) -> Decimal:
    """Units as typed ("50", "50.5"; a decimal comma where the terminal's locale uses one),
    in tenths (0.1 kWh / 0.1 kL), more than zero; InvalidInput otherwise."""
    cleaned = text.strip()
    if amount_format.other in cleaned or not _UNITS.match(cleaned):
        raise InvalidInput(tr(QT_TRANSLATE_NOOP(
            "SaleFlow", "Type the units as a number with at most one decimal, such as 50 or "
            "50{sep}5.")).format(sep=amount_format.decimal))
    units = Decimal(cleaned.replace(",", "."))
    if units <= 0:
        raise InvalidInput(tr(QT_TRANSLATE_NOOP("SaleFlow", "The units must be more than zero.")))
    return units
