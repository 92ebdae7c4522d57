"""The Qt side of the sale flow: keys and fields into `SaleFlow`, its actions onto `SaleView`.

All decisions are in `ui.sale_flow` (Qt-free). This controller only wires the view's signals
and the key map's shortcuts to the flow, runs the core calls the flow asks for in `Op` (so the
GUI thread never waits), and applies the flow's actions to the widgets.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QLineEdit, QPushButton, QWidget

from app.till.results import Operator, PrintState, SaleResult, SearchHit
from common.amounts import DECIMAL_POINT, AmountFormat
from common.errors import TransientError
from common.money import Money
from ui import sale_actions as f
from ui.errors import show_error
from ui.keymap import Action, Where, shortcuts
from ui.ops import Op
from ui.ports import SalePort
from ui.sale_actions import Field
from ui.sale_flow import SaleFlow, Step
from ui.sale_view import SaleView

__all__ = ["SaleController", "Step"]

log = logging.getLogger("vendpoint.ui.sale")

#: the flow's keys that the sale screen handles itself; the rest go to the shell
_SALE_KEYS = (Action.SELL, Action.NEXT_CUSTOMER, Action.SEARCH, Action.QUOTE, Action.BACK,
              Action.UNITS)


def _tr(text: str) -> str:
    return QCoreApplication.translate("SaleFlow", text)


class SaleController(QObject):
    """Runs one customer's sale at a time on a `SaleView` (the flow decides)."""

    #: a sale is in flight (the shell postpones the idle lock meanwhile)
    busy_changed = Signal(bool)
    #: a sale finished: SaleResult (tokened or pending)
    sold = Signal(object)
    #: F3 pressed: the shell opens the search dialog and calls `use_meter`
    search_requested = Signal(str)
    #: a key for the shell (reprint, pending, today, settings, tariffs, lock): its action name
    action_requested = Signal(str)

    def __init__(
        self, view: SaleView, sales: SalePort, *, examples: tuple[SearchHit, ...] = (),
        quick_amounts: Sequence[Decimal] = (), amount_format: AmountFormat = DECIMAL_POINT,
    ) -> None:
        super().__init__(view)
        self._view = view
        self._sales = sales
        self._examples = examples
        self._quick = tuple(quick_amounts)
        self.flow = SaleFlow(tr=_tr, amount_format=amount_format)
        self._busy = False
        self._wire()
        self.new_customer()

    # -- wiring -------------------------------------------------------------------------
    def _wire(self) -> None:
        v, flow = self._view, self.flow
        v.meter.returnPressed.connect(self.meter_entered)
        v.meter.textEdited.connect(lambda text: self._run(flow.meter_edited(text)))
        v.amount.returnPressed.connect(lambda: self._key(Action.AMOUNT_ENTER))
        v.amount.textEdited.connect(lambda text: self._run(flow.amount_edited(text)))
        v.tendered.returnPressed.connect(self.sell)
        v.tendered.textEdited.connect(lambda text: self._run(flow.tendered_edited(text)))
        v.quote_button.clicked.connect(self.request_quote)
        v.sell_button.clicked.connect(self.sell)
        v.next_button.clicked.connect(self.new_customer)
        v.search_button.clicked.connect(lambda: self._key(Action.SEARCH))
        self.shortcuts: dict[str, QShortcut] = {}
        keys = shortcuts(Where.SALE, Where.TENDERED_OR_SALE, Where.SALE_OR_REPRINT,
                         Where.SALE_OR_START)
        for key, action in keys.items():
            # Window context: the keys work wherever the focus is in the main window (a
            # banner's button, the notification bar), as long as the sale screen is the one
            # shown (a hidden screen's shortcuts never fire; dialogs are their own windows).
            shortcut = QShortcut(QKeySequence(key), v)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(self._key_slot(action))
            self.shortcuts[key] = shortcut

    def _key_slot(self, action: Action) -> Callable[[], None]:
        if action in _SALE_KEYS:
            return lambda: self._key(action)
        return lambda: self.action_requested.emit(action.value)

    def _key(self, action: Action) -> None:
        self._pull()
        self._run(self.flow.key(action))

    def load(self) -> None:
        """Fetch the terminal's currency in the background, then show the quick amounts."""
        Op(self._view, lambda: self._sales.currency).success(self._currency_loaded).run()

    def _currency_loaded(self, currency: str) -> None:
        self.flow.currency = currency
        self._view.set_quick_amounts(self._quick, currency)
        for button in self._view.quick_buttons:
            button.clicked.connect(self._quick_amount_clicked)

    def _quick_amount_clicked(self) -> None:
        button = self.sender()
        if isinstance(button, QPushButton):
            self.use_amount(str(button.property("amount")))

    # -- state ----------------------------------------------------------------------------
    @property
    def step(self) -> Step:
        return self.flow.step

    @property
    def result(self) -> SaleResult | None:
        return self.flow.result

    def set_units_offered(self, offered: bool) -> None:
        """Whether the vending server quotes by units (F7 is refused without it)."""
        self.flow.units_offered = offered

    def set_operator(self, operator: Operator) -> None:
        """Who is selling: shown on screen and sent with every sale."""
        self.flow.operator = operator
        self._view.operator.setText(self.tr("Operator: {name}").format(name=operator.name))

    # -- events into the flow -------------------------------------------------------------
    def new_customer(self) -> None:
        """F2: clear everything for the next customer (not while a sale is in flight)."""
        self._run(self.flow.new_customer())

    def use_meter(self, meter_number: str) -> None:
        """Put a meter number in the field (from search) and look it up."""
        self._pull()
        self._run(self.flow.use_meter(meter_number))

    def meter_entered(self) -> None:
        """Enter in the meter field."""
        self._pull()
        self._run(self.flow.meter_entered())

    def typed_elsewhere(self, event: QKeyEvent) -> bool:
        """A digit typed while a button (not a field) has the focus: it is the start of a
        meter number (typed or scanned), so it goes to the meter field; after a sale it starts
        the next customer. True when the key was taken."""
        text = event.text()
        if not text or not text.isdigit() or self.flow.busy:
            return False
        if self.flow.result is not None:
            self.new_customer()
        v = self._view
        if v.meter.isReadOnly() or not v.meter.isEnabled():
            return False
        v.meter.setFocus(Qt.FocusReason.OtherFocusReason)
        v.meter.end(False)
        QCoreApplication.sendEvent(v.meter, QKeyEvent(event.type(), event.key(),
                                                     event.modifiers(), text))
        return True

    def use_amount(self, amount: str) -> None:
        """A quick-amount key: fill the amount and ask for the quote."""
        self._pull()
        self._run(self.flow.use_amount(amount))

    def request_quote(self) -> None:
        """F5: ask the core what the amount buys."""
        self._key(Action.QUOTE)

    def sell(self) -> None:
        """Enter / F12 on a quote: sell exactly what was quoted."""
        self._key(Action.SELL)

    def back(self) -> None:
        """Esc: one step back."""
        self._key(Action.BACK)

    def tariff_changed(self) -> None:
        """A new tariff version is in force: the quote on screen may be stale."""
        self._run(self.flow.tariff_changed())

    def print_update(self, job_id: str, state: PrintState, detail: str = "",
                     reference: str = "") -> None:
        """The print queue reported on a document."""
        self._run(self.flow.print_update(job_id, state, detail, reference))

    def price_differs(self, receipt_no: str, summary: str) -> bool:
        """The server priced a sale differently; True when it is shown on this screen."""
        shown, acts = self.flow.price_differs(receipt_no, summary)
        self._run(acts)
        return shown

    def delivered(self, receipt_no: str, accepted: bool, balance: str, unit: str) -> None:
        """A two-way meter's read-back."""
        self._run(self.flow.delivered(receipt_no, accepted, balance, unit))

    def pending_resolved(self, reference: str, receipt_no: str, job_id: str = "",
                         idempotency_key: str = "") -> None:
        """A pending sale got its token."""
        self._run(self.flow.pending_resolved(reference, receipt_no, job_id, idempotency_key))

    def not_sold(self, reference: str) -> None:
        """An unanswered sale never reached the server."""
        self._run(self.flow.not_sold(reference))

    # -- actions onto the view ------------------------------------------------------------
    def _pull(self) -> None:
        # Fields may be filled by code too (a scanner's paste, a test): the flow reads them.
        v = self._view
        self.flow.meter_text = v.meter.text()
        self.flow.amount_text = v.amount.text()
        self.flow.tendered_text = v.tendered.text()

    def _quote_failed(self, generation: int, meter: str, amount: Money,
                      error: BaseException) -> None:
        """No quote because the server is unreachable: before a pending sale is offered, ask
        the till whether the offline policy would take it; if not, its refusal is shown."""
        flow = self.flow
        if not isinstance(error, TransientError):
            self._run(flow.quote_failed(generation, error))
            return
        Op(self._view, lambda: self._sales.offline_check(meter, amount)).success(
            lambda _decision: self._run(flow.quote_failed(generation, error))
        ).failure(lambda refusal: self._run(flow.quote_failed(generation, refusal))).run()

    def _run(self, acts: Sequence[f.Act]) -> None:
        # Widgets first, then what is enabled, then focus (a field must be enabled to take
        # it), then the signals (their receivers see the finished screen).
        late = (f.Focus, f.Sold, f.Search)
        for act in acts:
            if not isinstance(act, late):
                self._apply(act)
        self._sync_controls()
        for act in acts:
            if isinstance(act, late):
                self._apply(act)

    def _field(self, which: Field) -> QWidget:
        v = self._view
        return {Field.METER: v.meter, Field.AMOUNT: v.amount, Field.TENDERED: v.tendered,
                Field.NEXT: v.next_button}[which]

    def _apply(self, act: f.Act) -> None:
        v, flow = self._view, self.flow
        match act:
            case f.Lookup(generation, meter):
                Op(v, lambda: self._sales.lookup(meter)).success(
                    lambda c: self._run(flow.customer_loaded(generation, c))
                ).failure(lambda e: self._run(flow.lookup_failed(generation, e))).run()
            case f.RefreshCustomer(generation, meter):
                # Best effort: a failed refresh leaves the panel as it was (the sale is done).
                Op(v, lambda: self._sales.lookup(meter)).success(
                    lambda c: self._run(flow.customer_refreshed(generation, c))
                ).failure(lambda e: log.info("customer not refreshed after the sale: %s",
                                             type(e).__name__)).run()
            case f.FetchUnitsQuote(generation, meter, wanted):
                Op(v, lambda: self._sales.quote_units(meter, wanted)).success(
                    lambda q: self._run(flow.quote_loaded(generation, q))
                ).failure(lambda e: self._run(flow.quote_failed(generation, e))).run()
            case f.AmountMode(in_units, unit):
                v.set_amount_mode(in_units, unit)
            case f.FetchQuote(generation, meter, amount):
                Op(v, lambda: self._sales.quote(meter, amount)).success(
                    lambda q: self._run(flow.quote_loaded(generation, q))
                ).failure(lambda e: self._quote_failed(generation, meter, amount, e)).run()
            case f.CheckQuote(generation, stale):
                Op(v, lambda: self._sales.requote_if_stale(stale.handle)).success(
                    lambda c: self._run(flow.requoted(generation, stale, c))
                ).failure(lambda e: self._run(flow.requote_failed(generation, stale, e))
                          ).run()
            case f.Forget(held):
                # Only housekeeping in the till: a failure is logged, never shown.
                Op(v, lambda: self._sales.forget_quote(held)).failure(
                    lambda e: log.warning("quote not released: %s", type(e).__name__)).run()
            case f.Sell(meter, amount, operator, handle, cash):
                # The till records the tender and the cash handed over in the sale's own
                # transaction; cash only, for now.
                Op(v, lambda: self._sales.sell(meter, amount, operator, quote=handle,
                                               tender="cash", cash_tendered=cash)).success(
                    lambda r: self._run(flow.sold(r))
                ).failure(lambda e: self._run(flow.sell_failed(e))).run()
            case f.RetrySale(key):
                Op(v, lambda: self._sales.retry_sale(key)).success(
                    lambda r: self._run(flow.sold(r))
                ).failure(lambda e: self._run(flow.sell_failed(e))).run()
            case f.FetchResult(key):
                Op(v, lambda: self._sales.stored_result(key)).success(
                    lambda r: self._run(flow.late_result(r))
                ).failure(lambda e: log.warning("late token not shown: %s",
                                                type(e).__name__)).run()
            case f.ClearTokens():
                v.tokens.clear()
            case f.Sold(result):
                self.sold.emit(result)
            case f.Search(text):
                self.search_requested.emit(text)
            case f.ShowError(error):
                show_error(error, v)
            case f.Focus(which, select_all):
                widget = self._field(which)
                widget.setFocus()
                if select_all and isinstance(widget, QLineEdit):
                    widget.selectAll()
            case f.SetText(which, text):
                line = self._field(which)
                assert isinstance(line, QLineEdit)
                line.setText(text)
            case f.MeterMessage(text):
                v.set_meter_message(text)
            case f.ChangeText(text):
                v.change.setText(text)
            case f.ShowCustomer(customer, looking_up):
                if customer is not None:
                    v.customer.show_customer(customer)
                elif looking_up:
                    v.customer.name.setText(self.tr("Looking up meter {meter}…").format(
                        meter=looking_up))
                else:
                    v.customer.clear(self._examples)
            case f.ShowQuote(quote, text):
                if quote is None:
                    v.quote.clear(text)
                else:
                    v.quote.show_quote(quote)
            case f.ShowOffline(amount, reason):
                v.quote.show_offline(amount, reason)
            case f.ShowPriceChange(summary, lines, confirmed):
                v.quote.show_price_change(summary, lines, confirmed)
            case f.ShowSelling():
                v.tokens.clear()
                v.tokens.headline.setText(self.tr("Selling…"))
            case f.ShowResult(result):
                v.tokens.show_result(result)
            case f.ShowDelivered(accepted, balance, unit):
                v.tokens.show_delivered(accepted, balance, unit)
            case f.ShowPriceNote(summary):
                v.tokens.show_price_note(summary)
            case f.ShowTokenArrived(reference, receipt_no):
                v.tokens.show_token_arrived(reference, receipt_no)
            case f.ShowNotSold(reference):
                v.tokens.show_not_sold(reference)
            case f.ShowPrintState(state, detail):
                v.tokens.set_print_state(state, detail)

    def _sync_controls(self) -> None:
        c, v = self.flow.controls(), self._view
        v.meter.setReadOnly(c.meter_read_only)
        v.amount.setEnabled(c.amount_enabled)
        v.amount.setReadOnly(c.amount_read_only)
        v.tendered.setEnabled(c.tendered_enabled)
        v.tendered.setReadOnly(c.tendered_read_only)
        for button in v.quick_buttons:
            button.setEnabled(c.quick_amounts)
        v.quote_button.setEnabled(c.quote)
        v.sell_button.setEnabled(c.sell)
        v.sell_button.setText(c.sell_label)
        v.next_button.setEnabled(c.next_customer)
        v.show_tokens_side(c.tokens_side)
        if self.flow.busy != self._busy:
            self._busy = self.flow.busy
            self.busy_changed.emit(self._busy)
