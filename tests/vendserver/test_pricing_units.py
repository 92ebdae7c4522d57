"""The units a sale reports are exactly the units its credit token carries.

Found comparing priced units with the STS amount format: above 1638.3 units a token can only
carry steps of 1, 10 or 100 units (rounded up), so a purchase priced at 10000.0 kWh made a
token of 10000.4 kWh while the receipt and the month's block position said 10000.0. Pricing now
rounds the units up to what the token carries (the customer's favour) and reports those.
"""

from __future__ import annotations

from sts.tokens import decode_amount, encode_amount
from vendserver.pricing import Block, MeterState, TariffTerms, price


def _terms(rate: int) -> TariffTerms:
    return TariffTerms(tariff_id="T", name="Cheap", version=1, unit="kWh",
                       blocks=(Block(0, 500, rate), Block(500, None, rate)), fixed_charges=(),
                       prices_include_vat=True, vat_bp=1500, debt_percent_bp=0,
                       debt_minimum=0, fbe_units=0)


def test_large_purchase_units_are_what_the_token_carries() -> None:
    state = MeterState(month_to_date=0, first_of_month=True, arrears=0, fbe_due=False)
    p = price(_terms(5000), state, 500_000)  # R 5000 at R 0.50/kWh: 10000.0 kWh by money
    assert decode_amount(encode_amount(p.units)) == p.units
    assert p.units == 100_004  # 10000.4 kWh, the token's value (rounded up, never down)
    energy = [line for line in p.lines if line.kind == "energy"]
    assert sum(line.units or 0 for line in energy) == p.units
    assert sum(line.amount for line in p.lines) == 500_000


def test_small_purchases_are_unchanged() -> None:
    state = MeterState(month_to_date=0, first_of_month=True, arrears=0, fbe_due=False)
    p = price(_terms(20000), state, 10_000)  # R 100 at R 2.00/kWh
    assert p.units == 500
