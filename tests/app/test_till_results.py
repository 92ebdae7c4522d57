"""The till's vocabulary: every stored sale state has a `SaleState`, the one Decimal<->Money
conversion follows the currency's exponent, capabilities refuse by name."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from app.api.models import Money
from app.backend import ALL_CAPABILITIES, Capabilities, NotOffered
from app.sales.history import FAILED_STATES, SOLD_STATES
from app.sales.money import from_decimal, to_decimal
from app.supervisor.permissions import Role
from app.till import Operator, SaleState, can_approve
from common.errors import InvalidInput

SCHEMA = Path(__file__).resolve().parents[2] / "offline_store" / "schema"


def test_every_stored_state_is_a_till_state() -> None:
    stored = set(SOLD_STATES) | set(FAILED_STATES)
    # ... and every state the sales table's CHECK allows.
    check = re.search(r"CHECK \(state IN\s*\(([^)]*)\)",
                      (SCHEMA / "0002_sales_outbox.sql").read_text())
    assert check is not None
    stored |= {s.strip().strip("'") for s in check.group(1).split(",")}
    assert len(stored) == 7
    assert stored == {s.value for s in SaleState}
    assert {s.value for s in SaleState if s.is_open} == set(SOLD_STATES) - {"tokened"}


@pytest.mark.parametrize(("money", "text"), [
    (Money(12345, "ZAR"), "123.45"), (Money(500, "JPY"), "500"), (Money(1234, "KWD"), "1.234"),
    (Money(-5, "ZAR"), "-0.05")])
def test_money_conversion_uses_the_currency_exponent(money: Money, text: str) -> None:
    assert str(to_decimal(money)) == text
    assert from_decimal(Decimal(text), money.currency) == money


def test_too_many_decimals_is_refused() -> None:
    with pytest.raises(InvalidInput, match="ZAR amount can have at most 2 decimals"):
        from_decimal(Decimal("1.005"), "ZAR")
    with pytest.raises(InvalidInput, match="JPY amount can have no decimals"):
        from_decimal(Decimal("1.5"), "JPY")
    with pytest.raises(InvalidInput):
        from_decimal("NaN", "ZAR")


def test_capabilities_refuse_by_name() -> None:
    assert ALL_CAPABILITIES.missing() == ()
    caps = Capabilities(search=False)
    assert caps.missing() == ("search",) and "reversal" in caps.offered()
    caps.require("reversal")
    with pytest.raises(NotOffered, match=r"^Customer search is not offered by this vending"):
        caps.require("search")
    with pytest.raises(ValueError, match="unknown capability"):
        caps.require("teleport")


def test_operators_approve_by_the_core_permission() -> None:
    assert [can_approve(r) for r in Role] == [False, True, True]
    assert Operator("sipho", "Sipho", Role.SUPERVISOR).can_approve
