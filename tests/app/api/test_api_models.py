"""Tests of the response models package: the shared field checks and the names it exports."""

from __future__ import annotations

import re
from typing import Any

import pytest

from app.api import models
from app.api.models.money import Money
from app.api.models.validators import Invalid, object_list, unique_string
from tests.reliability.api_samples import sale


def test_the_package_still_exports_the_field_parser_money_and_the_money_type() -> None:
    # Callers read `models.money(value, where)` and `models.Money`; the submodule named
    # `money` must not shadow the parser.
    assert models.money({"amount": "12.50", "currency": "ZAR"}, "x") == Money(1250, "ZAR")
    assert models.Money is Money
    with pytest.raises(Invalid, match=r"^x\.amount is negative$"):
        models.money({"amount": "-1.00", "currency": "ZAR"}, "x")


def test_object_list_names_the_place_of_each_problem() -> None:
    assert [w for w, _ in object_list([{}, {}], "things")] == ["things[0]", "things[1]"]
    with pytest.raises(Invalid, match=r"^things is not a list$"):
        object_list({}, "things")
    with pytest.raises(Invalid, match=r"^things is not a non-empty list$"):
        object_list([], "things", nonempty=True)
    with pytest.raises(Invalid, match=r"^things has more items than the limit asked for$"):
        object_list([{}, {}], "things", limit=1)
    with pytest.raises(Invalid, match=r"^things\[1\] is not an object$"):
        list(object_list([{}, 3], "things"))


def test_unique_string_refuses_a_repeat_and_a_bad_form() -> None:
    seen: set[str] = set()
    pattern = re.compile(r"^[a-z]+$")
    assert unique_string({"id": "abc"}, "id", "t[0]", pattern, seen, "is bad") == "abc"
    with pytest.raises(Invalid, match=r"^t\[1\]\.id is bad$"):
        unique_string({"id": "abc"}, "id", "t[1]", pattern, seen, "is bad")
    with pytest.raises(Invalid, match=r"^t\[2\]\.id is bad$"):
        unique_string({"id": "ABC"}, "id", "t[2]", pattern, seen, "is bad")


@pytest.mark.parametrize(("change", "problem"), [
    (lambda s: s.update(tokens=[]), "sale.tokens is not a non-empty list"),
    (lambda s: s["tokens"].append(7), "sale.tokens[1] is not an object"),
    (lambda s: s.update(lines="x"), "sale.lines is not a non-empty list"),
])
def test_a_sale_with_a_bad_list_is_refused_with_its_place(change: Any, problem: str) -> None:
    body = sale()
    change(body)
    with pytest.raises(Invalid) as caught:
        models.parse_sale(body)
    assert str(caught.value) == problem


def test_an_xmlvend_receipt_number_with_one_slash_is_a_receipt_number() -> None:
    # XMLVend servers number receipts like CLIENT/NNNNNNN (docs/xmlvend.md).
    body = sale()
    body["receipt_no"] = "CLIENT/0001234"
    assert models.parse_sale(body).receipt_no == "CLIENT/0001234"
    for bad in ("CLIENT/", "/0001234", "A/B/C", "CLIENT/..", "C" * 60 + "/12345"):
        body["receipt_no"] = bad
        with pytest.raises(Invalid, match=r"^sale\.receipt_no is not a receipt number"):
            models.parse_sale(body)


def _fbe_only(body: dict[str, Any]) -> dict[str, Any]:
    """The whole amount went to debt; the server issued only the FBE token."""
    body["units"] = "0.0"
    body["tokens"] = [{"seq": 1, "kind": "fbe", "description": "Free basic electricity",
                       "token": "12345678901234567890", "display": "1234 5678 9012 3456 7890",
                       "units": "50.0"}]
    body["lines"] = [
        {"kind": "debt_recovery", "description": "Debt", "units": None, "rate": None,
         "amount": {"amount": "100.00", "currency": "ZAR"}, "vat": None},
        {"kind": "fbe", "description": "FBE", "units": "50.0", "rate": None,
         "amount": {"amount": "0.00", "currency": "ZAR"}, "vat": None},
        {"kind": "vat", "description": "VAT", "units": None, "rate": None,
         "amount": {"amount": "0.00", "currency": "ZAR"}, "vat": None}]
    body["vat"] = {"rate": "15.00", "amount": {"amount": "0.00", "currency": "ZAR"}}
    return body


def test_a_sale_of_only_an_fbe_token_has_zero_units() -> None:
    parsed = models.parse_sale(_fbe_only(sale()))
    assert parsed.units == "0.0"
    assert [t.kind for t in parsed.tokens] == ["fbe"]


def test_a_zero_unit_credit_token_is_a_sale_when_nothing_bought_energy() -> None:
    body = _fbe_only(sale())
    body["tokens"] = [{"seq": 1, "kind": "credit", "description": "Credit 0.0 kWh",
                       "token": "12345678901234567890", "display": "1234 5678 9012 3456 7890",
                       "units": "0.0"}]
    body["lines"] = [body["lines"][0], body["lines"][2]]
    assert models.parse_sale(body).tokens[0].units == "0.0"
    # ... but not when an energy line says units were bought for the money.
    body["lines"][0].update(kind="energy", units="55.5")
    with pytest.raises(Invalid, match=r"^sale\.units is zero but an energy line bought units"):
        models.parse_sale(body)


def test_an_fbe_only_sale_still_needs_its_units_to_be_the_credit_bought() -> None:
    body = _fbe_only(sale())
    body["units"] = "50.0"  # the FBE units are not credit bought
    with pytest.raises(Invalid, match=r"^sale\.tokens have no credit token for sale\.units"):
        models.parse_sale(body)
    body = _fbe_only(sale())
    body["tokens"][0]["units"] = "-1.0"
    with pytest.raises(Invalid, match=r"^sale\.tokens\[0\]\.units is negative"):
        models.parse_sale(body)
