"""The sale flow without Qt: keys and answers in, actions out."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from decimal import Decimal

import pytest

from app.api.models import Money
from app.sales.service import SaleNotCompleted, SaleNotMade
from app.till.results import PrintState, Quote, QuoteChange, SaleResult, SaleState, Token
from common.amounts import amount_format
from common.errors import BusinessRuleError, TransientError
from tests.ui.fakes import BLOCKED, CASHIER, GOOD, FakeSales, price_changed, zar
from ui import sale_actions as f
from ui.keymap import Action
from ui.sale_actions import Field
from ui.sale_flow import SaleFlow, Step


def _one(acts: list[f.Act], kind: type) -> f.Act:
    found = [a for a in acts if isinstance(a, kind)]
    assert len(found) == 1, acts
    return found[0]


def _step(flow: SaleFlow) -> Step:
    return flow.step  # a call, so mypy does not narrow across events


class Till:
    """Runs the flow's core calls on a FakeSales at once (what the Qt controller does in Op)."""

    def __init__(self) -> None:
        self.sales = FakeSales()
        self.flow = SaleFlow()
        self.flow.operator = CASHIER
        self.shown: list[f.Act] = []

    def run(self, acts: list[f.Act]) -> list[f.Act]:
        self.shown += acts
        out = list(acts)
        for act in acts:
            match act:
                case f.Lookup(generation, meter):
                    out += self.answer(lambda: self.sales.lookup(meter),
                                       lambda c: self.flow.customer_loaded(generation, c),
                                       lambda e: self.flow.lookup_failed(generation, e))
                case f.FetchQuote(generation, meter, amount):
                    out += self.answer(lambda: self.sales.quote(meter, amount),
                                       lambda q: self.flow.quote_loaded(generation, q),
                                       lambda e: self.flow.quote_failed(generation, e))
                case f.Sell(meter, amount, operator, handle, cash):
                    out += self.answer(lambda: self.sales.sell(meter, amount, operator,
                                                               quote=handle,
                                                               cash_tendered=cash),
                                       self.flow.sold, self.flow.sell_failed)
                case f.RetrySale(key):
                    out += self.answer(lambda: self.sales.retry_sale(key),
                                       self.flow.sold, self.flow.sell_failed)
                case f.RefreshCustomer(generation, meter):
                    out += self.answer(lambda: self.sales.lookup(meter),
                                       lambda c: self.flow.customer_refreshed(generation, c),
                                       lambda e: [])
                case f.FetchUnitsQuote(generation, meter, units):
                    out += self.answer(lambda: self.sales.quote_units(meter, units),
                                       lambda q: self.flow.quote_loaded(generation, q),
                                       lambda e: self.flow.quote_failed(generation, e))
                case f.FetchResult(key):
                    out += self.answer(lambda: self.sales.stored_result(key),
                                       self.flow.late_result, self.flow.sell_failed)
        return out

    def answer(self, call, ok, failed) -> list[f.Act]:
        try:
            value = call()
        except Exception as exc:  # handed to the flow, as Op does
            return self.run(failed(exc))
        return self.run(ok(value))

    def type_meter(self, text: str) -> list[f.Act]:
        self.flow.meter_edited(text)
        return self.run(self.flow.key(Action.METER_ENTER))

    def type_amount(self, text: str) -> list[f.Act]:
        self.flow.amount_edited(text)
        return self.run(self.flow.key(Action.AMOUNT_ENTER))


@pytest.fixture
def till() -> Till:
    return Till()


