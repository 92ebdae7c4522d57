"""Sale answers that break the contract (docs/api.md) are refused, named and kept: units
that are not what the credit token carries, tokens and amounts with anything around them,
unbounded text."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from app.api import MalformedResponse, Timeouts, VendingClient
from tests.reliability.api_samples import KEY, request, sale
from tests.reliability.faultproxy import ScriptedServer, scripted_server


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with scripted_server() as s:
        yield s


def _units(value: str) -> Callable[[dict[str, Any]], None]:
    def change(s: dict[str, Any]) -> None:
        s["units"] = value
        s["tokens"][0]["units"] = value
    return change


def _token(**fields: Any) -> Callable[[dict[str, Any]], None]:
    return lambda s: s["tokens"][0].update(fields)


_CASES: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    # A zero-unit token is legitimate, but not for energy the lines say was bought.
    ("zero units for priced energy", _units("0.0"), "sale.units is zero but an energy line"),
    ("negative units", _units("-5.0"), "sale.tokens[0].units"),
    ("huge units", _units("999999999999.9"), "sale.tokens[0].units"),
    ("units a token cannot carry", _units("2000.0"), "sale.tokens[0].units"),
    ("sale units differ from the token's", lambda s: s.update(units="60.0"), "sale.units"),
    ("credit token without units", _token(units=None), "sale.tokens[0].units"),
    ("no credit token", _token(kind="fbe", units="55.5"), "sale.tokens"),
    ("no token that carries units", _token(kind="key_change", units=None), "sale.tokens"),
    ("receipt number with two slashes", lambda s: s.update(receipt_no="CLIENT//0001234"),
     "sale.receipt_no"),
    ("receipt number walking up", lambda s: s.update(receipt_no="../0001234"),
     "sale.receipt_no"),
    ("receipt number with a leading slash", lambda s: s.update(receipt_no="/0001234"),
     "sale.receipt_no"),
    ("receipt number of three parts", lambda s: s.update(receipt_no="A/B/C"),
     "sale.receipt_no"),
    ("receipt number with a space", lambda s: s.update(receipt_no="CLIENT/000 1234"),
     "sale.receipt_no"),
    ("token with a trailing newline",
     _token(token="12345678901234567890\n", display="1234 5678 9012 3456 7890\n"),
     "sale.tokens[0].token"),
    ("units with a trailing newline", _units("55.5\n"), "sale.tokens[0].units"),
    ("amount with a trailing newline",
     lambda s: s["amount_tendered"].update(amount="100.00\n"), "sale.amount_tendered"),
    ("100 KB receipt number", lambda s: s.update(receipt_no="VP" + "0" * 100_000),
     "sale.receipt_no"),
    ("receipt number with a newline", lambda s: s.update(receipt_no="VP00000001\n"),
     "sale.receipt_no"),
    ("long customer name", lambda s: s["customer"].update(name="N" * 201),
     "sale.customer.name"),
    ("long utility address", lambda s: s["utility"].update(address="A" * 5000),
     "sale.utility.address"),
    ("long token description", _token(description="D" * 201), "sale.tokens[0].description"),
]


@pytest.mark.parametrize(("case", "change", "field"), _CASES, ids=[c for c, _, _ in _CASES])
def test_an_answer_off_the_contract_is_refused_naming_the_field(
        server: ScriptedServer, case: str, change: Callable[[dict[str, Any]], None],
        field: str) -> None:
    answer = sale()
    change(answer)
    body = json.dumps(answer).encode()
    server.script.append((200, "application/json", body))
    kept: list[MalformedResponse] = []
    client = VendingClient(requests.Session(), server.url, lambda: "vpt_test",
                           timeouts=Timeouts(2, 2), malformed_sink=kept.append)
    with pytest.raises(MalformedResponse) as info:
        client.sell(KEY, "thandi", request())
    assert field in info.value.problem
    assert kept and kept[0].body == body and kept[0].idempotency_key == KEY
    assert "12345678901234567890" not in str(info.value)


def test_an_answer_on_the_contract_still_passes(server: ScriptedServer) -> None:
    # The bounds refuse only what breaks the contract: 200 characters, 64-character ids,
    # units above 1638.3 that a token carries (steps of 1 unit from 1638.4).
    answer = sale()
    answer["customer"]["name"] = "N" * 200
    answer["receipt_no"] = "VP" + "0" * 62
    answer["units"] = answer["tokens"][0]["units"] = "2000.0"
    answer["lines"][0]["units"] = "2000.0"
    server.script.append((200, "application/json", json.dumps(answer).encode()))
    client = VendingClient(requests.Session(), server.url, lambda: "vpt_test",
                           timeouts=Timeouts(2, 2))
    with pytest.raises(MalformedResponse):
        client.sell(KEY, "thandi", request())  # 2000.0 is not a token amount (2000.4 is)
    answer["units"] = answer["tokens"][0]["units"] = answer["lines"][0]["units"] = "2000.4"
    server.script.append((200, "application/json", json.dumps(answer).encode()))
    result = client.sell(KEY, "thandi", request())
    assert (result.units, result.receipt_no) == ("2000.4", "VP" + "0" * 62)
