"""The reversal answer's refunded amount read with its currency's decimals."""

from __future__ import annotations

import pytest

from app.supervisor.reversals import money_minor
from common.money import MoneyError


def test_money_minor_reads_the_currencys_decimals() -> None:
    assert money_minor("150.00", "ZAR") == 15000
    assert money_minor("1234.500", "LYD") == 1234500
    assert money_minor("0.050", "LYD") == 50
    assert money_minor("-1.500", "LYD") == -1500
    assert money_minor("12500", "UGX") == 12500


@pytest.mark.parametrize(("text", "currency"), [
    ("1234.50", "LYD"), ("1234.5", "LYD"), ("1234", "LYD"), ("12500.00", "UGX"),
    ("150.0", "ZAR"), ("abc", "ZAR"), ("", "LYD")])
def test_money_minor_refuses_other_decimals(text: str, currency: str) -> None:
    with pytest.raises(MoneyError):
        money_minor(text, currency)
    with pytest.raises(ValueError):  # callers that catch ValueError still do
        money_minor(text, currency)
