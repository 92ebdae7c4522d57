"""The PostgreSQL store: several server processes over one database sell exactly once.

Two stores (two connection pools, as two server processes have) over the same database race
for the same sale, the same meter and the event log; a row lock taken by a third connection
holds them at the start line, and PostgreSQL's own view of who waits on a lock says when both
are there, so the race is certain rather than likely. Then the real `serve --workers 2`.
"""

from __future__ import annotations

import json
import queue
import re
import subprocess
import sys
import threading
import time
import types
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from tests.vendserver.vs_helpers import Api, SseReader, virtual_meter
from vendserver import api as api_module
from vendserver.api.models import SaleIn, body_dict
from vendserver.db import MIGRATIONS, Row, SqliteStore
from vendserver.db.postgres import PostgresStore
from vendserver.demo import ACTIVATION_CODE, TARIFFS, seed
from vendserver.service import VendingService
from vendserver.testing import TEST_PIN_COST, running_server

ROOT = Path(__file__).resolve().parents[2]


def _service(url: str) -> VendingService:
    return VendingService(PostgresStore(url), pin_cost=TEST_PIN_COST)


@pytest.fixture
def two(pg_url: str) -> Iterator[tuple[VendingService, VendingService, Row]]:
    """Two services over one database (as two processes) and a terminal of the demo."""
    a = _service(pg_url)
    seed(a)
    b = _service(pg_url)
    cred = a.activate(ACTIVATION_CODE, "race", "127.0.0.1")["credential"]
    terminal = a.authenticate(cred)
    yield a, b, terminal
    a.store.close()
    b.store.close()


def _waiting_on_locks(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type="
                           "'Lock' AND datname=current_database()").fetchone()
    return int(row[0]) if row else 0


def _until(check: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.01)  # polling PostgreSQL's lock view, not waiting for a thread's work


def _race(url: str, holder: PostgresStore, lock: Callable[[], Any],
          jobs: list[Callable[[], Any]]) -> list[Any]:
    """Run `jobs` in threads while `holder` keeps `lock()`'s row locked, release it once every
    job waits on it, and return their results (or exceptions) in order."""
    results: list[Any] = [None] * len(jobs)
    release = threading.Event()
    locked = threading.Event()

    def hold() -> None:
        with holder.transaction():
            lock()
            locked.set()
            release.wait(30)

    def run(i: int) -> None:
        try:
            results[i] = jobs[i]()
        except Exception as exc:  # reported by the assertions
            results[i] = exc

    keeper = threading.Thread(target=hold)
    keeper.start()
    assert locked.wait(30)
    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    try:
        _until(lambda: _waiting_on_locks(url) >= len(jobs))
    finally:
        release.set()
        keeper.join(30)
    for t in threads:
        t.join(30)
    return results


def _body(drn: str, amount: str = "50.00") -> dict[str, Any]:
    return body_dict(SaleIn.model_validate(
        {"meter_number": drn, "amount": {"amount": amount, "currency": "ZAR"}}))


def _drn(service: VendingService, tag: str) -> str:
    from vendserver.demo import demo_info

    return str(next(m for m in demo_info(service)["meters"] if tag in m["tags"])
               ["meter_number"])


def test_the_same_key_in_two_processes_sells_once(two, pg_url: str) -> None:
    a, b, terminal = two
    drn = _drn(a, "normal")
    body = _body(drn)
    holder = PostgresStore(pg_url)
    try:
        # Both pass the "key already used?" check, then wait on the meter's lock; the
        # database's unique key lets one commit, the other runs again and replays it.
        results = _race(pg_url, holder, lambda: holder.meter(drn, lock=True), [
            lambda: a.sale(terminal, "thandi", "same-key-0001", body),
            lambda: b.sale(terminal, "thandi", "same-key-0001", body),
        ])
    finally:
        holder.close()
    assert all(isinstance(r, tuple) for r in results), results
    (text_a, replayed_a), (text_b, replayed_b) = results
    assert text_a == text_b
    assert sorted([replayed_a, replayed_b]) == [False, True]
    rows = a.store._all("SELECT receipt_no FROM sales WHERE idem_key=?", ("same-key-0001",))
    assert len(rows) == 1
    vendor = a.store.vendor(terminal["vendor_id"])
    assert vendor is not None and vendor["credit_cents"] == 5_000_000 - 5_000


