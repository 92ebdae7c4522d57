"""XMLVend 2.1 (NRS 009-6-10 / SANS 1524-6-10): the SOAP protocol utilities' vending servers
speak, as a backend of the client core (docs/xmlvend.md).

- `messages`: requests as SOAP 1.1 / 1.2 envelopes, namespaces per declaring type, xsi types;
- `receipt`: the one lenient-but-safe reader of answers and faults (tokens in entry order);
- `faults`: faults mapped to the client's typed errors;
- `msgids`: msgID allocation persisted with the sale before the first byte;
- `backend`: `XmlVendBackend`, the `app.backend.VendingBackend` over all of it;
- `python -m app.xmlvend parse FILE`: the engineer's view of one envelope.
"""
