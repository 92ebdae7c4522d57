"""Hand-written answers in the shapes real servers send (tests/fixtures/xmlvend) parse to the
expected receipts: tokens in entry order whatever the XML order, the quirks tolerated."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from app.api.errors import ApiRejected, ServerUnavailable
from app.xmlvend import faults
from app.xmlvend.messages import MsgId
from app.xmlvend.receipt import BadMessage, parse_response

FIXTURES = Path(__file__).parents[2] / "fixtures" / "xmlvend"


def _load(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_hexing_receipt_tokens_in_entry_order_and_amounts() -> None:
    r = parse_response(_load("hexing_credit_vend_fbe_kct.xml"))
    assert r.message == "creditVendResp"
    # XML order: FBE tx, then the sale tx with credit and (after it) the KCT.
    assert [(t.kind, t.digits[:2]) for t in r.tokens] == [
        ("key_change_1", "11"), ("key_change_2", "22"), ("credit", "44"), ("fbe", "33")]
    assert r.tokens[2].units == Decimal("60.5") and r.tokens[2].si_unit == "kWh"
    assert r.tokens[3].si_unit == "kWh"  # KWH
    assert r.receipt_no == "1234567890123456"
    assert r.req_msg_id == MsgId("20200315101500", 42)
    assert r.vendor_credit == Decimal("999255.5")
    assert (r.tendered, r.change) == (Decimal("100.00"), Decimal("10.00"))
    sale = r.credit_lines[1]
    assert r.tendered is not None and r.change is not None
    # amt excludes VAT: 78.26 + 11.74 = tender - change.
    assert sale.amount + sale.tax == r.tendered - r.change
    assert sale.tax_rate == Decimal("0.1500") and sale.tariff_name == "Domestic Prepaid"
    assert r.disp_header.startswith("CENTLEC \u2013 PREPAID")
    assert r.kct is not None and (r.kct.from_krn, r.kct.to_krn) == ("1", "2")
    assert r.customer is not None and r.customer.name == "MR J DOE"
    assert r.utility == {"name": "Centlec", "address": "Bloemfontein", "taxRef": ""}
    assert r.vendor["address"] == ""  # "null"


def test_gecol_three_decimals_null_empty_tariff_and_monthly_charges() -> None:
    r = parse_response(_load("gecol_credit_vend_lyd.xml"))
    assert r.receipt_no == "GECOL01/0001234"  # kept as a string
    assert r.currency == "LYD" and r.tendered == Decimal("20.100")
    assert [t.digits for t in r.tokens] == ["5" * 20]  # spaces removed
    assert r.tokens[0].units == Decimal("0")
    assert r.credit_lines[0].tariff_name == ""  # <tariff/>
    # "everymonth * 2": the per-month amt doubled; "null" amount is zero.
    assert [(c.kind, c.amount) for c in r.charges] == [
        ("service", Decimal("2.500")), ("service", Decimal("0")), ("debt", Decimal("0.1"))]
    assert r.charges[2].balance == Decimal("12.000")
    total = sum(line.amount + line.tax for line in r.credit_lines) + \
        sum(c.amount + c.tax for c in r.charges)
    assert total == r.tendered
    # The customer's name is the meter number (GECOL): absent; the address "null": absent.
    assert r.customer is not None and (r.customer.name, r.customer.address) == ("", "")
    assert r.customer.meter == "98765432101"
    # The xsi prefix is d3p1 and an unprefixed xsi value takes the default namespace.
    assert r.credit_lines and r.resp_date_time == "2023-11-01T09:00:01.123"


def test_ugx_advice_holds_the_original_answer() -> None:
    r = parse_response(_load("ugx_advice_last_response.xml"))
    assert r.message == "adviceResp" and r.xsi_type == "LastRespAdviceResp"
    assert r.advice_msg_id == MsgId("20240510120000", 100)
    last = r.last_response
    assert last is not None and last.message == "creditVendResp"
    assert last.req_msg_id == MsgId("20240510120000", 100)
    assert last.tendered == Decimal("20000") and last.credit_lines[0].tax_rate == Decimal(18)
    assert r.receipt is last and last.tokens[0].units == Decimal("25.3")


def test_faults_soap_12_conlog_and_hexing_codes_map_to_typed_errors() -> None:
    conlog = parse_response(_load("conlog_fault_soap12.xml"))
    assert conlog.message == "fault" and conlog.soap_version == "1.2"
    assert conlog.fault is not None and conlog.fault.type == "SystemEx"
    assert conlog.fault.fault_string == "Server error"
    # "meter not found" sent as a SystemEx is a refusal the cashier can fix.
    err = faults.to_error(conlog.fault)
    assert isinstance(err, ApiRejected) and err.code == "UNKNOWN_METER"
    hexing = parse_response(_load("hexing_fault_vendor_credit.xml"))
    assert hexing.fault is not None and hexing.fault.code == "VD.17020006"
    err = faults.to_error(hexing.fault)
    assert isinstance(err, ApiRejected) and err.code == "INSUFFICIENT_VENDOR_CREDIT"
    assert err.message == "Agent float too low"


@pytest.mark.parametrize(("type_", "code", "desc", "kind"), [
    ("SystemEx", "", "database down", "unknown_outcome"),
    ("BusinessRuleEx", "VD.17020008", "busy with this order", "unknown_outcome"),
    ("LastResponseEx", "", "no such transaction", "no_such_message"),
    ("BusinessRuleEx", "DUPLICATE_MSGID", "msgID already used", "duplicate"),
    ("UnknownMeterEx", "", "unknown", "rejected"),
    ("ClientIDSSLEx", "", "wrong certificate", "unauthorised"),
    ("XMLVendSchemaEx", "", "bad", "bug"),
    ("UseCaseSupportEx", "", "not here", "unsupported"),
])
def test_fault_kinds(type_: str, code: str, desc: str, kind: str) -> None:
    from app.xmlvend.receipt import Fault

    fault = Fault(type_, code, desc)
    assert faults.kind(fault) == kind
    if kind == "unknown_outcome":
        err = faults.to_error(fault)
        assert isinstance(err, ServerUnavailable) and err.sent


@pytest.mark.parametrize("data", [
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
    b'"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>',
    b'<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<foo>&xxe;</foo>',
    b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
    b'<r:creditVendResp xmlns:r="http://www.nrs.eskom.co.za/xmlvend/revenue/2.1/schema">',
    b'<a>&undefined;</a>',
    b"<a>" + b"x" * 2_000_000 + b"</a>",
    b"<a>" + b"<b>" * 100 + b"</b>" * 100 + b"</a>",
    '<?xml version="1.0" encoding="UTF-16"?><a/>'.encode("utf-16"),
    b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
    b'<x:other xmlns:x="urn:else"/></soap:Body></soap:Envelope>',
    b"not xml at all",
])
def test_hostile_or_foreign_input_is_refused(data: bytes) -> None:
    with pytest.raises(BadMessage):
        parse_response(data)


def test_a_token_that_is_not_20_digits_refuses_the_answer() -> None:
    data = _load("hexing_credit_vend_fbe_kct.xml").replace(b"44444444444444444444",
                                                            b"4444444444444444444")
    with pytest.raises(BadMessage, match="20 digits"):
        parse_response(data)


def test_the_core_accepts_the_gecol_sale_with_its_receipt_number_and_zero_units(
        tmp_path: Path) -> None:
    # GECOL numbers receipts like CLIENT/NNNNNNN and answers units 0 on a real sale: both
    # legitimate (docs/xmlvend.md), so the mapped sale passes the core's own sale check.
    import secrets

    import requests

    from app.xmlvend.backend import XmlVendBackend, XmlVendConfig
    from offline_store import open_store

    store = open_store(tmp_path / "s.db", secrets.token_bytes(32), create=True)
    try:
        backend = XmlVendBackend(requests.Session(), XmlVendConfig(
            url="http://127.0.0.1:9/x", client_ean="1", terminal_id="T1", currency="LYD"),
            store, terminal_facts={})
        resp = parse_response(_load("gecol_credit_vend_lyd.xml"))
        sale = backend._sale(resp, "key-1", MsgId("20240102030405", 1),
                             {"meter_number": resp.customer.meter if resp.customer else ""},
                             "op", record=False)
        assert sale.receipt_no == "GECOL01/0001234"
        assert sale.units == "0.0" and [t.kind for t in sale.tokens] == ["credit"]
    finally:
        store.close()
