"""The encrypted local store: one SQLCipher connection owned by one thread.

Every read and write is a function submitted to the owner thread and run inside a transaction
(`BEGIN IMMEDIATE` … `COMMIT`, or `ROLLBACK` if the function raises). The connection runs in
WAL mode with `synchronous=FULL`, so a committed sale survives a power cut. SQLCipher's own
stderr logging is silenced; errors come back as typed `StorageError`s instead.

Opening never recreates or overwrites a file: `create=False` refuses a missing or empty file,
and a wrong key, a damaged file or a foreign file are refused before anything is written.
Reading the first page proves the key; `PRAGMA cipher_integrity_check` then checks every other
page's HMAC before migrations run (`StoreDamaged`, which says the key is right and the file is
damaged), and again before each backup. Once the key has been proven, a damaged page found by
a later read is reported as damage too, never as a wrong key.
"""

from __future__ import annotations

import concurrent.futures
import logging
import os
import queue
import threading
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import sqlcipher3

from common.i18n import _, ngettext
from offline_store.errors import (
    DiskFull,
    ForeignFile,
    StoreClosed,
    StoreDamaged,
    StoreIOError,
    StoreMissing,
    StoreTimeout,
    WrongKeyOrCorrupt,
)

__all__ = [
    "Connection",
    "ConstraintError",
    "Store",
    "check_integrity",
    "connect",
    "latest_schema_version",
    "open_store",
]

#: A write that breaks a constraint of the schema (a unique receipt number, the journal's
#: append-only rule): the transaction was rolled back. Callers outside the store catch this
#: name, not the driver's.
ConstraintError = sqlcipher3.IntegrityError

log = logging.getLogger("vendpoint.store")

T = TypeVar("T")

if TYPE_CHECKING:
    # sqlcipher3 mirrors the standard sqlite3 API but ships no type hints.
    from sqlite3 import Connection
else:
    Connection = sqlcipher3.Connection

SQLITE_HEADER = b"SQLite format 3\x00"

# SQLite primary result codes we translate into typed errors.
_SQLITE_FULL = 13
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
_SQLITE_IOERR = 10
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_CANTOPEN = 14


def key_pragma(key: bytes) -> str:
    """The `PRAGMA key` statement for a raw 256-bit key (hex is safe to inline)."""
    if len(key) != 32:
        raise ValueError("the store key must be exactly 32 bytes")
    return f"PRAGMA key = \"x'{key.hex()}'\""


def translate_error(exc: BaseException, path: Path, *, key_proven: bool = False) -> BaseException:
    """Map a SQLite error to the typed storage error a user can understand, else return it.

    `key_proven`: the store was opened with this key (its first page decrypted), so an
    unreadable page is damage, not a wrong key.
    """
    original: BaseException = exc
    if not isinstance(exc, sqlcipher3.Error):
        return original
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(exc).lower()
    if primary == _SQLITE_FULL or "database or disk is full" in text:
        return DiskFull(
            _("The disk holding the local store is full; the operation was refused and "
              "nothing was saved half-way."),
            hint=_("Free some disk space, then try again."),
        )
    if key_proven and (primary in (_SQLITE_NOTADB, _SQLITE_CORRUPT) or "not a database" in text
                       or "malformed" in text):
        return StoreDamaged(
            _("The local store {name} is damaged: a page could not be read. The key is "
              "right (the store opened with it); this operation was not saved.").format(
                name=path.name),
            hint=_("Stop using this till and restore the store from a backup."),
        )
    if primary in (_SQLITE_NOTADB, _SQLITE_CORRUPT) or "not a database" in text:
        return WrongKeyOrCorrupt(
            _("The local store {name} cannot be read: the key does not match or the "
              "file is damaged. It was left untouched.").format(name=path.name),
            hint=_("Check the keyring entry or passphrase; restore from a backup if damaged."),
        )
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return StoreIOError(
            _("The local store {name} is locked by another program.").format(name=path.name),
            hint=_("Close other VendPoint windows and try again."),
        )
    if primary in (_SQLITE_IOERR, _SQLITE_CANTOPEN):
        return StoreIOError(
            _("The local store {name} could not be read or written (disk error).").format(
                name=path.name),
            hint=_("Check the disk and its permissions."),
        )
    return original


class _Stop:
    """Sentinel telling the owner thread to finish."""


_Job = tuple[Callable[[Connection], Any], "concurrent.futures.Future[Any]", bool]


