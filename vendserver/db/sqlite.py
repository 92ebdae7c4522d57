"""The SQLite engine: the embedded default (one server process, one file, WAL).

One connection is shared by the server's threads behind a re-entrant lock (SQLite serialises
writers anyway); `transaction()` wraps a unit of work in ``BEGIN IMMEDIATE`` so a second
process (the CLI publishing a tariff) waits instead of failing. Because every transaction
runs alone, row locks are not needed and counters are a table. The schema version lives in
``PRAGMA user_version``.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from vendserver.db.base import Row, StoreBase
from vendserver.db.schema import MIGRATIONS, statements


class SqliteEngine(StoreBase):
    """One SQLite connection shared by the server's threads, with nesting transactions."""

    dialect = "sqlite"

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.lock = threading.RLock()
        self._depth = 0
        self._owner: int | None = None
        self._conn = sqlite3.connect(
            str(self.path), check_same_thread=False, isolation_level=None, timeout=30.0
        )
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA journal_mode=WAL")
        # FULL: an acknowledged sale survives a power cut, not only a process crash.
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        self._conn.execute("PRAGMA busy_timeout=30000")
        self.migrate()

    # -- plumbing --------------------------------------------------------------
    def migrate(self) -> None:
        """Bring the schema forward to the newest version (forward only)."""
        with self.transaction():
            version = int(self._conn.execute("PRAGMA user_version").fetchone()[0])
            if version > len(MIGRATIONS):
                raise RuntimeError(
                    f"database schema {version} is newer than this server ({len(MIGRATIONS)})"
                )
            for number in range(version + 1, len(MIGRATIONS) + 1):
                for statement in statements(number, "sqlite"):
                    self._conn.execute(statement)
                self._conn.execute(f"PRAGMA user_version={number}")

    def schema_version(self) -> int:
        with self.lock:
            return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            self._owner = threading.get_ident()
            try:
                yield
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")
            finally:
                self._depth = 0
                self._owner = None

    def in_transaction(self) -> bool:
        return self._depth > 0 and self._owner == threading.get_ident()

    def close(self) -> None:
        with self.lock:
            self._conn.close()

    def _one(self, sql: str, args: tuple[Any, ...] = ()) -> Row | None:
        with self.lock:
            row = self._conn.execute(sql, args).fetchone()
        return None if row is None else dict(row)

    def _all(self, sql: str, args: tuple[Any, ...] = ()) -> list[Row]:
        with self.lock:
            return [dict(r) for r in self._conn.execute(sql, args).fetchall()]

    def _exec(self, sql: str, args: tuple[Any, ...] = ()) -> int:
        with self.lock:
            return int(self._conn.execute(sql, args).rowcount)

    def next_counter(self, name: str) -> int:
        with self.transaction():
            row = self._one("INSERT INTO counters VALUES (?, 1) ON CONFLICT (name) DO UPDATE "
                            "SET value=value+1 RETURNING value", (name,))
            assert row is not None
            return int(row["value"])

    def add_event(self, type_: str, data_json: str, vendor_id: str | None,
                  terminal_id: str | None, at: str) -> int:
        # Transactions run one at a time here, so ids commit in order by themselves.
        return self._id("INSERT INTO events(type, data, vendor_id, terminal_id, created_at) "
                        "VALUES (?, ?, ?, ?, ?) RETURNING id",
                        (type_, data_json, vendor_id, terminal_id, at))
