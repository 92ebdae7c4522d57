"""Pricing against receipts computed by hand (docs/api.md §6), plus properties."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vendserver.demo import TARIFFS
from vendserver.pricing import AmountTooLow, MeterState, TariffTerms, price


def terms(tariff_id: str) -> TariffTerms:
    doc = dict(next(t for t in TARIFFS if t["tariff_id"] == tariff_id), version=1)
    return TariffTerms.from_document(doc)


RES = terms("RES-IBT")  # 0-50 @2.00, 50-350 @2.50, 350-600 @3.00, 600+ @3.50, VAT incl.
COM = terms("COM-FLAT")  # 3.10 excl VAT, R 250.00 excl VAT fixed charge


def lines(p) -> list[tuple[str, int | None, int, int | None]]:
    return [(ln.kind, ln.units, ln.amount, ln.vat) for ln in p.lines]


def test_first_purchase_of_month_two_blocks_fixed_charge_and_vat():
    # R200: R45 service charge; R155 energy = 50 kWh @2.00 (R100) + 22 kWh @2.50 (R55).
    # VAT = 200 x 15/115 = 26.087 -> 26.09, shared 45:100:55 by largest remainder.
    p = price(RES, MeterState(0, True, 0, False), 20000)
    assert p.units == 720
    assert p.fixed == 4500 and p.debt == 0 and p.energy == 15500 and p.vat == 2609
    assert lines(p) == [
        ("energy", 500, 8695, 1305),
        ("energy", 220, 4783, 717),
        ("fixed_charge", None, 3913, 587),
        ("vat", None, 2609, None),
    ]
    assert sum(ln.amount for ln in p.lines) == 20000


def test_debt_recovery_percentage_inside_second_block():
    # Month-to-date 72.0 kWh, arrears R1250: debt = 20% of R100 = R20 (above the R10 minimum).
    # R80 energy at 2.50 = 32.0 kWh exactly; VAT = 80 x 15/115 = 10.43.
    p = price(RES, MeterState(720, False, 125000, False), 10000)
    assert p.units == 320
    assert lines(p) == [
        ("energy", 320, 6957, 1043),
        ("debt_recovery", None, 2000, None),
        ("vat", None, 1043, None),
    ]


def test_units_rounded_up_in_the_customers_favour():
    # R10.01 at R2.00/kWh = 5.005 kWh -> 5.1 kWh (never 5.0).
    p = price(RES, MeterState(0, False, 0, False), 1001)
    assert p.units == 51


def test_purchase_across_three_blocks():
    # From 340.0 kWh: 10 kWh @2.50 (R25) + 250 kWh @3.00 (R750) + R225/3.50 = 64.29 -> 64.3.
    p = price(RES, MeterState(3400, False, 0, False), 100000)
    assert p.units == 100 + 2500 + 643
    assert lines(p) == [
        ("energy", 100, 2174, 326),
        ("energy", 2500, 65218, 9782),
        ("energy", 643, 19565, 2935),
        ("vat", None, 13043, None),
    ]


def test_fbe_debt_minimum_capped_and_fixed_charge():
    # Arrears R30; R100: fixed R45, debt max(20%, R10) = R20, energy R35 = 17.5 kWh; FBE 50.
    p = price(RES, MeterState(0, True, 3000, True), 10000)
    assert p.units == 175 and p.fbe_units == 500
    assert lines(p) == [
        ("energy", 175, 3044, 456),
        ("fixed_charge", None, 3913, 587),
        ("debt_recovery", None, 2000, None),
        ("fbe", 500, 0, None),
        ("vat", None, 1043, None),
    ]
    # Debt is capped at what is owed: R5 arrears, R200 purchase -> R5, not R40.
    assert price(RES, MeterState(0, False, 500, False), 20000).debt == 500


def test_amount_too_low_reports_the_smallest_amount_that_works():
    # R45 fixed + 20% debt (min R10) on R30 arrears: 0.8 A > 45 -> A = R56.26.
    with pytest.raises(AmountTooLow) as info:
        price(RES, MeterState(0, True, 3000, False), 5000)
    assert info.value.minimum == 5626
    assert price(RES, MeterState(0, True, 3000, False), 5626).energy == 1


def test_vat_exclusive_tariff():
    # 3.10 + 15% = 3.565/kWh; fixed 250.00 + 15% = 287.50. R1000: energy R712.50 =
    # 199.86 kWh -> 199.9. VAT 130.43 shared 287.50:712.50.
    p = price(COM, MeterState(0, True, 0, False), 100000)
    assert p.units == 1999
    assert lines(p) == [
        ("energy", 1999, 61957, 9293),
        ("fixed_charge", None, 25000, 3750),
        ("vat", None, 13043, None),
    ]


def _cost(t: TariffTerms, start: int, units: int) -> Fraction:
    """VAT-inclusive cents for `units` tenths from month-to-date `start`."""
    total = Fraction(0)
    for b in t.blocks:
        lo = max(b.lo, start)
        hi = start + units if b.hi is None else min(b.hi, start + units)
        if hi > lo:
            rate = Fraction(b.rate, 1000)
            if not t.prices_include_vat:
                rate *= Fraction(10000 + t.vat_bp, 10000)
            total += (hi - lo) * rate
    return total


@settings(max_examples=300, deadline=None)
@given(
    tariff=st.sampled_from([RES, COM, terms("WAT-DOM")]),
    mtd=st.integers(0, 20000),
    first=st.booleans(),
    arrears=st.integers(0, 500000),
    fbe=st.booleans(),
    amount=st.integers(500, 500000),
)
def test_lines_add_up_and_units_favour_the_customer(tariff, mtd, first, arrears, fbe, amount):
    state = MeterState(mtd, first, arrears, fbe)
    try:
        p = price(tariff, state, amount)
    except AmountTooLow as exc:
        assert exc.minimum > amount
        return
    assert sum(ln.amount for ln in p.lines) == amount
    assert p.fixed + p.debt + p.energy == amount
    assert sum(ln.vat or 0 for ln in p.lines) == p.vat
    assert all(ln.amount >= 0 for ln in p.lines)
    # The units cost at least the energy money, and 0.1 unit less would cost less than it.
    assert _cost(tariff, mtd, p.units) >= p.energy > _cost(tariff, mtd, p.units - 1)
    # More money never buys fewer units.
    assert price(tariff, state, amount + 1).units >= p.units
