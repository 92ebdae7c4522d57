"""Property tests of pricing over random tariffs, meter states and amounts (hypothesis).

The exact rules are docs/api.md §6; these check the promises a customer or an auditor relies
on, independent of how `price` computes them: the lines add up to the amount tendered, VAT is
round-half-up of the VAT fraction of the taxable money, units are rounded in the customer's
favour (never more than 0.1 unit of money short), the walk starts at the month's block
position, and fixed charges are taken only when due.
"""

from __future__ import annotations

import os
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from sts.tokens import decode_amount, encode_amount
from vendserver.money import round_half_up
from vendserver.pricing import AmountTooLow, Block, FixedCharge, MeterState, TariffTerms, price


@st.composite
def terms(draw: st.DrawFn) -> TariffTerms:
    n = draw(st.integers(1, 4))
    edges = sorted(draw(st.sets(st.integers(1, 20000), min_size=n - 1, max_size=n - 1)))
    los = [0, *edges]
    his: list[int | None] = [*edges, None]
    blocks = tuple(Block(lo, hi, draw(st.integers(1, 600000))) for lo, hi in zip(los, his,
                                                                                  strict=True))
    fixed = tuple(FixedCharge(f"F{i}", f"Charge {i}", draw(st.integers(1, 30000)))
                  for i in range(draw(st.integers(0, 2))))
    return TariffTerms(
        tariff_id="T", name="T", version=1, unit="kWh", blocks=blocks, fixed_charges=fixed,
        prices_include_vat=draw(st.booleans()), vat_bp=draw(st.sampled_from([0, 1500, 1400])),
        debt_percent_bp=draw(st.integers(0, 5000)), debt_minimum=draw(st.integers(0, 5000)),
        fbe_units=draw(st.sampled_from([0, 500])))


states = st.builds(MeterState, month_to_date=st.integers(0, 30000),
                   first_of_month=st.booleans(), arrears=st.integers(0, 200000),
                   fbe_due=st.booleans())


# VENDPOINT_QA_EXAMPLES=20000 for a long run.
@settings(max_examples=int(os.environ.get("VENDPOINT_QA_EXAMPLES", "400")), deadline=None)
@given(t=terms(), s=states, amount=st.integers(500, 500000))
def test_pricing_promises(t: TariffTerms, s: MeterState, amount: int) -> None:
    try:
        p = price(t, s, amount)
    except AmountTooLow as exc:
        assert exc.minimum > amount
        price(t, s, exc.minimum)  # the minimum it names really works
        return
    assert sum(line.amount for line in p.lines) == amount
    vat_lines = [line for line in p.lines if line.kind == "vat"]
    assert len(vat_lines) == 1 and vat_lines[0].amount == p.vat
    taxable = amount - p.debt
    assert p.vat == round_half_up(Fraction(taxable * t.vat_bp, 10000 + t.vat_bp))
    assert sum(line.vat or 0 for line in p.lines) == p.vat
    fixed_lines = [line for line in p.lines if line.kind == "fixed_charge"]
    assert bool(fixed_lines) == (s.first_of_month and bool(t.fixed_charges))
    expected_debt = min(s.arrears, max(amount * t.debt_percent_bp // 10000, t.debt_minimum))
    assert p.debt == (expected_debt if s.arrears > 0 else 0) <= s.arrears
    energy = [line for line in p.lines if line.kind == "energy"]
    assert energy and sum(line.units or 0 for line in energy) == p.units
    # Customer's favour: the units bought cost at least the energy money, and 0.1 unit less
    # would cost less than it (per line, VAT-inclusive, within a cent of line rounding).
    # Units are exactly what one token carries (STS amount format, rounded up above 1638.3):
    # the last line may hold up to one step of free units beyond what its money buys.
    # (Beyond one token's maximum the token engine refuses the sale: nothing to carry.)
    if p.units <= 18201624:
        assert decode_amount(encode_amount(p.units)) == p.units
    step = 1 if p.units < 16384 else 10 if p.units < 180224 else 100 if p.units < 1818624 else 1000
    pos = s.month_to_date
    money_total = Fraction(0)
    for i, line in enumerate(energy):
        slack = step - 1 if i == len(energy) - 1 else 0
        assert line.rate is not None and line.units is not None and line.vat is not None
        rate = Fraction(line.rate, 1000)  # cents per tenth, before VAT adjustment
        if not t.prices_include_vat:
            rate *= Fraction(10000 + t.vat_bp, 10000)
        paid = line.amount + line.vat
        money_total += paid
        assert line.units * rate >= paid - 1
        assert (line.units - 1 - slack) * rate < paid + 1
        block = next(b for b in t.blocks if b.rate == line.rate and b.lo <= pos
                     and (b.hi is None or pos < b.hi))
        assert block.hi is None or pos + line.units - slack <= block.hi
        pos += line.units
    assert money_total == p.energy
    fbe = [line for line in p.lines if line.kind == "fbe"]
    assert bool(fbe) == (s.fbe_due and t.fbe_units > 0)
    assert p.fbe_units == (t.fbe_units if fbe else 0)
