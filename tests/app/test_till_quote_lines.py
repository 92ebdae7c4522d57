"""Quote lines as the till gives them to the screen: VAT-inclusive amounts that add up to the
sale, the rate with its currency, unit and whether it includes VAT, and blocks named for what
they sell (water is never an 'Energy block'). Real server, real SQLCipher store."""

from __future__ import annotations

from app.api import Money
from tests.reliability.harness import Core, Env


def test_electricity_lines_are_vat_inclusive_with_the_rate_per_kwh(env: Env, core: Core) -> None:
    meter = str(env.server.meter("normal")["meter_number"])
    quote = core.till.quote(meter, Money(10000, "ZAR"))
    energy = [line for line in quote.lines if line.kind == "energy"]
    assert energy and all(line.description.startswith("Energy block") for line in energy)
    first = energy[0]
    assert first.rate_text == f"ZAR {first.rate}/kWh incl. VAT"
    # units x VAT-inclusive rate is what the line costs the customer (to the cent)
    assert first.units is not None and first.rate is not None and first.vat is not None
    from decimal import ROUND_HALF_UP, Decimal

    priced = (Decimal(first.units) * Decimal(first.rate)).quantize(Decimal("0.01"),
                                                                   ROUND_HALF_UP)
    assert abs(first.amount_incl_vat.amount - priced) <= Decimal("0.05")
    assert first.amount_incl_vat == first.amount + first.vat
    # the VAT-inclusive lines (all but the VAT line) add up to the sale
    payable = [line.amount_incl_vat for line in quote.lines if line.kind != "vat"]
    assert sum((m.minor for m in payable), 0) == quote.amount.minor


def test_water_lines_are_water_blocks_per_kl(env: Env, core: Core) -> None:
    meter = str(env.server.meter("water")["meter_number"])
    quote = core.till.quote(meter, Money(10000, "ZAR"))
    blocks = [line for line in quote.lines if line.kind == "energy"]
    assert blocks and quote.unit == "kL"
    assert all(line.description.startswith("Water block") and "Energy" not in line.description
               for line in blocks)
    assert all(line.rate_text.endswith("/kL incl. VAT") for line in blocks)


def test_a_rate_before_vat_is_labelled_so(env: Env, core: Core) -> None:
    meter = str(env.server.meter("commercial")["meter_number"])
    quote = core.till.quote(meter, Money(50000, "ZAR"))
    energy = next(line for line in quote.lines if line.kind == "energy")
    assert energy.rate_text.endswith("/kWh excl. VAT")
