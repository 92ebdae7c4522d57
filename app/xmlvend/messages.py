"""XMLVend 2.1 requests as SOAP envelopes (bytes), built exactly as the schema declares them.

The rule that causes most interoperability bugs: a child element is in the namespace of the
complexType that *declares* it, not in its parent's. So the header children (`clientID`,
`terminalID`, `msgID`, `authCred`) are always base; `idMethod` is base in the vend family but
revenue in `confirmCustomerReq` / `reprintReq`; `purchaseValue/amt` is revenue while
`payType/tenderAmt` is base. `xsi:type` is written wherever the declared type is abstract
(device ids, `resource`, `meterIdentifier`, `purchaseValue`, `payType`, `idMethod` where it is
declared `IDMethod`, and the roots of `adviceReq` and the batch requests).

Every envelope declares the prefixes of `ns.PREFIXES` once on the root, so an `xsi:type`
value such as `b:MeterNumber` always resolves. The writer is a few lines of our own rather
than ElementTree, whose serializer invents prefixes (`ns0`) and cannot place a prefix that is
used only inside an attribute value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from app.xmlvend import ns

__all__ = [
    "Header",
    "MsgId",
    "Node",
    "advice",
    "batch",
    "confirm_customer",
    "credit_vend",
    "envelope",
    "meter_specific_eng",
    "non_meter_specific_eng",
    "reprint",
    "trial_credit_vend",
    "update_meter_key",
]


@dataclass(frozen=True)
class MsgId:
    """One request's identity: `dateTime` (yyyyMMddHHmmss) + `uniqueNumber`."""

    date_time: str
    unique_number: int

    def __str__(self) -> str:
        return f"{self.date_time}-{self.unique_number}"


@dataclass(frozen=True)
class Header:
    """The BaseReq header: who sends (client EAN, terminal id), which request, and the
    operator's credentials (`password` is a secret: never logged)."""

    client_ean: str
    terminal_id: str
    msg_id: MsgId
    op_name: str = ""
    password: str = field(default="", repr=False)


@dataclass
class Node:
    """One element to write: `prefix:name`, attributes in order, children or text."""

    prefix: str
    name: str
    attrs: Sequence[tuple[str, str]] = ()
    children: Sequence[Node] = ()
    text: str | None = None

    def write(self, out: list[str]) -> None:
        """Append this element's XML to `out`."""
        tag = f"{self.prefix}:{self.name}"
        attrs = "".join(f" {k}={quoteattr(v)}" for k, v in self.attrs)
        if not self.children and self.text is None:
            out.append(f"<{tag}{attrs}/>")
            return
        out.append(f"<{tag}{attrs}>")
        if self.text is not None:
            out.append(escape(self.text))
        for child in self.children:
            child.write(out)
        out.append(f"</{tag}>")


def _xsi(value: str) -> tuple[str, str]:
    return ("xsi:type", value)


def _base_header(h: Header) -> list[Node]:
    """BaseReq's children: all declared by the base type, so all in the base namespace."""
    nodes = [
        Node("b", "clientID", (_xsi("b:EANDeviceID"), ("ean", h.client_ean))),
        Node("b", "terminalID", (_xsi("b:GenericDeviceID"), ("id", h.terminal_id))),
        Node("b", "msgID", (("dateTime", h.msg_id.date_time),
                            ("uniqueNumber", str(h.msg_id.unique_number)))),
    ]
    if h.op_name or h.password:
        cred = [Node("b", "opName", text=h.op_name)]
        if h.password:
            cred.append(Node("b", "password", text=h.password))
        nodes.append(Node("b", "authCred", children=cred))
    return nodes


def _resource(service: str) -> Node:
    kind = {"electricity": "Electricity", "water": "Water", "gas": "Gas"}.get(service,
                                                                              "Electricity")
    return Node("b", "resource", (_xsi(f"b:{kind}"),))


def _meter_identifier(meter_number: str) -> Node:
    return Node("b", "meterIdentifier", (_xsi("b:MeterNumber"), ("msno", meter_number)))


