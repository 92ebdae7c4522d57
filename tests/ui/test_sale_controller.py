from __future__ import annotations

import threading
from dataclasses import replace
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from app.api.models import Money
from app.sales.service import SaleNotCompleted
from app.till.results import PrintState, QuoteChange, SaleState
from common.errors import TransientError
from tests.ui.fakes import BLOCKED, CASHIER, GOOD, KEYCHANGE, UNKNOWN, FakeSales, price_changed, zar
from ui.ops import running_ops
from ui.sale_controller import SaleController, Step
from ui.sale_view import SaleView


@pytest.fixture
def sale(qtbot):
    view = SaleView()
    qtbot.addWidget(view)
    view.resize(1024, 700)
    view.show()
    sales = FakeSales()
    controller = SaleController(view, sales,
                                quick_amounts=(Decimal(20), Decimal(50), Decimal(100)))
    controller.set_operator(CASHIER)
    controller.load()
    qtbot.waitUntil(lambda: len(view.quick_buttons) == 3, timeout=5000)
    return view, controller, sales


def _step(controller: SaleController) -> Step:
    return controller.step  # a call, so mypy does not narrow across key presses


def _type(qtbot, widget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def _to_quote(qtbot, view, controller, meter: str = GOOD, amount: str = "100") -> None:
    _type(qtbot, view.meter, meter)
    qtbot.waitUntil(lambda: controller.step is Step.CONFIRMED, timeout=5000)
    _type(qtbot, view.amount, amount)
    qtbot.waitUntil(lambda: controller.step is Step.QUOTED, timeout=5000)


def test_keyboard_sale_meter_enter_amount_enter_confirm(qtbot, sale, shown_errors) -> None:
    view, controller, sales = sale
    _type(qtbot, view.meter, GOOD)
    qtbot.waitUntil(lambda: controller.step is Step.CONFIRMED, timeout=5000)
    assert view.customer.name.text() == "Lindiwe Mokoena"
    assert "6 days ago" in view.customer.details.text()
    assert view.amount.hasFocus()
    _type(qtbot, view.amount, "100")
    qtbot.waitUntil(lambda: controller.step is Step.QUOTED, timeout=5000)
    assert "buys 55.6 kWh" in view.quote.headline.text()
    assert view.tendered.hasFocus()
    qtbot.keyClicks(view.tendered, "150")
    assert view.change.text() == "Change: ZAR 50.00"
    with qtbot.waitSignal(controller.sold, timeout=5000) as blocker:
        qtbot.keyClick(view.tendered, Qt.Key.Key_Return)
    result = blocker.args[0]
    assert result.state is SaleState.TOKENED
    assert sales.sold == [(GOOD, Decimal("100.00"), "thandi")]
    assert _step(controller) is Step.DONE
    assert [lbl.text() for lbl in view.tokens.token_labels] == ["1234 5678 9012 3456 7890"]
    assert "VP00000001" in view.tokens.headline.text()
    # The meter field, its number selected: the next scan starts the next customer.
    assert view.meter.hasFocus() and view.meter.selectedText() == GOOD
    assert sales.cash_tendered == [Money(15000, "ZAR")]  # for the receipt's change line
    assert shown_errors.shown == []


def test_enter_again_after_sale_does_not_sell_twice(qtbot, sale) -> None:
    view, controller, sales = sale
    _to_quote(qtbot, view, controller)
    with qtbot.waitSignal(controller.sold, timeout=5000):
        qtbot.keyClick(view.tendered, Qt.Key.Key_F12)
    for widget in (view.tendered, view.amount, view.meter):
        qtbot.keyClick(widget, Qt.Key.Key_Return)
    qtbot.keyClick(view, Qt.Key.Key_F12)
    assert len(sales.sold) == 1


def test_sale_in_flight_blocks_second_sell_and_next_customer(qtbot, sale) -> None:
    view, controller, sales = sale
    sales.gate = threading.Event()
    _to_quote(qtbot, view, controller)
    with qtbot.waitSignal(controller.busy_changed, timeout=5000) as busy:
        controller.sell()
    assert busy.args == [True]
    controller.sell()
    controller.new_customer()
    assert _step(controller) is Step.SELLING
    assert not view.sell_button.isEnabled()
    with qtbot.waitSignal(controller.sold, timeout=5000):
        sales.gate.set()
    assert len(sales.sold) == 1


def test_key_change_tokens_shown_first_numbered_in_entry_order(qtbot, sale) -> None:
    view, controller, _sales = sale
    _to_quote(qtbot, view, controller, KEYCHANGE)
    assert "Arrears" in view.customer.warnings.text()
    assert "Key change due" in view.customer.warnings.text()
    assert view.customer.warnings.isVisible()
    assert "Key change tokens will be issued first" in view.quote.footer.text()
    with qtbot.waitSignal(controller.sold, timeout=5000):
        controller.sell()
    assert [lbl.text() for lbl in view.tokens.token_labels] == [
        "1111 1111 1111 1111 1111", "2222 2222 2222 2222 2222", "1234 5678 9012 3456 7890"]


def test_check_digit_message_at_once_and_on_enter(qtbot, sale, shown_errors) -> None:
    view, controller, sales = sale
    wrong = GOOD[:-1] + str((int(GOOD[-1]) + 1) % 10)
    view.meter.setFocus()
    qtbot.keyClicks(view.meter, wrong[:5])
    assert view.meter_message.isHidden()  # still typing: no nagging
    qtbot.keyClicks(view.meter, wrong[5:])
    assert "check digit" in view.meter_message.text()
    assert not view.meter_message.isHidden()
    qtbot.keyClick(view.meter, Qt.Key.Key_Return)
    assert shown_errors.shown and "check digit" in shown_errors.shown[0][1]
    assert _step(controller) is Step.IDLE
    assert sales.sold == []


def test_scanner_input_with_spaces_is_cleaned(qtbot, sale) -> None:
    view, controller, _sales = sale
    _type(qtbot, view.meter, f"{GOOD[:4]} {GOOD[4:8]} {GOOD[8:]}")
    qtbot.waitUntil(lambda: controller.step is Step.CONFIRMED, timeout=5000)
    assert view.meter.text() == GOOD


def test_blocked_meter_shown_but_no_money_taken(qtbot, sale) -> None:
    view, controller, sales = sale
    _type(qtbot, view.meter, BLOCKED)
    qtbot.waitUntil(lambda: controller.step is Step.CONFIRMED, timeout=5000)
    assert "BLOCKED" in view.customer.warnings.text()
    assert not view.amount.isEnabled()
    controller.request_quote()
    controller.sell()
    assert _step(controller) is Step.CONFIRMED and sales.sold == []


def test_unknown_meter_error_shown_and_back_to_meter(qtbot, sale, shown_errors) -> None:
    view, controller, _sales = sale
    _type(qtbot, view.meter, UNKNOWN)
    qtbot.waitUntil(lambda: bool(shown_errors.shown), timeout=5000)
    assert "No meter" in shown_errors.shown[0][1]
    assert _step(controller) is Step.IDLE
    assert view.meter.hasFocus()


def test_changing_amount_drops_quote_and_requires_new_one(qtbot, sale) -> None:
    view, controller, sales = sale
    _to_quote(qtbot, view, controller)
    view.amount.setFocus()
    qtbot.keyClicks(view.amount, "0")  # 1000 now, not what was quoted
    assert _step(controller) is Step.CONFIRMED
    controller.sell()
    assert sales.sold == []
    qtbot.keyClick(view.amount, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: controller.step is Step.QUOTED, timeout=5000)
    assert "ZAR 1,000.00" in view.quote.headline.text()


def test_short_tender_is_refused(qtbot, sale, shown_errors) -> None:
    view, controller, sales = sale
    _to_quote(qtbot, view, controller)
    qtbot.keyClicks(view.tendered, "80")
    assert "Short by ZAR 20.00" in view.change.text()
    qtbot.keyClick(view.tendered, Qt.Key.Key_Return)
    assert sales.sold == []
    assert "short" in shown_errors.shown[-1][1]


def test_quick_amount_key_quotes(qtbot, sale) -> None:
    view, controller, _sales = sale
    _type(qtbot, view.meter, GOOD)
    qtbot.waitUntil(lambda: controller.step is Step.CONFIRMED, timeout=5000)
    view.quick_buttons[1].click()
    qtbot.waitUntil(lambda: controller.step is Step.QUOTED, timeout=5000)
    assert view.amount.text() == "50"
    assert "ZAR 50.00 buys" in view.quote.headline.text()


def test_quote_refusal_shown(qtbot, sale, shown_errors) -> None:
    view, controller, _sales = sale
    _type(qtbot, view.meter, GOOD)
    qtbot.waitUntil(lambda: controller.step is Step.CONFIRMED, timeout=5000)
    _type(qtbot, view.amount, "2")
    qtbot.waitUntil(lambda: bool(shown_errors.shown), timeout=5000)
    assert "at least ZAR 5.00" in shown_errors.shown[0][1]
    assert _step(controller) is Step.CONFIRMED


def test_offline_sale_shows_pending_state(qtbot, sale) -> None:
    view, controller, sales = sale
    sales.offline = True
    _to_quote(qtbot, view, controller)
    with qtbot.waitSignal(controller.sold, timeout=5000):
        controller.sell()
    assert controller.result is not None and controller.result.state is SaleState.PENDING
    assert "NO TOKEN YET" in view.tokens.headline.text()
    assert "P-0001" in view.tokens.headline.text()
    assert view.tokens.headline.property("state") == "pending"
    assert view.tokens.token_labels == []


def test_print_update_for_sale_on_screen(qtbot, sale) -> None:
    view, controller, _sales = sale
    _to_quote(qtbot, view, controller)
    with qtbot.waitSignal(controller.sold, timeout=5000):
        controller.sell()
    assert "Printing" in view.tokens.print_state.text()
    controller.print_update("other-job", PrintState.FAILED, reference="other")
    assert "Printing" in view.tokens.print_state.text()
    controller.print_update("", PrintState.FAILED, "paper out", reference="VP00000001")
    assert "paper out" in view.tokens.print_state.text()
    assert "F8" in view.tokens.print_state.text()


def test_escape_steps_back_and_f2_clears(qtbot, sale) -> None:
    view, controller, _sales = sale
    _to_quote(qtbot, view, controller)
    qtbot.keyClick(view.tendered, Qt.Key.Key_Escape)
    assert _step(controller) is Step.CONFIRMED and view.amount.hasFocus()
    qtbot.keyClick(view.amount, Qt.Key.Key_Escape)
    assert _step(controller) is Step.IDLE and view.meter.hasFocus()
    _to_quote(qtbot, view, controller)
    qtbot.keyClick(view.tendered, Qt.Key.Key_F2)
    assert _step(controller) is Step.IDLE
    assert view.meter.text() == "" and view.amount.text() == ""


def test_stale_lookup_answer_is_dropped(qtbot, sale) -> None:
    view, controller, _sales = sale
    view.meter.setText(GOOD)
    controller.meter_entered()
    controller.new_customer()  # the cashier moved on before the answer came
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=5000)
    assert _step(controller) is Step.IDLE
    assert view.customer.name.text() == "No customer yet"


