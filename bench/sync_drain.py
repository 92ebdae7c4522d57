"""Benchmark: queued offline sales drained per second to the reference server.

Starts the reference server as a subprocess (`python -m vendserver serve --port 0 --demo`),
activates a terminal, then measures in the same run:
* the baseline: the server's raw sale rate, one `POST /v1/sales` after another over a kept-alive
  connection (no client store involved);
* the figure: N sales queued offline in a real SQLCipher store, then drained by the sync engine
  (`SyncEngine.step` until the outbox is empty: write-ahead marks, batch upload, per-item
  results stored with their tokens, journal entries).
Prints both rates and the ratio drain/raw.

Run: ``.venv/bin/python bench/sync_drain.py [--sales 200] [--batch 50]``
"""

from __future__ import annotations

import argparse
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a plain script from any directory

import requests  # noqa: E402

from app.api import Money, Timeouts  # noqa: E402
from app.api.models import parse_offline_policy, parse_terminal  # noqa: E402
from app.backend import ClientBackend  # noqa: E402
from app.sales import repository as repo  # noqa: E402
from app.settings import Settings  # noqa: E402
from app.till.build import build_till  # noqa: E402
from common.events import EventBus  # noqa: E402
from offline_store import open_store  # noqa: E402

# Large enough caps for the bench queue (the demo policy allows 50 waiting sales).
BENCH_POLICY = {"offline_allowed": True, "max_sale": {"amount": "1000.00", "currency": "ZAR"},
                "max_total": {"amount": "1000000.00", "currency": "ZAR"}, "max_count": 100000,
                "warn_after_hours": 24, "refuse_after_hours": 72, "refuse": ["blocked"]}


def start_server(folder: Path) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "vendserver", "serve", "--port", "0", "--demo",
         "--db", str(folder / "server.db")],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("VENDSERVER LISTENING "):
            return proc, line.split()[-1]
    raise RuntimeError("the server did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sales", type=int, default=200)
    parser.add_argument("--batch", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=ROOT) as tmp:
        folder = Path(tmp)
        proc, url = start_server(folder)
        try:
            session = requests.Session()
            info = session.get(f"{url}/health", timeout=10)
            info.raise_for_status()
            act = session.post(f"{url}/v1/terminals/activate", timeout=30, json={
                "activation_code": "DEMO-ACT-2026", "terminal_name": "bench"}).json()
            credential = act["credential"]
            meters = ["04200000117", "04200001305", "04200001370", "04200001511",
                      "04200001586"]
            # Baseline: the server's raw sale rate.
            headers = {"Authorization": f"Bearer {credential}", "X-Operator-Id": "thandi"}
            for m in meters:  # first sale of the month carries the fixed charge
                session.post(f"{url}/v1/sales", timeout=30, json={
                    "meter_number": m, "amount": {"amount": "60.00", "currency": "ZAR"}},
                    headers={**headers, "Idempotency-Key": str(uuid.uuid4())}).raise_for_status()
            start = time.perf_counter()
            for i in range(args.sales):
                r = session.post(f"{url}/v1/sales", timeout=30, json={
                    "meter_number": meters[i % len(meters)],
                    "amount": {"amount": "50.00", "currency": "ZAR"}},
                    headers={**headers, "Idempotency-Key": str(uuid.uuid4())})
                r.raise_for_status()
            raw_rate = args.sales / (time.perf_counter() - start)

            # Figure: queue offline, then drain with the sync engine.
            # The core as the app builds it (documents written with each sale), with the
            # workers stopped: the bench drives the sync passes.
            store = open_store(folder / "vend.db", secrets.token_bytes(32), create=True)
            client = ClientBackend(requests.Session(), url, lambda: credential,
                                   timeouts=Timeouts(5, 60))
            till = build_till(Settings({}), bus=EventBus(), store=store, backend=client,
                              data_dir=folder, terminal=parse_terminal(act), printer=None,
                              tariffs_on=False, closers=(store.close,), start=False)
            service, connectivity, engine = till.service, till.service.connectivity, till.sync
            engine.batch_size = args.batch
            for m in meters:
                service.confirm_customer(m)
            store.call(lambda c: repo.save_policy(c, parse_offline_policy(BENCH_POLICY)))
            connectivity.set(False)
            for i in range(args.sales):
                outcome = service.sell(meters[i % len(meters)], Money(5000, "ZAR"), "thandi")
                assert outcome.state == "pending"
            start = time.perf_counter()
            tokened = 0
            while True:
                report = engine.step()
                tokened += len(report.tokened)
                assert not report.unreachable and not report.rejected and not report.attention
                if report.remaining == 0:
                    break
            drain_rate = args.sales / (time.perf_counter() - start)
            assert tokened == args.sales
            till.close()
        finally:
            proc.terminate()
            proc.wait(30)
    print(f"server raw sale rate (POST /v1/sales one by one): {raw_rate:8.1f} sales/s")
    print(f"sync drain of {args.sales} queued offline sales (batch {args.batch}): "
          f"{drain_rate:8.1f} sales/s")
    print(f"ratio drain/raw: {drain_rate / raw_rate:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
