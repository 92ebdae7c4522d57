"""Durable print jobs: the job record, the `PrintJobStore` protocol, and an in-memory store for
demos and unit tests (the SQLCipher one is `printers.sql_job_store`).

A job holds the receipt model as JSON (tokens included, which is why it lives in the encrypted
store and nowhere else), never the ESC/POS bytes: they are rendered when printed, so a fixed
layout bug applies to jobs still waiting. Counters:
- `attempts`      how many times sending was tried (failed or not);
- `printed_count` how many times the job reached the printer; for an original job it also
                  counts its reprints, so it is the number of paper copies of that receipt;
- `reprint_no`    on a reprint job, its number (1 for the first reprint of the original).
Table: offline_store/schema/0009_print_jobs.sql.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Protocol, TypeVar

from common.errors import InvalidInput
from printers import model
from printers.serialize import from_json, to_json

T = TypeVar("T")


class JobStatus(StrEnum):
    """Where a job is: waiting (`queued`), printed (`done`), or unprintable (`failed`)."""

    QUEUED = "queued"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class PrintJob:
    """One stored print job (see the module docstring for the counters)."""

    id: str
    created_at: datetime
    updated_at: datetime
    printer_id: str
    kind: str
    sale_ref: str
    payload: str
    status: JobStatus = JobStatus.QUEUED
    attempts: int = 0
    last_error: str = ""
    printed_count: int = 0
    last_printed_at: datetime | None = None
    original_job_id: str | None = None
    reprint_no: int = 0

    def receipt(self) -> model.Receipt:
        """The receipt model this job prints."""
        return from_json(self.payload)


def new_job(
    receipt: model.Receipt,
    printer_id: str,
    now: datetime,
    *,
    original_job_id: str | None = None,
) -> PrintJob:
    """A fresh queued job for `receipt` (not yet stored)."""
    reprint_no = receipt.reprint_no if isinstance(receipt, model.Reprint) else 0
    return PrintJob(
        id=str(uuid.uuid4()),
        created_at=now,
        updated_at=now,
        printer_id=printer_id,
        kind=receipt.kind,
        sale_ref=model.sale_reference(receipt),
        payload=to_json(receipt),
        original_job_id=original_job_id,
        reprint_no=reprint_no,
    )


class PrintJobStore(Protocol):
    """What the print queue needs from storage. Every method is one transaction."""

    def add(self, job: PrintJob) -> PrintJob:
        """Store a new job."""
        ...

    def get(self, job_id: str) -> PrintJob | None:
        """One job by id."""
        ...

    def due(self, printer_id: str, limit: int) -> list[PrintJob]:
        """Queued jobs of a printer, oldest first."""
        ...

    def count_queued(self, printer_id: str) -> int:
        """How many jobs wait for a printer."""
        ...

    def mark_printed(self, job_id: str, at: datetime) -> PrintJob:
        """The job reached the printer: done, attempts+1, printed_count+1 (and the original's,
        for a reprint)."""
        ...

    def record_failure(self, job_id: str, error: str, at: datetime, *, final: bool) -> PrintJob:
        """A send failed: attempts+1 and last_error; `final` marks the job failed for good."""
        ...

    def add_reprint(
        self, job_id: str, at: datetime, operator: str, printer_id: str | None = None
    ) -> PrintJob:
        """Queue a reprint of a job (of its original, if it is itself a reprint); numbers it."""
        ...

    def requeue(self, job_id: str, at: datetime) -> PrintJob:
        """Put a failed or cancelled job back in the queue."""
        ...

    def cancel(self, job_id: str, at: datetime) -> PrintJob:
        """Take a queued job out of the queue without printing it."""
        ...

    def list_jobs(
        self, *, sale_ref: str | None = None, status: JobStatus | None = None, limit: int = 100
    ) -> list[PrintJob]:
        """Jobs, newest first, optionally for one sale or in one status."""
        ...

    def purge(self, before: datetime) -> int:
        """Delete finished jobs (done, failed, cancelled) created before `before`, except an
        original whose reprints are kept; queued jobs are never deleted. Returns the count."""
        ...


def reprint_of(original: PrintJob, reprint_no: int, at: datetime, operator: str,
                printer_id: str | None) -> PrintJob:
    receipt = original.receipt()
    if isinstance(receipt, model.Reprint):  # the stored original is never a reprint; be safe
        receipt = receipt.original
    reprint = model.Reprint(receipt, reprint_no=reprint_no, reprinted_at=at, operator=operator)
    return new_job(reprint, printer_id or original.printer_id, at, original_job_id=original.id)


def missing_job(job_id: str) -> InvalidInput:
    return InvalidInput(f"There is no print job {job_id}.")


# --- in memory ------------------------------------------------------------------------------


class MemoryPrintJobStore:
    """`PrintJobStore` in a dict: for demos and tests that do not need durability."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: dict[str, PrintJob] = {}  # insertion order is queue order

    def add(self, job: PrintJob) -> PrintJob:
        with self._lock:
            self._jobs[job.id] = job
        return job

    def get(self, job_id: str) -> PrintJob | None:
        with self._lock:
            return self._jobs.get(job_id)

    def due(self, printer_id: str, limit: int) -> list[PrintJob]:
        with self._lock:
            jobs = [
                j for j in self._jobs.values()
                if j.printer_id == printer_id and j.status is JobStatus.QUEUED
            ]
        jobs.sort(key=lambda j: j.created_at)  # stable: insertion order breaks ties, as rowid
        return jobs[:limit]

    def count_queued(self, printer_id: str) -> int:
        return len(self.due(printer_id, 1_000_000))

    def _update(self, job_id: str, fn: Callable[[PrintJob], PrintJob]) -> PrintJob:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                raise missing_job(job_id)
            self._jobs[job_id] = fn(job)
            return self._jobs[job_id]

    def mark_printed(self, job_id: str, at: datetime) -> PrintJob:
        def done(j: PrintJob) -> PrintJob:
            return replace(j, status=JobStatus.DONE, attempts=j.attempts + 1,
                           printed_count=j.printed_count + 1, last_printed_at=at,
                           updated_at=at, last_error="")

        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                raise missing_job(job_id)
            self._jobs[job_id] = done(job)
            if job.original_job_id and job.original_job_id in self._jobs:
                orig = self._jobs[job.original_job_id]
                self._jobs[orig.id] = replace(orig, printed_count=orig.printed_count + 1,
                                              updated_at=at)
            return self._jobs[job_id]

    def record_failure(self, job_id: str, error: str, at: datetime, *, final: bool) -> PrintJob:
        return self._update(job_id, lambda j: replace(
            j, attempts=j.attempts + 1, last_error=error[:500], updated_at=at,
            status=JobStatus.FAILED if final else j.status))

    def add_reprint(
        self, job_id: str, at: datetime, operator: str, printer_id: str | None = None
    ) -> PrintJob:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                raise missing_job(job_id)
            root = self._jobs.get(job.original_job_id or "", job)
            count = sum(1 for j in self._jobs.values() if j.original_job_id == root.id)
            reprint = reprint_of(root, count + 1, at, operator, printer_id)
            self._jobs[reprint.id] = reprint
            return reprint

    def requeue(self, job_id: str, at: datetime) -> PrintJob:
        return self._update(job_id, lambda j: replace(j, status=JobStatus.QUEUED, updated_at=at))

    def cancel(self, job_id: str, at: datetime) -> PrintJob:
        return self._update(
            job_id, lambda j: replace(j, status=JobStatus.CANCELLED, updated_at=at)
            if j.status is JobStatus.QUEUED else j)

    def list_jobs(
        self, *, sale_ref: str | None = None, status: JobStatus | None = None, limit: int = 100
    ) -> list[PrintJob]:
        with self._lock:
            jobs = list(self._jobs.values())
        jobs = [
            j for j in jobs
            if (sale_ref is None or j.sale_ref == sale_ref)
            and (status is None or j.status is status)
        ]
        jobs.reverse()
        jobs.sort(key=lambda j: j.created_at, reverse=True)  # newest first, later insert first
        return jobs[:limit]

    def purge(self, before: datetime) -> int:
        with self._lock:
            old = {
                j.id for j in self._jobs.values()
                if j.status is not JobStatus.QUEUED and j.created_at < before
            }
            kept_children = {
                j.original_job_id for j in self._jobs.values()
                if j.id not in old and j.original_job_id
            }
            doomed = old - kept_children
            for job_id in doomed:
                del self._jobs[job_id]
            return len(doomed)