def test_function_keys_emit_actions(qtbot, sale) -> None:
    view, controller, _sales = sale
    seen: list[str] = []
    controller.action_requested.connect(seen.append)
    for key in (Qt.Key.Key_F8, Qt.Key.Key_F9, Qt.Key.Key_F10, Qt.Key.Key_F11):
        qtbot.keyClick(view.meter, key)
    assert seen == ["reprint", "pending", "today", "settings"]
    with qtbot.waitSignal(controller.search_requested, timeout=1000):
        qtbot.keyClick(view.meter, Qt.Key.Key_F3)


def test_offline_without_quote_sells_pending_after_plain_notice(qtbot, sale) -> None:
    view, controller, sales = sale

    def unreachable(meter_number: str, amount: Money):
        raise TransientError("The server could not be reached.")

    sales.quote = unreachable
    sales.offline = True
    _type(qtbot, view.meter, GOOD)
    qtbot.waitUntil(lambda: _step(controller) is Step.CONFIRMED, timeout=5000)
    _type(qtbot, view.amount, "50")
    qtbot.waitUntil(lambda: _step(controller) is Step.QUOTED, timeout=5000)
    assert "OFFLINE: no quote for ZAR 50.00" in view.quote.headline.text()
    assert "NOT a token" in view.quote.footer.text()
    with qtbot.waitSignal(controller.sold, timeout=5000):
        qtbot.keyClick(view.tendered, Qt.Key.Key_Return)
    assert sales.sold == [(GOOD, Decimal("50.00"), "thandi")]
    assert "NO TOKEN YET" in view.tokens.headline.text()


