"""Benchmark: the client-added time of an online sale, against raw HTTP round trips of the
same requests to the same server.

The reference server runs as its own process (`python -m vendserver serve --port 0 --demo`,
SQLite on the project's disk) so the client does not share its interpreter. The till is the
core as the app builds it (`app.till.build.build_till`: SQLCipher store on the same disk,
tariffs verified, documents written with each sale; the background workers stopped so that
only the cashier's path is timed). For each sale, interleaved so both see the same server and
disk load:

* the till: `Till.lookup` (GET the meter; its cache commit is queued, not waited for),
  `Till.quote` (trial vend, held under a handle), `Till.sell` on that quote (the sale
  committed `sending` before it is sent, POST, the tokens, receipt and print job committed),
  from call to `SaleResult`;
* the baseline: the same three requests with `requests` on a kept-alive session
  (`GET /v1/meters/{n}`, `POST /v1/quotes`, `POST /v1/sales` on a fresh Idempotency-Key),
  nothing stored;
* an fsync of a 4 KiB write on the store's disk (what one durable commit costs at least).

Before the timed sales, a warm-up: a few sales per meter (the month's fixed charge paid), then
more until the store's write-ahead log has wrapped once (its steady state; see the code).

Target: the till's sell p50 <= 1.5 x the raw POST /v1/sales p50 + one fsync. Last line: the
ratio of the whole keypress path (lookup + quote + sell) to its three raw round trips.

Run: ``.venv/bin/python bench/vend_path.py [--sales 150]``
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a plain script from any directory

import requests  # noqa: E402

from app.api import Money, Timeouts  # noqa: E402
from app.api.models import parse_terminal  # noqa: E402
from app.backend import ClientBackend  # noqa: E402
from app.settings import Settings  # noqa: E402
from app.till import SaleState  # noqa: E402
from app.till.build import build_till  # noqa: E402
from common.events import EventBus  # noqa: E402
from offline_store import Connection, Store, open_store  # noqa: E402

T = TypeVar("T")
OPERATOR = ("thandi", "1234")
#: At most this many warm-up sales wait for the store's write-ahead log to wrap.
WARM_UP_LIMIT = 300


class TimedStore(Store):
    """The real Store, timing each transaction on its owner thread (BEGIN..COMMIT)."""

    durations: list[float]

    def _execute(self, fn: Callable[[Connection], T], transaction: bool) -> T:
        start = time.perf_counter()
        try:
            return super()._execute(fn, transaction)
        finally:
            if transaction:
                self.durations.append(time.perf_counter() - start)


def start_server(folder: Path) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "vendserver", "serve", "--port", "0", "--demo",
         "--db", str(folder / "server.db")],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("VENDSERVER LISTENING "):
        raise RuntimeError(f"unexpected server output: {line!r}")
    # uvicorn's access log goes to stdout: read it, or a full pipe stalls the server.
    out = proc.stdout
    threading.Thread(target=lambda: [None for _ in out], daemon=True).start()
    return proc, line.split()[-1]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


class Fsync:
    """A 4 KiB write and fsync on the store's disk, as a commit's minimum."""

    def __init__(self, folder: Path) -> None:
        self.fd = os.open(folder / "fsync.bin", os.O_WRONLY | os.O_CREAT, 0o600)
        self.block = secrets.token_bytes(4096)

    def once(self) -> float:
        start = time.perf_counter()
        os.pwrite(self.fd, self.block, 0)
        os.fsync(self.fd)
        return time.perf_counter() - start


class Raw:
    """The three requests of a sale with `requests` on one kept-alive session."""

    def __init__(self, url: str, credential: str) -> None:
        self.url = url
        self.session = requests.Session()
        self.session.headers.update({"Authorization": f"Bearer {credential}",
                                     "X-Operator-Id": OPERATOR[0]})

    def lookup(self, meter: str) -> None:
        self.session.get(f"{self.url}/v1/meters/{meter}", timeout=30).raise_for_status()

    def quote(self, meter: str, amount: Money) -> None:
        self.session.post(f"{self.url}/v1/quotes", timeout=30, json={
            "meter_number": meter, "amount": amount.to_json()}).raise_for_status()

    def sell(self, meter: str, amount: Money) -> None:
        key = str(uuid.uuid4())
        r = self.session.post(f"{self.url}/v1/sales", timeout=30, json={
            "meter_number": meter, "amount": amount.to_json(),
            "client_reference": key[:8].upper(), "notify": []},
            headers={"Idempotency-Key": key})
        r.raise_for_status()
        assert r.json()["tokens"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sales", type=int, default=150)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=ROOT) as tmp:  # the project's disk, as the store's
        folder = Path(tmp)
        proc, url = start_server(folder)
        try:
            subprocess.run([sys.executable, "-m", "vendserver", "vendor-topup", "--db",
                            str(folder / "server.db"), "--vendor", "V001",
                            "--amount", "100000000.00"], cwd=ROOT, check=True,
                           capture_output=True)
            act: dict[str, Any] = requests.post(
                f"{url}/v1/terminals/activate", timeout=30,
                json={"activation_code": "DEMO-ACT-2026", "terminal_name": "bench"}).json()
            credential = act["credential"]
            meters = ["04200000117", "04200001305", "04200001370", "04200001511",
                      "04200001586"]
            opened = open_store(folder / "vend.db", secrets.token_bytes(32), create=True)
            opened.__class__ = TimedStore  # same object and thread, timed around _execute
            store: TimedStore = opened  # type: ignore[assignment]
            store.durations = []
            client = ClientBackend(requests.Session(), url, lambda: credential,
                                   timeouts=Timeouts(5, 30))
            till = build_till(Settings({}), bus=EventBus(), store=store, backend=client,
                              data_dir=folder, terminal=parse_terminal(act), printer=None,
                              closers=(store.close,), start=False)
            try:
                assert till.tariffs is not None
                till.tariffs.reconcile()  # the tariffs in force, as the app has them
                operator = till.sign_in(*OPERATOR)
                raw, disk = Raw(url, credential), Fsync(folder)
                in_sell: list[list[float]] = []  # the store transactions of each sell
                amount = Money(5000, "ZAR")

                def till_sale(meter: str) -> tuple[float, float, float]:
                    t_lookup = timed(lambda: till.lookup(meter))
                    held: list[Any] = []
                    t_quote = timed(lambda: held.append(till.quote(meter, amount)))
                    result: list[Any] = []
                    first = len(store.durations)
                    t_sell = timed(lambda: result.append(
                        till.sell(meter, amount, operator, quote=held[0].handle)))
                    assert result[0].state is SaleState.TOKENED and result[0].tokens
                    in_sell.append(store.durations[first:])
                    return t_lookup, t_quote, t_sell

                def raw_sale(meter: str) -> tuple[float, float, float]:
                    return (timed(lambda: raw.lookup(meter)),
                            timed(lambda: raw.quote(meter, amount)),
                            timed(lambda: raw.sell(meter, amount)))

                for i in range(3 * len(meters)):  # warm-up; the month's fixed charge paid
                    till_sale(meters[i % len(meters)])
                    raw_sale(meters[i % len(meters)])
                # ...and until the store's write-ahead log has wrapped: after its first
                # checkpoint SQLite writes it again from the start, so the commits of a till
                # that has been selling a while overwrite the log instead of growing the file
                # (growing it costs every fsync a metadata update).
                wal = folder / "vend.db-wal"
                warm = 3 * len(meters)
                for i in range(WARM_UP_LIMIT):
                    before = wal.stat().st_size if wal.exists() else 0
                    till_sale(meters[i % len(meters)])
                    raw_sale(meters[i % len(meters)])
                    warm += 1
                    if 0 < wal.stat().st_size <= before:
                        break
                wal_kib = wal.stat().st_size >> 10
                ours: list[tuple[float, float, float]] = []
                theirs: list[tuple[float, float, float]] = []
                syncs: list[float] = []
                in_sell.clear()
                for i in range(args.sales):
                    meter = meters[i % len(meters)]
                    # Alternate which goes first, so neither always meets a warmer server.
                    if i % 2:
                        ours.append(till_sale(meter))
                        theirs.append(raw_sale(meter))
                    else:
                        theirs.append(raw_sale(meter))
                        ours.append(till_sale(meter))
                    syncs.append(disk.once())
            finally:
                till.close()
        finally:
            proc.terminate()
            proc.wait(30)

    def ms(values: list[float], q: float) -> float:
        return pct(values, q) * 1000

    fs50, fs99 = ms(syncs, 0.5), ms(syncs, 0.99)
    print(f"online sales over loopback, {args.sales} of each, interleaved, after {warm} "
          f"warm-up sales (the store's WAL wrapped at {wal_kib} KiB)")
    print(f"fsync of 4 KiB on the store's disk     : p50 {fs50:7.2f} ms  p99 {fs99:7.2f} ms")
    names = ("lookup (GET /v1/meters/{n})", "quote  (POST /v1/quotes)",
             "sell   (POST /v1/sales)")
    for j, name in enumerate(names):
        t = [o[j] for o in ours]
        r = [o[j] for o in theirs]
        print(f"{name:<30}: till p50 {ms(t, 0.5):7.2f} ms  p99 {ms(t, 0.99):7.2f} ms | raw "
              f"p50 {ms(r, 0.5):7.2f} ms  p99 {ms(r, 0.99):7.2f} ms | ratio p50 "
              f"{ms(t, 0.5) / ms(r, 0.5):.2f}")
    sell_t, sell_r = ms([o[2] for o in ours], 0.5), ms([o[2] for o in theirs], 0.5)
    budget = 1.5 * sell_r + fs50
    txn = [sum(t) for t in in_sell]
    print(f"sell: client-added p50 {sell_t - sell_r:.2f} ms, of which store transactions "
          f"p50 {ms(txn, 0.5):.2f} ms ({len(in_sell[0])} per sale, on the owner thread)")
    print(f"sell: target till <= 1.5 x raw + fsync = {budget:.2f} ms: "
          f"{'met' if sell_t <= budget else 'NOT met'}")
    path_t = [sum(o) for o in ours]
    path_r = [sum(o) for o in theirs]
    p_t, p_r = ms(path_t, 0.5), ms(path_r, 0.5)
    print(f"keypress path lookup+quote+sell: till p50 {p_t:.2f} ms, raw p50 {p_r:.2f} ms, "
          f"client-added {p_t - p_r:.2f} ms: ratio {p_t / p_r:.2f} "
          f"(target <= 1.5 + fsync/raw = {1.5 + fs50 / p_r:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
