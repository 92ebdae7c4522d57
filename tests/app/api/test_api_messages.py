"""The client's own words for every refusal code: each code the API documents has a message,
details fill its placeholders, an unknown code keeps the server's text, and a French catalog
turns a real refusal from the reference server into French."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from app.api import Money, Timeouts, VendingClient
from app.api.errors import ApiRejected
from app.api.messages import MESSAGES, refusal_text
from app.xmlvend import faults
from common.money import format_money
from tests.common.catalogs import language
from vendserver.errors import ERROR_CODES
from vendserver.testing import RunningServer, running_server

ROOT = Path(__file__).resolve().parents[3]


def _documented_codes() -> set[str]:
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    section = text.split("## 3. Errors", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| \d{3} \| `([A-Z_]+)` \|", section, re.M))


def test_every_documented_code_has_a_message() -> None:
    documented = _documented_codes()
    assert len(documented) > 30
    assert documented == set(ERROR_CODES)  # the docs and the server's registry agree
    assert sorted(documented - set(MESSAGES)) == []


def test_every_xmlvend_code_has_a_message() -> None:
    codes = set(faults.CODES.values()) | set(faults.HEXING.values()) | {"NOT_OFFERED"}
    assert sorted(codes - set(MESSAGES)) == []


def test_details_fill_the_placeholders() -> None:
    assert refusal_text("UNKNOWN_METER", {"meter_number": "14339800360"}, "x") == (
        "No meter 14339800360 is registered.")
    credit = refusal_text("INSUFFICIENT_VENDOR_CREDIT",
                          {"vendor_credit": {"amount": "12.50", "currency": "ZAR"}}, "x")
    assert format_money(Money.of("12.50", "ZAR")) in credit
    assert refusal_text("PIN_INVALID", {"attempts_left": 1}, "x") == (
        "That PIN is not correct; 1 attempt left before the operator is locked.")
    assert refusal_text("REVERSAL_NOT_ALLOWED", {"reason": "not_same_day"}, "x") == (
        "Only sales of today can be reversed.")


def test_missing_details_give_the_fallback_and_unknown_codes_the_server_text() -> None:
    assert refusal_text("UNKNOWN_METER", {}, "x") == "This meter is not registered."
    assert refusal_text("BLOCKED_METER", {"reason": {"nested": 1}}, "x") == (
        "This meter is blocked.")
    assert refusal_text("SOMETHING_NEW", {}, "The server's own words.") == (
        "The server's own words.")


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningServer, str]]:
    with running_server(tmp_path_factory.mktemp("server"), demo=True) as srv:
        yield srv, str(srv.activate("Messages counter")["credential"])


def _client(srv: RunningServer, credential: str) -> VendingClient:
    return VendingClient(requests.Session(), srv.base_url, lambda: credential,
                         timeouts=Timeouts(2, 5))


def test_a_real_refusal_in_french(real: tuple[RunningServer, str],
                                  monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    srv, credential = real
    meter = str(srv.meter("normal")["meter_number"])
    template = MESSAGES["AMOUNT_OUT_OF_RANGE"].template
    french = ("Ce montant ne peut pas être vendu : une vente va de {minimum} à {maximum}, et "
              "doit aussi couvrir les frais fixes du mois et le recouvrement de dette.")
    with language(monkeypatch, tmp_path, "fr", {template: french}):
        with pytest.raises(ApiRejected) as refused:
            _client(srv, credential).quote(meter, Money.of("0.01", "ZAR"))
    details = refused.value.details
    minimum = format_money(Money.from_json(details["minimum"]))
    maximum = format_money(Money.from_json(details["maximum"]))
    assert refused.value.code == "AMOUNT_OUT_OF_RANGE"
    assert refused.value.message == french.format(minimum=minimum, maximum=maximum)