def test_two_processes_selling_to_one_meter_make_distinct_tokens(two, pg_url: str) -> None:
    a, b, terminal = two
    drn = _drn(a, "normal")
    holder = PostgresStore(pg_url)
    try:
        results = _race(pg_url, holder, lambda: holder.meter(drn, lock=True), [
            lambda: a.sale(terminal, "thandi", "meter-key-0001", _body(drn)),
            lambda: b.sale(terminal, "thandi", "meter-key-0002", _body(drn, "60.00")),
        ])
    finally:
        holder.close()
    sales = [json.loads(r[0]) for r in results]
    assert len({s["receipt_no"] for s in sales}) == 2
    # Each sale read the meter after the other's commit: the meter takes both tokens (the
    # same token id twice would be refused as used).
    vm = virtual_meter(types.SimpleNamespace(service=a), drn)  # type: ignore[arg-type]
    for s in sales:
        credit = next(t for t in s["tokens"] if t["kind"] == "credit")
        assert vm.enter(credit["token"]).accepted


def test_a_float_two_processes_share_is_never_overspent(two, pg_url: str) -> None:
    a, b, terminal = two
    vendor_id = terminal["vendor_id"]
    a.store.set_vendor_credit(vendor_id, 8_000)  # enough for one R50.00 sale, not two
    drn1, drn2 = (m["meter_number"] for m in _normal_meters(a)[:2])
    holder = PostgresStore(pg_url)
    try:
        results = _race(pg_url, holder, lambda: holder.vendor(vendor_id) and holder._one(
            "SELECT 1 FROM vendors WHERE id=? FOR UPDATE", (vendor_id,)), [
            lambda: a.sale(terminal, "thandi", "float-key-0001", _body(drn1)),
            lambda: b.sale(terminal, "thandi", "float-key-0002", _body(drn2)),
        ])
    finally:
        holder.close()
    made = [r for r in results if isinstance(r, tuple)]
    refused = [r for r in results if not isinstance(r, tuple)]
    assert len(made) == 1 and len(refused) == 1
    assert getattr(refused[0], "code", None) == "INSUFFICIENT_VENDOR_CREDIT"
    vendor = a.store.vendor(vendor_id)
    assert vendor is not None and vendor["credit_cents"] == 3_000


def _normal_meters(service: VendingService) -> list[dict[str, Any]]:
    from vendserver.demo import demo_info

    return [m for m in demo_info(service)["meters"] if m["tags"] == ["normal"]]


def test_event_ids_become_visible_in_order(two, pg_url: str) -> None:
    a, b, _ = two
    first: list[int] = []
    later: list[int] = []
    # A transaction that appended an event and has not committed holds back the next
    # append: a reader that saw a larger id can never afterwards find a smaller one.
    in_a = threading.Event()
    go = threading.Event()

    def slow() -> None:
        with a.store.transaction():
            first.append(a.store.add_event("test", "{}", None, None, "2026-01-01T00:00:00Z"))
            in_a.set()
            go.wait(30)

    t = threading.Thread(target=slow)
    t.start()
    assert in_a.wait(30)
    u = threading.Thread(target=lambda: later.append(
        b.store.add_event("test", "{}", None, None, "2026-01-01T00:00:01Z")))
    u.start()
    try:
        _until(lambda: _waiting_on_locks(pg_url) >= 1)
        assert not later  # still waiting for the first to commit
        assert b.store.max_event_id() < first[0]  # not visible yet
    finally:
        go.set()
        t.join(30)
        u.join(30)
    assert later[0] > first[0]


