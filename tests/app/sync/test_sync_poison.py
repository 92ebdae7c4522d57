"""Poison items never block the queue, and a transient unreadable answer is asked again.

Real server through the fault proxy, real store. Three offline sales wait; the first one's
answer cannot be applied — deeply nested JSON, an error nobody expected while reading it, or
a receipt number already stored here (as after a server restore) — and the two behind it
must still drain in the same pass. The first is set aside with a reason; where the cause may
be transient it is asked about again with backoff and tokened once a readable answer comes.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.api import Money
from app.sales.events import SaleNeedsAttention, SaleTokened
from app.sync import SyncEngine
from offline_store.journal import verify_chain
from tests.reliability.faultproxy import Fault, FaultKind
from tests.reliability.harness import Core, Env, terminal_on
from vendserver.testing import RunningServer, running_server

LOOK_UP, BATCH = b"GET /v1/sales/", b"POST /v1/sales/batch"
ZAR = "ZAR"


@dataclass
class Clock:
    """Now, moved forward by `offset`."""

    offset: timedelta = field(default_factory=timedelta)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with running_server(tmp_path_factory.mktemp("server"), demo=True) as srv:
        srv.service.top_up("V001", 10**9)
        yield srv


@pytest.fixture
def env(server: RunningServer, tmp_path: Path) -> Iterator[Env]:
    with terminal_on(server, tmp_path / "client") as e:
        yield e


@pytest.fixture
def core(env: Env) -> Iterator[Core]:
    c = env.core()
    assert c.sync.refresh_terminal()
    yield c
    env.proxy.clear()
    c.close()


def _engine(env: Env, core: Core, clock: Clock) -> SyncEngine:
    """A sync engine whose clock the test moves (to get past a backoff without waiting)."""
    return SyncEngine(core.service, lock_path=env.db.with_suffix(".poison.lock"),
                      backoff_base=0.05, backoff_cap=0.5, resolve_grace=0.0, clock=clock)


def _offline_sales(env: Env, core: Core, n: int = 3) -> list[str]:
    meter = str(next(m["meter_number"] for m in env.server.demo["meters"]
                     if m["tags"] == ["normal"]))
    core.service.confirm_customer(meter)
    core.connectivity.set(False)
    keys = []
    for i in range(n):
        outcome = core.service.sell(meter, Money(10000 + 100 * i, ZAR), "thandi")
        assert outcome.state == "pending"
        keys.append(outcome.idempotency_key)
    return keys


def _row(core: Core, key: str) -> tuple[str, str | None, str | None]:
    row = core.store.call(lambda c: c.execute(
        "SELECT state, reason_code, reason FROM sales WHERE idem_key = ?", (key,)).fetchone())
    return str(row[0]), row[1], row[2]


def _queued(core: Core, key: str) -> bool:
    return bool(core.store.call(lambda c: c.execute(
        "SELECT count(*) FROM outbox WHERE idem_key = ?", (key,)).fetchone()[0]))


def _receipts(core: Core) -> dict[str, str]:
    return dict(core.store.call(lambda c: c.execute(
        "SELECT idem_key, receipt_no FROM receipts").fetchall()))


def test_deep_json_sets_one_sale_aside_and_the_rest_drains(env: Env, core: Core) -> None:
    keys = _offline_sales(env, core)
    clock = Clock()
    sync = _engine(env, core, clock)
    # The batch is sold on the server but its answer is nested 100,000 levels deep; so is
    # the first look-up that would recover it.
    env.proxy.inject(Fault(FaultKind.DEEP_JSON, after_commit=True), BATCH)
    env.proxy.inject(Fault(FaultKind.DEEP_JSON), LOOK_UP)
    report = sync.step()
    assert report.attention == [keys[0]]
    assert report.tokened == keys[1:], "the sales behind the bad answer did not drain"
    state, code, reason = _row(core, keys[0])
    assert state == "needs_attention" and code == "RESOLVE_FAILED" and reason
    assert _queued(core, keys[0])  # still waits for the server, counted as such
    assert set(env.server_sales()) == set(keys)

    clock.offset = timedelta(seconds=5)  # past its backoff: asked again, readable now
    report = sync.step()
    assert report.tokened == [keys[0]]
    assert _row(core, keys[0])[0] == "tokened" and not _queued(core, keys[0])
    assert _receipts(core) == env.server_sales()


def test_an_unexpected_error_in_one_item_is_contained(env: Env, core: Core,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    keys = _offline_sales(env, core)
    env.proxy.inject(Fault(FaultKind.RESET_AFTER), BATCH)  # sold; the answer is lost
    clock = Clock()
    sync = _engine(env, core, clock)
    assert sync.step().unreachable
    real_get_sale = core.client.get_sale
    failed: list[str] = []

    def get_sale(key: str, request: dict[str, Any]) -> Any:
        if key == keys[0] and not failed:
            failed.append(key)
            # What reading a deeply nested answer used to raise: nobody expects it here.
            raise RecursionError("maximum recursion depth exceeded")
        return real_get_sale(key, request)

    monkeypatch.setattr(core.client, "get_sale", get_sale)
    report = sync.step()
    assert failed == [keys[0]]
    assert report.attention == [keys[0]] and report.tokened == keys[1:]
    state, code, reason = _row(core, keys[0])
    assert state == "needs_attention" and code == "UNEXPECTED"
    assert reason is not None and "RecursionError" in reason

    clock.offset = timedelta(seconds=5)
    assert sync.step().tokened == [keys[0]]
    assert _receipts(core) == env.server_sales() and set(env.server_sales()) == set(keys)


def _next_receipt_no(env: Env) -> str:
    con = sqlite3.connect(f"file:{env.server.db_path}?mode=ro", uri=True, timeout=30)
    try:
        row = con.execute("SELECT value FROM counters WHERE name = 'receipt'").fetchone()
    finally:
        con.close()
    return f"VP{int(row[0]) + 1:08d}"


def test_a_receipt_number_already_stored_here_sets_the_sale_aside(env: Env,
                                                                   core: Core) -> None:
    meter = str(next(m["meter_number"] for m in env.server.demo["meters"]
                     if m["tags"] == ["normal"]))
    core.service.confirm_customer(meter)
    earlier = core.service.sell(meter, Money(10000, ZAR), "thandi")
    assert earlier.state == "tokened"
    keys = _offline_sales(env, core)
    # After a server restore the server issues numbers again that this terminal already
    # holds: the receipt number the first queued sale will get is stored here already.
    clash = _next_receipt_no(env)
    core.store.call(lambda c: c.execute("UPDATE receipts SET receipt_no = ? WHERE idem_key = ?",
                                        (clash, earlier.idempotency_key)))
    report = core.sync.step()
    assert report.attention == [keys[0]]
    assert report.tokened == keys[1:], "the sales behind the clash did not drain"
    state, code, reason = _row(core, keys[0])
    assert state == "needs_attention" and code == "RECEIPT_CONFLICT" and reason
    assert env.server_sales()[keys[0]] == clash
    # Nothing of the clashing answer was half written; the store is consistent.
    assert _receipts(core)[earlier.idempotency_key] == clash
    assert keys[0] not in _receipts(core)
    assert core.store.call(lambda c: c.execute(
        "SELECT count(*) FROM tokens WHERE idem_key = ?", (keys[0],)).fetchone()[0]) == 0
    assert core.store.call(verify_chain).ok
    # A person must look at it: later passes leave it alone, and the queue still moves.
    assert core.sync.step().attention == []
    assert _row(core, keys[0])[0] == "needs_attention" and _queued(core, keys[0])


@pytest.mark.parametrize("unreadable", [FaultKind.HTML_200, FaultKind.DEEP_JSON,
                                        FaultKind.OVERSIZED])
def test_a_transient_unreadable_look_up_is_retried_until_tokened(
        env: Env, core: Core, unreadable: FaultKind) -> None:
    keys = _offline_sales(env, core, 1)
    key = keys[0]
    attention, tokened = threading.Event(), threading.Event()
    core.bus.subscribe(SaleNeedsAttention, lambda e: attention.set()
                       if e.data["idempotency_key"] == key else None)
    core.bus.subscribe(SaleTokened, lambda e: tokened.set()
                       if e.data["idempotency_key"] == key else None)
    env.proxy.inject(Fault(FaultKind.RESET_AFTER), BATCH)  # on the server; answer lost
    env.proxy.inject(Fault(unreadable), LOOK_UP, count=2)  # the next two look-ups unreadable
    core.sync.start()  # the worker alone: nobody asks it to retry
    try:
        assert attention.wait(20), "the unreadable answer did not set the sale aside"
        assert tokened.wait(20), "the sale on the server stayed in needs-attention"
    finally:
        assert core.sync.stop(10)
    assert env.proxy.wait_applied(unreadable, LOOK_UP, times=2, timeout=0)
    assert _row(core, key)[0] == "tokened" and not _queued(core, key)
    assert _receipts(core) == env.server_sales() == {key: env.server_sales()[key]}
