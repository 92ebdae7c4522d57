"""Reading XMLVend 2.1 answers: one lenient parser for the adapter and the engineer's command.

`parse_response(data)` takes the bytes of one SOAP envelope (1.1 or 1.2; an answer, a fault,
an advice answer holding the original `lastResponse`) and returns a `Response`. It reads
through the hardened `common.safexml` reader, so a DTD, an entity, an oversized or truncated
document is refused with `BadMessage` before anything is interpreted.

Lenient where real servers differ, strict where money and tokens are concerned:

- elements are found by local name, case-insensitively, whatever their namespace or prefix
  (servers put children in the parent's namespace, Conlog names the fault detail
  `XMLVendFaultResp`); `xsi:type` QNames are resolved against the prefixes in scope and
  compared by local name;
- the text `null`, blank strings and a customer name equal to the meter number are absent;
- numbers are Decimals (`20`, `20.00`, `0.1`, 3-decimal currencies); `siUnit` `KWH`/`KWh`
  is `kWh`; an empty `<tariff/>` is no tariff name;
- token digits must be 20 digits (spaces allowed), else the message is refused.

Tokens come out in ENTRY order whatever their order in the XML: each key change's
`set1stMeterKey` then `set2ndMeterKey`, the power-limit token, the sale credit token(s), then
FBE / free tokens.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from app.xmlvend.messages import MsgId
from common.safexml import Document, HostileXml, Limits, local, parse_document

__all__ = [
    "BadMessage",
    "BatchFigures",
    "Charge",
    "Customer",
    "Fault",
    "KctData",
    "Response",
    "VendToken",
    "parse_response",
]

_TOKEN_RE = re.compile(r"[0-9]{20}")
#: Entry order of token kinds (lower first).
_ORDER = {"key_change_1": 0, "key_change_2": 0, "power_limit": 1, "credit": 2,
          "clear_tamper": 2, "clear_credit": 2, "set_phase_unbalance": 2, "test": 2,
          "fbe": 3}
#: The answer children of nonMeterSpecificEngResp (test and display tokens).
_NON_METER = ("testAll", "testBreaker", "testDisp", "dispPwrLmt", "dispTI", "dispKRN",
              "dispTamper", "dispInstPwr", "dispConsTot", "dispPhUnbalance", "dispVer")
#: A GECOL monthly charge line such as `accDesc="everymonth * 2"` (its amt is per month).
_MONTHS_RE = re.compile(r"\*\s*([0-9]{1,2})\s*$")
LIMITS = Limits(max_bytes=1_048_576, max_depth=40, max_elements=20_000, max_text=16_384)


class BadMessage(ValueError):
    """The bytes are not an XMLVend answer this client can read (or are hostile)."""


@dataclass(frozen=True)
class VendToken:
    """One token, in entry order. `digits` is cash: never log it."""

    kind: str
    digits: str = field(repr=False)
    units: Decimal | None
    si_unit: str
    description: str
    issue_type: str


@dataclass(frozen=True)
class Charge:
    """A service charge or debt recovery line (`ServiceChrgTx` / `DebtRecoveryTx`)."""

    kind: str  # "service" | "debt"
    amount: Decimal
    tax: Decimal
    description: str
    balance: Decimal | None = None


@dataclass(frozen=True)
class CreditLine:
    """A `CreditVendTx`: what the energy (or FBE) part of the sale cost, with its tax."""

    amount: Decimal
    tax: Decimal
    tax_rate: Decimal | None
    units: Decimal | None
    tariff_name: str
    fbe: bool


@dataclass(frozen=True)
class Customer:
    """The customer and meter the answer names (absent values are '')."""

    name: str
    account: str
    meter: str
    address: str = ""
    days_since_last_purchase: int | None = None


@dataclass(frozen=True)
class KctData:
    """A key change's from/to key data (`kctData`)."""

    from_sgc: str
    from_krn: str
    from_ti: str
    to_sgc: str
    to_krn: str
    to_ti: str


@dataclass(frozen=True)
class Fault:
    """An `xmlvendFaultResp`: its xsi type (e.g. `UnknownMeterEx`), code, description."""

    type: str
    code: str
    desc: str
    operator_msg: str = ""
    fault_string: str = ""