def test_an_event_committed_by_another_process_reaches_a_stream_at_once(
        pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # No polling at all: only PostgreSQL's NOTIFY can wake this server's event hub.
    monkeypatch.setattr(api_module, "EVENT_POLL_SECONDS", 3600.0)
    with running_server(tmp_path / "a", db=pg_url, heartbeat=0.3) as srv_a, \
            running_server(tmp_path / "b", db=pg_url, heartbeat=0.3) as srv_b:
        client = Api(srv_a)
        stream = SseReader(f"{srv_a.base_url}/v1/events", srv_a.headers(client.credential))
        try:
            assert stream.next_item() == {"retry": 3000}  # subscribed
            srv_b.service.publish_tariff(dict(TARIFFS[2], name="Water from B"))
            event = stream.next_event()
            assert event["event"] == "tariff.published"
            assert event["data"]["name"] == "Water from B"
        finally:
            stream.close()
            client.close()


def test_both_stores_have_the_same_columns(pg_url: str, tmp_path: Path) -> None:
    pg = PostgresStore(pg_url)
    lite = SqliteStore(tmp_path / "v.db")
    try:
        assert pg.schema_version() == lite.schema_version() == len(MIGRATIONS)
        tables = [r["name"] for r in lite._all(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        assert len(tables) > 15
        for table in tables:
            lite_cols = [r["name"] for r in lite._all(f"PRAGMA table_info({table})")]
            pg_cols = [r["column_name"] for r in pg._all(
                "SELECT column_name FROM information_schema.columns WHERE table_name=? "
                "ORDER BY ordinal_position", (table,))]
            assert pg_cols == lite_cols, table
        again = PostgresStore(pg_url)  # a second open migrates nothing twice
        assert again.schema_version() == len(MIGRATIONS)
        again.close()
    finally:
        pg.close()
        lite.close()


def _serve(args: list[str]) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-m", "vendserver", "serve", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    line = lines.get(timeout=60)
    match = re.match(r"VENDSERVER LISTENING (\S+)", line)
    assert match, line
    return proc, match.group(1)


def test_serve_with_workers_sells_exactly_once(pg_url: str) -> None:
    proc, url = _serve(["--port", "0", "--demo", "--db", pg_url, "--workers", "2"])
    try:
        act = httpx.post(f"{url}/v1/terminals/activate", timeout=60, json={
            "activation_code": ACTIVATION_CODE, "terminal_name": "w"}).json()
        with psycopg.connect(pg_url, autocommit=True) as conn:
            _until(lambda: (conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name="
                "'vendserver-listen'").fetchone() or [0])[0] == 2)  # two processes' hubs
        meters = [m["meter_number"] for m in json.loads(subprocess.run(
            [sys.executable, "-m", "vendserver", "demo-info"], cwd=ROOT, check=True,
            capture_output=True, text=True).stdout)["meters"] if m["tags"] == ["normal"]]
        keys = [str(uuid.uuid4()) for _ in range(12)]
        answers: list[dict[str, Any]] = []
        lock = threading.Lock()

        def terminal(n: int) -> None:
            with httpx.Client(base_url=url, timeout=60, headers={
                    "Authorization": f"Bearer {act['credential']}",
                    "X-Operator-Id": "thandi"}) as http:
                for i, key in enumerate(keys):  # every terminal thread sends every key
                    r = http.post("/v1/sales", headers={"Idempotency-Key": key}, json={
                        "meter_number": meters[i % len(meters)],
                        "amount": {"amount": "60.00", "currency": "ZAR"}})
                    with lock:
                        answers.append({"status": r.status_code, **r.json()})

        threads = [threading.Thread(target=terminal, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert len(answers) == 48
        assert all(a["status"] == 200 for a in answers), [a for a in answers if a["status"] != 200]
        by_key: dict[str, set[str]] = {}
        for a in answers:
            by_key.setdefault(a["idempotency_key"], set()).add(a["receipt_no"])
        assert all(len(v) == 1 for v in by_key.values()) and len(by_key) == 12
        store = PostgresStore(pg_url)
        try:
            rows = store._all("SELECT receipt_no FROM sales")
            assert len(rows) == 12 == len({r["receipt_no"] for r in rows})
            vendor = store.vendor("V001")
            assert vendor is not None and vendor["credit_cents"] == 5_000_000 - 12 * 6_000
        finally:
            store.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_workers_need_postgres(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "vendserver", "serve", "--port", "0", "--db",
                        str(tmp_path / "v.db"), "--workers", "2"], cwd=ROOT,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "needs a PostgreSQL database" in r.stderr
    assert "Traceback" not in r.stderr


def test_a_conflict_inside_a_pipeline_never_breaks_the_next_statements(pg_url: str) -> None:
    # A unique violation among pipelined writes aborts the pipeline; psycopg then believed
    # some statements prepared that the server never prepared, and a later sale on the same
    # connection failed with "prepared statement _pg3_N does not exist" (a 500).
    from vendserver.db.base import Conflict

    store = PostgresStore(pg_url)
    try:
        store._exec("CREATE TABLE pipe_keys (k TEXT PRIMARY KEY, n BIGINT NOT NULL)")
        store._exec("INSERT INTO pipe_keys (k, n) VALUES ('taken', 0)")
        for i in range(12):  # past psycopg's prepare threshold, on every statement
            with pytest.raises(Conflict):
                with store.transaction():
                    store._defer("UPDATE pipe_keys SET n = n + 1 WHERE k = ?", ("taken",))
                    store._defer("INSERT INTO pipe_keys (k, n) VALUES (?, ?)", ("taken", i))
                    store._one("SELECT n FROM pipe_keys WHERE k = ?", ("taken",))
            with store.transaction():
                store._defer("UPDATE pipe_keys SET n = n + 1 WHERE k = ?", ("taken",))
                store._defer("INSERT INTO pipe_keys (k, n) VALUES (?, ?)", (f"k{i}", i))
                row = store._one("SELECT n FROM pipe_keys WHERE k = ?", ("taken",))
            assert row is not None and row["n"] == i + 1
    finally:
        store.close()