class Store:
    """Owns the single SQLCipher connection on its own thread."""

    def __init__(self, path: Path, conn: Connection) -> None:
        self.path = path
        self._conn = conn
        self._queue: queue.Queue[_Job | _Stop] = queue.Queue()
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(
            target=self._run, name=f"store-owner:{path.name}", daemon=True
        )
        self._thread.start()

    # -- public API -----------------------------------------------------------------------
    def call(
        self,
        fn: Callable[[Connection], T],
        *,
        timeout: float | None = 30,
        transaction: bool = True,
    ) -> T:
        """Run `fn(conn)` on the owner thread inside a transaction and return its result.

        Commits if `fn` returns, rolls back and re-raises if it raises. Called from the owner
        thread itself (a nested call), `fn` simply joins the running transaction.
        `transaction=False` runs `fn` in autocommit mode (for ATTACH/export/maintenance).
        """
        if threading.get_ident() == self._thread.ident:
            return fn(self._conn)
        future = self._submit(fn, transaction)
        try:
            return future.result(timeout=timeout)
        except concurrent.futures.TimeoutError:
            raise StoreTimeout(
                _("The local store did not answer in time."),
                hint=_("The disk may be very slow; the operation may still complete."),
            ) from None

    def submit(self, fn: Callable[[Connection], T]) -> concurrent.futures.Future[T]:
        """Queue `fn(conn)` for the owner thread (in a transaction); returns its future."""
        return self._submit(fn, True)

    def close(self) -> None:
        """Finish queued work, close the connection and stop the owner thread (idempotent)."""
        with self._lock:
            if self._closed.is_set():
                return
            self._closed.set()
            self._queue.put(_Stop())
        self._thread.join(timeout=60)

    @property
    def closed(self) -> bool:
        """True once `close` was called."""
        return self._closed.is_set()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- owner thread ---------------------------------------------------------------------
    def _submit(
        self, fn: Callable[[Connection], T], transaction: bool
    ) -> concurrent.futures.Future[T]:
        future: concurrent.futures.Future[T] = concurrent.futures.Future()
        with self._lock:
            if self._closed.is_set():
                raise StoreClosed(_("The local store is closed."))
            self._queue.put((fn, future, transaction))
        return future

    def _run(self) -> None:
        try:
            while True:
                job = self._queue.get()
                if isinstance(job, _Stop):
                    break
                fn, future, transaction = job
                if not future.set_running_or_notify_cancel():
                    continue
                try:
                    result = self._execute(fn, transaction)
                except BaseException as exc:
                    future.set_exception(exc)
                else:
                    future.set_result(result)
        finally:
            try:
                self._conn.close()
            except sqlcipher3.Error:
                log.exception("closing the store connection failed")
            # Anything queued after the stop sentinel (cannot happen via the API, but be safe).
            while True:
                try:
                    job = self._queue.get_nowait()
                except queue.Empty:
                    break
                if not isinstance(job, _Stop):
                    job[1].set_exception(StoreClosed(_("The local store is closed.")))

    def _execute(self, fn: Callable[[Connection], T], transaction: bool) -> T:
        conn = self._conn
        if not transaction:
            try:
                return fn(conn)
            except sqlcipher3.Error as exc:
                raise translate_error(exc, self.path, key_proven=True) from exc
        try:
            conn.execute("BEGIN IMMEDIATE")
            result = fn(conn)
            conn.execute("COMMIT")
            return result
        except BaseException as exc:
            if conn.in_transaction:
                try:
                    conn.execute("ROLLBACK")
                except sqlcipher3.Error:
                    log.exception("rollback failed")
            raise translate_error(exc, self.path, key_proven=True) from exc


