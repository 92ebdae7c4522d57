"""The queries every sale runs cost the same on a till's thousandth sale as on its first.

Measured in SQLite virtual-machine steps (a progress handler counts them), not time: a query
that reads every past sale shows up as steps that grow with the history, whatever the machine.
"""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.sales.cash import cash_tendered_for, record_cash_tendered
from app.sales.outcomes import reference_for
from app.sales.repository import outbox_stats
from app.till.unfinished import refuse_unfinished
from common.money import Money
from offline_store import Connection, Store, open_store

METER = "04200000117"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(tmp_path / "vend.db", secrets.token_bytes(32), create=True)
    yield s
    s.close()


def _add_history(conn: Connection, count: int) -> None:
    """`count` finished sales of the same meter, each with the cash handed over."""
    rows = []
    for i in range(count):
        key = str(uuid.uuid4())
        request = json.dumps({"meter_number": METER, "client_reference": reference_for(key)})
        rows.append((key, f"2026-01-01T00:00:{i % 60:02d}Z", METER, request))
    conn.executemany(
        "INSERT INTO sales (idem_key, created_at, updated_at, state, meter_number, "
        "amount_minor, currency, operator_id, request) "
        "VALUES (?, ?, ?2, 'tokened', ?, 5000, 'ZAR', 'thandi', ?)", rows)
    conn.executemany(
        "INSERT INTO sale_cash_tendered (idem_key, minor, currency) VALUES (?, 5000, 'ZAR')",
        [(r[0],) for r in rows])


def _open_sale(conn: Connection) -> str:
    """A sale still in the outbox (another meter), with its cash recorded."""
    key = str(uuid.uuid4())
    request = json.dumps({"meter_number": "04200001305", "client_reference": reference_for(key)})
    conn.execute(
        "INSERT INTO sales (idem_key, created_at, updated_at, state, meter_number, "
        "amount_minor, currency, operator_id, request) "
        "VALUES (?, '2026-02-01T00:00:00Z', '2026-02-01T00:00:00Z', 'pending', '04200001305', "
        "7000, 'ZAR', 'thandi', ?)", (key, request))
    conn.execute("INSERT INTO outbox (idem_key, queued_at) "
                 "VALUES (?, '2026-02-01T00:00:00Z')", (key,))
    record_cash_tendered(conn, key, Money(10000, "ZAR"))
    return key


def _steps(store: Store, query: Callable[[Connection], object]) -> int:
    def run(conn: Connection) -> int:
        steps = [0]

        def count() -> int:
            steps[0] += 1
            return 0  # 0: go on

        conn.set_progress_handler(count, 10)
        try:
            query(conn)
        finally:
            conn.set_progress_handler(None, 0)
        return steps[0]

    return store.call(run)


def test_a_sales_queries_do_not_grow_with_the_tills_history(store: Store) -> None:
    key = store.call(_open_sale)
    reference = reference_for(key)
    queries: dict[str, Callable[[Connection], object]] = {
        "outbox figures": outbox_stats,
        "unfinished-sale check": lambda c: refuse_unfinished(c, METER),
        "cash tendered for the receipt": lambda c: cash_tendered_for(c, reference),
    }
    store.call(lambda c: _add_history(c, 20))
    small = {name: _steps(store, q) for name, q in queries.items()}
    store.call(lambda c: _add_history(c, 3000))
    large = {name: _steps(store, q) for name, q in queries.items()}
    for name in queries:
        # A scan of 3,000 sales is thousands of steps (x10); an index lookup stays put.
        assert large[name] <= small[name] + 5, (name, small[name], large[name])
    # ...and they still find what they look for.
    assert store.call(lambda c: cash_tendered_for(c, reference)) == Money(10000, "ZAR")
    assert store.call(lambda c: cash_tendered_for(c, reference.lower())) == Money(10000, "ZAR")
    assert store.call(lambda c: cash_tendered_for(c, "VP-0000000000")) is None
    assert store.call(outbox_stats).count == 1
