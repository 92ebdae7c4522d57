"""The receipt model: money, tokens, entry order, JSON round trip of every variant."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

import pytest

from common.errors import InvalidInput
from common.money import Money as CommonMoney
from common.money import format_money
from printers import samples
from printers.model import Money, TokenKind, TokenLine, format_units, mask_token
from printers.serialize import from_json, to_json


def test_receipt_money_is_the_common_money_refusing_floats_and_formatting_exactly() -> None:
    assert Money is CommonMoney
    with pytest.raises(InvalidInput, match="Decimal"):
        Money.from_decimal(0.1, "ZAR")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="minor units"):
        Money(Decimal("1"), "ZAR")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="Currency"):
        Money(1, "rand")
    assert format_money(Money.of("1234.5", "ZAR")) == "ZAR 1,234.50"
    assert format_money(Money.of("-250", "ZAR")) == "ZAR -250.00"
    assert format_money(Money.from_decimal(Decimal("0.10") + Decimal("0.20"), "ZAR")) == "ZAR 0.30"


def test_units_are_tenths_of_kwh() -> None:
    assert format_units(1462) == "146.2 kWh"
    assert format_units(5) == "0.5 kWh"
    assert format_units(123456) == "12,345.6 kWh"


def test_token_must_be_20_digits_and_error_does_not_echo_it() -> None:
    with pytest.raises(InvalidInput) as info:
        TokenLine(TokenKind.CREDIT, "1234567890123456789")
    assert "123456789" not in str(info.value)
    token = TokenLine(TokenKind.CREDIT, "1234-5678-9012-3456-7890")
    assert token.digits == "12345678901234567890"
    assert token.grouped() == "1234 5678 9012 3456 7890"
    assert token.label == "Electricity credit"
    assert mask_token(token.digits) == "1234 **** **** **** 7890"


def test_key_change_tokens_come_first_in_entry_order() -> None:
    sale = samples.sale()
    shuffled = replace(sale, tokens=(samples.CREDIT, samples.KEY_CHANGE_2, samples.FREE_BASIC,
                                     samples.KEY_CHANGE_1))
    kinds = [t.kind for t in shuffled.ordered_tokens()]
    assert kinds == [TokenKind.KEY_CHANGE_1, TokenKind.KEY_CHANGE_2, TokenKind.CREDIT,
                     TokenKind.FREE_BASIC]


def test_sale_needs_a_token_and_an_aware_time() -> None:
    with pytest.raises(InvalidInput):
        replace(samples.sale(), tokens=())
    with pytest.raises(InvalidInput):
        replace(samples.sale(), issued_at=samples.AT.replace(tzinfo=None))


@pytest.mark.parametrize("name", sorted(samples.all_variants()))
def test_every_variant_round_trips_through_json(name: str) -> None:
    receipt = samples.all_variants()[name]
    text = to_json(receipt)
    assert from_json(text) == receipt
    assert not _floats(json.loads(text))  # amounts are decimal strings, never floats


def _floats(value: object) -> list[float]:
    if isinstance(value, float):
        return [value]
    if isinstance(value, dict):
        return [f for v in value.values() for f in _floats(v)]
    if isinstance(value, list):
        return [f for v in value for f in _floats(v)]
    return []


def test_unknown_kind_or_field_is_refused() -> None:
    with pytest.raises(InvalidInput, match="Unknown receipt kind"):
        from_json('{"kind": "coupon"}')
    text = to_json(samples.pending_slip()).replace('"kind":"pending"', '"kind":"pending","x":1')
    with pytest.raises(InvalidInput, match="Unknown fields"):
        from_json(text)
    with pytest.raises(InvalidInput, match="not JSON"):
        from_json("{")


def test_print_job_payloads_keep_the_wire_form_of_money() -> None:
    # Jobs queued before Money became minor units hold Decimal strings; they must still print.
    slip = samples.pending_slip()
    data = json.loads(to_json(slip))
    assert data["amount"] == {"amount": slip.amount.amount_str(), "currency": "ZAR"}
    data["amount"] = {"amount": "150.5", "currency": "ZAR"}
    assert from_json(json.dumps(data)).amount == Money(15050, "ZAR")  # type: ignore[union-attr]
    for bad in ({"amount": "1.005", "currency": "ZAR"}, {"amount": "1", "currency": "XYZ"},
                {"minor": 100, "currency": "ZAR"}, {"amount": 1.5, "currency": "ZAR"}):
        data["amount"] = bad
        with pytest.raises(InvalidInput):
            from_json(json.dumps(data))


def test_receipt_time_is_the_utilitys_whatever_zone_the_moment_came_in() -> None:
    from dataclasses import replace
    from datetime import UTC

    from printers import samples
    from printers.render import render_text

    slip = samples.pending_slip()
    utc = replace(slip, issued_at=samples.AT.astimezone(UTC))  # as the store gives it
    assert "2026-11-25 09:41" in render_text(utc, 42)  # 07:41 UTC, 09:41 utility time
    assert "07:41" not in render_text(utc, 42)
