"""Kill loop: a worker process is SIGKILLed at random points of sale and sync, again and again.

Afterwards every acknowledged sale (the cashier saw a token or a pending slip) exists exactly
once on the server or is still in the outbox, no sale exists twice, the encrypted store passes
`PRAGMA integrity_check` and `PRAGMA cipher_integrity_check`, and the journal chain verifies.
The contents are compared too: every tokened sale's stored and printed receipt (receipt
number, amount, units, token digits in entry order) is the server's record of it (a client
that stores the digits reversed fails). A sync worker thread drains while each life sells,
and the server is killed and restarted on its database every 50 lives (the worker talks to
it through a proxy that follows it). Finally the outbox is drained and every acknowledged
sale is on the server exactly once.
`VENDPOINT_KILL_LOOP=N` sets the number of kills (default 200).
"""

from __future__ import annotations

import os
import random
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from offline_store import open_store
from offline_store.journal import verify_chain
from tests.reliability.faultproxy import FaultProxy
from tests.reliability.harness import build_core, server_sales
from tests.reliability.kill_worker import REVERSE_TOKENS_ENV
from tests.reliability.records import client_records, content_problems, server_records
from tests.reliability.serverhost import ServerHost

ROOT = Path(__file__).resolve().parents[2]
# The worker forks and talks through a FIFO; SIGKILL is POSIX.
pytestmark = pytest.mark.skipif(os.name != "posix", reason="fork/mkfifo/SIGKILL are POSIX")
KILLS = int(os.environ.get("VENDPOINT_KILL_LOOP", "200"))


def _life(zygote: subprocess.Popen[bytes], seed: int, fifo: Path, rng: random.Random
          ) -> tuple[list[str], bool]:
    """Fork one worker life, kill it at a random moment after it is ready; its ACK lines."""
    assert zygote.stdin is not None and zygote.stdout is not None
    fifo.unlink(missing_ok=True)
    os.mkfifo(fifo)
    zygote.stdin.write(f"FORK {seed} {fifo}\n".encode())
    zygote.stdin.flush()
    pid = int(zygote.stdout.readline().split()[1])
    with fifo.open("rb") as out:  # blocks until the child opens its end
        ready = out.readline()
        if ready.strip() == b"READY":
            # A random kill point inside the sale/sync loop (not waiting for a thread).
            time.sleep(rng.uniform(0.0, 0.15))
        os.kill(pid, signal.SIGKILL)
        rest = out.read()
    exit_line = zygote.stdout.readline().split()
    assert exit_line[:2] == [b"EXIT", str(pid).encode()]
    killed = ready.strip() == b"READY" and int(exit_line[2]) == signal.SIGKILL
    return [ln for ln in rest.decode().splitlines() if ln.startswith("ACK ")], not killed


def _documents(conn: Any) -> dict[str, tuple[int, int, int]]:
    """idempotency key -> (offline flag, token receipt jobs, pending slip jobs), originals
    only (the documents the sale service writes with the state change)."""
    return {str(r[0]): (int(r[1]), int(r[2]), int(r[3])) for r in conn.execute(
        "SELECT s.idem_key, s.offline, "
        "(SELECT count(*) FROM print_jobs p WHERE p.sale_ref = "
        " json_extract(s.request, '$.client_reference') AND p.kind = 'token' "
        " AND p.reprint_no = 0), "
        "(SELECT count(*) FROM print_jobs p WHERE p.sale_ref = "
        " json_extract(s.request, '$.client_reference') AND p.kind = 'pending' "
        " AND p.reprint_no = 0) FROM sales s")}


def _assert_documents(states: dict[str, str], documents: dict[str, tuple[int, int, int]]
                      ) -> None:
    """Every tokened sale has exactly one token receipt, every other none; every sale kept
    offline (the customer holds a slip) exactly one pending slip, every other none."""
    for key, state in states.items():
        offline, tokens, slips = documents[key]
        assert tokens == (1 if state == "tokened" else 0), (state, tokens)
        assert slips == (1 if offline else 0), (state, offline, slips)


def _contents(db: Path, key: bytes, server_db: Path, terminal_id: str) -> list[str]:
    """Where the client's stored and printed receipts differ from the server's record."""
    store = open_store(db, key)
    try:
        client = store.call(client_records)
    finally:
        store.close()
    return content_problems(client, server_records(server_db, terminal_id))


def kill_loop(tmp_path: Path, kills: int, *, restart_every: int = 50,
              worker_env: dict[str, str] | None = None) -> None:
    """Sell and sync in worker lives killed at random (the server restarted every
    `restart_every` lives), then check everything; AssertionError on the first problem."""
    rng = random.Random(int(os.environ.get("VENDPOINT_KILL_SEED", "20261125")))
    proxy = FaultProxy(0)
    host = ServerHost(tmp_path / "server", proxy)
    try:
        server = host.start()
        server.service.top_up("V001", 10**12)  # the float must not run out in a long loop
        activation = server.activate("Counter 1")
        terminal_id, credential = str(activation["terminal_id"]), activation["credential"]
        key = secrets.token_bytes(32)
        (tmp_path / "client").mkdir()
        db = tmp_path / "client" / "vend.db"
        meters = [m["meter_number"] for m in server.demo["meters"]
                  if m["tags"] == ["normal"]][:3]
        setup = build_core(db, key, proxy.url, credential, terminal=activation)
        assert setup.sync.refresh_terminal()
        for meter in meters:
            setup.service.confirm_customer(meter)
        setup.close()
        _loop(tmp_path, host, proxy, db, key, credential, terminal_id, meters, kills, rng,
              restart_every, worker_env)
    finally:
        proxy.close()
        host.close()


