"""The print queue of one printer: durable jobs, a worker thread, retries, events.

`enqueue` only writes the job to the store and wakes the worker, so a sale never waits for
(or fails because of) the printer. The worker, per pass: asks the printer's status; if it
says paper out or offline, holds; otherwise renders and sends the queued jobs oldest first,
each in one write. A failed send keeps the job queued (attempts and last_error recorded) and
holds the whole queue with exponential backoff, because a printer problem is not the job's
fault; `retry_now` ends a hold at once (the UI's "Retry" button). A job that cannot even be
rendered (a bug, a payload from a newer version) is marked failed and skipped, so one bad
record never blocks the queue.

Events on the Qt-free bus (declared in `printers.events`, never with token digits):
`PrinterStatusChanged` when the state changes, `PrintJobQueued`, `PrintJobDone`,
`PrintJobFailed`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from common.backoff import Backoff
from common.events import EventBus
from printers import model
from printers.connections import PrinterConnection, PrintError, PrinterState, PrinterStatus
from printers.drawer import opens_drawer
from printers.events import PrinterStatusChanged, PrintJobDone, PrintJobFailed, PrintJobQueued
from printers.job_store import PrintJob, PrintJobStore, new_job
from printers.profile import PrinterProfile
from printers.render import render_escpos

log = logging.getLogger("vendpoint.printers.queue")


def utcnow() -> datetime:
    """Aware UTC now (the default clock)."""
    return datetime.now(UTC)


class PrintQueue:
    """Durable FIFO print queue with one worker thread for one printer."""

    def __init__(
        self,
        store: PrintJobStore,
        printer_id: str,
        connection: PrinterConnection,
        profile: PrinterProfile,
        bus: EventBus,
        *,
        backoff: Backoff | None = None,
        clock: Callable[[], datetime] = utcnow,
        idle_poll_s: float = 30.0,
        watch_when_idle: bool = True,
        batch: int = 20,
    ) -> None:
        self.store = store
        self.printer_id = printer_id
        self.connection = connection
        self.profile = profile
        self.bus = bus
        self.backoff = backoff or Backoff(jitter=0.1)
        self.clock = clock
        self.idle_poll_s = idle_poll_s
        self.watch_when_idle = watch_when_idle
        self.batch = batch
        self._cond = threading.Condition()
        self._wake = False
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._failures = 0
        self._status = PrinterStatus(PrinterState.UNKNOWN, "not checked yet")
        self._status_published = False

    # --- API for the app ------------------------------------------------------------------

    @property
    def status(self) -> PrinterStatus:
        """The last known printer status."""
        return self._status

    def enqueue(self, receipt: model.Receipt) -> PrintJob:
        """Store a job for `receipt` and wake the worker. Never talks to the printer.

        One store transaction: call it from core code (the sale operation's worker), not on
        the GUI thread.
        """
        job = self.store.add(new_job(receipt, self.printer_id, self.clock()))
        self.bus.publish(PrintJobQueued(job_id=job.id, printer_id=self.printer_id,
                                        kind=job.kind, sale_ref=job.sale_ref))
        self._poke()
        return job

    def reprint(self, job_id: str, operator: str = "") -> PrintJob:
        """Queue a numbered REPRINT of any stored job on this printer."""
        job = self.store.add_reprint(job_id, self.clock(), operator, self.printer_id)
        self.bus.publish(PrintJobQueued(job_id=job.id, printer_id=self.printer_id,
                                        kind=job.kind, sale_ref=job.sale_ref))
        self._poke()
        return job

    def retry_now(self) -> None:
        """End a backoff hold and try the printer again at once."""
        self._poke()

    def wake(self) -> None:
        """Jobs were written elsewhere (in a sale's own store transaction): print them now."""
        self._poke()

    def start(self) -> None:
        """Start the worker thread (again after `stop`; no-op while it runs)."""
        if self._thread is not None and self._thread.is_alive():
            return
        with self._cond:
            self._stopping = False
        self._thread = threading.Thread(
            target=self._run, name=f"print-worker:{self.printer_id}", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> bool:
        """Ask the worker to stop and wait; True if it stopped. Queued jobs stay stored.

        A send already under way finishes first (bounded by the connection's timeout).
        """
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    # --- worker -------------------------------------------------------------------------

    def _poke(self) -> None:
        with self._cond:
            self._wake = True
            self._cond.notify_all()

    def _run(self) -> None:
        while True:
            with self._cond:
                if self._stopping:
                    return
                self._wake = False
            try:
                wait_s = self.run_pass()
            except Exception:  # the store failed: log, wait, try again; never die silently
                log.exception("print worker pass failed for %s", self.printer_id)
                self._failures += 1
                wait_s = self.backoff.after(self._failures)
            with self._cond:
                if not self._wake and not self._stopping:
                    self._cond.wait(timeout=wait_s)

    def run_pass(self) -> float:
        """Print what is due; return how long to wait before the next pass."""
        jobs = self.store.due(self.printer_id, self.batch)
        if not jobs:
            if self.watch_when_idle:
                # Keep the status bar honest while nothing prints (paper ran out, unplugged).
                self._observe(self.connection.status())
            return self.idle_poll_s
        status = self.connection.status()
        self._observe(status)
        if not status.state.can_print:
            return self._hold()
        for job in jobs:
            if self._stopping:
                return 0.0
            try:
                receipt = job.receipt()
                kick = opens_drawer(job, receipt, self.profile, self.store, self.clock())
                data = render_escpos(receipt, self.profile, open_drawer=kick)
            except Exception as exc:
                # A bug or an unreadable payload: this job can never print; skip it.
                log.exception("print job %s cannot be rendered", job.id)
                failed = self.store.record_failure(
                    job.id, f"cannot render: {type(exc).__name__}", self.clock(), final=True
                )
                self._job_failed(failed, failed.last_error, will_retry=False)
                continue
            try:
                self.connection.send(data)
            except PrintError as exc:
                failed = self.store.record_failure(job.id, str(exc), self.clock(), final=False)
                self._job_failed(failed, str(exc), will_retry=True)
                self._set_status(PrinterStatus(PrinterState.OFFLINE, str(exc)))
                return self._hold()
            if self._status.state is PrinterState.OFFLINE:
                # Delivered: reachable again, though paper is still not known.
                self._set_status(PrinterStatus(PrinterState.UNKNOWN, "job delivered"))
            done = self.store.mark_printed(job.id, self.clock())
            self.bus.publish(PrintJobDone(
                job_id=done.id, printer_id=self.printer_id, kind=done.kind,
                sale_ref=done.sale_ref, printed_count=done.printed_count,
                reprint_no=done.reprint_no,
            ))
        self._failures = 0
        # More may be waiting beyond this batch: go again at once.
        return 0.0

    def _hold(self) -> float:
        self._failures += 1
        return self.backoff.after(self._failures)

    def _job_failed(self, job: PrintJob, error: str, *, will_retry: bool) -> None:
        self.bus.publish(PrintJobFailed(
            job_id=job.id, printer_id=self.printer_id, kind=job.kind,
            sale_ref=job.sale_ref, attempts=job.attempts, error=error, will_retry=will_retry,
        ))

    def _observe(self, status: PrinterStatus) -> None:
        """Take a status reading, except that "unknown" (a printer that cannot report) does
        not overwrite "offline" learnt from a failed send: only a delivered job clears it."""
        if status.state is PrinterState.UNKNOWN and self._status.state is PrinterState.OFFLINE:
            return
        self._set_status(status)

    def _set_status(self, status: PrinterStatus) -> None:
        changed = status.state is not self._status.state or not self._status_published
        self._status = status
        self._status_published = True
        if changed:
            log.info("printer %s is %s (%s)", self.printer_id, status.state, status.detail)
            self.bus.publish(PrinterStatusChanged(
                printer_id=self.printer_id, state=status.state.value,
                detail=status.detail, queued=self.store.count_queued(self.printer_id),
            ))
