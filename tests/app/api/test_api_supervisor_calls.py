"""Meter search, reversal, engineering tokens and Z report through the public client calls:
against the real reference server, and scripted answers for the validation rules."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from app.api import ApiBug, ApiRejected, MalformedResponse, Timeouts, VendingClient
from app.api.models import Money, ZReportUpload, ZTotals
from common.errors import InvalidInput
from tests.reliability.faultproxy import scripted_server
from vendserver.testing import RunningServer, running_server

JSON = "application/json"
ZAR0 = Money(0, "ZAR")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with running_server(tmp_path_factory.mktemp("supervisor-calls"), demo=True) as srv:
        yield srv


@pytest.fixture(scope="module")
def client(server: RunningServer) -> VendingClient:
    term = server.activate("Supervisor calls")
    return VendingClient(requests.Session(), server.base_url, lambda: term["credential"],
                         timeouts=Timeouts(2, 10))


def _scripted(url: str, sink: list[MalformedResponse] | None = None) -> VendingClient:
    return VendingClient(requests.Session(), url, lambda: "vpt_test", timeouts=Timeouts(2, 2),
                         malformed_sink=None if sink is None else sink.append)


def _sell(server: RunningServer, client: VendingClient, tag: str = "normal",
          amount: str = "50.00") -> str:
    meter = str(server.meter(tag)["meter_number"])
    key = str(uuid.uuid4())
    sale = client.sell(key, "thandi", {"meter_number": meter,
                                       "amount": {"amount": amount, "currency": "ZAR"}})
    return sale.receipt_no


# -- meter search ------------------------------------------------------------------------------
def test_search_is_accent_insensitive_and_typed(server: RunningServer,
                                                client: VendingClient) -> None:
    hits = client.search_meters("  jose ")
    assert [h.customer_name for h in hits] == ["José Fernandes da Conceição"]
    meter = next(m for m in server.demo["meters"] if m["customer_name"].startswith("José"))
    assert hits[0].meter_number == meter["meter_number"] and hits[0].blocked is False
    assert hits[0].service == "electricity" and hits[0].address == meter["address"]
    assert len(client.search_meters("Rivermead", limit=3)) == 3
    prefix = str(meter["meter_number"])[:6]
    assert meter["meter_number"] in [h.meter_number for h in client.search_meters(prefix)]
    blocked = str(server.meter("blocked")["meter_number"])
    assert [h.blocked for h in client.search_meters(blocked)] == [True]


def test_search_input_is_checked_before_sending() -> None:
    with scripted_server() as s:
        c = _scripted(s.url)
        for bad in ("", " a ", "x" * 65):
            with pytest.raises(InvalidInput, match="2 to 64 characters"):
                c.search_meters(bad)
        for limit in (0, 51, True):
            with pytest.raises(ValueError, match="limit"):
                c.search_meters("jose", limit=limit)
        s.script.append((200, JSON, b'{"results": []}'))
        assert c.search_meters("a&b=c") == []
        assert s.requests[0][1] == "/v1/meters?q=a%26b%3Dc&limit=20"
        assert len(s.requests) == 1


def _hit(number: str = "14339800360", **changes: Any) -> dict[str, Any]:
    hit = {"meter_number": number, "service": "electricity", "customer_name": "A",
           "account": "1", "address": "x", "blocked": False}
    hit.update(changes)
    return hit


BAD_SEARCH = [
    ("results missing", {}),
    ("more than the limit", {"results": [_hit(), _hit("01234567897"), _hit("1234567890128")]}),
    ("meter number not digits", {"results": [_hit("1433980036X")]}),
    ("meter number repeated", {"results": [_hit(), _hit()]}),
    ("blocked as 0", {"results": [_hit(blocked=0)]}),
    ("name missing", {"results": [{k: v for k, v in _hit().items() if k != "customer_name"}]}),
]


@pytest.mark.parametrize(("case", "body"), BAD_SEARCH, ids=[c for c, _ in BAD_SEARCH])
def test_malformed_search_is_kept_and_raised(case: str, body: Any) -> None:
    kept: list[MalformedResponse] = []
    with scripted_server() as s:
        s.script.append((200, JSON, json.dumps(body).encode()))
        with pytest.raises(MalformedResponse):
            _scripted(s.url, kept).search_meters("jose", limit=2)
    assert len(kept) == 1 and kept[0].path.startswith("/v1/meters?q=jose")


# -- reversal ----------------------------------------------------------------------------------
def test_reverse_against_the_real_server(server: RunningServer, client: VendingClient) -> None:
    receipt = _sell(server, client)
    rev = client.reverse(receipt, "thandi", reason="wrong meter", supervisor_id="sipho",
                         supervisor_pin="4321")
    assert rev.receipt_no == receipt and rev.reversal_no.startswith("RV")
    assert rev.amount_refunded == Money(5000, "ZAR") and rev.supervisor_id == "sipho"
    assert rev.reason == "wrong meter"
    again = client.reverse(receipt, "thandi", reason="again", supervisor_id="sipho",
                           supervisor_pin="4321")
    assert again.reversal_no == rev.reversal_no  # the original reversal, not a second one
    with pytest.raises(ApiRejected) as unknown:
        client.reverse("VP99999999", "thandi", reason="x", supervisor_id="sipho",
                       supervisor_pin="4321")
    assert unknown.value.code == "RECEIPT_NOT_FOUND"
    other = _sell(server, client)
    with pytest.raises(ApiRejected) as pin:
        client.reverse(other, "thandi", reason="x", supervisor_id="sipho",
                       supervisor_pin="0000")
    assert pin.value.code == "PIN_INVALID" and "0000" not in str(pin.value)
    with pytest.raises(ApiRejected) as role:
        client.reverse(other, "thandi", reason="x", supervisor_id="thandi",
                       supervisor_pin="1234")
    assert role.value.code == "SUPERVISOR_REQUIRED"


@pytest.mark.parametrize(("field", "kwargs"), [
    ("receipt", {"receipt_no": "VP 1"}), ("operator", {"operator_id": "Thandi"}),
    ("operator", {"supervisor_id": ""}), ("PIN", {"supervisor_pin": "12a4"}),
    ("PIN", {"supervisor_pin": "123"}), ("reason", {"reason": ""}),
    ("reason", {"reason": "x" * 201}),
])
def test_reverse_input_is_checked_before_sending(field: str, kwargs: dict[str, Any]) -> None:
    args: dict[str, Any] = {"receipt_no": "VP00000001", "operator_id": "thandi",
                            "reason": "r", "supervisor_id": "sipho", "supervisor_pin": "4321"}
    args.update(kwargs)
    with scripted_server() as s:
        with pytest.raises(ValueError, match=field) as exc:
            _scripted(s.url).reverse(args.pop("receipt_no"), args.pop("operator_id"), **args)
        assert s.requests == []
    assert "12a4" not in str(exc.value)


def _reversal(**changes: Any) -> dict[str, Any]:
    m = {"amount": "50.00", "currency": "ZAR"}
    body = {"receipt_no": "VP00000001", "reversal_no": "RV00000001",
            "reversed_at": "2026-11-25T03:30:00Z", "reason": "r",
            "supervisor": {"id": "sipho", "name": "S"}, "amount_refunded": m,
            "vendor_credit": m, "arrears_restored": {"amount": "0.00", "currency": "ZAR"}}
    body.update(changes)
    return body


BAD_REVERSALS = [
    ("another receipt", _reversal(receipt_no="VP00000002")),
    ("refund negative", _reversal(amount_refunded={"amount": "-1.00", "currency": "ZAR"})),
    ("refund as number", _reversal(amount_refunded={"amount": 50, "currency": "ZAR"})),
    ("currencies mixed", _reversal(vendor_credit={"amount": "1.00", "currency": "USD"})),
    ("time without Z", _reversal(reversed_at="2026-11-25T03:30:00")),
    ("supervisor missing", {k: v for k, v in _reversal().items() if k != "supervisor"}),
]


@pytest.mark.parametrize(("case", "body"), BAD_REVERSALS, ids=[c for c, _ in BAD_REVERSALS])
def test_malformed_reversal_is_kept_and_raised(case: str, body: Any) -> None:
    kept: list[MalformedResponse] = []
    with scripted_server() as s:
        s.script.append((200, JSON, json.dumps(body).encode()))
        with pytest.raises(MalformedResponse):
            _scripted(s.url, kept).reverse("VP00000001", "thandi", reason="r",
                                           supervisor_id="sipho", supervisor_pin="4321")
        method, path, headers, sent = s.requests[0]
        assert (method, path) == ("POST", "/v1/sales/VP00000001/reversal")
        assert headers["X-Operator-Id"] == "thandi"
        assert json.loads(sent)["supervisor"] == {"operator_id": "sipho", "pin": "4321"}
    assert len(kept) == 1


# -- engineering tokens ------------------------------------------------------------------------
def test_engineering_tokens_against_the_real_server(server: RunningServer,
                                                    client: VendingClient) -> None:
    meter = str(server.meter("normal")["meter_number"])
    key = str(uuid.uuid4())
    issued = client.engineering_token("thandi", meter_number=meter, type="set_power_limit",
                                      value=4000, supervisor_id="sipho",
                                      supervisor_pin="4321", idempotency_key=key)
    assert issued.reference.startswith("EN") and issued.type == "set_power_limit"
    assert len(issued.tokens) == 1 and len(issued.tokens[0].digits) == 20
    assert issued.meter_number == meter and "krn" in issued.meter
    assert issued.tokens[0].digits not in repr(issued)
    replay = client.engineering_token("thandi", meter_number=meter, type="set_power_limit",
                                      value=4000, supervisor_id="sipho",
                                      supervisor_pin="4321", idempotency_key=key)
    assert replay.reference == issued.reference and replay.tokens == issued.tokens
    with pytest.raises(ApiBug) as mismatch:  # same key, other body
        client.engineering_token("thandi", meter_number=meter, type="set_power_limit",
                                 value=5000, supervisor_id="sipho", supervisor_pin="4321",
                                 idempotency_key=key)
    assert mismatch.value.code == "DUPLICATE_REQUEST_MISMATCH"
    test = client.engineering_token("thandi", meter_number=meter, type="test",
                                    supervisor_id="sipho", supervisor_pin="4321")
    assert test.tokens[0].kind == "test"
    with pytest.raises(ApiRejected) as unknown:
        client.engineering_token("thandi", meter_number="01234567897", type="test",
                                 supervisor_id="sipho", supervisor_pin="4321")
    assert unknown.value.code == "UNKNOWN_METER"


@pytest.mark.parametrize(("problem", "kwargs"), [
    ("meter", {"meter_number": "14339800361"}),  # Luhn digit wrong
    ("meter", {"meter_number": "1433 9800 360"}),
    ("type", {"type": "clear_everything"}),
    ("value", {"type": "set_power_limit"}),
    ("value", {"type": "set_power_limit", "value": 65536}),
    ("value", {"type": "set_phase_unbalance", "value": True}),
    ("value", {"type": "clear_tamper", "value": 1}),
    ("control bits", {"type": "test", "value": -1}),
    ("register", {"type": "clear_tamper", "register": "electricity"}),
    ("register", {"type": "clear_credit", "register": "gas"}),
    ("new_ti", {"type": "key_change", "new_ti": 100}),
    ("new_ti", {"type": "test", "new_ti": 2}),
    ("idempotency key", {"idempotency_key": "short"}),
    ("PIN", {"supervisor_pin": ""}),
])
def test_engineering_input_is_checked_before_sending(problem: str,
                                                     kwargs: dict[str, Any]) -> None:
    args: dict[str, Any] = {"meter_number": "14339800360", "type": "clear_tamper",
                            "supervisor_id": "sipho", "supervisor_pin": "4321"}
    args.update(kwargs)
    with scripted_server() as s:
        with pytest.raises(ValueError, match=problem):
            _scripted(s.url).engineering_token("thandi", **args)
        assert s.requests == []


def _engineering(**changes: Any) -> dict[str, Any]:
    body = {"reference": "EN00000001", "meter_number": "14339800360", "type": "clear_tamper",
            "issued_at": "2026-11-25T03:30:00Z", "supervisor": {"id": "sipho", "name": "S"},
            "tokens": [{"seq": 1, "kind": "clear_tamper", "description": "Clear tamper",
                        "token": "12345678901234567890",
                        "display": "1234 5678 9012 3456 7890", "units": None, "unit": None}],
            "meter": {"sgc": "600123", "krn": 1, "ti": 1, "ea": 11, "base_date": 2014}}
    body.update(changes)
    return body


def _tok(**changes: Any) -> list[dict[str, Any]]:
    token = dict(_engineering()["tokens"][0])
    token.update(changes)
    return [token]


BAD_ENGINEERING = [
    ("another meter", _engineering(meter_number="01234567897")),
    ("another type", _engineering(type="test")),
    ("no tokens", _engineering(tokens=[])),
    ("token 19 digits", _engineering(tokens=_tok(token="1234567890123456789",
                                                 display="123 4567 8901 2345 6789"))),
    ("display differs", _engineering(tokens=_tok(display="1234 5678 9012 3456 7891"))),
    ("unknown kind", _engineering(tokens=_tok(kind="magic"))),
    ("meter not an object", _engineering(meter=None)),
]


@pytest.mark.parametrize(("case", "body"), BAD_ENGINEERING, ids=[c for c, _ in BAD_ENGINEERING])
def test_malformed_engineering_is_kept_and_raised(case: str, body: Any) -> None:
    kept: list[MalformedResponse] = []
    key = str(uuid.uuid4())
    with scripted_server() as s:
        s.script.append((200, JSON, json.dumps(body).encode()))
        with pytest.raises(MalformedResponse) as exc:
            _scripted(s.url, kept).engineering_token(
                "thandi", meter_number="14339800360", type="clear_tamper",
                supervisor_id="sipho", supervisor_pin="4321", idempotency_key=key)
        assert s.requests[0][2]["Idempotency-Key"] == key
    assert len(kept) == 1 and "12345678901234567890" not in str(exc.value)


# -- Z report ----------------------------------------------------------------------------------
def _upload(z_number: int, count: int, amount: Money, units: str, vat: Money,
            opened: str = "2026-01-01T00:00:00Z",
            closed: str = "2099-01-01T00:00:00Z") -> ZReportUpload:
    return ZReportUpload(z_number, opened, closed,
                         ZTotals(count, amount, 0, ZAR0, units, vat), 0)


def test_z_report_matched_and_differences_from_the_real_server(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    with running_server(tmp_path_factory.mktemp("z-calls"), demo=True) as srv:
        term = srv.activate("Z calls")
        c = VendingClient(requests.Session(), srv.base_url, lambda: term["credential"],
                          timeouts=Timeouts(2, 10))
        meter = str(srv.meter("normal")["meter_number"])
        sale = c.sell(str(uuid.uuid4()), "thandi",
                      {"meter_number": meter, "amount": {"amount": "100.00",
                                                         "currency": "ZAR"}})
        vat = Money(int(sale.raw["vat"]["amount"]["amount"].replace(".", "")), "ZAR")
        good = _upload(1, 1, sale.amount_tendered, sale.units, vat)
        result = c.z_report("T-Z000001", "thandi", good)
        assert result.matched and result.differences.is_zero
        assert result.server.sales_amount == Money(10000, "ZAR")
        assert result.server.units == sale.units and result.z_number == 1
        assert c.z_report("T-Z000001", "thandi", good).raw == result.raw  # same body, same
        short = _upload(2, 1, Money(9000, "ZAR"), sale.units, vat)
        off = c.z_report("T-Z000002", "thandi", short)
        assert not off.matched and off.differences.sales_amount == Money(-1000, "ZAR")
        with pytest.raises(ApiBug) as mismatch:
            c.z_report("T-Z000001", "thandi", short)
        assert mismatch.value.code == "DUPLICATE_REQUEST_MISMATCH"


def test_z_upload_from_the_supervisor_body_round_trips() -> None:
    body: dict[str, Any] = {"z_number": 3, "opened_at": "2026-11-25T00:00:00Z",
            "closed_at": "2026-11-25T10:00:00Z",
            "totals": {"sales_count": 2, "sales_amount": {"amount": "150.5", "currency": "ZAR"},
                       "reversals_count": 0, "reversals_amount": {"amount": "0",
                                                                  "currency": "ZAR"},
                       "units": "12.3", "vat": {"amount": "19.63", "currency": "ZAR"},
                       "offline_pending_count": 1}}
    upload = ZReportUpload.from_json(body)
    assert upload.totals.sales_amount == Money(15050, "ZAR")
    assert upload.to_json()["totals"]["sales_amount"] == {"amount": "150.50",
                                                          "currency": "ZAR"}
    assert upload.to_json()["totals"]["offline_pending_count"] == 1
    with pytest.raises(ValueError, match="units"):
        ZReportUpload.from_json({**body, "totals": {**body["totals"], "units": 12.3}})
    with pytest.raises(ValueError, match="opened_at"):
        ZReportUpload.from_json({**body, "opened_at": "yesterday"})


def _z(**changes: Any) -> dict[str, Any]:
    zero = {"amount": "0.00", "currency": "ZAR"}
    totals = {"sales_count": 0, "sales_amount": zero, "reversals_count": 0,
              "reversals_amount": zero, "units": "0.0", "vat": zero}
    body = {"shift_id": "T-Z1", "z_number": 1, "received_at": "2026-11-25T03:30:00Z",
            "terminal": dict(totals), "server": dict(totals), "differences": dict(totals),
            "matched": True}
    body.update(changes)
    return body


BAD_Z = [
    ("another shift", _z(shift_id="T-Z2")),
    ("another z number", _z(z_number=2)),
    ("matched with a difference", _z(differences={**_z()["differences"], "sales_count": 1})),
    ("not matched without one", _z(matched=False)),
    ("server figures negative", _z(server={**_z()["server"], "sales_count": -1})),
    ("matched as string", _z(matched="true")),
]


@pytest.mark.parametrize(("case", "body"), BAD_Z, ids=[c for c, _ in BAD_Z])
def test_malformed_z_answer_is_kept_and_raised(case: str, body: Any) -> None:
    kept: list[MalformedResponse] = []
    with scripted_server() as s:
        s.script.append((200, JSON, json.dumps(body).encode()))
        with pytest.raises(MalformedResponse):
            _scripted(s.url, kept).z_report("T-Z1", "thandi",
                                            _upload(1, 0, ZAR0, "0.0", ZAR0))
        assert s.requests[0][1] == "/v1/shifts/T-Z1/z-report"
    assert len(kept) == 1


def test_z_report_ids_checked_before_sending() -> None:
    with scripted_server() as s:
        c = _scripted(s.url)
        with pytest.raises(ValueError, match="shift id"):
            c.z_report("T Z1", "thandi", _upload(1, 0, ZAR0, "0.0", ZAR0))
        with pytest.raises(ValueError, match="operator"):
            c.z_report("T-Z1", "", _upload(1, 0, ZAR0, "0.0", ZAR0))
        assert s.requests == []
