"""Benchmark: sales per second with 1, 2 and 4 server processes on PostgreSQL, against one
SQLite process, 32 terminals; exactly-once checked after every run.

Each configuration gets a fresh demo database (SQLite file; a new database in a throw-away
PostgreSQL cluster on 127.0.0.1 with fsync ON, as in production) and its own server
(`python -m vendserver serve --workers N`). 32 terminal threads (each its own credential and
keep-alive connection) sell R60.00 to the demo's ordinary meters with fresh Idempotency-Keys
for `--seconds`; then every answered key is looked up in the database: one sale per key, the
receipt it answered, no sale nobody asked for, no receipt twice, and the vendor's float down by
exactly the sales made. The load generator shares the machine's cores with the servers and
PostgreSQL: the figures are the machine's, not a server's alone. Last line: the ratio of the
best PostgreSQL figure to the SQLite one.

Run: ``.venv/bin/python bench/server_scale.py [--seconds 4] [--terminals 32] [--workers 1,2,4]``
"""

from __future__ import annotations

import argparse
import queue
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a plain script from any directory

import httpx  # noqa: E402

from vendserver.db import open_store  # noqa: E402
from vendserver.demo import ACTIVATION_CODE, VENDOR_ID, demo_info  # noqa: E402
from vendserver.testing import TempCluster, postgres_binaries  # noqa: E402

FLOAT = 10**12  # cents: the float never runs out during a run


def start_server(db: str, workers: int) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "vendserver", "serve", "--port", "0", "--demo", "--db", db,
         "--workers", str(workers)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    line = lines.get(timeout=120)
    if not line.startswith("VENDSERVER LISTENING "):
        raise RuntimeError(f"unexpected server output: {line!r}")
    return proc, line.split()[-1]


def run(db: str, workers: int, terminals: int, seconds: float) -> tuple[float, str]:
    """(sales/s, exactly-once verdict) of one configuration."""
    store = open_store(db)  # the demo seed happens in `serve`; the float is set here
    proc, url = start_server(db, workers)
    try:
        store.set_vendor_credit(VENDOR_ID, FLOAT)
        meters = [m["meter_number"] for m in demo_info()["meters"] if m["tags"] == ["normal"]]
        creds = []
        for i in range(terminals):
            r = httpx.post(f"{url}/v1/terminals/activate", timeout=120, json={
                "activation_code": ACTIVATION_CODE, "terminal_name": f"scale {i}"})
            r.raise_for_status()
            creds.append(r.json()["credential"])
        answered: list[list[tuple[str, str]]] = [[] for _ in range(terminals)]
        failed = [0] * terminals
        gate = threading.Barrier(terminals + 1)
        deadline = [0.0]

        def terminal(i: int) -> None:
            with httpx.Client(base_url=url, timeout=120, headers={
                    "Authorization": f"Bearer {creds[i]}", "X-Operator-Id": "thandi"}) as c:
                c.get("/health")  # connect before the clock starts
                n = i
                gate.wait()
                while time.perf_counter() < deadline[0]:
                    n += 1
                    key = str(uuid.uuid4())
                    r = c.post("/v1/sales", headers={"Idempotency-Key": key}, json={
                        "meter_number": meters[n % len(meters)],
                        "amount": {"amount": "60.00", "currency": "ZAR"}})
                    if r.status_code == 200:
                        answered[i].append((key, r.json()["receipt_no"]))
                    else:
                        failed[i] += 1

        threads = [threading.Thread(target=terminal, args=(i,)) for i in range(terminals)]
        for t in threads:
            t.start()
        deadline[0] = time.perf_counter() + seconds
        began = time.perf_counter()
        gate.wait()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - began
        made = [a for per in answered for a in per]
        verdict = check(store, made, sum(failed))
        return len(made) / elapsed, verdict
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        store.close()


def check(store: Any, made: list[tuple[str, str]], failed: int) -> str:
    """One sale per answered key with the receipt it answered; nothing else sold."""
    rows = store._all("SELECT idem_key, receipt_no, amount_cents FROM sales")
    by_key = {r["idem_key"]: r for r in rows}
    problems = []
    if len(rows) != len(made):
        problems.append(f"{len(rows)} sales stored for {len(made)} answered")
    if len({r["receipt_no"] for r in rows}) != len(rows):
        problems.append("a receipt number twice")
    lost = [k for k, receipt in made if by_key.get(k, {}).get("receipt_no") != receipt]
    if lost:
        problems.append(f"{len(lost)} answered sales not stored as answered")
    vendor = store.vendor(VENDOR_ID)
    spent = sum(int(r["amount_cents"]) for r in rows)
    if vendor is None or int(vendor["credit_cents"]) != FLOAT - spent:
        problems.append("the float does not match the sales")
    note = f", {failed} refused/failed requests" if failed else ""
    return ("exactly once: OK" if not problems else "EXACTLY-ONCE BROKEN: "
            + "; ".join(problems)) + f" ({len(rows)} sales{note})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=4.0, help="per configuration")
    parser.add_argument("--terminals", type=int, default=32)
    parser.add_argument("--workers", default="1,2,4", help="PostgreSQL server processes")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    print(f"sales/s, {args.terminals} terminals, {args.seconds:.0f} s each "
          "(load generator on the same 2 cores)")
    sqlite_rate, verdict = run(str(tmp / "vendserver.db"), 1, args.terminals, args.seconds)
    print(f"  SQLite, 1 process      : {sqlite_rate:8.1f} sales/s  {verdict}")
    if postgres_binaries() is None:
        print("no PostgreSQL binaries on this machine: PostgreSQL figures skipped")
        return 0
    cluster = TempCluster(durable=True)
    best = 0.0
    broken = "BROKEN" in verdict
    try:
        for n in (int(w) for w in args.workers.split(",")):
            rate, verdict = run(cluster.new_database(), n, args.terminals, args.seconds)
            broken = broken or "BROKEN" in verdict
            best = max(best, rate)
            print(f"  PostgreSQL, {n} process{'es' if n > 1 else '  '}: {rate:8.1f} sales/s  "
                  f"{verdict} | ratio to SQLite {rate / max(sqlite_rate, 1e-9):.2f}")
    finally:
        cluster.stop()
    print(f"best PostgreSQL {best:.1f} sales/s vs SQLite 1 process {sqlite_rate:.1f} sales/s: "
          f"ratio {best / max(sqlite_rate, 1e-9):.2f}")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
