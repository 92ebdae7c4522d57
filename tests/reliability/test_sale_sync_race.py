"""The race between the cashier's attempt and the sync worker, made deterministic.

An online sale's POST is reset, and the look-up of its key (`GET /v1/sales/{key}`) is held
silent by the fault proxy while a sync pass runs whose clock says the resolve grace is over
(as when the look-up's answer trickles in for longer than the grace). Real server, real
SQLCipher store, real HTTP through the proxy; the test acts only once the proxy reports that
the look-up is being held.

* The server never saw the sale: the sync pass must leave the sale to the attempt that holds
  it (no `created -> void -> pending`, which left a paid sale without an outbox row).
* The server sold it and the attempt's lease has run out: the sync pass records the token;
  the slower attempt's "pending" is refused by the guard and the cashier gets the token.

After both: the outbox row exists if and only if the sale is open, and the server holds the
sale exactly once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.api import Money
from app.sales import SaleService
from app.sales.outcomes import SaleOutcome
from app.sync import SyncEngine
from tests.reliability.faultproxy import Fault, FaultKind
from tests.reliability.harness import Core, Env, terminal_on
from vendserver.testing import RunningServer, running_server

POST, LOOK_UP = b"POST /v1/sales ", b"GET /v1/sales/"
OPEN = ("sending", "pending", "unresolved", "needs_attention")
#: The app's default grace before the sync worker looks up a sale still being sent.
GRACE = 60.0


@dataclass
class Clock:
    """Now, moved forward by `offset` (the store's timestamps stay real)."""

    offset: timedelta = field(default_factory=timedelta)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


@dataclass
class Attempt:
    """The cashier's `sell` on its own thread: its outcome or exception."""

    outcome: SaleOutcome | None = None
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)


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
    c = env.core(resolve_grace=GRACE)
    assert c.sync.refresh_terminal()  # the offline policy is known: a sale may go pending
    yield c
    env.proxy.clear()
    c.close()


def _meter(env: Env) -> str:
    return str(next(m["meter_number"] for m in env.server.demo["meters"]
                    if m["tags"] == ["normal"]))


def _sell(service: SaleService, meter: str) -> Attempt:
    attempt = Attempt()

    def run() -> None:
        try:
            attempt.outcome = service.sell(meter, Money(10000, "ZAR"), "thandi")
        except BaseException as exc:  # judged by the test
            attempt.error = exc
        finally:
            attempt.done.set()

    threading.Thread(target=run, name="cashier", daemon=True).start()
    return attempt


def _only_key(core: Core) -> str:
    keys = core.store.call(lambda c: [r[0] for r in c.execute("SELECT idem_key FROM sales")])
    assert len(keys) == 1
    return str(keys[0])


def _state(core: Core, key: str) -> str:
    return str(core.store.call(lambda c: c.execute(
        "SELECT state FROM sales WHERE idem_key = ?", (key,)).fetchone()[0]))


def _journal(core: Core, key: str) -> list[str]:
    return [str(k) for k in core.store.call(lambda c: [r[0] for r in c.execute(
        "SELECT kind FROM journal WHERE ref = ? AND kind LIKE 'sale.%' ORDER BY seq", (key,))])]


def _assert_outbox_follows_state(core: Core) -> None:
    rows: list[Any] = core.store.call(lambda c: c.execute(
        "SELECT s.idem_key, s.state, o.idem_key IS NOT NULL FROM sales s "
        "LEFT JOIN outbox o ON o.idem_key = s.idem_key").fetchall())
    for key, state, queued in rows:
        assert bool(queued) == (state in OPEN), f"{key}: {state} with outbox row={bool(queued)}"


def _never_reopened(kinds: list[str]) -> None:
    """No closed state is followed by another state change (void may only become tokened)."""
    for i, kind in enumerate(kinds):
        later = kinds[i + 1:]
        if kind == "sale.tokened":
            assert not [k for k in later if k != "sale.price_differs"], kinds
        if kind == "sale.void":
            assert all(k == "sale.tokened" for k in later), kinds


