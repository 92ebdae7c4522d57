"""Requests are built as the XMLVend 2.1 schema declares them: each child in the namespace of
the type that declares it, xsi:type wherever the declared type is abstract, resolvable."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from app.xmlvend import messages as m
from app.xmlvend import ns
from common.safexml import Document, parse_document

HEADER = m.Header("0000000000026", "000098", m.MsgId("20240102030405", 17), "thandi", "pw")


def _body(doc: Document) -> ET.Element:
    body = doc.root.find(f"{{{ns.SOAP11}}}Body")
    assert body is not None
    return body[0]


def _xsi(doc: Document, el: ET.Element) -> tuple[str, str]:
    return doc.qname(el, el.attrib[f"{{{ns.XSI}}}type"])


def _one(el: ET.Element, uri: str, name: str) -> ET.Element:
    found = el.find(f"{{{uri}}}{name}")
    assert found is not None, f"{name} not in {uri} under {el.tag}"
    return found


def test_credit_vend_namespaces_follow_the_declaring_type() -> None:
    data = m.envelope(m.credit_vend(HEADER, "04040404040", amount=Decimal("100.00"),
                                    symbol="ZAR", tender=Decimal("100.00")))
    doc = parse_document(data)
    req = _body(doc)
    assert req.tag == f"{{{ns.REVENUE}}}creditVendReq"
    # Header children: base (declared by BaseReq).
    client = _one(req, ns.BASE, "clientID")
    assert _xsi(doc, client) == (ns.BASE, "EANDeviceID") and client.get("ean") == "0000000000026"
    assert _xsi(doc, _one(req, ns.BASE, "terminalID")) == (ns.BASE, "GenericDeviceID")
    msg = _one(req, ns.BASE, "msgID")
    assert (msg.get("dateTime"), msg.get("uniqueNumber")) == ("20240102030405", "17")
    cred = _one(req, ns.BASE, "authCred")
    assert _one(cred, ns.BASE, "opName").text == "thandi"
    assert _xsi(doc, _one(req, ns.BASE, "resource")) == (ns.BASE, "Electricity")
    # idMethod is base in the vend family; its meterIdentifier base with an xsi type.
    ident = _one(_one(req, ns.BASE, "idMethod"), ns.BASE, "meterIdentifier")
    assert _xsi(doc, ident) == (ns.BASE, "MeterNumber") and ident.get("msno") == "04040404040"
    # purchaseValue and its amt are revenue; payType revenue, its tenderAmt base.
    pv = _one(req, ns.REVENUE, "purchaseValue")
    assert _xsi(doc, pv) == (ns.REVENUE, "PurchaseValueCurrency")
    assert _one(pv, ns.REVENUE, "amt").attrib == {"value": "100.00", "symbol": "ZAR"}
    pay = _one(req, ns.REVENUE, "payType")
    assert _xsi(doc, pay) == (ns.BASE, "Cash")
    assert _one(pay, ns.BASE, "tenderAmt").get("value") == "100.00"
    # The order of the sequence is the schema's.
    assert [c.tag.rsplit("}", 1)[1] for c in req] == [
        "clientID", "terminalID", "msgID", "authCred", "resource", "idMethod", "purchaseValue",
        "payType"]


def test_confirm_customer_idmethod_is_revenue_with_its_xsi_type() -> None:
    doc = parse_document(m.envelope(m.confirm_customer(HEADER, "04040404040")))
    req = _body(doc)
    assert req.tag == f"{{{ns.REVENUE}}}confirmCustomerReq"
    ident = _one(req, ns.REVENUE, "idMethod")
    assert _xsi(doc, ident) == (ns.BASE, "VendIDMethod")
    assert _xsi(doc, _one(ident, ns.BASE, "meterIdentifier")) == (ns.BASE, "MeterNumber")


def test_advice_root_carries_its_type_and_the_original_msgid() -> None:
    about = m.MsgId("20240102030000", 16)
    doc = parse_document(m.envelope(m.advice(HEADER, "LastRespAdviceReq", about)))
    req = _body(doc)
    assert req.tag == f"{{{ns.BASE}}}adviceReq"
    assert _xsi(doc, req) == (ns.BASE, "LastRespAdviceReq")
    # Its own msgID is new; adviceReqMsgID names the original.
    assert _one(req, ns.BASE, "msgID").get("uniqueNumber") == "17"
    assert _one(req, ns.BASE, "adviceReqMsgID").attrib == {"dateTime": "20240102030000",
                                                           "uniqueNumber": "16"}


def test_trial_by_units_batch_and_engineering_types() -> None:
    doc = parse_document(m.envelope(m.trial_credit_vend(HEADER, "04040404040",
                                                        units=Decimal("25.5"), symbol="ZAR")))
    pv = _one(_body(doc), ns.REVENUE, "purchaseValue")
    assert _xsi(doc, pv) == (ns.REVENUE, "PurchaseValueUnits")
    assert _one(pv, ns.REVENUE, "units").attrib == {"value": "25.5", "siUnit": "kWh"}
    doc = parse_document(m.envelope(m.batch(HEADER, "end", "shift")))
    assert _xsi(doc, _body(doc)) == (ns.REVENUE, "EndShiftBatchReq")
    doc = parse_document(m.envelope(m.meter_specific_eng(HEADER, "04040404040",
                                                         "set_power_limit", watts=2500)))
    req = _body(doc)
    assert req.tag == f"{{{ns.METER}}}meterSpecificEngReq"
    assert _xsi(doc, req) == (ns.METER, "PwrLmtReq")
    assert _one(req, ns.METER, "pwrLmt").attrib == {"value": "2.5", "siUnit": "kW"}


def test_soap_12_envelope_and_text_is_escaped() -> None:
    h = m.Header("1", "T<&>", m.MsgId("20240102030405", 1), "op&", "p<w")
    data = m.envelope(m.confirm_customer(h, "04040404040"), "1.2")
    doc = parse_document(data)
    assert doc.root.tag == f"{{{ns.SOAP12}}}Envelope"
    req = doc.root[0][0]
    assert _one(req, ns.BASE, "terminalID").get("id") == "T<&>"


def test_a_vend_is_by_currency_or_by_units() -> None:
    with pytest.raises(ValueError):
        m.credit_vend(HEADER, "04040404040", symbol="ZAR")


def test_key_change_test_token_and_update_meter_key_messages() -> None:
    kct = dict(zip(m.KCT_FIELDS, ("600123", "1", "01", "600123", "1", "02"), strict=True))
    doc = parse_document(m.envelope(m.meter_specific_eng(HEADER, "04040404040", "key_change",
                                                         kct=kct)))
    req = _body(doc)
    assert _xsi(doc, req) == (ns.METER, "EngKCTReq")
    assert _one(req, ns.METER, "kctData").attrib == kct  # the meter ns: declared there
    doc = parse_document(m.envelope(m.meter_specific_eng(HEADER, "04040404040",
                                                         "set_phase_unbalance", watts=10000)))
    assert _one(_body(doc), ns.METER, "pwrLmt").attrib == {"value": "10", "siUnit": "kW"}
    doc = parse_document(m.envelope(m.non_meter_specific_eng(HEADER, "TestAll", at="07",
                                                             tt="02")))
    req = _body(doc)
    assert req.tag == f"{{{ns.METER}}}nonMeterSpecificEngReq"
    assert _xsi(doc, req) == (ns.METER, "TestAllReq")
    assert _one(req, ns.METER, "meterType").attrib == {"at": "07", "tt": "02"}
    assert _one(req, ns.BASE, "msgID") is not None  # no meter number, the base header
    doc = parse_document(m.envelope(m.update_meter_key(HEADER, "04040404040", sgc="600123",
                                                       krn="1", ti="01", at="07", tt="02")))
    req = _body(doc)
    assert req.tag == f"{{{ns.METER}}}updateMeterKeyReq"
    ident = _one(req, ns.METER, "idMethod")
    assert _xsi(doc, ident) == (ns.BASE, "MeterDetail")
    assert ident.get("krn") == "1" and _one(ident, ns.BASE, "meterType").get("at") == "07"
    doc = parse_document(m.envelope(m.advice(HEADER, "ReversalAdviceReq",
                                             m.MsgId("20240102030405", 7))))
    assert _xsi(doc, _body(doc)) == (ns.BASE, "ReversalAdviceReq")
    with pytest.raises(ValueError):
        m.meter_specific_eng(HEADER, "04040404040", "key_change")
