"""XMLVend 2.1 and SOAP namespace URIs, and the prefixes our requests use."""

from __future__ import annotations

BASE = "http://www.nrs.eskom.co.za/xmlvend/base/2.1/schema"
REVENUE = "http://www.nrs.eskom.co.za/xmlvend/revenue/2.1/schema"
METER = "http://www.nrs.eskom.co.za/xmlvend/meter/2.1/schema"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"

#: prefix -> URI, declared once on every envelope we write.
PREFIXES = {"soap": SOAP11, "b": BASE, "r": REVENUE, "m": METER, "xsi": XSI}
#: URI -> prefix, for writing.
PREFIX_OF = {uri: prefix for prefix, uri in PREFIXES.items()}
PREFIX_OF[SOAP12] = "soap"

#: SOAP version -> (envelope namespace, content type of a request).
SOAP_VERSIONS = {
    "1.1": (SOAP11, "text/xml; charset=utf-8"),
    "1.2": (SOAP12, "application/soap+xml; charset=utf-8"),
}
