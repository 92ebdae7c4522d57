"""The reference server's XMLVend face over HTTP: the same service behind SOAP, faults with
their xmlvendFaultResp detail, hostile requests refused, and the personalities (reused msgID,
SOAP version, gzip) switchable while serving."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.xmlvend import messages as m
from app.xmlvend.receipt import Response, parse_response
from vendserver.testing import RunningServer, running_server
from vendserver.xmlvend import PATH, PERSONALITIES


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with running_server(tmp_path_factory.mktemp("server"), demo=True) as srv:
        yield srv


@pytest.fixture(scope="module")
def terminal(server: RunningServer) -> dict[str, Any]:
    return server.activate("face")


@pytest.fixture
def face(server: RunningServer) -> Iterator[Any]:
    assert server.app is not None
    f = server.app.state.xmlvend
    yield f
    f.personality = PERSONALITIES["hexing"]


_numbers = iter(range(1, 10**6))


def _header(terminal: dict[str, Any], password: str | None = None) -> m.Header:
    return m.Header("0000000000026", terminal["terminal_id"],
                    m.MsgId("20240102030405", next(_numbers)), "thandi",
                    terminal["credential"] if password is None else password)


def _post(server: RunningServer, data: bytes, *, version: str = "1.1",
          gzip_ok: bool = False) -> httpx.Response:
    headers = {"Content-Type": "text/xml; charset=utf-8" if version == "1.1"
               else "application/soap+xml; charset=utf-8"}
    headers["Accept-Encoding"] = "gzip" if gzip_ok else "identity"
    return httpx.post(server.base_url + PATH, content=data, headers=headers, timeout=30)


def _parse(r: httpx.Response) -> Response:
    return parse_response(r.content)


def _vend(h: m.Header, meter: str, amount: str = "100.00") -> m.Node:
    return m.credit_vend(h, meter, amount=Decimal(amount), symbol="ZAR",
                         tender=Decimal(amount))


def test_a_sale_through_soap_is_the_services_sale(server: RunningServer,
                                                 terminal: dict[str, Any]) -> None:
    meter = server.meter("normal")["meter_number"]
    h = _header(terminal)
    r = _post(server, m.envelope(_vend(h, meter)))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/xml")
    resp = _parse(r)
    assert resp.message == "creditVendResp" and resp.req_msg_id == h.msg_id
    assert resp.tendered == Decimal("100.00") and resp.tokens[-1].kind == "credit"
    # The same sale, with the same tokens, under the key made from the msgID.
    key = server.app.state.xmlvend.key(h.client_ean, h.terminal_id,  # type: ignore[union-attr]
                                       h.msg_id.date_time, str(h.msg_id.unique_number))
    stored = server.service.store.sale_by_key(terminal["terminal_id"], key)
    assert stored is not None and stored["receipt_no"] == resp.receipt_no
    # Advice: the answer's reqMsgID is the advice's own; lastResponse echoes the original.
    ah = _header(terminal)
    adv = _parse(_post(server, m.envelope(m.advice(ah, "LastRespAdviceReq", h.msg_id))))
    assert adv.req_msg_id == ah.msg_id and adv.last_response is not None
    assert adv.last_response.req_msg_id == h.msg_id
    assert [t.digits for t in adv.last_response.tokens] == [t.digits for t in resp.tokens]


def test_reused_msgid_refused_by_conlog_replayed_by_hexing(
        server: RunningServer, terminal: dict[str, Any], face: Any) -> None:
    meter = server.meter("normal")["meter_number"]
    h = _header(terminal)
    first = _parse(_post(server, m.envelope(_vend(h, meter))))
    face.personality = PERSONALITIES["conlog"]
    refused = _post(server, m.envelope(_vend(h, meter)))
    assert refused.status_code == 500
    fault = _parse(refused).fault
    assert fault is not None and fault.code == "DUPLICATE_MSGID"
    face.personality = PERSONALITIES["hexing"]
    again = _parse(_post(server, m.envelope(_vend(h, meter, "200.00"))))
    assert again.receipt_no == first.receipt_no  # the first answer, even for another body


def test_soap_versions_and_gzip_follow_the_personality(
        server: RunningServer, terminal: dict[str, Any], face: Any) -> None:
    meter = server.meter("normal")["meter_number"]
    r = _post(server, m.envelope(m.confirm_customer(_header(terminal), meter), "1.2"),
              version="1.2")
    assert r.status_code == 500 and _parse(r).soap_version == "1.2"  # Hexing: 1.1 only
    face.personality = PERSONALITIES["conlog"]
    r = _post(server, m.envelope(m.confirm_customer(_header(terminal), meter), "1.2"),
              version="1.2", gzip_ok=True)
    assert r.status_code == 200 and r.headers["content-encoding"] == "gzip"
    assert r.headers["content-type"].startswith("application/soap+xml")
    resp = _parse(r)  # httpx gunzipped it
    assert resp.soap_version == "1.2" and resp.message == "confirmCustomerResp"
    with httpx.stream("POST", server.base_url + PATH,
                      content=m.envelope(m.confirm_customer(_header(terminal), meter)),
                      headers={"Accept-Encoding": "gzip", "Content-Type": "text/xml"}) as raw:
        body = b"".join(raw.iter_raw())
    assert body[:2] == b"\x1f\x8b"  # gzip on the wire
    assert parse_response(gzip.decompress(body)).message == "confirmCustomerResp"


@pytest.mark.parametrize(("body", "fault_type"), [
    (b'<!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>', "XMLVendSchemaEx"),
    (b"<soap:Envelope xmlns:soap='http://schemas.xmlsoap.org/soap/envelope/'><soap:Bo",
     "XMLVendSchemaEx"),
])
def test_hostile_requests_are_refused_as_schema_faults(server: RunningServer, body: bytes,
                                                       fault_type: str) -> None:
    r = _post(server, body)
    assert r.status_code == 500
    fault = _parse(r).fault
    assert fault is not None and fault.type == fault_type


def test_faults_for_a_wrong_credential_unknown_meter_and_an_unknown_operation(
        server: RunningServer, terminal: dict[str, Any]) -> None:
    meter = server.meter("normal")["meter_number"]
    bad = _parse(_post(server, m.envelope(m.confirm_customer(_header(terminal, "nope"),
                                                             meter))))
    assert bad.fault is not None and bad.fault.type == "ClientIDAuthorisationEx"
    unknown = _parse(_post(server, m.envelope(m.confirm_customer(_header(terminal),
                                                                 "01234567891"))))
    assert unknown.fault is not None
    assert unknown.fault.type in ("UnknownMeterEx", "MSNOCheckDigitEx")
    # Shift and sales batches are implemented; banking batches are not.
    batch = _parse(_post(server, m.envelope(m.batch(_header(terminal), "start", "bank"))))
    assert batch.fault is not None and batch.fault.type == "UseCaseSupportEx"
    none = _parse(_post(server, m.envelope(m.advice(_header(terminal), "LastRespAdviceReq",
                                                    m.MsgId("20000101000000", 1)))))
    assert none.fault is not None and none.fault.type == "LastResponseEx"


def test_the_demo_cli_selects_a_personality(tmp_path: Path) -> None:
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "vendserver", "serve", "--help"],
                         capture_output=True, text=True, timeout=60,
                         cwd=Path(__file__).parents[3])
    assert "--xmlvend" in out.stdout


@pytest.mark.parametrize(("code", "amount", "refused"), [("LYD", "10.500", "10.5005"),
                                                        ("UGX", "25000", "25000.5")])
def test_a_sale_through_soap_in_a_market_with_other_decimals(
        tmp_path: Path, code: str, amount: str, refused: str) -> None:
    with running_server(tmp_path, market=code) as srv:
        terminal = srv.activate("face")
        meter = srv.meter("normal")["meter_number"]
        vend = m.credit_vend(_header(terminal), meter, amount=Decimal(amount), symbol=code,
                             tender=Decimal(amount))
        resp = _parse(_post(srv, m.envelope(vend)))
        assert resp.message == "creditVendResp", resp
        assert resp.tendered == Decimal(amount) and resp.tokens[-1].kind == "credit"
        stored = srv.service.store.sales_for_meter(meter, 5)
        assert stored and int(stored[0]["amount_cents"]) == int(Decimal(amount).scaleb(
            3 if code == "LYD" else 0))
        bad = m.credit_vend(_header(terminal), meter, amount=Decimal(refused), symbol=code,
                            tender=Decimal(refused))
        r = _post(srv, m.envelope(bad))
        assert r.status_code == 500 and b"decimals" in r.content
