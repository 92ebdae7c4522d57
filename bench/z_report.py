"""Benchmark: a Z report over 1,000,000 report-ledger rows vs a raw SQL aggregate of them.

Seeds N ledger rows (default 1,000,000: tokened sales over 5 operators × 2 tenders × 3 tariffs ×
2 utilities, plus reversals, reprints and engineering tokens) into a real SQLCipher store with
one bulk INSERT in one transaction. Then, in the same run and interleaved, times:

- the Z report computation (`reports.running_report(kind="Z")`: the grouped aggregate over the
  covering index, the roll-up into sections, pending/attention counts), and
- the baseline: ``SELECT count(*), sum(...) x7 FROM report_ledger WHERE z_number = ?`` — the
  plain aggregate a hand-written query would use over the same rows.

Prints the best and median of each, the ratio (target: Z < 1 s, ratio <= 1.5), checks that the
report's totals equal the baseline's, and finally times one real `issue_z` (store + journal).

Run: ``.venv/bin/python bench/z_report.py [--rows 1000000] [--repeat 5]``
"""

from __future__ import annotations

import argparse
import itertools
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a plain script from any directory

from app.supervisor import reports  # noqa: E402
from app.supervisor.ledger import Dim, dim_id  # noqa: E402
from app.supervisor.reports import Totals  # noqa: E402
from offline_store import Connection, open_store  # noqa: E402


def _dims(conn: Connection) -> list[tuple[int, int]]:
    """(dim_id, weight) of the seeded dimensions."""
    out = []
    for op, tender, (tariff, name), utility in itertools.product(
            ["thandi", "sipho", "lindiwe", "mpho", "ayanda"], ["cash", "card"],
            [("RES-IBT", "Residential"), ("BUS-FLAT", "Business"), ("WAT-1", "Water")],
            ["City Power", "Water Board"]):
        unit = "kL" if tariff == "WAT-1" else "kWh"
        out.append((dim_id(conn, Dim("sale", op, tender, tariff, name, utility, "", unit,
                                     "ZAR")), 20))
    out.append((dim_id(conn, Dim("reversal", "sipho", "cash", currency="ZAR")), 2))
    out.append((dim_id(conn, Dim("reprint", "thandi")), 3))
    out.append((dim_id(conn, Dim("engineering", "sipho", detail="clear_tamper")), 1))
    return out


def seed(conn: Connection, rows: int) -> None:
    """Bulk-insert `rows` ledger rows (inside the caller's single transaction)."""
    # A big page cache for the bulk load: the index pages stay in memory until the commit.
    conn.execute("PRAGMA cache_size = -400000")
    dims = _dims(conn)
    weighted = [d for d, w in dims for _ in range(w)]
    n_dims = len(weighted)
    conn.execute("CREATE TEMP TABLE bench_w (k INTEGER PRIMARY KEY, d INTEGER NOT NULL)")
    conn.executemany("INSERT INTO bench_w VALUES (?, ?)", list(enumerate(weighted)))
    # Bulk load: drop the two indexes, insert, build them again from their own definitions
    # (one sort each instead of a million scattered index inserts), all in this transaction.
    indexes = [str(r[0]) for r in conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'report_ledger' "
        "AND sql IS NOT NULL")]
    for name in ("report_ledger_z", "report_ledger_at"):
        conn.execute(f"DROP INDEX {name}")
    # Rows are generated inside SQLite (a recursive CTE): one INSERT ... SELECT statement.
    conn.execute(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ? - 1) "
        "INSERT INTO report_ledger (z_number, at, dim_id, ref, amount_minor, units_tenths, "
        "vat_minor, charges_minor, debt_minor, tokens, offline) "
        "SELECT 1, printf('2026-11-25T%02d:%02d:00Z', (i % 1440) / 60, i % 60), "
        "(SELECT d FROM bench_w WHERE k = (i * 7919) % ?), printf('VP%08d', i), "
        "500 + (i * 37) % 200000, (500 + (i * 37) % 200000) / 20, "
        "(500 + (i * 37) % 200000) * 15 / 115, (i % 7 = 0) * 4500, (i % 5 = 0) * 500, "
        "1 + (i % 11 = 0), i % 13 = 0 FROM n", (rows, n_dims))
    conn.execute("DROP TABLE bench_w")
    for sql in indexes:
        conn.execute(sql)


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="vp-bench-z-") as tmp:
        store = open_store(Path(tmp) / "bench.db", secrets.token_bytes(32), create=True)
        try:
            seconds, _ = timed(lambda: store.call(lambda c: seed(c, args.rows), timeout=None))
            print(f"seeded {args.rows:,} ledger rows in one transaction: {seconds:.2f} s "
                  f"({args.rows / seconds:,.0f} rows/s)")
            z_times, raw_times = [], []
            report: reports.Report | None = None
            raw: tuple[int, ...] = ()
            for _ in range(args.repeat):  # interleaved, so both see the same cache state
                t, raw_any = timed(lambda: store.call(lambda c: reports.raw_aggregate(c, 1)))
                raw_times.append(t)
                raw = raw_any  # type: ignore[assignment]
                t, rep = timed(lambda: store.call(lambda c: reports.running_report(
                    c, currency="ZAR", kind="Z")))
                z_times.append(t)
                report = rep  # type: ignore[assignment]
            assert report is not None
            total = Totals()
            for part in (report.sales, report.reversals):
                total.add(part)
            total.count += report.reprints + sum(report.engineering.values())
            # Every row is counted once in the report (sales, reversals, reprints, engineering).
            if total.count != raw[0]:
                print(f"MISMATCH: report counts {total.count:,} rows, raw {raw[0]:,}")
                return 1
            z_best, raw_best = min(z_times), min(raw_times)
            z_med, raw_med = statistics.median(z_times), statistics.median(raw_times)
            print(f"Z report  : best {z_best * 1000:7.1f} ms, median {z_med * 1000:7.1f} ms "
                  f"({report.sales.count:,} sales, {len(report.by_operator)} operators, "
                  f"{len(report.by_tariff)} tariffs)")
            print(f"raw SUM   : best {raw_best * 1000:7.1f} ms, median {raw_med * 1000:7.1f} ms")
            # Each pair ran back to back; the median of the pairs' ratios resists the noise of
            # a machine shared with other work.
            ratio = statistics.median(z / r for z, r in zip(z_times, raw_times, strict=True))
            print(f"ratio Z/raw (median of {len(z_times)} interleaved pairs): {ratio:.2f}  "
                  "(target <= 1.5; Z target < 1000 ms)")
            t, issued = timed(lambda: store.call(lambda c: reports.issue_z(
                c, issued_by="bench", approved_by="bench", currency="ZAR")))
            print(f"issue_z (compute + store + journal): {t * 1000:.1f} ms, "
                  f"Z No. {issued.report.z_number}")  # type: ignore[attr-defined]
            ok = z_med < 1.0 and ratio <= 1.5
            print("PASS" if ok else "MISSED TARGET")
            return 0 if ok else 1
        finally:
            store.close()


if __name__ == "__main__":
    sys.exit(main())