def _amount(value: Decimal) -> str:
    # Plain decimal notation ("150.00", "12500", "1.500"): never an exponent.
    return format(value, "f")


def confirm_customer(h: Header, meter_number: str) -> Node:
    """`confirmCustomerReq` by meter number (idMethod is revenue here, declared IDMethod)."""
    return Node("r", "confirmCustomerReq", children=[
        *_base_header(h),
        Node("r", "idMethod", (_xsi("b:VendIDMethod"),), [_meter_identifier(meter_number)]),
    ])


def _vend_body(h: Header, meter_number: str, service: str, *, amount: Decimal | None,
               units: Decimal | None, symbol: str, tender: Decimal | None) -> list[Node]:
    if (amount is None) == (units is None):
        raise ValueError("a vend is by currency or by units, exactly one")
    nodes = [*_base_header(h), _resource(service),
             Node("b", "idMethod", children=[_meter_identifier(meter_number)])]
    if amount is not None:
        nodes.append(Node("r", "purchaseValue", (_xsi("r:PurchaseValueCurrency"),), [
            Node("r", "amt", (("value", _amount(amount)), ("symbol", symbol)))]))
    else:
        assert units is not None
        nodes.append(Node("r", "purchaseValue", (_xsi("r:PurchaseValueUnits"),), [
            Node("r", "units", (("value", _amount(units)), ("siUnit", "kWh")))]))
    if tender is not None:
        nodes.append(Node("r", "payType", (_xsi("b:Cash"),), [
            Node("b", "tenderAmt", (("value", _amount(tender)), ("symbol", symbol)))]))
    return nodes


def trial_credit_vend(h: Header, meter_number: str, *, amount: Decimal | None = None,
                      units: Decimal | None = None, symbol: str, service: str = "electricity",
                      tender: Decimal | None = None) -> Node:
    """`trialCreditVendReq`: a quote, by currency or by units."""
    return Node("r", "trialCreditVendReq", children=_vend_body(
        h, meter_number, service, amount=amount, units=units, symbol=symbol, tender=tender))


def credit_vend(h: Header, meter_number: str, *, amount: Decimal | None = None,
                units: Decimal | None = None, symbol: str, service: str = "electricity",
                tender: Decimal | None = None) -> Node:
    """`creditVendReq`: the sale, by currency or by units, with the cash tendered."""
    return Node("r", "creditVendReq", children=_vend_body(
        h, meter_number, service, amount=amount, units=units, symbol=symbol, tender=tender))


ADVICE_TYPES = ("LastRespAdviceReq", "ConfirmationAdviceReq", "ReversalAdviceReq")


def advice(h: Header, kind: str, about: MsgId) -> Node:
    """`adviceReq` (base, xsi = `kind`) about the request `about`; its own msgID is `h`'s."""
    if kind not in ADVICE_TYPES:
        raise ValueError(f"unknown advice {kind!r}")
    return Node("b", "adviceReq", (_xsi(f"b:{kind}"),), [
        *_base_header(h),
        Node("b", "adviceReqMsgID", (("dateTime", about.date_time),
                                     ("uniqueNumber", str(about.unique_number))))])


def reprint(h: Header, meter_number: str) -> Node:
    """`reprintReq` by meter (the server picks which earlier answers it returns)."""
    return Node("r", "reprintReq", children=[
        *_base_header(h),
        Node("r", "idMethod", (_xsi("b:VendIDMethod"),), [_meter_identifier(meter_number)]),
    ])


#: Our engineering types -> the meterSpecificEngReq xsi type.
ENG_TYPES = {"clear_tamper": "ClearTamperReq", "clear_credit": "ClearCreditReq",
             "set_power_limit": "PwrLmtReq", "set_phase_unbalance": "PhUnbalReq",
             "key_change": "EngKCTReq"}
#: The key data of `kctData` (from and to), in the schema's attribute order.
KCT_FIELDS = ("fromSGC", "fromKRN", "fromTI", "toSGC", "toKRN", "toTI")


