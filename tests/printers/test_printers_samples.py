"""The sample receipts read right to a customer: their numbers agree with each other.

Found reading the sample token receipt: it printed "Units 196.2 kWh" while its energy blocks
add up to 146.2 kWh and no line mentioned the 50 kWh of free basic electricity; the server's
`units` (and the app's receipts) count the bought units only, FBE being its own line.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from printers import samples
from printers.model import TokenKind
from printers.render import render_text
from sts.meter_number import parse_meter_number


@pytest.mark.parametrize("key_change", [True, False])
def test_sample_sale_numbers_agree(key_change: bool) -> None:
    sale = samples.sale(key_change=key_change)
    credit = [t for t in sale.tokens if t.kind is TokenKind.CREDIT]
    assert sale.units_tenths == sum(t.units_tenths or 0 for t in credit)
    energy = [b for b in sale.breakdown if b.label.startswith("Block")]
    assert sale.units_tenths == sum(b.units_tenths or 0 for b in energy)
    total = sum((b.amount.amount for b in sale.breakdown), Decimal(0)) + sale.vat.amount
    assert total == sale.amount_tendered.amount
    fbe_tokens = [t for t in sale.tokens if t.kind is TokenKind.FREE_BASIC]
    fbe_lines = [b for b in sale.breakdown if "free basic" in b.label.lower()]
    assert len(fbe_lines) == len(fbe_tokens)
    for line, token in zip(fbe_lines, fbe_tokens, strict=True):
        assert line.units_tenths == token.units_tenths and line.amount.amount == 0


def test_sample_receipt_prints_bought_units_and_the_free_units_line() -> None:
    text = render_text(samples.token_receipt(key_change=True), 48)
    assert "Units                                  146.2 kWh" in text
    assert "Free basic electricity 50.0 kWh" in text


def test_sample_meter_numbers_are_valid() -> None:
    for receipt in samples.all_variants().values():
        meter = getattr(receipt, "meter", None) or getattr(
            getattr(receipt, "sale", None), "meter", None)
        if meter is not None:
            parse_meter_number(meter.number)
    parse_meter_number(samples.METER.number)
