"""The UI's one money formatter and the change in the flow: decimals come with the currency."""

from __future__ import annotations

import pytest

from app.api.models import Money
from ui.money import format_money
from ui.sale_actions import ChangeText
from ui.sale_flow import SaleFlow


@pytest.mark.parametrize(("money", "shown"), [
    (Money(123450, "ZAR"), "ZAR 1,234.50"), (Money(12500, "UGX"), "UGX 12,500"),
    (Money(1234500, "LYD"), "LYD 1,234.500"), (Money(-5, "ZAR"), "ZAR -0.05"),
])
def test_format_money_uses_the_currency_decimals(money: Money, shown: str) -> None:
    assert format_money(money) == shown


def test_change_in_a_currency_without_cents() -> None:
    flow = SaleFlow(currency="UGX")
    flow.agreed = Money(5000, "UGX")
    assert flow.tendered_edited("7,500") == [ChangeText("Change: UGX 2,500")]
    assert flow.tendered_edited("4999") == [ChangeText("Short by UGX 1")]
    assert flow.tendered_edited("7500.5") == [ChangeText("not a number")]