def test_offline_quote_never_offers_what_the_policy_refuses(qtbot, sale,
                                                            shown_errors) -> None:
    from app.sales.policy import OfflineRefused

    view, controller, sales = sale

    def unreachable(meter_number: str, amount: Money):
        raise TransientError("The server could not be reached.")

    sales.quote = unreachable
    sales.offline_refusal = OfflineRefused(
        "This customer has arrears (ZAR 120.00); the server must work out the debt "
        "recovery.", code="OFFLINE_ARREARS")
    _type(qtbot, view.meter, KEYCHANGE)
    qtbot.waitUntil(lambda: _step(controller) is Step.CONFIRMED, timeout=5000)
    _type(qtbot, view.amount, "50")
    qtbot.waitUntil(lambda: bool(shown_errors.shown), timeout=5000)
    assert sales.offline_checks == [(KEYCHANGE, zar("50.00"))]
    assert "arrears" in shown_errors.shown[-1][1]
    assert _step(controller) is Step.CONFIRMED
    assert "Press Enter to sell pending" not in view.quote.footer.text()
    assert "OFFLINE" not in view.quote.headline.text()
    qtbot.keyClick(view.amount, Qt.Key.Key_Return)  # Enter again asks again, sells nothing
    qtbot.waitUntil(lambda: len(sales.offline_checks) == 2, timeout=5000)
    assert sales.sold == []


