"""The vending API client (docs/api.md) over an injected `requests.Session`.

`VendingClient` is the transport (`app.api.transport`: timeouts, TLS verification and the
optional certificate pin, strict decoding, error mapping, the malformed-answer sink) with the
calls of every resource (`app.api.calls`). Arguments are checked before anything is sent
(`app.api.checks`); every answer is validated strictly (`app.api.models`).
"""

from __future__ import annotations

from app.api.calls.meters import MAX_SEARCH_LIMIT, SEARCH_QUERY_LENGTH, MeterCalls
from app.api.calls.sales import SaleCalls
from app.api.calls.supervisor import SupervisorCalls
from app.api.calls.tariffs import MAX_POLL_LIMIT, TariffCalls
from app.api.calls.terminal import TerminalCalls
from app.api.transport import MalformedSink, PinnedAdapter, Timeouts

__all__ = [
    "MAX_POLL_LIMIT",
    "MAX_SEARCH_LIMIT",
    "SEARCH_QUERY_LENGTH",
    "MalformedSink",
    "PinnedAdapter",
    "Timeouts",
    "VendingClient",
]


class VendingClient(TerminalCalls, MeterCalls, SaleCalls, TariffCalls, SupervisorCalls):
    """Typed, validated calls to the central vending API for one terminal.

    Constructed as `VendingClient(session, base_url, credential, *, timeouts, ca_bundle,
    pin_sha256, malformed_sink)` (see `app.api.transport.Transport`).
    """