def test_the_flow_and_key_map_load_without_qt() -> None:
    code = ("import sys, ui.sale_flow, ui.keymap; "
            "sys.exit(1 if any(m.startswith('PySide6') for m in sys.modules) else 0)")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_keyboard_sale_meter_enter_amount_enter_enter(till: Till) -> None:
    acts = till.type_meter(GOOD)
    assert _one(acts, f.Lookup) == f.Lookup(till.flow.generation, GOOD)
    assert _step(till.flow) is Step.CONFIRMED
    assert f.Focus(Field.AMOUNT) in acts
    acts = till.type_amount("100")
    fetch = _one(acts, f.FetchQuote)
    assert isinstance(fetch, f.FetchQuote) and fetch.amount == Money(10000, "ZAR")
    assert _step(till.flow) is Step.QUOTED and f.Focus(Field.TENDERED) in acts
    assert till.flow.controls().sell and not till.flow.controls().tokens_side
    assert till.flow.tendered_edited("150") == [f.ChangeText("Change: ZAR 50.00")]
    assert till.flow.tendered_edited("55.555") == [f.ChangeText("not a number")]
    assert till.flow.tendered_edited("150") == [f.ChangeText("Change: ZAR 50.00")]
    quote = till.flow.quote
    assert quote is not None
    acts = till.run(till.flow.key(Action.AMOUNT_ENTER))  # Enter on the quoted amount sells
    assert _one(acts, f.Sell) == f.Sell(GOOD, zar("100"), CASHIER, quote.handle,
                                        cash=zar("150"))
    assert till.sales.sold_on == [quote.handle]  # sold on the quote the till holds
    result = _one(acts, f.Sold)
    assert isinstance(result, f.Sold) and result.result.state is SaleState.TOKENED
    assert _step(till.flow) is Step.DONE and till.flow.controls().tokens_side
    assert f.Focus(Field.METER, select_all=True) in acts  # a scan starts the next customer
    for action in (Action.SELL, Action.AMOUNT_ENTER, Action.METER_ENTER):
        assert till.run(till.flow.key(action)) == []
    assert len(till.sales.sold) == 1


def test_nothing_starts_while_selling(till: Till) -> None:
    till.type_meter(GOOD)
    till.flow.amount_edited("100")
    till.run(till.flow.key(Action.QUOTE))
    acts = till.flow.key(Action.SELL)  # not answered yet: the sale is in flight
    assert isinstance(_one(acts, f.Sell), f.Sell) and till.flow.busy
    controls = till.flow.controls()
    assert controls.sell_label == "Selling…" and not controls.sell
    assert not controls.next_customer and controls.meter_read_only
    for action in (Action.SELL, Action.NEXT_CUSTOMER, Action.SEARCH, Action.BACK):
        assert till.flow.key(action) == []
    assert till.flow.use_meter(GOOD) == []
    assert _step(till.flow) is Step.SELLING


def test_escape_steps_back_then_next_customer(till: Till) -> None:
    till.type_meter(GOOD)
    till.type_amount("100")
    acts = till.flow.key(Action.BACK)
    assert _step(till.flow) is Step.CONFIRMED and till.flow.quote is None
    assert f.Focus(Field.AMOUNT, select_all=True) in acts
    acts = till.flow.key(Action.BACK)
    assert _step(till.flow) is Step.IDLE and till.flow.customer is None
    assert f.ShowCustomer(None) in acts
    till.flow.meter_edited("123")
    assert till.flow.key(Action.BACK) == [f.SetText(Field.METER, ""), f.MeterMessage("")]
    till.type_meter(GOOD)
    till.type_amount("100")
    till.run(till.flow.key(Action.SELL))
    acts = till.flow.key(Action.BACK)  # after a sale: the next customer
    assert _step(till.flow) is Step.IDLE and till.flow.result is None
    assert f.Focus(Field.METER) in acts


def test_bad_check_digit_is_said_at_once_and_on_enter(till: Till) -> None:
    wrong = GOOD[:-1] + str((int(GOOD[-1]) + 1) % 10)
    assert till.flow.meter_edited(wrong[:5]) == [f.MeterMessage("")]
    message = _one(till.flow.meter_edited(wrong), f.MeterMessage)
    assert isinstance(message, f.MeterMessage) and "check digit" in message.text
    acts = till.flow.key(Action.METER_ENTER)
    error = _one(acts, f.ShowError)
    assert isinstance(error, f.ShowError) and "check digit" in str(error.error)
    assert not any(isinstance(a, f.Lookup) for a in acts)


def test_blocked_meter_takes_no_amount(till: Till) -> None:
    till.type_meter(BLOCKED)
    assert _step(till.flow) is Step.CONFIRMED
    assert not till.flow.controls().amount_enabled
    assert till.type_amount("100") == []
    assert till.flow.key(Action.SELL) == []


def test_answers_for_an_earlier_meter_are_dropped(till: Till) -> None:
    lookup = _one(till.flow.meter_edited(GOOD) + till.flow.key(Action.METER_ENTER), f.Lookup)
    till.flow.key(Action.NEXT_CUSTOMER)
    assert isinstance(lookup, f.Lookup)
    customer = till.sales.lookup(GOOD)
    assert till.flow.customer_loaded(lookup.generation, customer) == []
    assert _step(till.flow) is Step.IDLE and till.flow.customer is None


