"""Shifts: float, cash drops, close with count → expected vs counted, over/short, never forced."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from app.api.models import Money
from app.supervisor import SupervisorServices
from app.supervisor.shifts import count_denominations, parse_money
from common.amounts import amount_format
from common.errors import BusinessRuleError, InvalidInput
from offline_store import Store
from printers.render import render_text
from tests.app.supervisor.helpers_supervisor import CASHIER, SUP_OK, SUPERVISOR, Printed, Seeder

ZAR = "ZAR"


def test_open_drop_close_short(sv: SupervisorServices, seed: Seeder, store: Store,
                               printed: Printed) -> None:
    shift = sv.shifts.open_shift(CASHIER, Money(50000, ZAR))  # float 500.00
    with pytest.raises(BusinessRuleError):
        sv.shifts.open_shift(CASHIER, Money(100, ZAR))
    sid = shift.shift_id
    seed.tokened(amount=10000, units=453, shift_id=sid)                 # cash 100.00
    seed.tokened(amount=20000, units=900, shift_id=sid, tender="card")  # card: not in drawer
    seed.insert(amount=3000, offline=True, state="pending", shift_id=sid)  # cash taken offline
    rej = seed.insert(amount=700, offline=True, state="pending", shift_id=sid)
    seed.set_state(rej, "rejected")                                     # paid, then rejected
    refused = seed.insert(amount=999, shift_id=sid)
    seed.set_state(refused, "void")                                     # never paid
    seed.tokened(amount=4000, units=100, operator="lindiwe")            # another cashier
    sv.attention.cash_refund(CASHIER, rej, approval=SUP_OK, note="paid back")  # -7.00
    sv.shifts.cash_drop(CASHIER, sid, Money(20000, ZAR), "to safe")    # -200.00
    summary = sv.shifts.summary(SUPERVISOR, sid)
    assert summary.cash_sales == Money(13700, ZAR)
    assert summary.refunds == Money(700, ZAR) and summary.drops == Money(20000, ZAR)
    # 500 + 137 - 7 - 200 = 430.00
    assert summary.expected == Money(43000, ZAR)
    closed = sv.shifts.close_shift(CASHIER, sid, counted=parse_money("425.50", ZAR))
    assert closed.over_short == Money(-450, ZAR)          # short 4.50, recorded as counted
    assert closed.counted == Money(42550, ZAR)
    row = store.call(lambda c: c.execute(
        "SELECT state, closing_count_minor FROM shifts WHERE shift_id = ?", (sid,)).fetchone())
    assert tuple(row) == ("closed", 42550)
    body = json.loads(store.call(lambda c: c.execute(
        "SELECT body FROM journal WHERE kind = 'shift.closed'").fetchone()[0]))
    assert body["expected"] == "430.00" and body["over_short"] == "-4.50"
    slip = printed.items[-1]
    assert slip.kind == "shift_close" and str(slip.over_short) == "ZAR -4.50"
    text = render_text(slip, 42)
    assert "430.00" in text and "425.50" in text and "4.50" in text
    # Money paid back to customers is not a drop to the safe: each on its own line.
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "Cash drops ZAR 200.00" in lines
    assert "Paid back (reversals, refunds) ZAR 7.00" in lines
    again = render_text(sv.shifts.reprint_close(CASHIER, sid), 42)
    assert [" ".join(line.split()) for line in again.splitlines()].count(
        "Cash drops ZAR 200.00") == 1 and "Paid back (reversals, refunds)" in again
    with pytest.raises(BusinessRuleError):
        sv.shifts.cash_drop(CASHIER, sid, Money(100, ZAR))


def test_close_with_counting_sheet_over(sv: SupervisorServices, seed: Seeder) -> None:
    shift = sv.shifts.open_shift(CASHIER, Money(10000, ZAR))
    seed.tokened(amount=5000, units=200, shift_id=shift.shift_id)
    sheet = {10000: 1, 5000: 1, 200: 3}  # 100 + 50 + 6 = 156.00
    with pytest.raises(InvalidInput, match="does not match"):
        sv.shifts.close_shift(CASHIER, shift.shift_id, counted=Money(15000, ZAR),
                              denominations=sheet)
    closed = sv.shifts.close_shift(CASHIER, shift.shift_id, denominations=sheet)
    assert closed.counted == Money(15600, ZAR) and closed.over_short == Money(600, ZAR)
    assert closed.denominations == {"10000": 1, "5000": 1, "200": 3}


def test_sales_without_shift_id_fall_in_the_operators_window(
        sv: SupervisorServices, seed: Seeder) -> None:
    before = seed.insert(amount=111, created_at="2000-01-01T00:00:00.000000Z")
    seed.set_state(before, "pending")
    clock = datetime.now(UTC)
    shift = sv.shifts.open_shift(CASHIER, Money(0, ZAR))
    assert shift.opened_at >= clock.strftime("%Y-%m-%dT%H:%M:%S")
    seed.tokened(amount=2500, units=100)  # no shift id (sale service not passing it)
    assert sv.shifts.summary(SUPERVISOR, shift.shift_id).cash_sales == Money(2500, ZAR)


def test_bad_input_is_specific(sv: SupervisorServices) -> None:
    with pytest.raises(InvalidInput, match="must be a number"):
        parse_money("12,3x", ZAR)
    with pytest.raises(InvalidInput, match="two decimals"):
        parse_money("1.234", ZAR)
    assert parse_money("1 200.5", ZAR) == Money(120050, ZAR)
    assert parse_money("0", ZAR) == Money(0, ZAR)  # an empty drawer can be counted

    with pytest.raises(InvalidInput):
        count_denominations({500: -1}, ZAR)
    shift = sv.shifts.open_shift(SUPERVISOR, Money(0, ZAR))
    with pytest.raises(InvalidInput, match="counted cash"):
        sv.shifts.close_shift(SUPERVISOR, shift.shift_id)
    with pytest.raises(InvalidInput):
        sv.shifts.cash_drop(SUPERVISOR, shift.shift_id, Money(0, ZAR))


def test_shift_report_reprint(sv: SupervisorServices, seed: Seeder, printed: Printed) -> None:
    shift = sv.shifts.open_shift(CASHIER, Money(10000, ZAR))
    seed.tokened(amount=5000, units=200, shift_id=shift.shift_id)
    sv.shifts.close_shift(CASHIER, shift.shift_id, counted=Money(14000, ZAR))
    first = sv.shifts.reprint_close(CASHIER, shift.shift_id)
    second = sv.shifts.reprint_close(CASHIER, shift.shift_id)
    assert (first.reprint_no, second.reprint_no) == (1, 2)
    text = render_text(second, 42)
    assert "REPRINT" in text and "150.00" in text and "140.00" in text
    with pytest.raises(InvalidInput):
        sv.shifts.reprint_close(CASHIER, "S-nope")


@pytest.mark.parametrize("text", ["10,50", "500,5"])
def test_float_and_counted_cash_refuse_a_comma_that_could_be_cents(text: str) -> None:
    # The shift float and the counted cash were read with the commas stripped: 10,50 → 1050.
    with pytest.raises(InvalidInput, match="not clear"):
        parse_money(text, ZAR, field="counted cash")
    assert parse_money(text, ZAR, amount_format("pt_MZ")).minor in (1050, 50050)
