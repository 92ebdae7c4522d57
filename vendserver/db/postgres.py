"""The PostgreSQL engine: the production store, shared by several server processes.

What SQLite gets from running one transaction at a time, PostgreSQL gets from the database:

- each thread's transaction has its own connection (a small pool per process), READ COMMITTED;
  a transaction that reads a row it will change locks it (`lock_clause`, ``FOR UPDATE``), in
  one order everywhere (sale row, meter and customer, vendor, event log) so two processes
  never deadlock on the same sale;
- exactly-once is the unique key ``sales(terminal_id, idem_key)``: two processes selling the
  same key at once cannot both commit; the loser's `Conflict` makes the service run the
  request again, and it then replays the winner's sale;
- receipt, reversal, terminal and engineering numbers come from sequences (unique across
  processes, never waiting on another sale);
- event ids commit in increasing order: appending takes a transaction-scoped advisory lock, so
  a reader that has seen id N never later finds a smaller one (it would never be pushed), and
  the commit sends ``NOTIFY vendserver_events`` so every process's event hub reads at once;
- the schema version is the one row of ``schema_version``; migrations run under an advisory
  lock, so processes starting together migrate once.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg.rows import dict_row

from vendserver.db import Store
from vendserver.db.base import Conflict, Row, StoreBase, StoreUnavailable
from vendserver.db.schema import COUNTERS, MIGRATIONS, statements

log = logging.getLogger("vendserver.db")

#: The NOTIFY channel of committed events.
CHANNEL = "vendserver_events"
# Advisory lock keys (any constants unique to this schema).
_EVENT_LOCK = 0x7665_6E64_0001
_MIGRATE_LOCK = 0x7665_6E64_0002

_CONFLICTS = (pg_errors.UniqueViolation, pg_errors.SerializationFailure,
              pg_errors.DeadlockDetected)


def _placeholders(sql: str) -> str:
    # The query modules write SQLite's '?'; psycopg wants '%s' (and a literal % doubled).
    return sql.replace("%", "%%").replace("?", "%s")


def _value(v: Any) -> Any:
    # SUM() of BIGINT is NUMERIC in PostgreSQL; every number of this schema is whole.
    return int(v) if isinstance(v, Decimal) else v


def _arg(v: Any) -> Any:
    # SQLite stores True as 1; PostgreSQL would refuse a boolean for a BIGINT column.
    return int(v) if isinstance(v, bool) else v


class _Thread(threading.local):
    conn: psycopg.Connection[Row] | None = None
    depth: int = 0


class PostgresEngine(StoreBase):
    """A pool of connections to one PostgreSQL database, a transaction per thread."""

    dialect = "postgresql"
    lock_clause = " FOR UPDATE"

    def __init__(self, url: str, *, pool_size: int = 8, connect_timeout: float = 10.0) -> None:
        self.url = url
        self._size = pool_size
        self._timeout = connect_timeout
        self._idle: queue.LifoQueue[psycopg.Connection[Row]] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(pool_size)
        self._all_conns: set[psycopg.Connection[Row]] = set()
        self._conns_lock = threading.Lock()
        self._sql: dict[str, str] = {}
        self._local = _Thread()
        self._closed = False
        self.migrate()

    # -- connections -------------------------------------------------------------------------
    def _connect(self) -> psycopg.Connection[Row]:
        try:
            conn = psycopg.connect(self.url, autocommit=True, row_factory=dict_row,
                                   connect_timeout=max(int(self._timeout), 1),
                                   application_name="vendserver")
        except psycopg.OperationalError as exc:
            raise StoreUnavailable(f"cannot connect to PostgreSQL: {exc}") from None
        with self._conns_lock:
            self._all_conns.add(conn)
        return conn

    def _acquire(self) -> psycopg.Connection[Row]:
        if not self._slots.acquire(timeout=30):
            raise StoreUnavailable("every database connection of this process is busy")
        try:
            while True:
                try:
                    conn = self._idle.get_nowait()
                except queue.Empty:
                    return self._connect()
                if not conn.closed and not conn.broken:
                    return conn
                self._forget(conn)
        except BaseException:
            self._slots.release()
            raise

    def _release(self, conn: psycopg.Connection[Row]) -> None:
        try:
            if conn.closed or conn.broken or self._closed:
                self._forget(conn)
                conn.close()
            elif conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                conn.rollback()  # never hand out a connection inside someone's transaction
                self._idle.put(conn)
            else:
                self._idle.put(conn)
        finally:
            self._slots.release()

    def _forget(self, conn: psycopg.Connection[Row]) -> None:
        with self._conns_lock:
            self._all_conns.discard(conn)

    @contextmanager
    def _conn(self) -> Iterator[psycopg.Connection[Row]]:
        """The thread's transaction connection, or a pooled one in autocommit."""
        if self._local.conn is not None:
            yield self._local.conn
            return
        conn = self._acquire()
        try:
            yield conn
        finally:
            self._release(conn)

    def _run(self, conn: psycopg.Connection[Row], sql: str,
             args: tuple[Any, ...]) -> psycopg.Cursor[Row]:
        text = self._sql.get(sql)
        if text is None:
            text = self._sql[sql] = _placeholders(sql)
        try:
            return conn.execute(text, tuple(_arg(a) for a in args))
        except _CONFLICTS as exc:
            raise Conflict(f"{type(exc).__name__}: {exc.diag.message_primary}") from exc
        except psycopg.OperationalError as exc:
            raise StoreUnavailable(f"PostgreSQL: {exc}") from exc

    # -- queries -----------------------------------------------------------------------------
    def _one(self, sql: str, args: tuple[Any, ...] = ()) -> Row | None:
        with self._conn() as conn:
            row = self._run(conn, sql, args).fetchone()
        return None if row is None else {k: _value(v) for k, v in row.items()}

    def _all(self, sql: str, args: tuple[Any, ...] = ()) -> list[Row]:
        with self._conn() as conn:
            rows = self._run(conn, sql, args).fetchall()
        return [{k: _value(v) for k, v in r.items()} for r in rows]

    def _exec(self, sql: str, args: tuple[Any, ...] = ()) -> int:
        with self._conn() as conn:
            return int(self._run(conn, sql, args).rowcount)

    # -- transactions ------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        local = self._local
        if local.conn is not None:
            local.depth += 1
            try:
                yield
            finally:
                local.depth -= 1
            return
        conn = self._acquire()
        local.conn, local.depth = conn, 1
        try:
            try:
                conn.execute("BEGIN")
            except psycopg.OperationalError as exc:
                raise StoreUnavailable(f"PostgreSQL: {exc}") from exc
            try:
                yield
            except BaseException:
                if not conn.closed and not conn.broken:
                    conn.execute("ROLLBACK")
                raise
            try:
                conn.execute("COMMIT")
            except _CONFLICTS as exc:
                raise Conflict(f"{type(exc).__name__}: {exc.diag.message_primary}") from exc
            except psycopg.OperationalError as exc:
                raise StoreUnavailable(f"PostgreSQL: {exc}") from exc
        finally:
            local.conn, local.depth = None, 0
            self._release(conn)

    def in_transaction(self) -> bool:
        return self._local.conn is not None

    # -- schema --------------------------------------------------------------------------------
    def migrate(self) -> None:
        """Bring the schema forward (forward only; one process at a time)."""
        with self.transaction():
            self._one("SELECT pg_advisory_xact_lock(?)", (_MIGRATE_LOCK,))
            self._exec("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")
            version = self.schema_version()
            if version > len(MIGRATIONS):
                raise RuntimeError(
                    f"database schema {version} is newer than this server ({len(MIGRATIONS)})")
            for number in range(version + 1, len(MIGRATIONS) + 1):
                for statement in statements(number, "postgresql"):
                    self._exec(statement)
            if version != len(MIGRATIONS):
                self._exec("DELETE FROM schema_version")
                self._exec("INSERT INTO schema_version VALUES (?)", (len(MIGRATIONS),))

    def schema_version(self) -> int:
        row = self._one("SELECT to_regclass('schema_version') IS NOT NULL AS present")
        if row is None or not row["present"]:
            return 0
        found = self._one("SELECT MAX(version) AS v FROM schema_version")
        return int(found["v"]) if found and found["v"] is not None else 0

    def close(self) -> None:
        self._closed = True
        with self._conns_lock:
            conns = list(self._all_conns)
            self._all_conns.clear()
        for conn in conns:
            try:
                conn.close()
            except psycopg.Error:
                pass

    # -- what PostgreSQL does its own way ----------------------------------------------------
    def next_counter(self, name: str) -> int:
        if name not in COUNTERS:
            raise ValueError(f"no counter {name!r}")
        row = self._one(f"SELECT nextval('counter_{name}') AS value")
        assert row is not None
        return int(row["value"])

    def add_event(self, type_: str, data_json: str, vendor_id: str | None,
                  terminal_id: str | None, at: str) -> int:
        with self.transaction():
            # Held until commit: the next event's id is taken only after this one is visible.
            self._one("SELECT pg_advisory_xact_lock(?)", (_EVENT_LOCK,))
            event_id = self._id(
                "INSERT INTO events(type, data, vendor_id, terminal_id, created_at) "
                "VALUES (?, ?, ?, ?, ?) RETURNING id",
                (type_, data_json, vendor_id, terminal_id, at))
            self._one("SELECT pg_notify(?, '')", (CHANNEL,))
        return event_id

    def listen(self, wake: Callable[[], None]) -> Callable[[], None]:
        stop = threading.Event()

        def run() -> None:
            delay = 0.2
            while not stop.is_set():
                try:
                    with psycopg.connect(self.url, autocommit=True,
                                         connect_timeout=max(int(self._timeout), 1),
                                         application_name="vendserver-listen") as conn:
                        conn.execute(f"LISTEN {CHANNEL}")
                        wake()  # whatever was committed while not listening
                        delay = 0.2
                        while not stop.is_set():
                            for _ in conn.notifies(timeout=0.5):
                                wake()
                except psycopg.Error as exc:
                    if stop.is_set():
                        return
                    log.warning("event listener lost PostgreSQL (%s); reconnecting", exc)
                    stop.wait(delay)
                    delay = min(delay * 2, 5.0)

        thread = threading.Thread(target=run, name="vendserver-listen", daemon=True)
        thread.start()

        def cancel() -> None:
            stop.set()
            thread.join(timeout=5)

        return cancel


class PostgresStore(Store, PostgresEngine):
    """The store in a PostgreSQL database (`url`: postgresql://user@host:port/dbname)."""