def test_sync_leaves_a_sale_to_the_attempt_that_holds_it(env: Env, core: Core) -> None:
    clock = Clock()
    service = SaleService(core.store, core.client, core.bus, core.connectivity, clock=clock)
    # The sync worker's clock says the grace is over while the attempt still waits.
    late_sync = SyncEngine(service, lock_path=env.db.with_suffix(".race.lock"),
                           resolve_grace=GRACE, clock=lambda: clock() + timedelta(
                               seconds=GRACE + 1))
    meter = _meter(env)
    service.confirm_customer(meter)
    env.proxy.inject(Fault(FaultKind.RESET_BEFORE), POST)  # the server never sees it
    env.proxy.inject(Fault(FaultKind.STALL), LOOK_UP)  # the attempt's look-up hangs
    attempt = _sell(service, meter)
    assert env.proxy.wait_applied(FaultKind.STALL, LOOK_UP), "the attempt never looked up"
    key = _only_key(core)

    report = late_sync.step()  # its own look-up would get the server's 404
    assert _state(core, key) == "sending", "the sync pass decided a sale an attempt holds"
    assert key in report.deferred and not report.voided

    env.proxy.clear()  # the held look-up ends (reset): the attempt goes on
    assert attempt.done.wait(30), "the sale call never returned"
    assert attempt.error is None, repr(attempt.error)
    assert attempt.outcome is not None and attempt.outcome.state == "pending"
    assert attempt.outcome.idempotency_key == key
    _assert_outbox_follows_state(core)
    assert _journal(core, key) == ["sale.created", "sale.pending"]

    # The customer holds a pending slip: the sale is sent with its key and sold once.
    report = late_sync.step()
    assert report.tokened == [key]
    assert _state(core, key) == "tokened"
    assert list(env.server_sales()) == [key]
    _assert_outbox_follows_state(core)
    kinds = _journal(core, key)
    assert "sale.void" not in kinds
    _never_reopened(kinds)


def test_a_slower_attempt_never_overwrites_the_token_sync_recorded(env: Env,
                                                                    core: Core) -> None:
    clock = Clock()
    service = SaleService(core.store, core.client, core.bus, core.connectivity, clock=clock)
    sync = SyncEngine(service, lock_path=env.db.with_suffix(".race.lock"),
                      resolve_grace=GRACE, clock=clock)
    meter = _meter(env)
    service.confirm_customer(meter)
    env.proxy.inject(Fault(FaultKind.RESET_AFTER), POST)  # sold; the answer is lost
    env.proxy.inject(Fault(FaultKind.STALL), LOOK_UP)
    attempt = _sell(service, meter)
    assert env.proxy.wait_applied(FaultKind.STALL, LOOK_UP), "the attempt never looked up"
    key = _only_key(core)
    server = env.server_sales()
    assert list(server) == [key]

    # Long enough for the grace and the attempt's lease to run out: sync takes over.
    clock.offset = timedelta(seconds=3 * GRACE)
    report = sync.step()
    assert report.tokened == [key]
    assert _state(core, key) == "tokened"

    env.proxy.clear()  # the attempt's look-up fails now; it would fall back to "pending"
    assert attempt.done.wait(30), "the sale call never returned"
    assert attempt.error is None, repr(attempt.error)
    assert _state(core, key) == "tokened", "the slower attempt overwrote the token"
    # The cashier is told what sync found: the server's sale, its receipt.
    assert attempt.outcome is not None and attempt.outcome.state == "tokened"
    assert attempt.outcome.sale is not None
    assert attempt.outcome.sale.receipt_no == server[key]
    _assert_outbox_follows_state(core)
    kinds = _journal(core, key)
    assert kinds.count("sale.tokened") == 1 and "sale.pending" not in kinds
    _never_reopened(kinds)
    assert env.server_sales() == server
