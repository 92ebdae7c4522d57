"""The connection, transactions and migrations of the server's SQLite database, plus its
small tables (meta, tariff-signing keys, the utility, supply groups).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from vendserver.db.schema import MIGRATIONS

Row = dict[str, Any]


class StoreBase:
    """One SQLite connection shared by the server's threads, with nesting transactions."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.lock = threading.RLock()
        self._depth = 0
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
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in script.split(";"):
                    if statement.strip():
                        self._conn.execute(statement)
                self._conn.execute(f"PRAGMA user_version={number}")

    def schema_version(self) -> int:
        """The schema version recorded in the file."""
        with self.lock:
            return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic unit of work (nests: inner blocks join the outer transaction)."""
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
            try:
                yield
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")
            finally:
                self._depth = 0

    def close(self) -> None:
        """Close the connection."""
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
            cur = self._conn.execute(sql, args)
            return int(cur.lastrowid or 0)

    def _insert(self, table: str, cols: tuple[str, ...], row: Row) -> None:
        # Table and column names are constants of this module, never input: safe to format.
        sql = f"INSERT INTO {table}({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"  # noqa: S608
        self._exec(sql, tuple(row[c] for c in cols))

    # -- meta, keys, utility --------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self._one("SELECT value FROM meta WHERE key=?", (key,))
        return None if row is None else str(row["value"])

    def set_meta(self, key: str, value: str) -> None:
        self._exec("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def add_signing_key(self, key_id: str, private: bytes, public: bytes, at: str) -> None:
        self._exec(
            "INSERT INTO signing_keys(key_id, private_key, public_key, created_at) "
            "VALUES (?, ?, ?, ?)", (key_id, private, public, at))

    def signing_keys(self) -> list[Row]:
        return self._all("SELECT * FROM signing_keys WHERE active=1 ORDER BY created_at, key_id")

    def signing_key(self, key_id: str) -> Row | None:
        return self._one("SELECT * FROM signing_keys WHERE key_id=?", (key_id,))

    def set_utility(self, row: Row) -> None:
        self._exec(
            "INSERT OR REPLACE INTO utility VALUES (?, ?, ?, ?, ?, ?)",
            (row["id"], row["name"], row["address"], row["vat_number"], row["currency"],
             row["utc_offset_minutes"]))

    def utility(self) -> Row | None:
        return self._one("SELECT * FROM utility LIMIT 1")

    def add_supply_group(self, sgc: str, name: str, vk160: bytes, vk64: bytes) -> None:
        self._exec("INSERT INTO supply_groups VALUES (?, ?, ?, ?)", (sgc, name, vk160, vk64))

    def supply_group(self, sgc: str) -> Row | None:
        return self._one("SELECT * FROM supply_groups WHERE sgc=?", (sgc,))
