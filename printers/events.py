"""The events the print queue publishes on the core `EventBus` (declared once, here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from common.events import CoreEvent

__all__ = ["PrintJobDone", "PrintJobFailed", "PrintJobQueued", "PrinterStatusChanged"]


@dataclass(frozen=True)
class PrintJobQueued(CoreEvent):
    """A print job was stored and waits for the printer."""

    name: ClassVar[str] = "print.job_queued"
    job_id: str
    printer_id: str
    kind: str
    sale_ref: str


@dataclass(frozen=True)
class PrintJobDone(CoreEvent):
    """A print job reached the printer."""

    name: ClassVar[str] = "print.job_done"
    job_id: str
    printer_id: str
    kind: str
    sale_ref: str
    printed_count: int
    reprint_no: int


@dataclass(frozen=True)
class PrintJobFailed(CoreEvent):
    """A print job could not be delivered (`will_retry`: it stays queued)."""

    name: ClassVar[str] = "print.job_failed"
    job_id: str
    printer_id: str
    kind: str
    sale_ref: str
    attempts: int
    error: str
    will_retry: bool


@dataclass(frozen=True)
class PrinterStatusChanged(CoreEvent):
    """The printer's state changed (`state` is a `PrinterState` value)."""

    name: ClassVar[str] = "printer.status"
    printer_id: str
    state: str
    detail: str
    queued: int
