"""The XMLVend face's own reading and writing of SOAP (independent of the client's code, so a
client bug is not mirrored by the test double).

`Request.read(data)` parses a request through the hardened `common.safexml` reader; `El` is a
minimal element writer; `envelope(el, version)` wraps it in a SOAP 1.1 or 1.2 envelope and
`fault_envelope(...)` writes a fault with its `xmlvendFaultResp` detail.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from common.safexml import Document, Limits, local, parse_document

BASE = "http://www.nrs.eskom.co.za/xmlvend/base/2.1/schema"
REVENUE = "http://www.nrs.eskom.co.za/xmlvend/revenue/2.1/schema"
METER = "http://www.nrs.eskom.co.za/xmlvend/meter/2.1/schema"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SOAP = {"1.1": "http://schemas.xmlsoap.org/soap/envelope/",
        "1.2": "http://www.w3.org/2003/05/soap-envelope"}
CONTENT_TYPE = {"1.1": "text/xml; charset=utf-8",
                "1.2": "application/soap+xml; charset=utf-8"}
LIMITS = Limits(max_bytes=262_144, max_depth=24, max_elements=2_000, max_text=4_096)


class BadRequest(ValueError):
    """Not a SOAP request the face can read (hostile, malformed, not XMLVend)."""


def _children(el: ET.Element | None, name: str) -> list[ET.Element]:
    if el is None:
        return []
    return [c for c in el if local(c.tag) == name]


def child(el: ET.Element | None, name: str) -> ET.Element | None:
    """The first child named `name` (local name)."""
    found = _children(el, name)
    return found[0] if found else None


def find(el: ET.Element | None, name: str) -> ET.Element | None:
    """The first descendant named `name` (local name)."""
    if el is None:
        return None
    for node in el.iter():
        if node is not el and local(node.tag) == name:
            return node
    return None


@dataclass(frozen=True)
class Request:
    """One XMLVend request as the face needs it."""

    version: str
    op: str
    xsi_type: str
    element: ET.Element
    doc: Document
    client_id: str
    terminal_id: str
    msg_date_time: str
    msg_number: str
    op_name: str
    password: str = field(repr=False)

    @classmethod
    def read(cls, data: bytes) -> Request:
        """Parse `data`; `BadRequest` (or `HostileXml`) when it cannot be read."""
        doc = parse_document(data, LIMITS)
        root = doc.root
        version = next((v for v, uri in SOAP.items() if root.tag == f"{{{uri}}}Envelope"), "")
        if not version:
            raise BadRequest("not a SOAP envelope")
        body = child(root, "Body")
        if body is None or not len(body):
            raise BadRequest("the envelope has no body")
        el = body[0]
        if "xmlvend" not in el.tag:
            raise BadRequest("not an XMLVend request")
        msg = child(el, "msgID")
        client = child(el, "clientID")
        terminal = child(el, "terminalID")
        cred = child(el, "authCred")
        return cls(version, local(el.tag), xsi_type(doc, el), el, doc,
                   "" if client is None else (client.get("ean") or client.get("id") or ""),
                   "" if terminal is None else (terminal.get("id") or ""),
                   "" if msg is None else msg.get("dateTime", ""),
                   "" if msg is None else msg.get("uniqueNumber", ""),
                   _text(child(cred, "opName")), _text(child(cred, "password")))


def _text(node: ET.Element | None) -> str:
    return "" if node is None else (node.text or "").strip()


def xsi_type(doc: Document, el: ET.Element | None) -> str:
    """The local name of `el`'s xsi:type ('' without one)."""
    if el is None:
        return ""
    value = el.get(f"{{{XSI}}}type")
    return "" if value is None else doc.qname(el, value)[1]


@dataclass
class El:
    """An element to write: `prefix:name` (b, r, m), attributes, children, text."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[El] = field(default_factory=list)
    text: str | None = None

    def add(self, *els: El) -> El:
        """Append children; returns self."""
        self.children.extend(els)
        return self

    def write(self, out: list[str]) -> None:
        """Append the XML of this element to `out`."""
        attrs = "".join(f" {k}={quoteattr(v)}" for k, v in self.attrs.items())
        if not self.children and self.text is None:
            out.append(f"<{self.tag}{attrs}/>")
            return
        out.append(f"<{self.tag}{attrs}>")
        if self.text is not None:
            out.append(escape(self.text))
        for c in self.children:
            c.write(out)
        out.append(f"</{self.tag}>")


def el(tag: str, xsi: str | None = None, text: str | None = None, **attrs: str) -> El:
    """An element; `xsi` sets xsi:type."""
    a = {"xsi:type": xsi} if xsi else {}
    a.update(attrs)
    return El(tag, a, [], text)


def _decls(version: str) -> str:
    # Prefixes differ from the client's on purpose (real servers choose their own): the
    # client must resolve xsi:type values against the prefixes in scope.
    return (f' xmlns:env="{SOAP[version]}" xmlns:ns2="{BASE}" xmlns:ns3="{REVENUE}"'
            f' xmlns:ns4="{METER}" xmlns:xsi="{XSI}"')


def envelope(body: El, version: str) -> bytes:
    """A SOAP envelope around `body`."""
    out = [f'<?xml version="1.0" encoding="UTF-8"?><env:Envelope{_decls(version)}><env:Body>']
    body.write(out)
    out.append("</env:Body></env:Envelope>")
    return "".join(out).encode("utf-8")


def fault_envelope(detail: El, version: str, fault_string: str) -> bytes:
    """A SOAP fault (HTTP 500) with `detail` (an xmlvendFaultResp) in its detail."""
    out = [f'<?xml version="1.0" encoding="UTF-8"?><env:Envelope{_decls(version)}><env:Body>']
    if version == "1.2":
        out.append("<env:Fault><env:Code><env:Value>env:Receiver</env:Value></env:Code>"
                   f"<env:Reason><env:Text xml:lang=\"en\">{escape(fault_string)}</env:Text>"
                   "</env:Reason><env:Detail>")
        detail.write(out)
        out.append("</env:Detail></env:Fault>")
    else:
        out.append(f"<env:Fault><faultcode>env:Server</faultcode>"
                   f"<faultstring>{escape(fault_string)}</faultstring><detail>")
        detail.write(out)
        out.append("</detail></env:Fault>")
    out.append("</env:Body></env:Envelope>")
    return "".join(out).encode("utf-8")