def test_changing_the_amount_drops_the_quote(till: Till) -> None:
    till.type_meter(GOOD)
    till.type_amount("100")
    acts = till.flow.amount_edited("1000")
    assert f.ShowQuote(None) in acts and _step(till.flow) is Step.CONFIRMED
    assert till.flow.key(Action.SELL) == []


def test_short_tender_refused(till: Till) -> None:
    till.type_meter(GOOD)
    till.type_amount("100")
    assert till.flow.tendered_edited("80") == [f.ChangeText("Short by ZAR 20.00")]
    acts = till.flow.key(Action.SELL)
    error = _one(acts, f.ShowError)
    assert isinstance(error, f.ShowError) and "short" in str(error.error)
    assert till.sales.sold == []


def test_offline_no_quote_sells_pending(till: Till) -> None:
    def unreachable(meter_number: str, amount: Money) -> f.Act:
        raise TransientError("The server could not be reached.")

    till.sales.quote = unreachable  # type: ignore[method-assign, assignment]
    till.sales.offline = True
    till.type_meter(GOOD)
    acts = till.type_amount("50")
    offline = _one(acts, f.ShowOffline)
    assert offline == f.ShowOffline(zar("50"), "The server could not be reached.")
    assert _step(till.flow) is Step.QUOTED
    acts = till.run(till.flow.key(Action.SELL))
    sold = _one(acts, f.Sold)
    assert isinstance(sold, f.Sold) and sold.result.state is SaleState.PENDING


def test_quote_refusal_goes_back_to_the_amount(till: Till) -> None:
    till.type_meter(GOOD)
    acts = till.type_amount("2")
    error = _one(acts, f.ShowError)
    assert isinstance(error, f.ShowError) and isinstance(error.error, BusinessRuleError)
    assert _step(till.flow) is Step.CONFIRMED and f.Focus(Field.AMOUNT) in acts


def test_unanswered_sale_is_held_then_not_sold(till: Till) -> None:
    def silent(meter_number, amount, operator, **_kw):
        raise SaleNotCompleted("No answer. The sale is NOT complete.", reference="VP-1")

    till.sales.sell = silent  # type: ignore[method-assign]
    till.type_meter(GOOD)
    till.type_amount("100")
    acts = till.run(till.flow.key(Action.SELL))
    shown = _one(acts, f.ShowResult)
    assert isinstance(shown, f.ShowResult) and shown.result.state is SaleState.UNRESOLVED
    assert _step(till.flow) is Step.DONE
    assert till.flow.key(Action.SELL) == []
    assert till.flow.not_sold("VP-2") == []
    assert till.flow.not_sold("VP-1") == [f.ShowNotSold("VP-1")]
    acts = till.flow.pending_resolved("VP-1", "R-9", "job-1")
    assert f.ShowTokenArrived("VP-1", "R-9") in acts
    assert till.flow.result is not None and till.flow.result.print_job == "job-1"


def _unfinished(till: Till, error: BaseException) -> None:
    """Sell once; the sale's answer is lost with `error`."""
    till.sales.sell_raises = error
    till.type_meter(GOOD)
    till.type_amount("100")
    till.run(till.flow.key(Action.SELL))


LOST = SaleNotCompleted("The answer was lost. The sale is NOT complete.", reference="VP-7",
                        idempotency_key="key-7")


def test_after_a_lost_answer_enter_asks_about_the_same_sale_never_sells_again(
        till: Till) -> None:
    _unfinished(till, LOST)
    assert _step(till.flow) is Step.UNFINISHED and till.flow.unfinished == "key-7"
    assert till.flow.controls().sell and "Ask again" in till.flow.controls().sell_label
    assert till.sales.sold == [] and till.sales.cash_tendered == [None]
    till.sales.retry_result = replace(_tokened_result(till), reference="R-7")
    for action in (Action.SELL, Action.METER_ENTER):  # F12 / Enter in the meter field
        till.sales.retry_raises = LOST if action is Action.SELL else None
        acts = till.run(till.flow.key(action))
        assert _one(acts, f.RetrySale) == f.RetrySale("key-7")  # the SAME key, each time
    assert till.sales.retried == ["key-7", "key-7"]
    assert till.sales.sold == []  # never a second sale (a new key) for the same payment
    assert _step(till.flow) is Step.DONE and till.flow.result is not None
    assert till.flow.result.reference == "R-7" and till.flow.unfinished is None


