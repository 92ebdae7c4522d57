"""The SQLCipher `PrintJobStore` on the encrypted offline store, and the functions that write
and read print jobs inside a caller's transaction (a sale's documents are written with the
state change that makes them). Table: offline_store/schema/0009_print_jobs.sql."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

from printers.job_store import JobStatus, PrintJob, missing_job, reprint_of

T = TypeVar("T")

class StoreLike(Protocol):
    """The part of `offline_store.Store` used here: run a function on the DB owner thread
    inside a transaction (commit on success, rollback on an exception)."""

    def call(self, fn: Callable[[Any], T], *, timeout: float | None = ...) -> T: ...


def _ts(at: datetime) -> str:
    # Fixed width, UTC, so text order is time order.
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse_ts(text: str | None) -> datetime | None:
    if text is None:
        return None
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


_COLUMNS = (
    "id, created_at, updated_at, printer_id, kind, sale_ref, payload, status, attempts, "
    "last_error, printed_count, last_printed_at, original_job_id, reprint_no"
)


def _row_to_job(row: Any) -> PrintJob:
    created = _parse_ts(row[1])
    updated = _parse_ts(row[2])
    assert created is not None and updated is not None  # NOT NULL columns
    return PrintJob(
        id=row[0], created_at=created, updated_at=updated, printer_id=row[3], kind=row[4],
        sale_ref=row[5], payload=row[6], status=JobStatus(row[7]), attempts=row[8],
        last_error=row[9], printed_count=row[10], last_printed_at=_parse_ts(row[11]),
        original_job_id=row[12], reprint_no=row[13],
    )


def insert_job(conn: Any, job: PrintJob) -> None:
    """Insert `job` with the caller's connection, inside the caller's transaction (a sale's
    state change and its document are committed together)."""
    conn.execute(
        f"INSERT INTO print_jobs ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",  # noqa: S608
        (
            job.id, _ts(job.created_at), _ts(job.updated_at), job.printer_id, job.kind,
            job.sale_ref, job.payload, job.status.value, job.attempts, job.last_error,
            job.printed_count,
            None if job.last_printed_at is None else _ts(job.last_printed_at),
            job.original_job_id, job.reprint_no,
        ),
    )


def _select_one(conn: Any, job_id: str) -> PrintJob | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM print_jobs WHERE id = ?", (job_id,)  # noqa: S608
    ).fetchone()
    return None if row is None else _row_to_job(row)


def _require(conn: Any, job_id: str) -> PrintJob:
    job = _select_one(conn, job_id)
    if job is None:
        raise missing_job(job_id)
    return job


def latest_original(conn: Any, sale_ref: str, kinds: tuple[str, ...]) -> PrintJob | None:
    """The newest original (not a reprint) job of `sale_ref` whose kind is one of `kinds`,
    with the caller's connection; None when there is none."""
    marks = ", ".join("?" for _ in kinds)
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM print_jobs WHERE sale_ref = ? AND kind IN ({marks}) "  # noqa: S608
        "AND reprint_no = 0 AND original_job_id IS NULL ORDER BY created_at DESC, rowid DESC "
        "LIMIT 1", (sale_ref, *kinds)).fetchone()
    return None if row is None else _row_to_job(row)


def count_jobs(conn: Any, sale_ref: str, kind: str) -> int:
    """How many original jobs of `kind` are filed under `sale_ref` (caller's connection)."""
    row = conn.execute(
        "SELECT count(*) FROM print_jobs WHERE sale_ref = ? AND kind = ? AND reprint_no = 0",
        (sale_ref, kind)).fetchone()
    return int(row[0])


