"""Sale by units through the till: a quote by units held like any quote, then the ordinary
sale of its amount on that quote. Real server over loopback, real SQLCipher store."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.api import Money
from app.api.errors import ApiRejected, ServerUnavailable
from app.supervisor.permissions import Role
from app.till import Operator, SaleState
from common.errors import InvalidInput
from tests.reliability.harness import Core, Env

CASHIER = Operator("thandi", "Thandi Nkosi", Role.CASHIER)


def test_units_are_quoted_held_and_sold_as_the_quoted_amount(env: Env, core: Core) -> None:
    assert core.till.capabilities.sale_by_units
    meter = str(env.server.meter("normal")["meter_number"])
    quote = core.till.quote_units(meter, Decimal("72"))
    assert quote.requested_units == "72.0" and quote.units == "72.0"
    assert quote.amount == Money.of("199.76", "ZAR")  # R 199.75 buys 71.9 kWh
    assert sum(line.amount_incl_vat.minor for line in quote.lines if line.kind != "vat") \
        == quote.amount.minor
    sold = core.till.sell(meter, quote.amount, CASHIER, quote=quote.handle)
    assert sold.state is SaleState.TOKENED and sold.units == "72.0"
    assert sold.amount == quote.amount
    assert list(env.server_sales().values()) == [sold.reference]
    with pytest.raises(InvalidInput, match="no longer held"):  # sold: the quote is let go
        core.till.sell(meter, quote.amount, CASHIER, quote=quote.handle)


def test_water_by_kilolitre(env: Env, core: Core) -> None:
    meter = str(env.server.meter("water")["meter_number"])
    quote = core.till.quote_units(meter, Decimal("7.3"))
    assert quote.unit == "kL" and Decimal(quote.units) >= Decimal("7.3")
    less = core.till.quote(meter, Money(quote.amount.minor - 1, "ZAR"))
    assert Decimal(less.units) < Decimal("7.3") and less.requested_units is None


def test_the_quoted_amount_must_be_what_is_sold(env: Env, core: Core) -> None:
    meter = str(env.server.meter("normal")["meter_number"])
    quote = core.till.quote_units(meter, Decimal("10.0"))
    with pytest.raises(InvalidInput, match="amount or meter changed"):
        core.till.sell(meter, Money(quote.amount.minor + 100, "ZAR"), CASHIER,
                       quote=quote.handle)
    assert env.server_sales() == {}


def test_units_no_sale_buys_are_refused_with_the_most(env: Env, core: Core) -> None:
    meter = str(env.server.meter("normal")["meter_number"])
    with pytest.raises(ApiRejected) as refused:
        core.till.quote_units(meter, Decimal("99999"))
    assert refused.value.code == "UNITS_OUT_OF_RANGE"
    most = core.till.quote(meter, Money.of("5000.00", "ZAR")).units
    assert most in str(refused.value)


@pytest.mark.parametrize(("units", "why"), [
    (Decimal("0"), "more than zero"), (Decimal("-5"), "more than zero"),
    (Decimal("NaN"), "more than zero"), (Decimal("12.34"), "steps of 0.1"),
    (Decimal("1E10"), "more units than any sale"),
])
def test_units_a_cashier_mistyped_are_refused_before_sending(
        env: Env, core: Core, units: Decimal, why: str) -> None:
    env.cut(core)  # anything sent would fail as unreachable, not as invalid
    with pytest.raises(InvalidInput, match=why):
        core.till.quote_units(str(env.server.meter("normal")["meter_number"]), units)
    with pytest.raises(InvalidInput):
        core.till.quote_units("1234", Decimal("10"))


def test_unreachable_server_is_connectivity_evidence(env: Env, core: Core) -> None:
    meter = str(env.server.meter("normal")["meter_number"])
    core.till.quote_units(meter, Decimal("5"))
    assert core.connectivity.online
    env.cut(core)
    with pytest.raises(ServerUnavailable):
        core.till.quote_units(meter, Decimal("5"))
    assert not core.connectivity.online