def test_a_sale_the_core_says_was_not_made_frees_the_customer(till: Till) -> None:
    _unfinished(till, LOST)
    till.sales.retry_raises = SaleNotMade("Never made: nothing was sold.", reference="VP-7",
                                          idempotency_key="key-7")
    acts = till.run(till.flow.key(Action.SELL))
    assert isinstance(_one(acts, f.ShowError), f.ShowError)
    assert _step(till.flow) is Step.CONFIRMED and till.flow.unfinished is None
    assert f.ClearTokens() in acts and f.Focus(Field.AMOUNT, select_all=True) in acts
    till.run(till.flow.key(Action.AMOUNT_ENTER))  # quote again, then sell: a new sale
    acts = till.run(till.flow.key(Action.SELL))
    assert isinstance(_one(acts, f.Sold), f.Sold) and len(till.sales.sold) == 1


def test_esc_leaves_an_unfinished_sale_to_sync_and_a_scan_starts_the_next_customer(
        till: Till) -> None:
    _unfinished(till, LOST)
    acts = till.flow.meter_edited("0" * 11)  # the scanner's digits replace the selection
    assert _step(till.flow) is Step.IDLE and till.flow.unfinished is None
    assert f.ClearTokens() in acts and till.flow.meter_text == "0" * 11
    assert not any(isinstance(a, f.SetText) and a.field is Field.METER for a in acts)
    _unfinished(till, LOST)
    assert till.run(till.flow.key(Action.BACK))  # Esc: next customer
    assert _step(till.flow) is Step.IDLE and till.sales.retried == []


def test_a_late_token_shows_its_digits_on_the_pending_screen(till: Till) -> None:
    till.sales.offline = True
    till.type_meter(GOOD)
    till.type_amount("50")
    till.run(till.flow.key(Action.SELL))
    pending = till.flow.result
    assert pending is not None and pending.state is SaleState.PENDING
    till.sales.offline = False
    tokened = _tokened_result(till)
    till.sales.stored["key-p"] = tokened
    acts = till.run(till.flow.pending_resolved(pending.reference, tokened.reference, "job-2",
                                               "key-p"))
    shown = [a for a in acts if isinstance(a, f.ShowResult)]
    assert shown and shown[-1].result.tokens == tokened.tokens  # the digits are on screen
    assert shown[-1].result.print_job == "job-2"


def test_after_a_sale_the_customer_is_looked_up_again_and_only_shown_if_still_on_screen(
        till: Till) -> None:
    till.type_meter(GOOD)
    till.type_amount("100")
    acts = till.run(till.flow.key(Action.SELL))
    refresh = _one(acts, f.RefreshCustomer)
    assert refresh == f.RefreshCustomer(till.flow.generation, GOOD)
    fresh = replace(till.sales.lookup(GOOD), key_change_due=False, arrears=zar("0"))
    assert till.flow.customer_refreshed(refresh.generation, fresh) == [f.ShowCustomer(fresh)]
    till.run(till.flow.key(Action.NEXT_CUSTOMER))  # the cashier moved on: nothing shown
    assert till.flow.customer_refreshed(refresh.generation, fresh) == []


def test_f7_sells_by_units_where_the_server_offers_it(till: Till) -> None:
    till.type_meter(GOOD)
    acts = till.run(till.flow.key(Action.UNITS))  # not offered: said so, nothing changes
    assert isinstance(_one(acts, f.ShowError), f.ShowError) and not till.flow.by_units
    till.flow.units_offered = True
    acts = till.run(till.flow.key(Action.UNITS))
    assert f.AmountMode(True, "kWh") in acts and till.flow.by_units
    assert not till.flow.controls().quick_amounts  # the quick amounts are money
    assert isinstance(_one(till.type_amount("50,5"), f.ShowError), f.ShowError)  # "50,5"?
    acts = till.type_amount("50.5")
    assert _one(acts, f.FetchUnitsQuote) == f.FetchUnitsQuote(till.flow.generation, GOOD,
                                                              Decimal("50.5"))
    assert till.sales.units_quotes == [Decimal("50.5")]
    assert _step(till.flow) is Step.QUOTED and till.flow.agreed == zar("101.00")
    acts = till.run(till.flow.key(Action.SELL))  # sold: the quoted amount, on its quote
    assert isinstance(_one(acts, f.Sold), f.Sold)
    assert till.sales.sold[-1][1] == Decimal("101.00")
    till.run(till.flow.key(Action.NEXT_CUSTOMER))  # the next customer starts by amount
    assert not till.flow.by_units