# -- opening ---------------------------------------------------------------------------------
def _schema_files() -> list[tuple[int, str, str]]:
    """(number, name, sql) of every `schema/NNNN_name.sql` in the package, in numeric order."""
    found: list[tuple[int, str, str]] = []
    schema = resources.files("offline_store").joinpath("schema")
    for entry in schema.iterdir():
        name = entry.name
        if not name.endswith(".sql") or "_" not in name:
            continue
        prefix = name.split("_", 1)[0]
        if not prefix.isdigit():
            continue
        found.append((int(prefix), name, entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [n for n, _, _ in found]
    if len(set(numbers)) != len(numbers):
        raise RuntimeError(f"duplicate schema migration numbers: {numbers}")
    return found


def latest_schema_version() -> int:
    """The `user_version` a fully migrated store has."""
    files = _schema_files()
    return files[-1][0] if files else 0


def _migrate(conn: Connection, path: Path) -> int:
    current = int(conn.execute("PRAGMA user_version").fetchone()[0])
    files = _schema_files()
    latest = files[-1][0] if files else 0
    if current > latest:
        raise ForeignFile(
            _("The local store {name} was written by a newer VendPoint (schema {schema}, "
              "this version knows {latest}). It was left untouched.").format(
                name=path.name, schema=current, latest=latest),
            hint=_("Install the newer VendPoint version again."),
        )
    for number, name, sql in files:
        if number <= current:
            continue
        log.info("applying store migration %s", name)
        try:
            conn.execute("BEGIN IMMEDIATE")
            # executescript would COMMIT first; run statement by statement instead.
            for statement in _split_sql(sql):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number:d}")
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise translate_error(exc, path) from exc
        current = number
    return current


def _split_sql(script: str) -> list[str]:
    """Split a migration script into complete statements (handles triggers' inner `;`)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--") and not buffer.strip():
            continue
        buffer += line
        if sqlcipher3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


def connect(path: Path, key: bytes, *, create: bool = False) -> Connection:
    """Open and unlock the SQLCipher file; refuse (typed error) anything but a good store.

    The file is only created when `create` is True and it does not exist; an existing file is
    never written before the key has been proven right.
    """
    path = Path(path)
    exists = path.exists()
    if exists and not path.is_file():
        raise ForeignFile(_("{path} is not a file; the local store cannot be opened.").format(
            path=path))
    if not exists and not create:
        raise StoreMissing(
            _("The local store {path} does not exist.").format(path=path),
            hint=_("If this is a new installation, run the first-run setup; otherwise restore "
                   "the store from a backup."),
        )
    if exists:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(16)
        if head == SQLITE_HEADER:
            raise ForeignFile(
                _("{name} is an unencrypted SQLite file, not a VendPoint store. It was left "
                  "untouched.").format(name=path.name)
            )
        if size == 0 and not create:
            raise WrongKeyOrCorrupt(
                _("The local store {name} is empty (0 bytes); it was left untouched.").format(
                    name=path.name),
                hint=_("Restore the store from a backup."),
            )
    mode = "rw" if exists else "rwc"
    uri = f"{path.resolve().as_uri()}?mode={mode}"
    try:
        conn: Connection = sqlcipher3.connect(
            uri, uri=True, isolation_level=None, check_same_thread=False, timeout=10
        )
    except sqlcipher3.Error as exc:
        raise translate_error(exc, path) from exc
    try:
        # Silence SQLCipher's own stderr logging before anything can fail.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(key_pragma(key))
        # Proves the key: reading page 1 fails with SQLITE_NOTADB on a wrong key or damage.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 10000")
    except BaseException as exc:
        conn.close()
        raise translate_error(exc, path) from exc
    return conn


def check_integrity(conn: Connection, path: Path) -> None:
    """`PRAGMA cipher_integrity_check` over every page; `StoreDamaged` naming the damaged
    pages if any fails (the key is right: it was proven on page 1 first)."""
    try:
        rows = conn.execute("PRAGMA cipher_integrity_check").fetchall()
    except sqlcipher3.Error as exc:
        raise translate_error(exc, path, key_proven=True) from exc
    if not rows:
        return
    pages = sorted({int(n) for row in rows for n in str(row[0]).split() if n.isdigit()})
    shown = ", ".join(str(n) for n in pages[:10]) + (" …" if len(pages) > 10 else "")
    log.error("store %s: %d integrity problem(s), pages %s", path.name, len(rows), shown)
    raise StoreDamaged(
        ngettext("The local store {name} is damaged: {n} page fails its integrity check "
                 "(page {pages}). The key is right; the damage is in the file. It was left "
                 "untouched.",
                 "The local store {name} is damaged: {n} pages fail their integrity check "
                 "(page {pages}). The key is right; the damage is in the file. It was left "
                 "untouched.", len(rows)).format(name=path.name, n=len(rows), pages=shown),
        hint=_("Stop using this till and restore the store from a backup."),
    )


def open_store(path: Path, key: bytes, *, create: bool = False) -> Store:
    """Open (or, with `create=True`, create) the store at `path`, check every page's
    integrity, and apply migrations."""
    path = Path(path)
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
    conn = connect(path, key, create=create)
    try:
        check_integrity(conn, path)
        _migrate(conn, path)
    except BaseException:
        conn.close()
        raise
    if create:
        _restrict_permissions(path)
    return Store(path, conn)


def _restrict_permissions(path: Path) -> None:
    """Make the store readable by its owner only (best effort; no-op on Windows ACLs)."""
    if os.name == "posix":
        for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            if p.exists():
                p.chmod(0o600)
