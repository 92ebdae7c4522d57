"""Pricing by units: the smallest amount that buys at least the units asked for.

The promise a cashier relies on when a customer asks for "50 kWh": the amount named buys at
least those units, and one cent less buys fewer (or is below the sale minimum). Checked over
random tariffs (blocks, fixed charges, debt recovery, VAT either way) and meter states.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.vendserver.test_pricing_properties import states, terms
from vendserver.pricing import (
    AmountTooLow,
    Block,
    FixedCharge,
    MeterState,
    TariffTerms,
    UnitsOutOfReach,
    amount_for_units,
    price,
)

LO, HI = 500, 500_000


def _units_at(t: TariffTerms, s: MeterState, amount: int) -> int:
    """Units `amount` buys; -1 when it leaves nothing for energy."""
    try:
        return price(t, s, amount).units
    except AmountTooLow:
        return -1


@settings(max_examples=int(os.environ.get("VENDPOINT_QA_EXAMPLES", "400")), deadline=None)
@given(t=terms(), s=states, units=st.integers(1, 400_000))
def test_the_amount_named_is_the_least_that_buys_the_units(
        t: TariffTerms, s: MeterState, units: int) -> None:
    try:
        p = amount_for_units(t, s, units, LO, HI)
    except UnitsOutOfReach as exc:
        # Refused only when even the largest sale buys fewer units, and it says how many.
        assert exc.at == HI
        assert _units_at(t, s, HI) == (exc.most or -1)  # -1: charges take it all
        assert exc.most < units
        return
    assert LO <= p.amount <= HI
    assert p.units >= units
    assert p == price(t, s, p.amount)  # exactly what a sale of that amount prices
    if p.amount > LO:
        assert _units_at(t, s, p.amount - 1) < units


_FLAT = TariffTerms(tariff_id="T", name="Flat", version=1, unit="kWh",
                    blocks=(Block(0, None, 20000),), fixed_charges=(), prices_include_vat=True,
                    vat_bp=1500, debt_percent_bp=0, debt_minimum=0, fbe_units=0)
_NEW_MONTH = MeterState(month_to_date=0, first_of_month=True, arrears=0, fbe_due=False)


def test_units_at_a_round_price_cost_exactly_that() -> None:
    # R 2.00/kWh incl. VAT (20 cents a tenth): R 99.80 buys 49.9 kWh exactly, and one cent
    # more already rounds up to 50.0 kWh (the customer's favour), so R 99.81 is the least.
    p = amount_for_units(_FLAT, _NEW_MONTH, 500, LO, HI)
    assert p.units >= 500 and price(_FLAT, _NEW_MONTH, p.amount - 1).units < 500
    assert p.amount == 9981  # 49.9 kWh costs R 99.80; one cent more rounds up to 50.0


def test_fixed_charges_and_debt_are_added_on_top() -> None:
    terms = TariffTerms(tariff_id="T", name="Charges", version=1, unit="kWh",
                        blocks=(Block(0, 500, 10000), Block(500, None, 20000)),
                        fixed_charges=(FixedCharge("SVC", "Service", 5000),),
                        prices_include_vat=True, vat_bp=1500, debt_percent_bp=1000,
                        debt_minimum=1000, fbe_units=0)
    state = MeterState(month_to_date=0, first_of_month=True, arrears=100_000, fbe_due=False)
    p = amount_for_units(terms, state, 600, LO, HI)  # 50 kWh at R 1 + 10 kWh at R 2
    assert p.units == 600
    assert p.fixed == 5000 and p.debt == max(p.amount // 10, 1000)
    assert p.energy <= 7000 and price(terms, state, p.amount - 1).units < 600


def test_units_beyond_the_largest_sale_are_refused_with_the_most_it_buys() -> None:
    with pytest.raises(UnitsOutOfReach) as caught:
        amount_for_units(_FLAT, _NEW_MONTH, 30_000, LO, HI)  # 3000 kWh = R 6000 > R 5000
    # R 5000 buys 2500.0 kWh by money; the token carries 2500.4 (STS steps above 1638.3).
    assert caught.value.most == price(_FLAT, _NEW_MONTH, HI).units == 25_004
    assert caught.value.at == HI


def test_charges_beyond_the_largest_sale_buy_nothing() -> None:
    terms = TariffTerms(tariff_id="T", name="Heavy", version=1, unit="kWh",
                        blocks=(Block(0, None, 20000),),
                        fixed_charges=(FixedCharge("SVC", "Service", 600_000),),
                        prices_include_vat=True, vat_bp=1500, debt_percent_bp=0,
                        debt_minimum=0, fbe_units=0)
    with pytest.raises(UnitsOutOfReach) as caught:
        amount_for_units(terms, _NEW_MONTH, 1, LO, HI)
    assert caught.value.most == 0