def test_a_sale_by_units_needs_the_server(till: Till) -> None:
    till.flow.units_offered = True
    till.type_meter(GOOD)
    till.run(till.flow.key(Action.UNITS))
    till.sales.quote_units = _unreachable  # type: ignore[method-assign,assignment]
    acts = till.type_amount("50")
    error = _one(acts, f.ShowError)
    assert isinstance(error, f.ShowError) and "needs the server" in str(error.error)
    assert _step(till.flow) is Step.CONFIRMED and till.sales.sold == []


def _unreachable(meter: str, units: Decimal) -> Quote:
    raise TransientError("The server could not be reached.")


def _tokened_result(till: Till) -> SaleResult:
    return SaleResult(SaleState.TOKENED, "R-1", GOOD, "Lindiwe Mokoena", zar("100"),
                      tokens=(Token(1, "credit", "Credit 55.6 kWh", "12345678901234567890",
                                    "55.6"),), units="55.6")


def _change(till: Till) -> QuoteChange:
    from dataclasses import replace
    old = till.sales.quote(GOOD, zar("100"))
    return QuoteChange(replace(old, units="50.0", tariff_version=2), "Tariff v1 to v2.",
                       (("Block 1", "86.96", "86.95"),))


def test_price_change_under_the_quote_needs_a_confirming_enter(till: Till) -> None:
    till.type_meter(GOOD)
    till.type_amount("100")
    check = _one(till.flow.tariff_changed(), f.CheckQuote)
    assert isinstance(check, f.CheckQuote)
    assert till.flow.requoted(check.generation, check.quote, None) == []  # still stands
    assert _step(till.flow) is Step.QUOTED
    change = _change(till)
    acts = till.flow.requoted(check.generation, check.quote, change)
    assert f.ShowPriceChange("Tariff v1 to v2.", change.lines) in acts
    assert _step(till.flow) is Step.PRICE_CHANGED
    assert till.flow.controls().sell_label == "Confirm (Enter)"
    acts = till.run(till.flow.key(Action.SELL))  # first Enter only confirms
    assert acts == [f.ShowPriceChange("Tariff v1 to v2.", change.lines, confirmed=True)]
    assert _step(till.flow) is Step.QUOTED and till.sales.sold == []
    acts = till.run(till.flow.key(Action.SELL))
    assert isinstance(_one(acts, f.Sold), f.Sold)


def test_sale_refused_on_a_new_price_shows_it_for_confirmation(till: Till) -> None:
    till.type_meter(GOOD)
    till.type_amount("100")
    change = _change(till)
    till.sales.sell_raises = price_changed("The price changed.", change)
    acts = till.run(till.flow.key(Action.SELL))
    assert f.ShowQuote(change.quote) in acts and _step(till.flow) is Step.PRICE_CHANGED
    till.sales.sell_raises = price_changed("No new price.", None)
    till.run(till.flow.key(Action.SELL))  # confirm
    acts = till.run(till.flow.key(Action.SELL))
    assert isinstance(_one(acts, f.ShowOffline), f.ShowOffline)  # offered pending, confirm
    assert _step(till.flow) is Step.PRICE_CHANGED and till.sales.sold == []


def test_stale_quote_without_a_new_price_is_not_sold_on(till: Till) -> None:
    till.type_meter(GOOD)
    till.type_amount("100")
    check = _one(till.flow.tariff_changed(), f.CheckQuote)
    assert isinstance(check, f.CheckQuote)
    acts = till.flow.requote_failed(check.generation, check.quote,
                                    TransientError("Server gone."))
    assert till.flow.quote is None
    assert isinstance(_one(acts, f.ShowOffline), f.ShowOffline)
    assert _step(till.flow) is Step.PRICE_CHANGED