def test_quote_lines_show_vat_inclusive_amounts_and_the_rate_per_unit(qtbot, sale) -> None:
    from PySide6.QtWidgets import QLabel

    view, controller, _sales = sale
    _to_quote(qtbot, view, controller, amount="100")
    grid = view.quote.grid
    cells = [[grid.itemAtPosition(r, c).widget().text()
              for c in range(3)] for r in range(grid.rowCount())
             if isinstance(grid.itemAtPosition(r, 0) and grid.itemAtPosition(r, 0).widget(),
                           QLabel)]
    assert cells[0] == ["Item", "Units", "Amount incl. VAT"]
    energy, vat = cells[1], cells[2]
    assert energy == ["Block 1 (0.0-50.0 kWh) @ ZAR 1.8000/kWh incl. VAT", "55.6 kWh",
                      "ZAR 100.00"]
    assert vat == ["VAT 15% (included above)", "", "ZAR 13.04"]


def test_alt_number_is_a_quick_amount_key(qtbot, sale) -> None:
    view, controller, _sales = sale
    _type(qtbot, view.meter, GOOD)
    qtbot.waitUntil(lambda: _step(controller) is Step.CONFIRMED, timeout=5000)
    qtbot.keyClick(view.amount, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: _step(controller) is Step.QUOTED, timeout=5000)
    assert view.amount.text() == "100"


def test_tab_order_follows_the_sale(qtbot, sale) -> None:
    view, controller, _sales = sale
    _to_quote(qtbot, view, controller)
    view.meter.setFocus()
    order = []
    for _ in range(3):
        qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Tab)
        order.append(view.focusWidget())
    assert order == [view.amount, view.tendered, view.sell_button]


def test_unanswered_sale_is_held_not_sold_again(qtbot, sale, shown_errors) -> None:
    view, controller, sales = sale

    def silent(meter_number, amount, operator, **_kw):
        raise SaleNotCompleted(
            "The server did not answer and this sale cannot be made offline (arrears). "
            "The sale is NOT complete: do not hand over a token.", reference="VP-0123456789")

    sales.sell = silent
    _to_quote(qtbot, view, controller)
    controller.sell()
    qtbot.waitUntil(lambda: _step(controller) is Step.DONE, timeout=5000)
    assert "NOT COMPLETE" in view.tokens.headline.text()
    assert "do not sell again" in view.tokens.headline.text()
    assert shown_errors.shown and "NOT complete" in shown_errors.shown[-1][1]
    for widget in (view.tendered, view.amount):
        qtbot.keyClick(widget, Qt.Key.Key_Return)
    controller.sell()
    assert _step(controller) is Step.DONE  # no second sale while the first is unknown
    controller.not_sold("VP-0123456789")
    assert "NOT SOLD" in view.tokens.headline.text()


