"""Migration 0012 (sale tariff versions + needs-attention partial index) on real SQLCipher
files: applied to a store written by the previous schema, backfilled, and the index used."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import offline_store.store as store_module
from offline_store import open_store
from tests.reliability.api_samples import sale as sample_sale


def _insert(conn: Any, key: str, state: str, *, offline: int = 0,
            response: dict[str, Any] | None = None, quote: dict[str, Any] | None = None,
            created: str = "2026-11-25T03:00:00.000000Z") -> None:
    conn.execute(
        "INSERT INTO sales (idem_key, created_at, updated_at, state, offline, meter_number, "
        "amount_minor, currency, operator_id, request, quote, response) "
        "VALUES (?, ?, ?, ?, ?, '14339800360', 10000, 'ZAR', 'thandi', '{}', ?, ?)",
        (key, created, created, state, offline, None if quote is None else json.dumps(quote),
         None if response is None else json.dumps(response)))


def test_0012_upgrades_a_0011_store_and_backfills_versions(
        tmp_path: Path, key: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.db"
    every = store_module._schema_files()
    assert [f[1] for f in every if f[0] == 12] == ["0012_sale_tariff_version.sql"]
    monkeypatch.setattr(store_module, "_schema_files", lambda: [f for f in every if f[0] <= 11])
    old = open_store(path, key, create=True)
    sold = sample_sale("k-tokened-0001")
    sold["tariff"]["version"] = 4
    quote = {"tariff": {"id": "RES-IBT", "name": "Res", "version": 3}}
    old.call(lambda c: _insert(c, "k-tokened-0001", "tokened", response=sold, quote=quote))
    old.call(lambda c: _insert(c, "k-pending-0001", "pending", offline=1))
    old.call(lambda c: _insert(c, "k-broken-0001", "tokened", response={"tariff": "x"}))
    assert old.call(lambda c: c.execute("PRAGMA user_version").fetchone()[0]) == 11
    ledger = old.call(lambda c: c.execute("SELECT count(*) FROM report_ledger").fetchone()[0])
    old.close()
    monkeypatch.setattr(store_module, "_schema_files", lambda: [f for f in every if f[0] <= 12])

    store = open_store(path, key)
    try:
        assert store.call(lambda c: c.execute("PRAGMA user_version").fetchone()[0]) == 12
        rows = store.call(lambda c: c.execute(
            "SELECT idem_key, tariff_id, quoted_tariff_version, sold_tariff_version, "
            "sold_tariff_source FROM sales ORDER BY idem_key").fetchall())
        assert rows == [("k-broken-0001", None, None, None, None),
                        ("k-pending-0001", None, None, None, None),
                        ("k-tokened-0001", "RES-IBT", 3, 4, "server")]
        # The backfill does not touch `state`, so the report trigger wrote nothing.
        assert store.call(lambda c: c.execute(
            "SELECT count(*) FROM report_ledger").fetchone()[0]) == ledger
        with pytest.raises(Exception, match="CHECK"):
            store.call(lambda c: c.execute(
                "UPDATE sales SET sold_tariff_source = 'guess' WHERE idem_key = 'k-pending-0001'"))
    finally:
        store.close()


def test_needs_attention_queries_use_the_partial_index(tmp_path: Path, key: bytes) -> None:
    from app.supervisor.attention import attention_items

    store = open_store(tmp_path / "vend.db", key, create=True)
    try:
        def fill(conn: Any) -> None:
            for i in range(300):
                _insert(conn, f"k-{i:08d}", "tokened", created=f"2026-11-25T03:{i % 60:02d}:00Z")
            _insert(conn, "k-attn-0002", "needs_attention", created="2026-11-25T04:00:00Z")
            _insert(conn, "k-attn-0001", "rejected", offline=1, created="2026-11-25T01:00:00Z")
            _insert(conn, "k-online-rej", "rejected", offline=0)
            conn.execute("ANALYZE")

        store.call(fill)
        statements: list[str] = []

        def run(conn: Any) -> list[str]:
            conn.set_trace_callback(statements.append)
            try:
                return [item.idem_key for item in attention_items(conn)]
            finally:
                conn.set_trace_callback(None)

        # Oldest first, online rejections excluded: the result the index must keep.
        assert store.call(run) == ["k-attn-0001", "k-attn-0002"]
        query = next(s for s in statements if "needs_attention" in s)
        plan = store.call(lambda c: [str(r[3]) for r in c.execute(
            "EXPLAIN QUERY PLAN " + query)])
        # Without the index SQLite walks every sale through sales_created.
        assert any(step == "SCAN sales USING INDEX sales_attention" for step in plan), plan
    finally:
        store.close()