def meter_specific_eng(h: Header, meter_number: str, kind: str, *,
                       service: str = "electricity", watts: int | None = None,
                       kct: dict[str, str] | None = None) -> Node:
    """`meterSpecificEngReq` (meter ns, xsi) for one of `ENG_TYPES`; a power or phase
    unbalance limit carries `watts` (written in kW), a key change (`EngKCTReq`) its explicit
    `kct` data (`KCT_FIELDS`)."""
    xsi = ENG_TYPES[kind]
    children = [*_base_header(h), _resource(service),
                Node("b", "idMethod", children=[_meter_identifier(meter_number)])]
    if kind in ("set_power_limit", "set_phase_unbalance"):
        if watts is None:
            raise ValueError("a power limit needs its value")
        kw = (Decimal(watts) / 1000).normalize()
        children.append(Node("m", "pwrLmt", (("value", _amount(kw)), ("siUnit", "kW"))))
    if kind == "key_change":
        if kct is None or set(kct) != set(KCT_FIELDS):
            raise ValueError("a key change needs its from and to key data")
        children.append(Node("m", "kctData", tuple((k, kct[k]) for k in KCT_FIELDS)))
    return Node("m", "meterSpecificEngReq", (_xsi(f"m:{xsi}"),), children)


#: The nonMeterSpecificEngReq types (each + `Req`).
NON_METER_TYPES = ("TestAll", "TestBreaker", "TestDisplay", "DispPwrLmt", "DispTI", "DispKRN",
                   "DispTamper", "DispInstPwr", "DispConsTot", "DispPhUnbalance", "DispVer")


def non_meter_specific_eng(h: Header, kind: str, *, at: str, tt: str) -> Node:
    """`nonMeterSpecificEngReq` (meter ns, xsi `<kind>Req`): no meter number, only the meter
    type (`at` algorithm, `tt` token carrier)."""
    if kind not in NON_METER_TYPES:
        raise ValueError(f"unknown non-meter-specific type {kind!r}")
    return Node("m", "nonMeterSpecificEngReq", (_xsi(f"m:{kind}Req"),), [
        *_base_header(h), Node("m", "meterType", (("at", at), ("tt", tt)))])


def update_meter_key(h: Header, meter_number: str, *, sgc: str, krn: str, ti: str, at: str,
                     tt: str) -> Node:
    """`updateMeterKeyReq` (meter ns): `idMethod` (declared MeterConfig, so xsi) as a
    `MeterDetail` with the meter's current key data; the server picks the new key."""
    return Node("m", "updateMeterKeyReq", children=[
        *_base_header(h),
        Node("m", "idMethod", (_xsi("b:MeterDetail"), ("msno", meter_number), ("sgc", sgc),
                               ("krn", krn), ("ti", ti)),
             [Node("b", "meterType", (("at", at), ("tt", tt)))])])


BATCH_OPS = {"start": "startBatchReq", "end": "endBatchReq", "total": "totalBatchReq"}
BATCH_KINDS = {"shift": "Shift", "sales": "Sales", "bank": "Bank"}


def batch(h: Header, op: str, kind: str) -> Node:
    """`startBatchReq` / `endBatchReq` / `totalBatchReq` (rev, xsi e.g. `StartShiftBatchReq`)."""
    verb = {"start": "Start", "end": "End", "total": "Total"}[op]
    return Node("r", BATCH_OPS[op], (_xsi(f"r:{verb}{BATCH_KINDS[kind]}BatchReq"),),
                _base_header(h))


def envelope(body: Node, soap_version: str = "1.1") -> bytes:
    """The whole SOAP envelope (UTF-8 bytes) around `body`, in SOAP 1.1 or 1.2."""
    soap_uri, _ = ns.SOAP_VERSIONS[soap_version]
    decls = [f' xmlns:soap="{soap_uri}"'] + [
        f' xmlns:{p}="{uri}"' for p, uri in ns.PREFIXES.items() if p != "soap"]
    out = ['<?xml version="1.0" encoding="UTF-8"?>', f"<soap:Envelope{''.join(decls)}>",
           "<soap:Body>"]
    body.write(out)
    out.append("</soap:Body></soap:Envelope>")
    return "".join(out).encode("utf-8")