def test_read_back_and_price_note_before_the_sale_answer(till: Till) -> None:
    till.type_meter(GOOD)
    till.type_amount("100")
    sell = till.flow.key(Action.SELL)
    assert isinstance(_one(sell, f.Sell), f.Sell)
    assert till.flow.delivered("VP00000001", True, "7.7", "kWh") == []
    assert till.flow.price_differs("VP00000001", "Sold on v2.") == (True, [])
    result = till.sales.sell(GOOD, zar("100"), CASHIER)
    acts = till.flow.sold(result)
    assert f.ShowDelivered(True, "7.7", "kWh") in acts
    assert f.ShowPriceNote("Sold on v2.") in acts
    assert till.flow.price_differs("VP99", "other") == (False, [])
    assert till.flow.print_update("", PrintState.FAILED, "paper out", "VP00000001") == [
        f.ShowPrintState(PrintState.FAILED, "paper out")]
    assert till.flow.print_update("other", PrintState.FAILED) == []


def test_slip_printed_before_the_sale_answer(till: Till) -> None:
    till.type_meter(GOOD)
    till.type_amount("100")
    assert isinstance(_one(till.flow.key(Action.SELL), f.Sell), f.Sell)
    result = till.sales.sell(GOOD, zar("100"), CASHIER)
    # The print queue reports the slip done before the sale's answer reaches the screen.
    assert till.flow.print_update(result.print_job, PrintState.PRINTED, "",
                                  result.reference) == []
    acts = till.flow.sold(result)
    assert acts.index(f.ShowPrintState(PrintState.PRINTED, "")) > acts.index(
        _one(acts, f.ShowResult))


def test_search_hands_over_a_name_not_a_number(till: Till) -> None:
    till.flow.meter_edited("lindi")
    assert till.flow.key(Action.SEARCH) == [f.Search("lindi")]
    till.flow.meter_edited("0123")
    assert till.flow.key(Action.SEARCH) == [f.Search("")]


def test_shell_keys_are_not_the_flows(till: Till) -> None:
    for action in (Action.REPRINT, Action.PENDING, Action.TODAY, Action.LOCK):
        assert till.flow.key(action) == []


def test_sign_in_needed_before_selling(till: Till) -> None:
    till.type_meter(GOOD)
    till.type_amount("100")
    till.flow.operator = None
    error = _one(till.flow.key(Action.SELL), f.ShowError)
    assert isinstance(error, f.ShowError) and "Sign in" in str(error.error)


def test_a_quote_leaving_the_screen_is_released_in_the_till(till: Till) -> None:
    till.type_meter(GOOD)
    till.type_amount("100")
    first = till.flow.quote
    assert first is not None
    acts = till.flow.amount_edited("90")  # another amount: the old quote no longer applies
    assert acts[0] == f.Forget(first.handle) and till.flow.quote is None
    till.run(till.flow.key(Action.QUOTE))
    second = till.flow.quote
    assert second is not None and second.handle != first.handle
    assert till.flow.key(Action.BACK)[0] == f.Forget(second.handle)
    till.run(till.flow.key(Action.QUOTE))
    third = till.flow.quote
    assert third is not None
    assert f.Forget(third.handle) in till.flow.key(Action.NEXT_CUSTOMER)
    till.type_meter(GOOD)
    till.type_amount("100")
    till.run(till.flow.key(Action.SELL))  # sold on: the till let go of it itself
    assert till.flow.quote is None
    assert not [a for a in till.flow.key(Action.NEXT_CUSTOMER) if isinstance(a, f.Forget)]


def test_a_comma_amount_is_refused_never_quoted_as_a_thousand(till: Till) -> None:
    # "10,50" under the decimal-point locale was read as ZAR 1,050.00, one Enter from selling.
    till.type_meter(GOOD)
    acts = till.type_amount("10,50")
    assert not [a for a in acts if isinstance(a, f.FetchQuote)]
    error = _one(acts, f.ShowError)
    assert isinstance(error, f.ShowError) and "not clear" in str(error.error)
    assert f.Focus(Field.AMOUNT) in acts and _step(till.flow) is Step.CONFIRMED
    assert till.sales.sold == []


def test_a_decimal_comma_terminal_reads_the_comma_as_cents() -> None:
    comma = Till()
    comma.flow = SaleFlow(amount_format=amount_format("af_ZA"))
    comma.flow.operator = CASHIER
    comma.type_meter(GOOD)
    fetch = _one(comma.type_amount("10,50"), f.FetchQuote)
    assert isinstance(fetch, f.FetchQuote) and fetch.amount == Money(1050, "ZAR")
    comma.flow.amount_edited("10.50")
    acts = comma.run(comma.flow.key(Action.AMOUNT_ENTER))
    error = _one(acts, f.ShowError)
    assert isinstance(error, f.ShowError) and "not clear" in str(error.error)
