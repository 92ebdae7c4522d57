"""Benchmark: sales per second of the reference vending server over loopback.

The server runs as its own process (`python -m vendserver serve --port 0 --demo`) so the
load generator does not share its interpreter. For 1, 8 and 32 concurrent terminals (each
activated with its own credential, each sale with a fresh Idempotency-Key, spread over the
demo's ordinary meters) it measures completed sales per second, and in the same run the rate
of a bare `GET /health` at the same concurrency as the baseline. Prints both and the ratio.

Run: ``.venv/bin/python bench/server_sales.py [--seconds 3]``
"""

from __future__ import annotations

import argparse
import json
import queue
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def start_server(db: Path) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "vendserver", "serve", "--port", "0", "--demo", "--db", str(db)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    line = lines.get(timeout=60)
    if not line.startswith("VENDSERVER LISTENING "):
        raise RuntimeError(f"unexpected server output: {line!r}")
    return proc, line.split()[-1]


def run_load(workers: int, seconds: float, make: Callable[[int], Callable[[], bool]]) -> float:
    """Run `workers` threads, each calling its own job until the time is up; ops/second."""
    done = [0] * workers
    errors = [0] * workers
    start_gate = threading.Barrier(workers + 1)
    deadline = [0.0]

    def worker(i: int) -> None:
        job = make(i)
        start_gate.wait()
        while time.perf_counter() < deadline[0]:
            if job():
                done[i] += 1
            else:
                errors[i] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    deadline[0] = time.perf_counter() + seconds
    began = time.perf_counter()
    start_gate.wait()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    if sum(errors):
        print(f"  ({sum(errors)} failed requests)")
    return sum(done) / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0, help="per measurement")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-vendserver-"))
    db = tmp / "vendserver.db"
    proc, url = start_server(db)
    try:
        subprocess.run([sys.executable, "-m", "vendserver", "vendor-topup", "--db", str(db),
                        "--vendor", "V001", "--amount", "100000000.00"], cwd=ROOT, check=True,
                       capture_output=True)
        info = json.loads(subprocess.run(
            [sys.executable, "-m", "vendserver", "demo-info"], cwd=ROOT, check=True,
            capture_output=True, text=True).stdout)
        meters = [m["meter_number"] for m in info["meters"] if m["tags"] == ["normal"]]
        credentials = []
        for i in range(32):
            r = httpx.post(f"{url}/v1/terminals/activate", timeout=30, json={
                "activation_code": info["activation_code"], "terminal_name": f"bench {i}"})
            r.raise_for_status()
            credentials.append(r.json()["credential"])

        def health_job(i: int) -> Callable[[], bool]:
            client = httpx.Client(base_url=url, timeout=60)
            return lambda: client.get("/health").status_code == 200

        def sale_job(i: int) -> Callable[[], bool]:
            client = httpx.Client(base_url=url, timeout=60, headers={
                "Authorization": f"Bearer {credentials[i]}", "X-Operator-Id": "thandi"})
            counter = [i]

            def sell() -> bool:
                counter[0] += 1
                meter = meters[counter[0] % len(meters)]
                r = client.post("/v1/sales", headers={"Idempotency-Key": str(uuid.uuid4())},
                                json={"meter_number": meter,
                                      "amount": {"amount": "60.00", "currency": "ZAR"}})
                return r.status_code == 200

            return sell

        print(f"vendserver sales over loopback ({args.seconds:.0f} s per figure, "
              f"{len(meters)} meters)")
        for workers in (1, 8, 32):
            health = run_load(workers, args.seconds, health_job)
            sales = run_load(workers, args.seconds, sale_job)
            print(f"  {workers:2d} terminals: {sales:8.1f} sales/s | GET /health "
                  f"{health:8.1f} req/s | ratio sales/health {sales / health:.3f}")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
