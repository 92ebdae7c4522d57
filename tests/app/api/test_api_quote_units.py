"""`VendingClient.quote_units`: the quote of the least amount that buys a number of units,
from the real server over loopback, and answers off the contract refused and kept."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
import requests

from app.api import MalformedResponse, Money, Timeouts, VendingClient
from app.api.checks import units_wire
from app.api.errors import ApiRejected
from tests.reliability.faultproxy import scripted_server
from vendserver.testing import RunningServer, running_server


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningServer, str]]:
    with running_server(tmp_path_factory.mktemp("server"), demo=True) as srv:
        yield srv, str(srv.activate("Units counter")["credential"])


def _client(url: str, credential: str = "vpt_test",
            sink: list[MalformedResponse] | None = None) -> VendingClient:
    return VendingClient(requests.Session(), url, lambda: credential, timeouts=Timeouts(2, 5),
                         malformed_sink=None if sink is None else sink.append)


def test_a_quote_by_units_from_the_server(real: tuple[RunningServer, str]) -> None:
    srv, credential = real
    client = _client(srv.base_url, credential)
    meter = str(srv.meter("normal")["meter_number"])
    quote = client.quote_units(meter, Decimal("72"))
    assert quote.requested_units == "72.0" and quote.units == "72.0"
    assert quote.amount_tendered == Money.of("199.76", "ZAR")
    # The same amount quoted by amount prices identically: the sale of it will too.
    again = client.quote(meter, quote.amount_tendered)
    assert (again.units, again.lines, again.requested_units) == (quote.units, quote.lines, None)


def test_units_no_sale_buys_are_a_refusal_naming_the_most(
        real: tuple[RunningServer, str]) -> None:
    srv, credential = real
    client = _client(srv.base_url, credential)
    with pytest.raises(ApiRejected) as refused:
        client.quote_units(str(srv.meter("normal")["meter_number"]), Decimal("99999.9"))
    assert refused.value.code == "UNITS_OUT_OF_RANGE"
    assert refused.value.details["maximum"] in refused.value.message


@pytest.mark.parametrize("units", [Decimal(0), Decimal("-1"), Decimal("1.25"),
                                   Decimal("NaN"), Decimal("Infinity"),
                                   Decimal("1000000000"), 5, "5.0", 5.0])
def test_units_that_cannot_be_sent_are_refused_before_sending(units: Any) -> None:
    with scripted_server() as server:
        with pytest.raises(ValueError):
            _client(server.url).quote_units("14339800360", units)
        assert server.requests == []


def test_units_go_on_the_wire_in_tenths() -> None:
    assert [units_wire(Decimal(u)) for u in ("50", "50.0", "0.1", "12.50", "999999999.9")] == [
        "50.0", "50.0", "0.1", "12.5", "999999999.9"]


# The answer the checks start from: a real quote by units, changed one way each.
@pytest.fixture(scope="module")
def answer(real: tuple[RunningServer, str]) -> dict[str, Any]:
    srv, credential = real
    http = requests.post(f"{srv.base_url}/v1/quotes", timeout=10, json={
        "meter_number": srv.meter("normal")["meter_number"], "units": "72.0"},
        headers={"Authorization": f"Bearer {credential}"})
    assert http.status_code == 200, http.text
    body: dict[str, Any] = http.json()
    return body


def _set(**fields: Any) -> Callable[[dict[str, Any]], None]:
    return lambda a: a.update(fields)


_OFF: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("another meter", _set(meter_number="14339800378"), "another meter"),
    ("no requested units", _set(requested_units=None), "not for the units asked for"),
    ("requested units left out", lambda a: a.pop("requested_units"),
     "not for the units asked for"),
    ("other requested units", _set(requested_units="7.2"), "not for the units asked for"),
    ("requested units malformed", _set(requested_units="72"), "quote.requested_units"),
    ("fewer units than asked", _set(units="71.9"), "fewer units than asked for"),
]


@pytest.mark.parametrize(("case", "change", "problem"), _OFF, ids=[c for c, _, _ in _OFF])
def test_an_answer_off_the_contract_is_refused_and_kept(
        answer: dict[str, Any], case: str, change: Callable[[dict[str, Any]], None],
        problem: str) -> None:
    bad = copy.deepcopy(answer)
    change(bad)
    kept: list[MalformedResponse] = []
    with scripted_server() as server:
        server.script.append((200, "application/json", json.dumps(bad).encode()))
        with pytest.raises(MalformedResponse) as refused:
            _client(server.url, sink=kept).quote_units(answer["meter_number"], Decimal("72"))
        sent = json.loads(server.requests[0][3])
    assert problem in refused.value.problem
    assert kept and kept[0].path == "/v1/quotes"
    assert sent == {"meter_number": answer["meter_number"], "units": "72.0"}


def test_the_real_answer_passes_the_same_checks(answer: dict[str, Any]) -> None:
    with scripted_server() as server:
        server.script.append((200, "application/json", json.dumps(answer).encode()))
        quote = _client(server.url).quote_units(answer["meter_number"], Decimal("72.0"))
    assert quote.requested_units == "72.0"