class SqlPrintJobStore:
    """`PrintJobStore` on the encrypted offline store (one transaction per call, run on the
    store's DB owner thread through `store.call`)."""

    def __init__(self, store: StoreLike, *, timeout_s: float = 30.0) -> None:
        self._store = store
        self._timeout = timeout_s

    def _call(self, fn: Callable[[Any], T]) -> T:
        return self._store.call(fn, timeout=self._timeout)

    def add(self, job: PrintJob) -> PrintJob:
        def run(conn: Any) -> PrintJob:
            insert_job(conn, job)
            return job

        return self._call(run)

    def get(self, job_id: str) -> PrintJob | None:
        return self._call(lambda conn: _select_one(conn, job_id))

    def due(self, printer_id: str, limit: int) -> list[PrintJob]:
        def run(conn: Any) -> list[PrintJob]:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM print_jobs WHERE printer_id = ? AND status = 'queued' "  # noqa: S608
                "ORDER BY created_at, rowid LIMIT ?",
                (printer_id, limit),
            ).fetchall()
            return [_row_to_job(r) for r in rows]

        return self._call(run)

    def count_queued(self, printer_id: str) -> int:
        def run(conn: Any) -> int:
            row = conn.execute(
                "SELECT count(*) FROM print_jobs WHERE printer_id = ? AND status = 'queued'",
                (printer_id,),
            ).fetchone()
            return int(row[0])

        return self._call(run)

    def mark_printed(self, job_id: str, at: datetime) -> PrintJob:
        def run(conn: Any) -> PrintJob:
            job = _require(conn, job_id)
            conn.execute(
                "UPDATE print_jobs SET status = 'done', attempts = attempts + 1, "
                "printed_count = printed_count + 1, last_printed_at = ?, updated_at = ?, "
                "last_error = '' WHERE id = ?",
                (_ts(at), _ts(at), job_id),
            )
            if job.original_job_id:
                conn.execute(
                    "UPDATE print_jobs SET printed_count = printed_count + 1, updated_at = ? "
                    "WHERE id = ?",
                    (_ts(at), job.original_job_id),
                )
            return _require(conn, job_id)

        return self._call(run)

    def record_failure(self, job_id: str, error: str, at: datetime, *, final: bool) -> PrintJob:
        def run(conn: Any) -> PrintJob:
            _require(conn, job_id)
            conn.execute(
                "UPDATE print_jobs SET attempts = attempts + 1, last_error = ?, updated_at = ?, "
                "status = CASE WHEN ? THEN 'failed' ELSE status END WHERE id = ?",
                (error[:500], _ts(at), 1 if final else 0, job_id),
            )
            return _require(conn, job_id)

        return self._call(run)

    def add_reprint(
        self, job_id: str, at: datetime, operator: str, printer_id: str | None = None
    ) -> PrintJob:
        def run(conn: Any) -> PrintJob:
            job = _require(conn, job_id)
            root = _require(conn, job.original_job_id) if job.original_job_id else job
            row = conn.execute(
                "SELECT count(*) FROM print_jobs WHERE original_job_id = ?", (root.id,)
            ).fetchone()
            reprint = reprint_of(root, int(row[0]) + 1, at, operator, printer_id)
            insert_job(conn, reprint)
            return reprint

        return self._call(run)

    def requeue(self, job_id: str, at: datetime) -> PrintJob:
        def run(conn: Any) -> PrintJob:
            _require(conn, job_id)
            conn.execute(
                "UPDATE print_jobs SET status = 'queued', updated_at = ? WHERE id = ?",
                (_ts(at), job_id),
            )
            return _require(conn, job_id)

        return self._call(run)

    def cancel(self, job_id: str, at: datetime) -> PrintJob:
        def run(conn: Any) -> PrintJob:
            _require(conn, job_id)
            conn.execute(
                "UPDATE print_jobs SET status = 'cancelled', updated_at = ? "
                "WHERE id = ? AND status = 'queued'",
                (_ts(at), job_id),
            )
            return _require(conn, job_id)

        return self._call(run)

    def list_jobs(
        self, *, sale_ref: str | None = None, status: JobStatus | None = None, limit: int = 100
    ) -> list[PrintJob]:
        def run(conn: Any) -> list[PrintJob]:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM print_jobs "  # noqa: S608
                "WHERE (? IS NULL OR sale_ref = ?) AND (? IS NULL OR status = ?) "
                "ORDER BY created_at DESC, rowid DESC LIMIT ?",
                (sale_ref, sale_ref, None if status is None else status.value,
                 None if status is None else status.value, limit),
            ).fetchall()
            return [_row_to_job(r) for r in rows]

        return self._call(run)

    def purge(self, before: datetime) -> int:
        def run(conn: Any) -> int:
            cursor = conn.execute(
                "DELETE FROM print_jobs WHERE status != 'queued' AND created_at < :before "
                "AND NOT EXISTS (SELECT 1 FROM print_jobs AS r "
                "WHERE r.original_job_id = print_jobs.id "
                "AND (r.status = 'queued' OR r.created_at >= :before))",
                {"before": _ts(before)},
            )
            return int(cursor.rowcount)

        return self._call(run)
