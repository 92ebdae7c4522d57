"""Quotes by units over real HTTP: the least amount that buys at least the units asked for,
sold as an ordinary sale of that amount; refusals with what the largest sale buys.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.vendserver.vs_helpers import Api, assert_error, money, virtual_meter
from vendserver.testing import RunningServer


def _ok(r: Any) -> dict[str, Any]:
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def _cent_less(amount: dict[str, str]) -> str:
    return str(Decimal(amount["amount"]) - Decimal("0.01"))


def test_units_quote_names_the_least_amount_and_the_sale_of_it_buys_them(
        srv: RunningServer, api: Api) -> None:
    drn = srv.meter("normal")["meter_number"]
    q = _ok(api.quote_units(drn, "72"))
    # R 45.00 service charge + 50 kWh at R 2.00 + 21.9 kWh at R 2.50 = R 199.75 buys 71.9 kWh;
    # one cent more rounds the last tenth up (the customer's favour).
    assert q["requested_units"] == "72.0"
    assert q["amount_tendered"] == money("199.76") and q["units"] == "72.0"
    assert sum(Decimal(line["amount"]["amount"]) for line in q["lines"]) == Decimal("199.76")
    assert _ok(api.quote(drn, "199.75"))["units"] == "71.9"
    # The ordinary sale of the quoted amount: the same units and lines, a token the meter takes.
    vm = virtual_meter(srv, drn)
    s = api.ok_sale(drn, q["amount_tendered"]["amount"])
    assert (s["units"], s["lines"], s["vat"]) == (q["units"], q["lines"], q["vat"])
    assert vm.enter(s["tokens"][0]["token"]).accepted and vm.balance == Decimal("72.0")


def test_an_amount_quote_says_no_units_were_asked_for(srv: RunningServer, api: Api) -> None:
    assert _ok(api.quote(srv.meter("normal")["meter_number"]))["requested_units"] is None


@pytest.mark.parametrize(("tag", "units"), [
    ("arrears", "40.0"),      # debt recovery grows with the amount
    ("commercial", "10.5"),   # flat rate priced without VAT, R 250.00 network charge
    ("water", "7.3"),         # kL across a block edge; free basic water not counted
    ("fbe", "0.1"),           # the smallest amount any purchase can be
])
def test_the_amount_buys_the_units_and_a_cent_less_does_not(
        srv: RunningServer, api: Api, tag: str, units: str) -> None:
    drn = srv.meter(tag)["meter_number"]
    q = _ok(api.quote_units(drn, units))
    assert Decimal(q["units"]) >= Decimal(units) and q["requested_units"] == units
    less = api.quote(drn, _cent_less(q["amount_tendered"]))
    if less.status_code == 200:
        assert Decimal(less.json()["units"]) < Decimal(units)
    else:  # the amount named is the least any sale of this meter may be
        assert_error(less, "AMOUNT_OUT_OF_RANGE")
    sale = api.ok_sale(drn, q["amount_tendered"]["amount"])
    assert sale["units"] == q["units"]


def test_units_no_sale_buys_are_refused_with_the_most_one_sale_buys(
        srv: RunningServer, api: Api) -> None:
    drn = srv.meter("normal")["meter_number"]
    largest = _ok(api.quote(drn, "5000.00"))
    err = assert_error(api.quote_units(drn, "99999.9"), "UNITS_OUT_OF_RANGE")
    assert err["details"] == {"minimum": "0.1", "maximum": largest["units"],
                              "maximum_amount": money("5000.00")}
    assert largest["units"] in err["message"] and "ZAR" in err["message"]
    # Exactly the most the largest sale buys is still quoted (for at most the largest sale).
    most = _ok(api.quote_units(drn, largest["units"]))
    assert most["units"] == largest["units"]
    assert Decimal(most["amount_tendered"]["amount"]) <= Decimal("5000.00")


@pytest.mark.parametrize("units", ["0", "0.0", "1.25", "-1.0", "1e3", " 5", "5\n", "",
                                   "1234567890.0", 5, None])
def test_units_that_are_not_a_positive_tenth_are_refused(
        srv: RunningServer, api: Api, units: Any) -> None:
    drn = srv.meter("normal")["meter_number"]
    err = assert_error(api.quote_units(drn, units), "VALIDATION_ERROR")
    problem = err["details"]["errors"][0]
    assert problem["field"] == "units"
    # Refused as units, not as an unknown field.
    assert problem["problem"] in ("zero", "not a units value") or \
        "valid string" in problem["problem"]


def test_a_quote_is_for_an_amount_or_units_not_both_nor_neither(
        srv: RunningServer, api: Api) -> None:
    drn = srv.meter("normal")["meter_number"]
    both = api.http.post("/v1/quotes", json={"meter_number": drn, "amount": money("100.00"),
                                             "units": "10.0"})
    assert "exactly one" in assert_error(both, "VALIDATION_ERROR")["message"]
    neither = api.http.post("/v1/quotes", json={"meter_number": drn})
    assert "exactly one" in assert_error(neither, "VALIDATION_ERROR")["message"]


def test_a_blocked_meter_is_refused_by_units_too(srv: RunningServer, api: Api) -> None:
    assert_error(api.quote_units(srv.meter("blocked")["meter_number"], "10.0"),
                 "BLOCKED_METER")