def _loop(tmp_path: Path, host: ServerHost, proxy: FaultProxy, db: Path, key: bytes,
          credential: str, terminal_id: str, meters: list[str], kills: int,
          rng: random.Random, restart_every: int, worker_env: dict[str, str] | None) -> None:
    log = tmp_path / "worker-stderr.log"
    acked: dict[str, str] = {}
    with log.open("ab") as err:
        zygote = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.kill_worker", str(db), key.hex(),
             proxy.url, credential, *meters],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, cwd=ROOT,
            env={**os.environ, **(worker_env or {})})
    try:
        for i in range(kills):
            if restart_every and i and i % restart_every == 0:
                host.restart()  # the server dies too, and comes back on its database
            lines, crashed = _life(zygote, i, tmp_path / "life.fifo", rng)
            assert not crashed, log.read_text()[-3000:]
            for line in lines:
                _, sale_key, state = line.split()
                acked[sale_key] = state
    finally:
        assert zygote.stdin is not None and zygote.stdout is not None
        zygote.stdin.close()
        zygote.wait(30)
        zygote.stdout.close()
    host.server.service.wait_idle(30)
    # Contents first: a client that stored other digits than the server's fails here.
    problems = _contents(db, key, host.db_path, terminal_id)
    assert not problems, f"{len(problems)} sales differ from the server's record: {problems[:5]}"
    assert len(acked) > kills // 4, "the workers hardly sold anything"
    states = sorted(set(acked.values()))
    print(f"kill loop: {kills} kills, {host.restarts} server restarts, {len(acked)} "
          f"acknowledged sales ({states})")
    assert states == ["pending", "tokened"]

    store = open_store(db, key)
    try:
        assert store.call(lambda c: c.execute("PRAGMA integrity_check").fetchall(),
                          transaction=False) == [("ok",)]
        assert store.call(lambda c: c.execute("PRAGMA cipher_integrity_check").fetchall(),
                          transaction=False) == []
        assert store.call(verify_chain).ok
        rows = store.call(lambda c: {r[0]: r[1] for r in c.execute(
            "SELECT idem_key, state FROM sales")})
        outbox = store.call(lambda c: {r[0] for r in c.execute(
            "SELECT idem_key FROM outbox")})
        receipts = store.call(lambda c: {r[0]: r[1] for r in c.execute(
            "SELECT idem_key, receipt_no FROM receipts")})
        documents = store.call(_documents)
    finally:
        store.close()
    _assert_documents(rows, documents)
    server = server_sales(host.db_path, terminal_id)  # also asserts no key twice
    assert set(server) <= set(rows), "a server sale the terminal does not know"
    for sale_key in acked:
        assert sale_key in rows, "an acknowledged sale vanished"
        if rows[sale_key] == "tokened":
            assert server.get(sale_key) == receipts[sale_key]
        else:
            assert rows[sale_key] in ("pending", "sending", "unresolved") and \
                sale_key in outbox, \
                f"acknowledged sale in state {rows[sale_key]} and not in the outbox"
    for sale_key, state in rows.items():
        if state == "tokened":
            assert server[sale_key] == receipts[sale_key]
        if state in ("void", "rejected"):
            assert sale_key not in server

    # Drain what is left: every acknowledged sale ends on the server exactly once.
    core = build_core(db, key, host.server.base_url, credential, create=False)
    try:
        for _ in range(20):
            report = core.sync.step()
            if report.remaining == 0:
                break
        final = core.store.call(lambda c: {r[0]: r[1] for r in c.execute(
            "SELECT idem_key, state FROM sales")})
        _assert_documents(final, core.store.call(_documents))
    finally:
        core.close()
    server = server_sales(host.db_path, terminal_id)
    print(f"kill loop: {len(server)} sales on the server, "
          f"{sum(1 for s in final.values() if s == 'void')} never-sent sales voided")
    assert all(final[k] == "tokened" and k in server for k in acked)
    untokened = {k: final.get(k) for k in server if final.get(k) != "tokened"}
    assert not untokened, f"on the server but not tokened here after the drain: {untokened}"
    assert {k for k, s in final.items() if s == "tokened"} == set(server)
    problems = _contents(db, key, host.db_path, terminal_id)
    assert not problems, f"{len(problems)} sales differ from the server's record: {problems[:5]}"


@pytest.mark.slow
def test_kill_loop(tmp_path: Path) -> None:
    kill_loop(tmp_path, KILLS)


@pytest.mark.slow
def test_kill_loop_fails_a_client_that_stores_tokens_reversed(tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match="differ from the server's record"):
        kill_loop(tmp_path, 12, restart_every=0, worker_env={REVERSE_TOKENS_ENV: "1"})
