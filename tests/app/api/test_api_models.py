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
