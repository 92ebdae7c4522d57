"""Sync engine against the real server: order, per-item results, lock, backoff, stop, restart."""

from __future__ import annotations

import random
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.api import Money
from app.sales import repository as repo
from app.sales import transitions
from app.sales.events import ConnectivityChanged, SaleTokened
from app.sync import FileLock, SyncEngine
from app.sync.events import SyncProgress
from tests.reliability.harness import Core, Env, environment

ZAR = "ZAR"


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    with environment(tmp_path) as e:
        yield e


@pytest.fixture
def core(env: Env) -> Iterator[Core]:
    c = env.core()
    assert c.sync.refresh_terminal()
    yield c
    c.close()


def _normal(env: Env, n: int = 0) -> str:
    return str([m for m in env.server.demo["meters"] if m["tags"] == ["normal"]][n]
               ["meter_number"])


def _offline_sales(env: Env, core: Core, amounts: list[int], meter: str) -> list[str]:
    core.service.confirm_customer(meter)
    core.connectivity.set(False)
    keys = []
    for minor in amounts:
        outcome = core.service.sell(meter, Money(minor, ZAR), "thandi")
        assert outcome.state == "pending"
        keys.append(outcome.idempotency_key)
    return keys


def test_ordered_drain_one_result_per_item_bad_items_do_not_block(env: Env, core: Core) -> None:
    meter = _normal(env)
    # The 2nd sale is too small to cover the month's fixed charge: the server rejects it.
    keys = _offline_sales(env, core, [1000, 10000, 6000], meter)
    # A sale the server cannot even parse (our bug): it needs attention.
    bad = "bad-request-0001"
    core.store.call(lambda c: repo.insert_sale(
        c, key=bad, state="pending", offline=True, meter_number=meter,
        amount=Money(5000, ZAR), operator_id="thandi", customer={},
        request={"meter_number": meter, "amount": {"amount": "50.00", "currency": "ZAR"},
                 "surprise": 1}, quote=None, maybe_sent=False))
    report = core.sync.step()
    assert report.rejected == [keys[0]]
    assert report.tokened == [keys[1], keys[2]]
    assert report.attention == [bad]
    rows = core.store.call(lambda c: dict(c.execute("SELECT idem_key, state FROM sales")))
    assert rows[keys[0]] == "rejected" and rows[bad] == "needs_attention"
    reason = core.store.call(lambda c: c.execute(
        "SELECT reason_code FROM sales WHERE idem_key = ?", (keys[0],)).fetchone()[0])
    assert reason == "AMOUNT_OUT_OF_RANGE"
    server = env.server_sales()
    assert set(server) == {keys[1], keys[2]}
    # Receipt numbers follow the outbox order.
    assert server[keys[1]] < server[keys[2]]
    # The refused offline sale and the bad one are shown to the supervisor.
    attention = {e.data["idempotency_key"] for e in core.names("sale.needs_attention")}
    assert attention == {keys[0], bad}
    stats = core.store.call(repo.outbox_stats)
    assert stats.count == 1 and stats.needs_attention == 1  # never "all synced" while one waits
    progress = core.names("sync.progress")[-1].data
    assert progress["done"] == 3 and progress["attention"] == 1


def test_resumes_after_restart(env: Env, core: Core) -> None:
    keys = _offline_sales(env, core, [10000, 7000], _normal(env, 1))
    core.close()
    again = env.core(create=False)
    try:
        assert again.sync.step().tokened == keys
    finally:
        again.close()
    assert set(env.server_sales()) == set(keys)


def test_background_worker_drains_and_publishes(env: Env, core: Core) -> None:
    tokened = threading.Event()
    seen: list[SaleTokened] = []

    def on_event(event: SaleTokened) -> None:
        seen.append(event)
        tokened.set()

    core.bus.subscribe(SaleTokened, on_event)
    env.cut(core)
    meter = _normal(env, 2)
    core.store.call(lambda c: repo.cache_meter(c, env_meter(env, core, meter)))
    outcome = core.service.sell(meter, Money(10000, ZAR), "thandi")
    assert outcome.state == "pending"
    core.sync.start()
    env.proxy.up()
    core.sync.wake()
    assert tokened.wait(20)
    assert seen[0].idempotency_key == outcome.idempotency_key
    assert core.sync.stop(10)


def env_meter(env: Env, core: Core, meter: str):
    """Fetch a meter straight from the server (bypassing the proxy) to seed the cache."""
    import requests

    from app.api import VendingClient
    return VendingClient(requests.Session(), env.server.base_url,
                         lambda: env.credential).meter(meter)


