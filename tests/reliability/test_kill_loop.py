"""Kill loop: a worker process is SIGKILLed at random points of sale and sync, again and again.

Afterwards every acknowledged sale (the cashier saw a token or a pending slip) exists exactly
once on the server or is still in the outbox, no sale exists twice, the encrypted store passes
`PRAGMA integrity_check` and `PRAGMA cipher_integrity_check`, and the journal chain verifies.
Finally the outbox is drained and every acknowledged sale is on the server exactly once.
`VENDPOINT_KILL_LOOP=N` sets the number of kills (default 200).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from offline_store import open_store
from offline_store.journal import verify_chain
from tests.reliability.harness import build_core, environment

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


@pytest.mark.slow
def test_kill_loop(tmp_path: Path) -> None:
    rng = random.Random(int(os.environ.get("VENDPOINT_KILL_SEED", "20261125")))
    with environment(tmp_path) as env:
        env.server.service.top_up("V001", 10**12)  # the float must not run out in a long loop
        meters = [m["meter_number"] for m in env.server.demo["meters"]
                  if m["tags"] == ["normal"]][:3]
        setup = env.core()
        assert setup.sync.refresh_terminal()
        for meter in meters:
            setup.service.confirm_customer(meter)
        setup.close()
        log = tmp_path / "worker-stderr.log"
        acked: dict[str, str] = {}
        with log.open("ab") as err:
            zygote = subprocess.Popen(
                [sys.executable, "-m", "tests.reliability.kill_worker", str(env.db),
                 env.key.hex(), env.server.base_url, env.credential, *meters],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, cwd=ROOT)
        try:
            for i in range(KILLS):
                lines, crashed = _life(zygote, i, tmp_path / "life.fifo", rng)
                assert not crashed, log.read_text()[-3000:]
                for line in lines:
                    _, key, state = line.split()
                    acked[key] = state
        finally:
            assert zygote.stdin is not None and zygote.stdout is not None
            zygote.stdin.close()
            zygote.wait(30)
            zygote.stdout.close()
        assert len(acked) > KILLS // 4, "the workers hardly sold anything"
        states = sorted(set(acked.values()))
        print(f"kill loop: {KILLS} kills, {len(acked)} acknowledged sales ({states})")
        assert states == ["pending", "tokened"]
        env.server.service.wait_idle(30)

        store = open_store(env.db, env.key)
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
        server = env.server_sales()  # also asserts no key twice on the server
        assert set(server) <= set(rows), "a server sale the terminal does not know"
        for key in acked:
            assert key in rows, "an acknowledged sale vanished"
            if rows[key] == "tokened":
                assert server.get(key) == receipts[key]
            else:
                assert rows[key] in ("pending", "sending", "unresolved") and key in outbox, \
                    f"acknowledged sale in state {rows[key]} and not in the outbox"
        for key, state in rows.items():
            if state == "tokened":
                assert server[key] == receipts[key]
            if state in ("void", "rejected"):
                assert key not in server

        # Drain what is left: every acknowledged sale ends on the server exactly once.
        core = build_core(env.db, env.key, env.server.base_url, env.credential, create=False)
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
        server = env.server_sales()
        print(f"kill loop: {len(server)} sales on the server, "
              f"{sum(1 for s in final.values() if s == 'void')} never-sent sales voided")
        assert all(final[k] == "tokened" and k in server for k in acked)
        assert {k for k, s in final.items() if s == "tokened"} == set(server)
