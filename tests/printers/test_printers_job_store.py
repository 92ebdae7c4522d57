"""Both `PrintJobStore` implementations keep the same contract: FIFO per printer, counters,
numbered reprints, failures that are recorded but never lose a job. The SQLCipher one runs on
a real encrypted file, with migration 0009 applied by the store itself."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from common.errors import ConfigError, InvalidInput
from offline_store import Store
from printers import samples
from printers.job_store import (
    JobStatus,
    MemoryPrintJobStore,
    PrintJobStore,
    new_job,
)
from printers.model import Reprint, TokenReceipt
from printers.profile import PrinterProfile
from printers.sql_job_store import SqlPrintJobStore

T0 = samples.AT


@pytest.fixture(params=["sqlcipher", "memory"])
def jobs(request: pytest.FixtureRequest, store: Store) -> Iterator[PrintJobStore]:
    yield SqlPrintJobStore(store) if request.param == "sqlcipher" else MemoryPrintJobStore()


def test_fifo_per_printer(jobs: PrintJobStore) -> None:
    a = jobs.add(new_job(samples.token_receipt(), "front", T0))
    b = jobs.add(new_job(samples.pending_slip(), "back", T0))
    c = jobs.add(new_job(samples.reversal(), "front", T0))  # same time: insertion order
    d = jobs.add(new_job(samples.x_report(), "front", T0 - timedelta(seconds=1)))
    assert [j.id for j in jobs.due("front", 10)] == [d.id, a.id, c.id]
    assert [j.id for j in jobs.due("back", 10)] == [b.id]
    assert jobs.count_queued("front") == 3
    assert jobs.due("front", 1)[0].id == d.id


def test_payload_round_trips_exactly(jobs: PrintJobStore) -> None:
    job = jobs.add(new_job(samples.token_receipt(), "front", T0))
    stored = jobs.get(job.id)
    assert stored == job
    assert stored is not None and stored.receipt() == samples.token_receipt()
    assert (stored.kind, stored.sale_ref) == ("token", "VP-7F3K-9Q2M")


def test_counters_failures_and_reprints(jobs: PrintJobStore) -> None:
    job = jobs.add(new_job(samples.token_receipt(), "front", T0))
    failed = jobs.record_failure(job.id, "Cannot reach the printer", T0, final=False)
    assert (failed.attempts, failed.status, failed.last_error) == (
        1, JobStatus.QUEUED, "Cannot reach the printer")
    done = jobs.mark_printed(job.id, T0 + timedelta(seconds=5))
    assert (done.status, done.attempts, done.printed_count, done.last_error) == (
        JobStatus.DONE, 2, 1, "")
    assert done.last_printed_at == T0 + timedelta(seconds=5)
    r1 = jobs.add_reprint(job.id, T0 + timedelta(hours=1), "Thandi")
    r2 = jobs.add_reprint(r1.id, T0 + timedelta(hours=2), "Sipho", "back")
    assert (r1.reprint_no, r2.reprint_no) == (1, 2)
    assert r2.original_job_id == job.id and r2.printer_id == "back"
    receipt = r2.receipt()
    assert isinstance(receipt, Reprint) and isinstance(receipt.original, TokenReceipt)
    assert receipt.reprint_no == 2 and receipt.operator == "Sipho"
    jobs.mark_printed(r1.id, T0 + timedelta(hours=1))
    original = jobs.get(job.id)
    assert original is not None and original.printed_count == 2  # copies of this receipt
    assert [j.reprint_no for j in jobs.list_jobs(sale_ref=job.sale_ref)] == [2, 1, 0]
    assert [j.id for j in jobs.list_jobs(status=JobStatus.DONE)] == [r1.id, job.id]


def test_final_failure_cancel_and_requeue(jobs: PrintJobStore) -> None:
    job = jobs.add(new_job(samples.pending_slip(), "front", T0))
    assert jobs.record_failure(job.id, "cannot render", T0, final=True).status is JobStatus.FAILED
    assert jobs.due("front", 10) == []
    assert jobs.requeue(job.id, T0).status is JobStatus.QUEUED
    assert jobs.cancel(job.id, T0).status is JobStatus.CANCELLED
    assert jobs.count_queued("front") == 0
    with pytest.raises(InvalidInput, match="no print job"):
        jobs.mark_printed("nope", T0)


def test_profile_columns_are_checked() -> None:
    with pytest.raises(ConfigError, match="between 24 and 64"):
        PrinterProfile(columns=80)


def test_purge_keeps_queued_jobs_and_originals_of_kept_reprints(jobs: PrintJobStore) -> None:
    old_done = jobs.add(new_job(samples.token_receipt(), "front", T0))
    jobs.mark_printed(old_done.id, T0)
    old_queued = jobs.add(new_job(samples.pending_slip(), "front", T0))
    parent = jobs.add(new_job(samples.reversal(), "front", T0))
    jobs.mark_printed(parent.id, T0)
    recent_reprint = jobs.add_reprint(parent.id, T0 + timedelta(days=40), "Thandi")
    old_parent = jobs.add(new_job(samples.engineering(), "front", T0))
    old_reprint = jobs.add_reprint(old_parent.id, T0 + timedelta(days=1), "Thandi")
    jobs.mark_printed(old_parent.id, T0)
    jobs.mark_printed(old_reprint.id, T0 + timedelta(days=1))
    assert jobs.purge(T0 + timedelta(days=30)) == 3  # old_done, old_parent, old_reprint
    remaining = {j.id for j in jobs.list_jobs(limit=100)}
    assert remaining == {old_queued.id, parent.id, recent_reprint.id}
