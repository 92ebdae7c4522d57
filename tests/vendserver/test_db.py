"""The SQLite store: schema migrations and file settings."""

from __future__ import annotations

import sqlite3

import pytest

from vendserver.db import MIGRATIONS, SqliteStore


def test_new_database_is_migrated_and_reopens(tmp_path):
    path = tmp_path / "v.db"
    store = SqliteStore(path)
    assert store.schema_version() == len(MIGRATIONS)
    sync = store._one("PRAGMA synchronous")
    assert sync is not None and next(iter(sync.values())) == 2  # FULL: survives power loss
    store.add_vendor("V9", "Vendor", 100)
    store.close()
    again = SqliteStore(path)  # a second open runs no migration twice and keeps the data
    vendor = again.vendor("V9")
    assert vendor is not None and vendor["credit_cents"] == 100
    assert again.schema_version() == len(MIGRATIONS)
    again.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "v.db"
    SqliteStore(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version={len(MIGRATIONS) + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(RuntimeError, match="newer"):
        SqliteStore(path)


def test_failed_transaction_rolls_back(tmp_path):
    store = SqliteStore(tmp_path / "v.db")
    with pytest.raises(ValueError), store.transaction():
        store.add_vendor("V1", "A", 1)
        raise ValueError("boom")
    assert store.vendor("V1") is None
    store.close()