@dataclass(frozen=True)
class BatchFigures:
    """A batch answer (`startedBatch`, `endBatch`, `totalBatch`): its kind (`shift`, `sales`,
    `bank`), number and period, and the totals the server reported (None: not reported).
    `tx_totals` maps a `txTotal@type` to (count, amount)."""

    kind: str
    seq_no: str
    started: str
    ended: str
    total: Decimal | None = None
    tax: Decimal | None = None
    units: Decimal | None = None
    tx_totals: dict[str, tuple[int | None, Decimal | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class Response:
    """One XMLVend answer as read (see the module docstring)."""

    message: str
    xsi_type: str = ""
    req_msg_id: MsgId | None = None
    resp_date_time: str = ""
    disp_header: str = ""
    operator_msg: str = ""
    cust_msg: str = ""
    receipt_no: str = ""
    currency: str = ""
    vendor_credit: Decimal | None = None
    tendered: Decimal | None = None
    change: Decimal | None = None
    tokens: tuple[VendToken, ...] = ()
    charges: tuple[Charge, ...] = ()
    credit_lines: tuple[CreditLine, ...] = ()
    customer: Customer | None = None
    utility: dict[str, str] = field(default_factory=dict)
    vendor: dict[str, str] = field(default_factory=dict)
    meter_key: dict[str, str] = field(default_factory=dict)
    kct: KctData | None = None
    fault: Fault | None = None
    last_response: Response | None = None
    advice_msg_id: MsgId | None = None
    advice_result: bool | None = None
    can_vend: bool | None = None
    fbe_due: bool | None = None
    min_vend: Decimal | None = None
    max_vend: Decimal | None = None
    soap_version: str = "1.1"
    #: `reprintResp`: each earlier answer the server returned, as read.
    reprints: tuple[Response, ...] = ()
    batch: BatchFigures | None = None

    @property
    def receipt(self) -> Response:
        """The answer that holds the receipt: the `lastResponse` of an advice, else itself."""
        return self.last_response if self.last_response is not None else self

    def to_json(self) -> dict[str, Any]:
        """The engineer's view (`python -m app.xmlvend parse`): plain JSON values."""
        r = self.receipt
        fault = self.fault or r.fault
        customer = r.customer
        return {
            "message": "fault" if self.fault is not None else self.message,
            "receipt_no": r.receipt_no or None,
            "currency": r.currency or None,
            "vendor_credit": _dec_str(r.vendor_credit),
            "tendered": _dec_str(r.tendered),
            "tokens": [{"kind": t.kind, "digits": t.digits, "units": _dec_str(t.units)}
                       for t in r.tokens],
            "charges": [{"kind": c.kind, "amount": _dec_str(c.amount)} for c in r.charges],
            "customer": None if customer is None else {
                "name": customer.name or None, "account": customer.account or None,
                "meter": customer.meter or None},
            "fault": None if fault is None else {
                "type": fault.type, "code": fault.code or None, "desc": fault.desc},
        }


def _dec_str(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


# -- small lenient readers ---------------------------------------------------------------------
def _clean(value: str | None) -> str:
    """Text with the quirks removed: None, blank and the word `null` are ''."""
    if value is None:
        return ""
    text = value.strip()
    return "" if text.lower() == "null" else text


def _num(value: str | None) -> Decimal | None:
    text = _clean(value)
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _children(el: ET.Element, name: str) -> list[ET.Element]:
    want = name.lower()
    return [c for c in el if local(c.tag).lower() == want]


def _child(el: ET.Element | None, name: str) -> ET.Element | None:
    if el is None:
        return None
    found = _children(el, name)
    return found[0] if found else None


def _find(el: ET.Element, name: str) -> ET.Element | None:
    """The first descendant (document order) with local name `name`."""
    want = name.lower()
    for node in el.iter():
        if node is not el and local(node.tag).lower() == want:
            return node
    return None


def _attr(el: ET.Element | None, name: str) -> str:
    if el is None:
        return ""
    want = name.lower()
    for key, value in el.attrib.items():
        if local(key).lower() == want and not key.startswith("{http://www.w3.org/2001/"):
            return _clean(value)
    return ""


def _text(el: ET.Element | None) -> str:
    return "" if el is None else _clean("".join(el.itertext()))


def _bool(value: str) -> bool | None:
    return {"true": True, "1": True, "false": False, "0": False}.get(value.lower())


def _unit(si: str) -> str:
    return "kWh" if si.lower() == "kwh" else si


class _Reader:
    """Reads one document; knows the prefixes in scope for `xsi:type`."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc

    def xsi(self, el: ET.Element | None) -> str:
        if el is None:
            return ""
        for key, value in el.attrib.items():
            if key.endswith("}type") and "XMLSchema-instance" in key:
                return self.doc.qname(el, value)[1]
        return ""

    # -- envelope ---------------------------------------------------------------------------
    def envelope(self) -> Response:
        root = self.doc.root
        if local(root.tag) != "Envelope" or "soap" not in root.tag.lower():
            raise BadMessage("not a SOAP envelope")
        version = "1.2" if "2003/05/soap-envelope" in root.tag else "1.1"
        body = _child(root, "Body")
        if body is None or not len(body):
            raise BadMessage("the SOAP envelope has no body")
        top = body[0]
        if local(top.tag) == "Fault":
            return self.fault_envelope(top, version)
        if "xmlvend" not in top.tag.lower():
            raise BadMessage(f"{local(top.tag)} is not an XMLVend message")
        if not local(top.tag).lower().endswith("resp"):
            raise BadMessage(f"{local(top.tag)} is not an XMLVend answer")
        resp = self.response(top, local(top.tag))
        return _replace(resp, soap_version=version)

    def fault_envelope(self, el: ET.Element, version: str) -> Response:
        if version == "1.2":
            fault_string = _text(_child(_child(el, "Reason"), "Text"))
        else:
            fault_string = _text(_child(el, "faultstring"))
        detail = _find(el, "xmlvendFaultResp")
        if detail is None:
            return Response("fault", fault=None, soap_version=version, disp_header="",
                            operator_msg=fault_string)
        base = self.response(detail, local(detail.tag))
        assert base.fault is not None
        fault = Fault(base.fault.type, base.fault.code, base.fault.desc, base.operator_msg,
                      fault_string)
        return _replace(base, message="fault", fault=fault, soap_version=version)

    # -- one response element ------------------------------------------------------------------
    def response(self, el: ET.Element, message: str) -> Response:
        xsi = self.xsi(el)
        values: dict[str, Any] = {
            "message": message, "xsi_type": xsi,
            "req_msg_id": _msg_id(_child(el, "reqMsgID")),
            "resp_date_time": _text(_child(el, "respDateTime")),
            "disp_header": _text(_child(el, "dispHeader")),
            "operator_msg": _text(_child(el, "operatorMsg")),
            "cust_msg": _text(_child(el, "custMsg")),
        }
        status = _child(el, "clientStatus")
        if status is not None:
            values["vendor_credit"] = _num(_attr(_child(status, "availCredit"), "value"))
            values["currency"] = _attr(_child(status, "availCredit"), "symbol")
        utility = _child(el, "utility")
        if utility is not None:
            values["utility"] = {k: _attr(utility, k) for k in ("name", "address", "taxRef")}
        vendor = _child(el, "vendor")
        if vendor is not None:
            values["vendor"] = {k: _attr(vendor, k) for k in ("name", "address")}
        cust = _child(el, "custVendDetail")
        meter_detail = _find(el, "meterDetail")
        if message.lower() == "xmlvendfaultresp" or local(el.tag).lower() == "xmlvendfaultresp":
            fault_el = _child(el, "fault")
            values["fault"] = Fault(self.xsi(fault_el) or "XMLVendFaultEx",
                                    _text(_child(fault_el, "faultCode")),
                                    _text(_child(fault_el, "desc")))
        if local(el.tag).lower() == "adviceresp" or message.lower() == "adviceresp":
            values["advice_msg_id"] = _msg_id(_child(el, "adviceReqMsgID"))
            last = _child(el, "lastResponse")
            if last is not None:
                inner_xsi = self.xsi(last) or "CreditVendResp"
                inner_name = inner_xsi[:1].lower() + inner_xsi[1:]
                values["last_response"] = self.response(last, inner_name)
            for flag in ("txConfirmed", "txReversed"):
                if _attr(el, flag):
                    values["advice_result"] = _bool(_attr(el, flag))
        result = _child(el, "confirmCustResult")
        if result is not None:
            # (an Element without children is falsy: compare with None, never `or`)
            found = _child(result, "custVendDetail")
            cust = found if found is not None else cust
            found = _child(result, "meterDetail")
            meter_detail = found if found is not None else meter_detail
            config = _child(result, "custVendConfig")
            if config is not None:
                values["can_vend"] = _bool(_text(_child(config, "canVend")))
                values["fbe_due"] = _bool(_text(_child(config, "fbeDue")))
                values["min_vend"] = _num(_attr(_child(config, "minVendAmt"), "value")
                                          or _text(_child(config, "minVendAmt")))
                values["max_vend"] = _num(_attr(_child(config, "maxVendAmt"), "value")
                                          or _text(_child(config, "maxVendAmt")))
        meter_no = _attr(meter_detail, "msno")
        if cust is not None or meter_no:
            name = _attr(cust, "name")
            if name == meter_no:
                name = ""  # GECOL writes the meter number as the customer's name
            days = _attr(cust, "daysLastPurchase")
            values["customer"] = Customer(name, _attr(cust, "accNo"), meter_no,
                                          _attr(cust, "address"),
                                          int(days) if days.isdigit() else None)
        if meter_detail is not None:
            meter_type = _child(meter_detail, "meterType")
            values["meter_key"] = {k: _attr(meter_detail, k) for k in ("sgc", "krn", "ti")}
            values["meter_key"].update(at=_attr(meter_type, "at"), tt=_attr(meter_type, "tt"))
        reprints = _children(el, "reprint")
        if reprints:
            # Each reprint is a whole earlier answer (xsi e.g. CreditVendResp): read alone.
            values["reprints"] = tuple(
                self.response(r, (lambda x: x[:1].lower() + x[1:])(self.xsi(r) or
                                                                   "CreditVendResp"))
                for r in reprints)
            values["customer"] = None
            return Response(**values)
        for name in ("startedBatch", "endBatch", "totalBatch"):
            found = _child(el, name)
            if found is not None:
                values["batch"] = self.batch(found)
        self.receipt(el, values)
        return Response(**values)

    def batch(self, el: ET.Element) -> BatchFigures:
        xsi = self.xsi(el).lower()
        kind = next((k for k in ("shift", "sales", "bank") if xsi.startswith(k)), "")
        report = _child(el, "batchReport")
        totals: dict[str, tuple[int | None, Decimal | None]] = {}
        for tx in _children(report, "txTotal") if report is not None else []:
            count = _attr(tx, "count")
            amount = _num(_attr(tx, "value")) if _attr(tx, "value") else \
                _num(_attr(_child(tx, "amt"), "value"))
            totals[_attr(tx, "type")] = (int(count) if count.isdigit() else None, amount)
        res = _child(report, "resTot") if report is not None else None
        return BatchFigures(kind, _attr(el, "seqNo"), _text(_child(el, "started")),
                            _text(_child(el, "ended")),
                            _num(_attr(_child(el, "batchTot"), "value")),
                            _num(_attr(_child(el, "totTax"), "value")),
                            _num(_attr(res, "value")), totals)

    # -- the receipt model ----------------------------------------------------------------------
    def receipt(self, el: ET.Element, values: dict[str, Any]) -> None:
        receipt = _find(el, "creditVendReceipt")
        tokens: list[tuple[int, int, VendToken]] = []
        seq = 0

        def add(token: VendToken) -> None:
            nonlocal seq
            seq += 1
            tokens.append((_ORDER.get(token.kind, 2), seq, token))

        charges: list[Charge] = []
        lines: list[CreditLine] = []
        if receipt is not None:
            values["receipt_no"] = _attr(receipt, "receiptNo")
            found = _child(receipt, "transactions")
            tx_parent = found if found is not None else receipt
            for tx in _children(tx_parent, "tx"):
                self.tx(tx, add, charges, lines)
                if not values["receipt_no"]:
                    values["receipt_no"] = _attr(tx, "receiptNo")
            tender = _child(tx_parent, "tenderAmt")
            values["tendered"] = _num(_attr(tender, "value"))
            values["change"] = _num(_attr(_child(tx_parent, "change"), "value"))
            if not values.get("currency"):
                values["currency"] = _attr(tender, "symbol")
        # Engineering answers and updateMeterKey carry their tokens outside a receipt.
        for name in ("engKCToken", "updateMeterKey"):
            for issue in (n for n in el.iter() if local(n.tag).lower() == name.lower()):
                self.kct(issue, add, values)
        for name, kind in (("pwrLmtToken", "power_limit"), ("clearTamper", "clear_tamper"),
                           ("clearCredit", "clear_credit"), ("phUnbalance",
                                                             "set_phase_unbalance"),
                           *((n, "test") for n in _NON_METER)):
            for issue in (n for n in el.iter() if local(n.tag).lower() == name.lower()):
                digits = _digits(_find(issue, "stsCipher"))
                if digits and not any(t.digits == digits for _, _, t in tokens):
                    add(VendToken(kind, digits, None, "", _text(_child(issue, "desc")), name))
        tokens.sort(key=lambda item: (item[0], item[1]))
        values["tokens"] = tuple(t for _, _, t in tokens)
        values["charges"] = tuple(charges)
        values["credit_lines"] = tuple(lines)

    def tx(self, tx: ET.Element, add: Any, charges: list[Charge],
           lines: list[CreditLine]) -> None:
        kind = self.xsi(tx).lower()
        amount = _num(_attr(_child(tx, "amt"), "value")) or Decimal(0)
        tax = Decimal(0)
        rate: Decimal | None = None
        for tax_el in _children(tx, "tax"):
            tax += _num(_attr(_child(tax_el, "amt"), "value")) or Decimal(0)
            rate = _num(_attr(tax_el, "rate")) if rate is None else rate
        if "servicechrg" in kind or "debtrecovery" in kind:
            desc = _text(_child(tx, "accDesc"))
            months = _MONTHS_RE.search(desc)
            if months:
                # GECOL: the amt of an "everymonth * N" line is per month (inferred).
                amount *= int(months.group(1))
            charges.append(Charge("service" if "servicechrg" in kind else "debt", amount, tax,
                                  desc, _num(_attr(_child(tx, "balance"), "value"))))
            return
        issue = _child(tx, "creditTokenIssue")
        for kct in _children(tx, "kcTokenIssue"):
            self.kct(kct, add, None)
        units: Decimal | None = None
        fbe = False
        if issue is not None:
            issue_type = self.xsi(issue)
            fbe = "fbe" in issue_type.lower() or "free" in issue_type.lower()
            units_el = _child(issue, "units")
            units = _num(_attr(units_el, "value"))
            digits = _digits(_find(issue, "stsCipher"))
            if not digits:
                raise BadMessage("a credit token issue has no 20-digit token")
            add(VendToken("fbe" if fbe else "credit", digits, units,
                          _unit(_attr(units_el, "siUnit")), _text(_child(issue, "desc")),
                          issue_type or "SaleCredTokenIssue"))
        tariff = _child(tx, "tariff")
        lines.append(CreditLine(amount, tax, rate, units, _text(_child(tariff, "name")), fbe))

    def kct(self, issue: ET.Element, add: Any, values: dict[str, Any] | None) -> None:
        token = _child(issue, "token")
        first = _digits(_find(token, "set1stMeterKey")) if token is not None else ""
        second = _digits(_find(token, "set2ndMeterKey")) if token is not None else ""
        desc = _text(_child(issue, "desc"))
        if first:
            add(VendToken("key_change_1", first, None, "", desc or "Key change 1", "KCToken"))
        if second:
            add(VendToken("key_change_2", second, None, "", desc or "Key change 2",
                          "KCToken"))
        data = _child(issue, "kctData")
        if data is not None and values is not None:
            values["kct"] = _kct_data(data)
        elif data is not None:
            self._last_kct = _kct_data(data)
        power = _child(issue, "pwrLmtToken")
        if power is not None:
            digits = _digits(_find(power, "stsCipher"))
            if digits:
                add(VendToken("power_limit", digits, None, "", _text(_child(power, "desc")),
                              "pwrLmtToken"))


def _kct_data(el: ET.Element) -> KctData:
    return KctData(*(_attr(el, k) for k in ("fromSGC", "fromKRN", "fromTI", "toSGC",
                                             "toKRN", "toTI")))


def _digits(el: ET.Element | None) -> str:
    if el is None:
        return ""
    text = re.sub(r"[\s-]", "", "".join(el.itertext()))
    if not text:
        return ""
    if not _TOKEN_RE.fullmatch(text):
        raise BadMessage("a token is not 20 digits")
    return text


def _msg_id(el: ET.Element | None) -> MsgId | None:
    if el is None:
        return None
    date_time = _attr(el, "dateTime")
    number = _attr(el, "uniqueNumber")
    if not number.isdigit():
        return None
    return MsgId(date_time, int(number))


def _replace(resp: Response, **changes: Any) -> Response:
    from dataclasses import replace

    return replace(resp, **changes)


def parse_response(data: bytes) -> Response:
    """One XMLVend answer from the bytes of its SOAP envelope; `BadMessage` otherwise."""
    try:
        doc = parse_document(data, LIMITS)
    except HostileXml as exc:
        raise BadMessage(str(exc)) from None
    reader = _Reader(doc)
    resp = reader.envelope()
    kct = getattr(reader, "_last_kct", None)
    if kct is not None and resp.kct is None:
        resp = _replace(resp, kct=kct)
    if resp.last_response is not None and resp.last_response.kct is None and kct is not None:
        resp = _replace(resp, last_response=_replace(resp.last_response, kct=kct))
    return resp