# -- tariff changes under a quote -----------------------------------------------------------
def _new_price(sales: FakeSales) -> QuoteChange:
    old = sales.quote(GOOD, zar("100"))
    new = replace(old, units="50.0", tariff="Residential inclining block (version 2)",
                  tariff_version=2)
    return QuoteChange(new, "The tariff changed from version 1 to 2: ZAR 100.00 now buys "
                       "50.0 kWh instead of 55.6 kWh.",
                       (("Block 1 (0.0-50.0 kWh)", "86.96", "86.95"),))


def test_tariff_change_that_leaves_the_quote_current_changes_nothing(qtbot, sale) -> None:
    view, controller, sales = sale
    _to_quote(qtbot, view, controller)
    controller.tariff_changed()  # e.g. the water tariff: the core says this quote stands
    qtbot.waitUntil(lambda: len(sales.requote_checks) == 1, timeout=5000)
    qtbot.waitUntil(lambda: not running_ops(), timeout=5000)
    quote = controller.flow.quote  # the till checks the quote it holds, by its handle
    assert quote is not None and sales.requote_checks == [quote.handle]
    assert "buys 55.6 kWh" in view.quote.headline.text()
    assert not view.quote.notice.isVisible()
    with qtbot.waitSignal(controller.sold, timeout=5000):  # one Enter sells, as before
        qtbot.keyClick(view.tendered, Qt.Key.Key_Return)


def test_stale_quote_shows_the_difference_and_needs_a_second_enter(qtbot, sale,
                                                                   shown_errors) -> None:
    view, controller, sales = sale
    _to_quote(qtbot, view, controller)
    sales.requote_change = _new_price(sales)
    controller.tariff_changed()
    qtbot.waitUntil(lambda: view.quote.notice.isVisible(), timeout=5000)
    assert "PRICE CHANGED: The tariff changed from version 1 to 2" in view.quote.notice.text()
    assert "86.96 → 86.95" in view.quote.notice.text()
    assert "buys 50.0 kWh" in view.quote.headline.text()  # the new quote is on screen
    assert "(version 2)" in view.quote.footer.text()
    assert view.sell_button.text() == "Confirm (Enter)"
    qtbot.keyClick(view.tendered, Qt.Key.Key_Return)  # first Enter: confirms only
    qtbot.waitUntil(lambda: not running_ops(), timeout=5000)
    assert sales.sold == []
    assert _step(controller) is Step.QUOTED
    assert "New price confirmed" in view.quote.notice.text()
    with qtbot.waitSignal(controller.sold, timeout=5000):  # second Enter sells
        qtbot.keyClick(view.tendered, Qt.Key.Key_Return)
    assert sales.sold == [(GOOD, Decimal("100.00"), "thandi")]
    assert shown_errors.shown == []


def test_sale_refused_as_price_changed_shows_new_quote_then_confirm_and_sell(
        qtbot, sale, shown_errors) -> None:
    view, controller, sales = sale
    _to_quote(qtbot, view, controller)
    change = _new_price(sales)
    sales.sell_raises = price_changed(change.summary + " Nothing was sold.", change)
    qtbot.keyClick(view.tendered, Qt.Key.Key_Return)  # the core refuses: tariff changed
    qtbot.waitUntil(lambda: view.quote.notice.isVisible(), timeout=5000)
    assert sales.sold == []
    assert _step(controller) is Step.PRICE_CHANGED  # on the new quote, to be confirmed
    assert "buys 50.0 kWh" in view.quote.headline.text()
    assert "version 1 to 2" in view.quote.notice.text()
    qtbot.keyClick(view.tendered, Qt.Key.Key_Return)  # confirm
    qtbot.waitUntil(lambda: not running_ops(), timeout=5000)
    assert sales.sold == []
    with qtbot.waitSignal(controller.sold, timeout=5000):
        qtbot.keyClick(view.tendered, Qt.Key.Key_Return)
    assert len(sales.sold) == 1


def test_price_changed_without_new_quote_offers_pending_after_confirmation(
        qtbot, sale, shown_errors) -> None:
    view, controller, sales = sale
    _to_quote(qtbot, view, controller)
    sales.sell_raises = price_changed("The tariff changed and the new price cannot be "
                                      "fetched. Nothing was sold.", None)
    qtbot.keyClick(view.tendered, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.quote.notice.isVisible(), timeout=5000)
    assert "OFFLINE: no quote" in view.quote.headline.text()
    assert "new price cannot be fetched" in view.quote.notice.text()  # the core's words
    assert shown_errors.shown == []  # on the screen, not in a dialog
    qtbot.keyClick(view.tendered, Qt.Key.Key_Return)  # confirm
    qtbot.waitUntil(lambda: not running_ops(), timeout=5000)
    assert sales.sold == []
    with qtbot.waitSignal(controller.sold, timeout=5000):
        qtbot.keyClick(view.tendered, Qt.Key.Key_Return)
    assert len(sales.sold) == 1


