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
  lock, so processes starting together migrate once;
- a process that listens (a server's event hub calls `listen`) caches the rows read on every
  request that seldom change (utility, terminals by credential, operators, tariff versions;
  supply groups, which never change): a change of any of them, by any process, sends
  ``NOTIFY vendserver_events, '<kind>'`` with its commit and every listening process drops its
  copies of that kind when it hears it. Until a process hears it (the NOTIFY hop, a few ms)
  it may serve the previous rows, as a request that began just before the commit would.
  Without the LISTEN connection nothing is cached.
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


@contextmanager
def _abandoned_on_error(conn: psycopg.Connection[Row]) -> Iterator[None]:
    """Close `conn` if its pipeline fails. A failed statement aborts the pipeline, and psycopg
    may then count as prepared statements the server never prepared: the next use fails
    with "prepared statement _pg3_N does not exist". The transaction is lost anyway (the
    server rolls it back on close); the caller retries on a new connection."""
    try:
        yield
    except psycopg.Error:
        conn.close()
        raise


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
    # Statements of the transaction not sent yet (BEGIN first), sent with the next one.
    pending: list[tuple[str, tuple[Any, ...]]]
    # Kinds of cached rows this transaction changed: read uncached until it ends.
    changed: set[str]

    def __init__(self) -> None:
        self.pending = []
        self.changed = set()


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
        # Caches (see the module's docstring): valid only while `_listening`.
        self._cache: dict[tuple[str, Any], Any] = {}
        self._generation = 0  # one for every kind: a fill that raced any change is dropped
        self._cache_lock = threading.Lock()
        self._listening = False
        self._wakes: set[Callable[[], None]] = set()
        self._listener: threading.Thread | None = None
        self._listener_stop = threading.Event()
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

    def _text(self, sql: str) -> str:
        text = self._sql.get(sql)
        if text is None:
            text = self._sql[sql] = _placeholders(sql)
        return text

    def _run(self, conn: psycopg.Connection[Row], sql: str,
             args: tuple[Any, ...]) -> psycopg.Cursor[Row]:
        text = self._text(sql)
        pending = self._local.pending if conn is self._local.conn else None
        try:
            if not pending:
                return conn.execute(text, tuple(_arg(a) for a in args))
            # The statements deferred so far and this one in one round trip.
            with _abandoned_on_error(conn), conn.pipeline():
                self._flush(conn, pending)
                cur = conn.execute(text, tuple(_arg(a) for a in args))
            return cur
        except _CONFLICTS as exc:
            raise Conflict(f"{type(exc).__name__}: {exc.diag.message_primary}") from exc
        except psycopg.OperationalError as exc:
            raise StoreUnavailable(f"PostgreSQL: {exc}") from exc

    def _flush(self, conn: psycopg.Connection[Row],
               pending: list[tuple[str, tuple[Any, ...]]]) -> None:
        """Queue the deferred statements on `conn` (in pipeline mode: sent, not awaited)."""
        items = list(pending)
        pending.clear()
        for sql, args in items:
            conn.execute(self._text(sql), tuple(_arg(a) for a in args))

    def _defer(self, sql: str, args: tuple[Any, ...] = ()) -> None:
        local = self._local
        if local.conn is None:  # autocommit: nothing to send it with
            self._exec(sql, args)
        else:
            local.pending.append((sql, args))

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
        # BEGIN goes with the first statement (one round trip for both).
        local.pending.append(("BEGIN", ()))
        try:
            try:
                yield
            except BaseException:
                # BEGIN still waiting = nothing was sent: nothing to undo.
                began = not (local.pending and local.pending[0][0] == "BEGIN")
                local.pending.clear()
                if began and not conn.closed and not conn.broken:
                    conn.execute("ROLLBACK")
                raise
            if local.pending and local.pending[0][0] == "BEGIN" and len(local.pending) == 1:
                local.pending.clear()  # nothing was run: nothing to commit
            else:
                try:
                    if local.pending:  # deferred writes go with the COMMIT
                        with _abandoned_on_error(conn), conn.pipeline():
                            self._flush(conn, local.pending)
                            conn.execute("COMMIT")
                    else:
                        conn.execute("COMMIT")
                except _CONFLICTS as exc:
                    raise Conflict(
                        f"{type(exc).__name__}: {exc.diag.message_primary}") from exc
                except psycopg.OperationalError as exc:
                    raise StoreUnavailable(f"PostgreSQL: {exc}") from exc
        finally:
            local.conn, local.depth = None, 0
            local.pending.clear()
            changed, local.changed = local.changed, set()
            for kind in changed:  # committed or not: what was filled meanwhile is dropped
                self._invalidate(kind)
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
        with self._cache_lock:
            self._wakes.clear()
            self._listener = None
            self._listener_stop.set()
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

    def _counter_expression(self, name: str) -> str | None:
        if name not in COUNTERS:
            raise ValueError(f"no counter {name!r}")
        return f"nextval('counter_{name}')"

    def add_event(self, type_: str, data_json: str, vendor_id: str | None,
                  terminal_id: str | None, at: str) -> int:
        # One statement: the advisory lock (held until commit: the next event's id is taken
        # only after this one is visible) is taken before the row's id is, the insert, and the
        # NOTIFY sent with the commit.
        return self._id(
            "WITH lock AS MATERIALIZED (SELECT pg_advisory_xact_lock(?) AS locked) "
            "INSERT INTO events(type, data, vendor_id, terminal_id, created_at) "
            "SELECT ?, ?, ?, ?, ? FROM lock RETURNING id, pg_notify(?, '')::text AS notified",
            (_EVENT_LOCK, type_, data_json, vendor_id, terminal_id, at, CHANNEL))

    # -- caches and LISTEN -------------------------------------------------------------------
    def caching(self) -> bool:
        return self._listening

    def _cached(self, kind: str, key: Any, load: Callable[[], Any]) -> Any:
        local = self._local
        if not self._listening or (local.conn is not None and kind in local.changed):
            return load()
        with self._cache_lock:
            found = self._cache.get((kind, key))
            generation = self._generation
        if found is not None:
            return found
        value = load()
        with self._cache_lock:
            # Not kept if a change was heard while loading (the value may predate it).
            if value is not None and self._listening and self._generation == generation:
                self._cache[(kind, key)] = value
        return value

    def _invalidate(self, kind: str | None) -> None:
        """Drop the cached rows of `kind` (None: of every kind)."""
        with self._cache_lock:
            self._generation += 1
            if kind is None:
                self._cache.clear()
                return
            for k in [k for k in self._cache if k[0] == kind]:
                del self._cache[k]

    def _changed(self, kind: str) -> None:
        local = self._local
        if local.conn is not None:
            local.changed.add(kind)  # dropped again when the transaction ends
        self._invalidate(kind)
        # Delivered with the commit (at once outside a transaction) to every listener.
        self._defer("SELECT pg_notify(?, ?)::text AS notified", (CHANNEL, kind))

    def listen(self, wake: Callable[[], None]) -> Callable[[], None]:
        """One LISTEN connection per store, shared by every `wake` (the event hub) and the
        caches; it is closed when the last `wake` stops listening."""
        with self._cache_lock:
            self._wakes.add(wake)
            if self._listener is None:
                self._listener_stop = threading.Event()
                self._listener = threading.Thread(
                    target=self._listen, args=(self._listener_stop,), name="vendserver-listen",
                    daemon=True)
                self._listener.start()

        def cancel() -> None:
            with self._cache_lock:
                self._wakes.discard(wake)
                thread = self._listener if not self._wakes else None
                if thread is not None:
                    self._listener = None
                    self._listener_stop.set()
            if thread is not None:
                thread.join(timeout=5)

        return cancel

    def _wake_all(self) -> None:
        with self._cache_lock:
            wakes = list(self._wakes)
        for wake in wakes:
            wake()

    def _listen(self, stop: threading.Event) -> None:
        delay = 0.2
        while not stop.is_set():
            try:
                with psycopg.connect(self.url, autocommit=True,
                                     connect_timeout=max(int(self._timeout), 1),
                                     application_name="vendserver-listen") as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    # Whatever changed while not listening: cache from now on, afresh.
                    self._invalidate(None)
                    self._listening = True
                    self._wake_all()  # whatever was committed while not listening
                    delay = 0.2
                    while not stop.is_set():
                        for note in conn.notifies(timeout=0.5):
                            if note.payload:
                                self._invalidate(note.payload)
                            else:
                                self._wake_all()
            except psycopg.Error as exc:
                if stop.is_set():
                    return
                log.warning("event listener lost PostgreSQL (%s); reconnecting", exc)
                stop.wait(delay)
                delay = min(delay * 2, 5.0)
            finally:
                self._listening = False
                self._invalidate(None)


class PostgresStore(Store, PostgresEngine):
    """The store in a PostgreSQL database (`url`: postgresql://user@host:port/dbname)."""
