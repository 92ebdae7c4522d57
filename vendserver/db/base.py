"""What every store engine provides (transactions, queries, migrations, wake-ups), plus the
server's small tables (meta, tariff-signing keys, the utility, supply groups).

The query modules speak one SQL: SQLite's spelling with ``?`` placeholders, restricted to
what PostgreSQL also understands (``INSERT ... ON CONFLICT``, ``RETURNING``). An engine
(`vendserver.db.sqlite`, `vendserver.db.postgres`) runs it; the few things the two databases
do differently are engine methods: counters, row locks, the event log's ordering and the
wake-up of other server processes.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

Row = dict[str, Any]


class Conflict(Exception):
    """Another transaction won a race the database refereed (a unique key, a deadlock, a
    serialisation failure): nothing of this transaction was kept; the operation may be run
    again from the start and will then see the winner's result."""


class StoreUnavailable(Exception):
    """The database cannot be reached or is too busy now (a transient condition)."""


class StoreBase(ABC):
    """One database behind the server: what the query modules need from an engine."""

    #: "sqlite" or "postgresql"
    dialect: str = ""

    # -- engine ----------------------------------------------------------------------------
    @abstractmethod
    def transaction(self) -> AbstractContextManager[None]:
        """One atomic unit of work (nests: inner blocks join the outer transaction)."""

    @abstractmethod
    def in_transaction(self) -> bool:
        """Whether the calling thread is inside `transaction()`."""

    @abstractmethod
    def schema_version(self) -> int:
        """The schema version recorded in the database."""

    @abstractmethod
    def close(self) -> None:
        """Close every connection."""

    @abstractmethod
    def _one(self, sql: str, args: tuple[Any, ...] = ()) -> Row | None:
        """The first row of a query, or None."""

    @abstractmethod
    def _all(self, sql: str, args: tuple[Any, ...] = ()) -> list[Row]:
        """Every row of a query."""

    @abstractmethod
    def _exec(self, sql: str, args: tuple[Any, ...] = ()) -> int:
        """Run a statement; the number of rows it changed."""

    @abstractmethod
    def next_counter(self, name: str) -> int:
        """The next number of a named counter (receipts, reversals, terminals...): unique
        even across server processes."""

    def _counter_expression(self, name: str) -> str | None:
        """SQL that takes the next number of counter `name` inside another statement (in a
        RETURNING clause), or None when the engine cannot (its counters are a table)."""
        return None

    @abstractmethod
    def add_event(self, type_: str, data_json: str, vendor_id: str | None,
                  terminal_id: str | None, at: str) -> int:
        """Append to the event log; ids become visible in increasing order."""

    def listen(self, wake: Callable[[], None]) -> Callable[[], None]:
        """Call `wake` (from any thread) when another process committed events; returns a
        function that stops listening. An engine without cross-process wake-ups returns a
        no-op and its readers poll."""
        return lambda: None

    #: appended to a SELECT that reads rows the transaction will change
    lock_clause: str = ""

    # -- caches of rarely changed rows ------------------------------------------------------
    # Kinds of cached rows; a method that changes rows of a kind calls `_changed(kind)`.
    #: the utility row (changed by `set_utility`)
    UTILITY = "utility"
    #: terminals by credential (activation confirmed, policy, disabled)
    TERMINALS = "terminals"
    #: operators of a terminal (added, restricted, PIN failures and locks)
    OPERATORS = "operators"
    #: a tariff's signed versions (a new one published)
    TARIFFS = "tariffs"
    #: supply groups' vending keys: rows are only ever inserted, never changed or deleted,
    #: so a row once read is immutable and is never invalidated
    SUPPLY_GROUPS = "supply_groups"

    def caching(self) -> bool:
        """Whether `_cached` keeps results now (it then also hears of other processes'
        changes)."""
        return False

    def _cached(self, kind: str, key: Any, load: Callable[[], Any]) -> Any:
        """`load()`, or its earlier result for (`kind`, `key`) when the engine keeps a cache
        that is invalidated when any process changes rows of `kind`. This engine keeps none."""
        return load()

    def _changed(self, kind: str) -> None:
        """Rows of `kind` are being changed (in the current transaction, if any): cached
        copies, in this process and every other one, must be dropped. This engine keeps
        none, so there is nothing to drop."""
        return None

    def _defer(self, sql: str, args: tuple[Any, ...] = ()) -> None:
        """Run a statement whose row count nobody needs. An engine may send it later in the
        same transaction, together with the next statement (one round trip for both); an
        error it raises then surfaces from that statement or from the commit, inside the
        transaction, which is rolled back whole as if it had surfaced here."""
        self._exec(sql, args)

    def _locking(self, sql: str, lock: bool) -> str:
        """`sql` (a SELECT) with the engine's row-lock clause when `lock`."""
        return sql + self.lock_clause if lock else sql

    def _insert(self, table: str, cols: tuple[str, ...], row: Row, *,
                defer: bool = False) -> None:
        # Table and column names are constants of this module, never input: safe to format.
        sql = f"INSERT INTO {table}({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"  # noqa: S608
        (self._defer if defer else self._exec)(sql, tuple(row[c] for c in cols))

    def _id(self, sql: str, args: tuple[Any, ...]) -> int:
        """Run an INSERT ... RETURNING id; the new row's id."""
        row = self._one(sql, args)
        assert row is not None
        return int(row["id"])

    # -- meta, keys, utility --------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self._one("SELECT value FROM meta WHERE key=?", (key,))
        return None if row is None else str(row["value"])

    def set_meta(self, key: str, value: str) -> None:
        self._exec("INSERT INTO meta(key, value) VALUES (?, ?) "
                   "ON CONFLICT (key) DO UPDATE SET value=excluded.value", (key, value))

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
            "INSERT INTO utility(id, name, address, vat_number, currency, utc_offset_minutes, "
            "time_zone, language, locale) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET name=excluded.name, "
            "address=excluded.address, vat_number=excluded.vat_number, "
            "currency=excluded.currency, utc_offset_minutes=excluded.utc_offset_minutes, "
            "time_zone=excluded.time_zone, language=excluded.language, locale=excluded.locale",
            (row["id"], row["name"], row["address"], row["vat_number"], row["currency"],
             row["utc_offset_minutes"], row.get("time_zone"), row.get("language"),
             row.get("locale")))
        self._changed(self.UTILITY)

    def utility(self) -> Row | None:
        row = self._cached(self.UTILITY, None,
                           lambda: self._one("SELECT * FROM utility LIMIT 1"))
        return None if row is None else dict(row)

    def add_supply_group(self, sgc: str, name: str, vk160: bytes, vk64: bytes) -> None:
        self._exec("INSERT INTO supply_groups VALUES (?, ?, ?, ?)", (sgc, name, vk160, vk64))

    def supply_group(self, sgc: str) -> Row | None:
        row = self._cached(self.SUPPLY_GROUPS, sgc, lambda: self._one(
            "SELECT * FROM supply_groups WHERE sgc=?", (sgc,)))
        return None if row is None else dict(row)