def test_changing_the_amount_after_a_price_change_needs_no_confirmation(qtbot, sale) -> None:
    view, controller, sales = sale
    _to_quote(qtbot, view, controller)
    sales.requote_change = _new_price(sales)
    controller.tariff_changed()
    qtbot.waitUntil(lambda: view.quote.notice.isVisible(), timeout=5000)
    view.amount.setFocus()
    view.amount.selectAll()
    _type(qtbot, view.amount, "90")  # a fresh quote the cashier asked for
    qtbot.waitUntil(lambda: controller.step is Step.QUOTED, timeout=5000)
    assert not view.quote.notice.isVisible()
    with qtbot.waitSignal(controller.sold, timeout=5000):
        qtbot.keyClick(view.tendered, Qt.Key.Key_Return)


def test_smart_meter_balance_shown_on_its_sale(qtbot, sale) -> None:
    view, controller, _sales = sale
    _to_quote(qtbot, view, controller)
    with qtbot.waitSignal(controller.sold, timeout=5000):
        qtbot.keyClick(view.tendered, Qt.Key.Key_Return)
    controller.delivered("VP99999999", True, "1.0", "kWh")  # another sale: not shown
    assert not view.tokens.delivered.isVisible()
    assert "Enter the tokens" in view.tokens.headline.text()
    controller.delivered("VP00000001", True, "123.4", "kWh")
    assert view.tokens.delivered.isVisible()
    assert "balance now 123.4 kWh" in view.tokens.delivered.text()
    # The meter took it: the cashier is no longer told to have the tokens entered.
    assert "Enter the tokens" not in view.tokens.headline.text()
    assert "does not need to enter" in view.tokens.headline.text()
    controller.delivered("VP00000001", False, "", "")
    assert "did NOT accept" in view.tokens.delivered.text()
    controller.new_customer()
    assert not view.tokens.delivered.isVisible() or not view.tokens.isVisible()


def test_read_back_that_arrives_before_the_sale_answer_is_shown(qtbot, sale) -> None:
    """The server delivers into a two-way meter (and announces it) before the sale's own
    answer reaches the screen."""
    view, controller, sales = sale
    _to_quote(qtbot, view, controller)
    sales.gate = threading.Event()
    qtbot.keyClick(view.tendered, Qt.Key.Key_Return)
    controller.delivered("VP00000001", True, "77.7", "kWh")  # while the sale is in flight
    sales.gate.set()
    qtbot.waitUntil(lambda: controller.step is Step.DONE, timeout=5000)
    assert view.tokens.delivered.isVisible()
    assert "77.7 kWh" in view.tokens.delivered.text()


def test_escape_on_a_quote_releases_it_in_the_till(qtbot, sale) -> None:
    view, controller, sales = sale
    _to_quote(qtbot, view, controller)
    quote = controller.flow.quote
    assert quote is not None
    qtbot.keyClick(view.tendered, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: sales.forgotten == [quote.handle], timeout=5000)


def test_the_parsed_amount_is_shown_large_before_selling(qtbot, sale, shown_errors) -> None:
    view, controller, sales = sale
    _type(qtbot, view.meter, GOOD)
    qtbot.waitUntil(lambda: controller.step is Step.CONFIRMED, timeout=5000)
    _type(qtbot, view.amount, "10,50")  # could be 10.50 or 1050: refused, nothing quoted
    assert "not clear" in shown_errors.shown[-1][1] and controller.step is Step.CONFIRMED
    assert view.quote.amount.text() == ""
    view.amount.clear()
    _type(qtbot, view.amount, "1,050")
    qtbot.waitUntil(lambda: _step(controller) is Step.QUOTED, timeout=5000)
    assert view.quote.amount.text() == "Amount: ZAR 1,050.00"
    assert view.quote.amount.objectName() == "quoteAmount"  # the large style (style.qss)
    assert sales.sold == []