def test_stop_is_prompt_even_during_a_long_backoff(env: Env, core: Core) -> None:
    env.cut(core)
    engine = SyncEngine(core.service, lock_path=env.db.with_suffix(".lock2"),
                        backoff_base=60, backoff_cap=600, idle_interval=600)
    meter = _normal(env, 3)
    core.store.call(lambda c: repo.cache_meter(c, env_meter(env, core, meter)))
    core.connectivity.set(False)
    core.service.sell(meter, Money(10000, ZAR), "thandi")
    unreachable = threading.Event()
    core.bus.subscribe(SyncProgress, lambda e: unreachable.set() if e.data["unreachable"] else None)
    engine.start()
    assert unreachable.wait(20)  # it is now sleeping in a >= 30 s backoff
    assert engine.stop(timeout=5)


def test_backoff_is_capped_exponential_with_jitter(core: Core, tmp_path: Path) -> None:
    engine = SyncEngine(core.service, lock_path=tmp_path / "l", backoff_base=1.0,
                        backoff_cap=30.0, rng=random.Random(7))
    assert engine.next_delay() == 0.0
    delays = []
    for failures in range(1, 12):
        engine._failures = failures
        ceiling = min(30.0, 2.0 ** (failures - 1))
        d = engine.next_delay()
        assert ceiling / 2 <= d <= ceiling
        delays.append(d)
    assert max(delays) <= 30.0 and len(set(delays)) == len(delays)  # jittered


def test_only_one_process_drains(env: Env, core: Core) -> None:
    lock_path = env.db.with_suffix(".sync.lock")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from pathlib import Path; from app.sync import FileLock\n"
         "l = FileLock(Path(sys.argv[1])); assert l.acquire(); print('HELD', flush=True)\n"
         "sys.stdin.readline()", str(lock_path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=Path(__file__).parents[3])
    assert holder.stdout is not None and holder.stdin is not None
    try:
        assert holder.stdout.readline().strip() == b"HELD"
        keys = _offline_sales(env, core, [10000], _normal(env, 4))
        report = core.sync.step()
        assert report.locked_out and report.tokened == []
        assert env.server_sales() == {}
        assert not FileLock(lock_path).acquire()
    finally:
        holder.stdin.close()
        holder.wait(10)
    assert core.sync.step().tokened == keys  # the other process is gone: we drain now


def test_worker_probes_and_reports_back_online_with_an_empty_outbox(env: Env, core: Core) -> None:
    env.cut(core)
    core.connectivity.set(False, "test")
    back = threading.Event()
    core.bus.subscribe(ConnectivityChanged, lambda e: back.set() if e.data["online"] else None)
    core.sync.start()
    env.proxy.up()
    core.sync.wake()
    assert back.wait(20)
    assert core.connectivity.online
    assert core.sync.stop(10)


def test_low_vendor_float_keeps_the_offline_sale_and_retries_it(env: Env, core: Core) -> None:
    keys = _offline_sales(env, core, [10000], _normal(env, 1))
    credit = env.server.service.top_up("V001", 0)
    env.server.service.top_up("V001", -credit + 5000)  # R50 left: not enough for R100
    report = core.sync.step()
    assert report.deferred == keys and report.rejected == []
    rows = core.store.call(lambda c: dict(c.execute("SELECT idem_key, state FROM sales")))
    assert rows[keys[0]] == "pending"
    codes = [e.data["code"] for e in core.names("sale.needs_attention")]
    assert codes == ["INSUFFICIENT_VENDOR_CREDIT"]
    env.server.service.top_up("V001", 100000)
    core.store.call(lambda c: c.execute("UPDATE outbox SET next_attempt_at = NULL"))
    assert core.sync.step().tokened == keys


def test_retried_offline_sale_is_sent_and_retried_online_sale_is_voided(
    env: Env, core: Core
) -> None:
    """A supervisor's retry puts an item back as `unresolved`: the key is looked up first; a
    never-processed offline sale (the customer holds a slip) is then sent, an online one is not."""
    (offline_key,) = _offline_sales(env, core, [10000], _normal(env, 2))
    meter = _normal(env, 3)
    online_key = "never-processed-online-1"
    core.store.call(lambda c: repo.insert_sale(
        c, key=online_key, state="unresolved", offline=False, meter_number=meter,
        amount=Money(10000, ZAR), operator_id="thandi", customer={},
        request={"meter_number": meter, "amount": {"amount": "100.00", "currency": "ZAR"}},
        quote=None, maybe_sent=True, created_at="2026-01-01T00:00:00.000000Z"))
    assert core.store.call(lambda c: transitions.transition(
        c, offline_key, "unresolved", expect=("pending",)))
    report = core.sync.step()
    assert report.tokened == [offline_key]
    assert report.voided == [online_key]
    assert set(env.server_sales()) == {offline_key}
