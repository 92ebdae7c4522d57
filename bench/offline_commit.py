"""Benchmark: latency of a durable offline sale commit vs a raw fsync'd sqlite3 commit.

An offline sale is one SQLCipher transaction (WAL, synchronous=FULL) on the store's owner
thread: the offline policy check, the sale row, its outbox row and the hash-chained journal
entry. It is timed twice: the transaction itself on the owner thread (BEGIN..COMMIT), and end
to end through `SaleService.sell` while the server is known to be unreachable (adds the thread
hand-off and the events). The baseline, measured in the same run on the same disk and
interleaved with the sales so both see the same disk load, is the standard library's sqlite3
committing one row in WAL mode with synchronous=FULL. The outbox is emptied every 40 sales,
as sync would, so it stays within the demo policy's 50-sale cap. Target: p50 ratio <= 2.

Run: ``.venv/bin/python bench/offline_commit.py [--sales 400]``
"""

from __future__ import annotations

import argparse
import json
import secrets
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a plain script from any directory

import requests  # noqa: E402

from app.api import Money  # noqa: E402
from app.api.models import parse_meter, parse_offline_policy  # noqa: E402
from app.backend import ClientBackend  # noqa: E402
from app.sales import Connectivity, SaleService  # noqa: E402
from app.sales import repository as repo  # noqa: E402
from app.sales.documents import Documents, ReceiptContext  # noqa: E402
from common.events import EventBus  # noqa: E402
from offline_store import Connection, Store, open_store  # noqa: E402

T = TypeVar("T")
METER = "04200000117"
# The demo server's policy: at most 50 offline sales wait at any time.
POLICY = {"offline_allowed": True, "max_sale": {"amount": "1000.00", "currency": "ZAR"},
          "max_total": {"amount": "10000.00", "currency": "ZAR"}, "max_count": 50,
          "warn_after_hours": 24, "refuse_after_hours": 72,
          "refuse": ["fbe", "engineering", "reversal", "arrears", "key_change", "blocked"]}
METER_JSON = {
    "meter_number": METER, "service": "electricity", "unit": "kWh",
    "customer": {"name": "Bench Customer", "address": "1 Test St", "account": "A1",
                 "phone": None, "email": None},
    "utility": {"id": "U01", "name": "U"}, "tariff": {"id": "RES", "name": "Res", "version": 1},
    "key": {"sgc": "600123", "krn": 1, "ti": 1, "ea": 11, "kt": 2, "base_date": 2014,
            "dkga": 4},
    "two_way": False, "blocked": False, "blocked_reason": None,
    "arrears": {"amount": "0.00", "currency": "ZAR"}, "fbe_due": False, "fbe_units": "0.0",
    "month_to_date_units": "0.0", "last_purchase_at": None, "days_since_last_purchase": None,
    "key_change_due": None, "warnings": [],
}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class RawBaseline:
    """The standard library's sqlite3, WAL + synchronous=FULL, one row per commit."""

    def __init__(self, folder: Path) -> None:
        self.con = sqlite3.connect(folder / "raw.db", isolation_level=None)
        self.con.execute("PRAGMA journal_mode=WAL")
        self.con.execute("PRAGMA synchronous=FULL")
        self.con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        self.body = json.dumps(POLICY)

    def commit(self) -> float:
        start = time.perf_counter()
        self.con.execute("BEGIN IMMEDIATE")
        self.con.execute("INSERT INTO t (body) VALUES (?)", (self.body,))
        self.con.execute("COMMIT")
        return time.perf_counter() - start


def _drained(conn: Connection) -> None:
    conn.execute("UPDATE sales SET state = 'void' WHERE state = 'pending'")
    conn.execute("DELETE FROM outbox")
    conn.execute("DELETE FROM print_jobs")


def run(folder: Path, n: int) -> tuple[list[float], list[float], list[float]]:
    """Interleave raw commits and offline sales, so both see the same disk conditions."""
    opened = open_store(folder / "vend.db", secrets.token_bytes(32), create=True)
    opened.__class__ = TimedStore  # same object and thread, with timing around _execute
    store: TimedStore = opened  # type: ignore[assignment]
    store.durations = []
    bus = EventBus()
    connectivity = Connectivity(bus, online=False)
    # The client is never used: the server is "unreachable" for the whole run.
    client = ClientBackend(requests.Session(), "http://127.0.0.1:9", lambda: "unused")
    # With the documents the app writes in the same transaction (a pending slip per sale;
    # no printer: recorded, not printed), so the figure is the real sale transaction.
    documents = Documents(store, bus, ReceiptContext(terminal_id="T-BENCH"), printer_id=None)
    service = SaleService(store, client, bus, connectivity, documents=documents)
    store.call(lambda c: repo.save_policy(c, parse_offline_policy(POLICY)))
    store.call(lambda c: repo.cache_meter(c, parse_meter(METER_JSON)))
    raw = RawBaseline(folder)
    for _ in range(20):  # warm-up
        raw.commit()
        service.sell(METER, Money(20000, "ZAR"), "bench")
    store.call(_drained)
    store.durations.clear()
    raw_times, ours = [], []
    for i in range(n):
        if i % 40 == 0:
            store.call(_drained)  # as if synced: the outbox stays within the policy's cap
        raw_times.append(raw.commit())
        start = time.perf_counter()
        outcome = service.sell(METER, Money(20000, "ZAR"), "bench")
        ours.append(time.perf_counter() - start)
        assert outcome.state == "pending"
    store.close()
    raw.con.close()
    # Only the sale transactions (every 40th call is the bench's own "drained" step).
    sales_txn = [d for i, d in enumerate(store.durations) if i % 41 != 0]
    return raw_times, ours, sales_txn


class TimedStore(Store):
    """The real Store, timing each transaction on the owner thread (BEGIN..COMMIT)."""

    durations: list[float]

    def _execute(self, fn: Callable[[Connection], T], transaction: bool) -> T:
        start = time.perf_counter()
        try:
            return super()._execute(fn, transaction)
        finally:
            if transaction:
                self.durations.append(time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sales", type=int, default=400)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=ROOT) as tmp:  # same disk as the project
        raw, ours, txn = run(Path(tmp), args.sales)
    r50, r99 = pct(raw, 0.5) * 1000, pct(raw, 0.99) * 1000
    t50, t99 = pct(txn, 0.5) * 1000, pct(txn, 0.99) * 1000
    o50, o99 = pct(ours, 0.5) * 1000, pct(ours, 0.99) * 1000
    print(f"raw sqlite3 fsync'd 1-row commit       : p50 {r50:.3f} ms  p99 {r99:.3f} ms")
    print(f"offline sale transaction (owner thread): p50 {t50:.3f} ms  p99 {t99:.3f} ms  "
          f"ratio p50 {t50 / r50:.2f}  p99 {t99 / r99:.2f}  (target p50 <= 2)")
    print(f"offline sale end to end (SaleService)  : p50 {o50:.3f} ms  p99 {o99:.3f} ms  "
          f"ratio p50 {o50 / r50:.2f}  p99 {o99 / r99:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
