"""The UI's one money formatter and typed amounts: decimals come with the currency."""

from __future__ import annotations

import pytest

from app.api.models import Money
from common.errors import InvalidInput
from ui.money import format_money, parse_amount
from ui.sale_actions import ChangeText
from ui.sale_flow import SaleFlow


@pytest.mark.parametrize(("money", "shown"), [
    (Money(123450, "ZAR"), "ZAR 1,234.50"), (Money(12500, "UGX"), "UGX 12,500"),
    (Money(1234500, "LYD"), "LYD 1,234.500"), (Money(-5, "ZAR"), "-ZAR 0.05"),
])
def test_format_money_uses_the_currency_decimals(money: Money, shown: str) -> None:
    assert format_money(money) == shown


def test_parse_amount_per_currency() -> None:
    assert parse_amount("1,000", "amount", "UGX") == Money(1000, "UGX")
    assert parse_amount("12.345", "amount", "LYD") == Money(12345, "LYD")
    assert parse_amount("55.5", "amount", "ZAR") == Money(5550, "ZAR")
    with pytest.raises(InvalidInput, match="no decimals"):
        parse_amount("10.5", "amount", "UGX")
    with pytest.raises(InvalidInput, match="at most 3 decimals"):
        parse_amount("1.2345", "amount", "LYD")
    with pytest.raises(InvalidInput, match="two decimals"):
        parse_amount("1.234", "cash tendered", "ZAR")


def test_change_in_a_currency_without_cents() -> None:
    flow = SaleFlow(currency="UGX")
    flow.agreed = Money(5000, "UGX")
    assert flow.tendered_edited("7,500") == [ChangeText("Change: UGX 2,500")]
    assert flow.tendered_edited("4999") == [ChangeText("Short by UGX 1")]
    assert flow.tendered_edited("7500.5") == [ChangeText("not a number")]
