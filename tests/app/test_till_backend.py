"""A second backend behind the port: the till drives a whole sale, a pending sale and its
sync through the facade; what the backend does not offer is refused with `NotOffered`
before anything is sent, and `status()` reports it.

The second backend answers from the reference server's pricing (so its answers are real
and pass the client's checks), but it is its own class implementing `VendingBackend`, with
no search, no push events, no batch upload and no reversals; calling one of those fails the
test.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests

from app.api import models as api
from app.api.client import Timeouts
from app.api.errors import MalformedResponse, ServerUnavailable
from app.backend import Capabilities, ClientBackend, MalformedSink, NotOffered, VendingBackend
from app.sales.events import SaleLateToken
from app.settings import Settings
from app.supervisor.approvals import Approval
from app.supervisor.permissions import Actor, Role
from app.till import Operator, PrintState, SaleState, Till
from app.till.build import build_till
from common.errors import InvalidInput
from common.events import EventBus
from offline_store import open_store
from vendserver.testing import RunningServer, running_server

CASHIER = Operator("thandi", "Thandi Nkosi", Role.CASHIER)
SUPERVISOR = Approval("sipho", "4321")


class CounterBackend:
    """A vending backend with fewer capabilities (one sale per request, no search, no
    reversal, no events), answering through its own HTTP client. `down` makes it
    unreachable (nothing sent)."""

    capabilities = Capabilities(tariff_documents=False, push_events=False,
                                batch_upload=False, search=False, reversal=False,
                                z_upload=False, engineering_tokens=False, sale_by_units=False)

    def __init__(self, url: str, credential: str) -> None:
        self._api = ClientBackend(requests.Session(), url, lambda: credential,
                                  timeouts=Timeouts(2.0, 5.0))
        self.malformed_sink: MalformedSink | None = None
        self.down = False
        self.calls: list[str] = []

    def _call(self, name: str) -> ClientBackend:
        self.calls.append(name)
        if self.down:
            raise ServerUnavailable("The counter backend is unreachable.", sent=False)
        self._api.malformed_sink = self._sink
        return self._api

    def _sink(self, exc: MalformedResponse) -> None:
        if self.malformed_sink is not None:
            self.malformed_sink(exc)

    def _absent(self, name: str) -> Any:
        raise AssertionError(f"the core called {name}, which this backend does not offer")

    def terminal(self) -> api.TerminalInfo:
        return self._call("terminal").terminal()

    def operators(self) -> list[api.OperatorRecord]:
        return self._call("operators").operators()

    def tariffs(self) -> list[api.TariffSummary]:
        return self._absent("tariffs")  # type: ignore[no-any-return]

    def tariff_version(self, tariff_id: str, version: int) -> dict[str, Any]:
        return self._absent("tariff_version")  # type: ignore[no-any-return]

    def meter(self, meter_number: str) -> api.MeterInfo:
        return self._call("meter").meter(meter_number)

    def quote(self, meter_number: str, amount: api.Money) -> api.Quote:
        return self._call("quote").quote(meter_number, amount)

    def quote_units(self, meter_number: str, units: Decimal) -> api.Quote:
        return self._absent("quote_units")  # type: ignore[no-any-return]

    def sell(self, key: str, operator_id: str, request: dict[str, Any]) -> api.Sale:
        return self._call("sell").sell(key, operator_id, request)

    def get_sale(self, key: str, request: dict[str, Any] | None = None) -> api.Sale | None:
        return self._call("get_sale").get_sale(key, request)

    def sell_batch(self, items: Sequence[tuple[str, str, dict[str, Any]]]
                   ) -> list[api.BatchResult]:
        return self._absent("sell_batch")  # type: ignore[no-any-return]

    def poll_events(self, after_id: int, limit: int = 100) -> api.EventPage:
        return self._absent("poll_events")  # type: ignore[no-any-return]

    def search_meters(self, query: str, limit: int = 20) -> list[api.MeterSearchHit]:
        return self._absent("search_meters")  # type: ignore[no-any-return]

    def reverse(self, receipt_no: str, operator_id: str, *, reason: str, supervisor_id: str,
                supervisor_pin: str) -> api.Reversal:
        return self._absent("reverse")  # type: ignore[no-any-return]

    def engineering_token(self, operator_id: str, *, meter_number: str, type: str,
                          supervisor_id: str, supervisor_pin: str, value: int | None = None,
                          register: str | None = None, new_ti: int | None = None,
                          idempotency_key: str | None = None) -> api.EngineeringTokens:
        return self._absent("engineering_token")  # type: ignore[no-any-return]

    def z_report(self, shift_id: str, operator_id: str,
                 upload: api.ZReportUpload) -> api.ZReconciliation:
        return self._absent("z_report")  # type: ignore[no-any-return]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RunningServer]:
    with running_server(tmp_path / "server", demo=True) as srv:
        yield srv


@pytest.fixture
def counter(server: RunningServer, tmp_path: Path) -> Iterator[tuple[Till, CounterBackend]]:
    activation = server.activate("Counter with a small backend")
    backend = CounterBackend(server.base_url, str(activation["credential"]))
    typed: VendingBackend = backend  # it implements the port (checked by mypy)
    store = open_store(tmp_path / "client" / "vend.db", secrets.token_bytes(32), create=True)
    till = build_till(Settings({}), bus=EventBus(), store=store, backend=typed,
                      data_dir=tmp_path / "client", closers=(store.close,), start=False)
    try:
        yield till, backend
    finally:
        till.close()


def test_sale_pending_sale_and_sync_through_a_second_backend(
        server: RunningServer, counter: tuple[Till, CounterBackend]) -> None:
    till, backend = counter
    assert till.tariffs is None and till.push is None  # not offered: not started
    meter = str(server.meter("normal")["meter_number"])
    customer = till.lookup(meter)
    assert customer.meter_number == meter and not customer.from_cache
    quote = till.quote(meter, api.Money(10000, "ZAR"))
    sold = till.sell(meter, quote.amount, CASHIER, quote=quote.handle)
    assert sold.state is SaleState.TOKENED and sold.tokens and sold.units == quote.units
    assert sold.print_state is PrintState.NO_PRINTER and sold.print_job  # recorded

    late: list[SaleLateToken] = []
    till.bus.subscribe(SaleLateToken, late.append)
    backend.down = True
    pending = till.sell(meter, api.Money(5000, "ZAR"), CASHIER)
    assert pending.state is SaleState.PENDING
    assert [r.state for r in till.pending()] == [SaleState.PENDING]
    assert till.status().online is False and till.status().pending_count == 1
    backend.down = False
    report = till.sync.step()
    assert len(report.tokened) == 1 and report.remaining == 0
    assert late and late[0].reference == pending.reference
    assert "sell_batch" not in backend.calls  # one sale per request: this backend's way
    states = {r.reference: r.state for r in till.today()}
    assert set(states.values()) == {SaleState.TOKENED} and len(states) == 2


def test_what_the_backend_does_not_offer_is_refused_and_reported(
        server: RunningServer, counter: tuple[Till, CounterBackend]) -> None:
    till, backend = counter
    status = till.status()
    assert set(status.capabilities.missing()) == {
        "tariff_documents", "push_events", "batch_upload", "search", "reversal", "z_upload",
        "engineering_tokens", "sale_by_units"}
    assert status.tariffs == ()
    with pytest.raises(NotOffered, match="Customer search is not offered by this vending"):
        till.search("Nkosi")
    meter = str(server.meter("normal")["meter_number"])
    with pytest.raises(NotOffered, match="Sale by units is not offered"):
        till.quote_units(meter, Decimal("50"))
    sold = till.sell(meter, api.Money(10000, "ZAR"), CASHIER)
    with pytest.raises(NotOffered, match="Sale reversal is not offered") as refused:
        till.request_reversal(sold.reference, "wrong meter", CASHIER, SUPERVISOR)
    assert refused.value.code == "NOT_OFFERED"
    # The supervisor menu's own path to the server refuses the same way.
    supervisor = Actor("sipho", "Sipho Dlamini", Role.SUPERVISOR)
    with pytest.raises(NotOffered):
        till.supervisor.reversals.reverse(supervisor, sold.reference, "wrong meter",
                                          SUPERVISOR)
    assert not {"search_meters", "reverse"} & set(backend.calls)


def test_the_till_holds_the_quote_it_sells_on(
        server: RunningServer, counter: tuple[Till, CounterBackend]) -> None:
    till, backend = counter
    meter = str(server.meter("normal")["meter_number"])
    quote = till.quote(meter, api.Money(10000, "ZAR"))
    with pytest.raises(InvalidInput, match="changed since the quote"):
        till.sell(meter, api.Money(20000, "ZAR"), CASHIER, quote=quote.handle)
    assert till.pending() == [] and "sell" not in backend.calls  # nothing written or sent
    sold = till.sell(meter, quote.amount, CASHIER, quote=quote.handle)
    assert sold.units == quote.units
    with pytest.raises(InvalidInput, match="no longer held"):  # sold once, then dropped
        till.sell(meter, quote.amount, CASHIER, quote=quote.handle)
