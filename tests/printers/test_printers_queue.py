"""The durable print queue on the real SQLCipher store with the TCP printer on loopback:
prints, survives a printer that goes away, holds on paper out, numbers reprints, skips a bad
record, survives a restart, and stops promptly."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from common.backoff import Backoff
from common.events import CoreEvent, EventBus
from offline_store import Store, open_store
from printers import samples
from printers.connections import NetworkConfig, open_connection
from printers.job_store import JobStatus, new_job
from printers.model import Receipt
from printers.profile import PrinterProfile
from printers.queue import PrintQueue
from printers.render import render_escpos
from printers.sql_job_store import SqlPrintJobStore
from printers.testing import EventRecorder, FakeTcpPrinter

PROFILE = PrinterProfile(columns=42)
FAST = Backoff(base=0.02, cap=0.2, jitter=0.0)


def make_queue(store: Store, printer: FakeTcpPrinter, bus: EventBus) -> PrintQueue:
    conn = open_connection(
        NetworkConfig("127.0.0.1", printer.port, timeout_s=2.0, status_timeout_s=0.2)
    )
    return PrintQueue(SqlPrintJobStore(store), "front", conn, PROFILE, bus, backoff=FAST,
                      idle_poll_s=5.0)


@pytest.fixture
def queue(store: Store, fake_printer: FakeTcpPrinter, bus: EventBus) -> Iterator[PrintQueue]:
    q = make_queue(store, fake_printer, bus)
    yield q
    assert q.stop(timeout=10)


def _done(job_id: str) -> Callable[[CoreEvent], bool]:
    return lambda e: e.name == "print.job_done" and e.data["job_id"] == job_id


def test_job_prints_exact_bytes_and_is_counted(
    queue: PrintQueue, fake_printer: FakeTcpPrinter, recorder: EventRecorder
) -> None:
    receipt = samples.token_receipt()
    queue.start()
    job = queue.enqueue(receipt)
    event = recorder.wait_for(_done(job.id))
    assert event.data["printed_count"] == 1
    assert fake_printer.wait_for_jobs(1) == [render_escpos(receipt, PROFILE)]
    stored = queue.store.get(job.id)
    assert stored is not None
    assert (stored.status, stored.attempts, stored.printed_count) == (JobStatus.DONE, 1, 1)
    # Events never carry token digits.
    assert all(samples.CREDIT.digits not in repr(e.data) for e in recorder.events)


def test_printer_away_then_back_nothing_lost_in_order(
    queue: PrintQueue, fake_printer: FakeTcpPrinter, recorder: EventRecorder
) -> None:
    fake_printer.stop()  # switched off: connection refused
    receipts: list[Receipt] = [samples.token_receipt(), samples.pending_slip(), samples.reversal(),
                samples.engineering(), samples.shift_close()]
    jobs = [queue.enqueue(r) for r in receipts]  # the sale path: never blocked, never raises
    queue.start()
    offline = recorder.wait_for(
        lambda e: e.name == "printer.status" and e.data["state"] == "offline"
    )
    assert offline.data["queued"] == 5
    fake_printer.start()  # back on the same port; the queue finds it after its backoff
    for job in jobs:
        recorder.wait_for(_done(job.id))
    assert fake_printer.wait_for_jobs(5) == [render_escpos(r, PROFILE) for r in receipts]
    assert all(queue.store.get(j.id).status is JobStatus.DONE for j in jobs)  # type: ignore[union-attr]
    assert queue.store.count_queued("front") == 0
    recorder.wait_for(lambda e: e.name == "printer.status" and e.data["state"] == "online")


def test_failed_send_is_recorded_and_retried(
    store: Store, fake_printer: FakeTcpPrinter, bus: EventBus, recorder: EventRecorder
) -> None:
    # A printer whose status cannot be read: the queue has to try, fail, and try again.
    conn = open_connection(NetworkConfig("127.0.0.1", fake_printer.port, timeout_s=1.0,
                                         query_status=False))
    queue = PrintQueue(SqlPrintJobStore(store), "front", conn, PROFILE, bus, backoff=FAST)
    fake_printer.stop()
    job = queue.enqueue(samples.token_receipt())
    queue.start()
    try:
        failed = recorder.wait_for(lambda e: e.name == "print.job_failed")
        assert failed.data["will_retry"] is True and failed.data["job_id"] == job.id
        assert "Cannot reach the printer" in failed.data["error"]
        recorder.wait_for(lambda e: e.name == "printer.status" and e.data["state"] == "offline")
        recorder.wait_for(  # still down at the next try: no flapping back to "unknown"
            lambda e: e.name == "print.job_failed" and e.data["attempts"] == 2)
        fake_printer.start()
        recorder.wait_for(_done(job.id))
    finally:
        assert queue.stop(timeout=10)
    states = [e.data["state"] for e in recorder.named("printer.status")]
    assert states == ["unknown", "offline", "unknown"]  # never "online": it cannot say so
    stored = queue.store.get(job.id)
    assert stored is not None and stored.attempts >= 2 and stored.printed_count == 1
    assert stored.last_error == ""
    assert len(fake_printer.wait_for_jobs(1)) == 1


def test_paper_out_holds_the_queue_until_paper_is_back(
    queue: PrintQueue, fake_printer: FakeTcpPrinter, recorder: EventRecorder
) -> None:
    fake_printer.mode = "paper_out"
    queue.start()
    job = queue.enqueue(samples.pending_slip())
    event = recorder.wait_for(
        lambda e: e.name == "printer.status" and e.data["state"] == "paper_out"
    )
    assert event.data["queued"] == 1
    # Held, not sent: a second status round shows it is still waiting, with nothing printed.
    fake_printer.wait_for_status_queries(fake_printer.status_queries + 4)
    assert fake_printer.jobs == []
    stored = queue.store.get(job.id)
    assert stored is not None and stored.status is JobStatus.QUEUED and stored.attempts == 0
    fake_printer.mode = "ok"
    queue.retry_now()
    recorder.wait_for(_done(job.id))
    recorder.wait_for(lambda e: e.name == "printer.status" and e.data["state"] == "online")
    assert len(fake_printer.wait_for_jobs(1)) == 1


def test_silent_printer_is_unknown_never_online_but_still_prints(
    queue: PrintQueue, fake_printer: FakeTcpPrinter, recorder: EventRecorder
) -> None:
    fake_printer.mode = "silent"
    queue.start()
    job = queue.enqueue(samples.x_report())
    recorder.wait_for(_done(job.id))
    states = [e.data["state"] for e in recorder.named("printer.status")]
    assert states == ["unknown"]
    assert queue.status.state.value == "unknown"


def test_reprints_are_numbered_and_counted(
    queue: PrintQueue, fake_printer: FakeTcpPrinter, recorder: EventRecorder
) -> None:
    queue.start()
    original = queue.enqueue(samples.token_receipt(key_change=False))
    recorder.wait_for(_done(original.id))
    first = queue.reprint(original.id, operator="Thandi")
    recorder.wait_for(_done(first.id))
    second = queue.reprint(first.id, operator="Thandi")  # a reprint of a reprint: same original
    recorder.wait_for(_done(second.id))
    assert (first.reprint_no, second.reprint_no) == (1, 2)
    assert second.original_job_id == original.id
    jobs = fake_printer.wait_for_jobs(3)
    assert b"REPRINT" not in jobs[0]
    assert b"REPRINT" in jobs[2] and b"Reprint no. 2" in jobs[2]
    assert samples.CREDIT.grouped()[:9].encode() in jobs[2]  # the token is printed again
    stored = queue.store.get(original.id)
    assert stored is not None and stored.printed_count == 3
    assert [j.kind for j in queue.store.list_jobs(sale_ref=original.sale_ref)] == [
        "reprint", "reprint", "token"]


def test_a_bad_record_is_skipped_not_blocking(
    queue: PrintQueue, fake_printer: FakeTcpPrinter, recorder: EventRecorder
) -> None:
    bad = replace(new_job(samples.pending_slip(), "front", samples.AT),
                  payload='{"kind": "from-the-future"}')
    queue.store.add(bad)
    good = queue.enqueue(samples.pending_slip())
    queue.start()
    recorder.wait_for(_done(good.id))
    failed = recorder.wait_for(
        lambda e: e.name == "print.job_failed" and e.data["job_id"] == bad.id
    )
    assert failed.data["will_retry"] is False
    stored = queue.store.get(bad.id)
    assert stored is not None and stored.status is JobStatus.FAILED
    assert len(fake_printer.wait_for_jobs(1)) == 1


def test_jobs_survive_a_restart(tmp_path: Path, fake_printer: FakeTcpPrinter) -> None:
    key = secrets.token_bytes(32)
    path = tmp_path / "restart.db"
    with open_store(path, key, create=True) as store:
        job = make_queue(store, fake_printer, EventBus()).enqueue(samples.token_receipt())
    # The process "dies" before printing; the next start prints from the encrypted file.
    bus = EventBus()
    recorder = EventRecorder(bus)
    with open_store(path, key) as store:
        queue = make_queue(store, fake_printer, bus)
        queue.start()
        recorder.wait_for(_done(job.id))
        assert queue.stop(timeout=10)
    assert fake_printer.wait_for_jobs(1) == [render_escpos(samples.token_receipt(), PROFILE)]
    assert samples.CREDIT.digits.encode() not in path.read_bytes()  # encrypted at rest


def test_stop_returns_promptly_when_idle(queue: PrintQueue, recorder: EventRecorder) -> None:
    queue.start()
    recorder.wait_for(lambda e: e.name == "printer.status")  # the worker has run a pass
    assert queue.stop(timeout=5)


def test_restart_after_stop(
    queue: PrintQueue, fake_printer: FakeTcpPrinter, recorder: EventRecorder
) -> None:
    queue.start()
    assert queue.stop(timeout=10)
    queue.start()
    job = queue.enqueue(samples.shift_close())
    recorder.wait_for(_done(job.id))
    assert len(fake_printer.wait_for_jobs(1)) == 1
