"""A sale's documents (token receipt, pending slip, reversal slip, reprints) as print jobs
written IN the store transaction that changes the sale.

The store has one owner thread and `store.call(fn)` runs `fn(conn)` in one transaction, so a
service that changes a sale's state calls `Documents.record(conn, receipt)` with the
connection it was given: either both the state change and its print job are committed, or
neither is. After the commit, `Documents.announce(job)` wakes the print worker and publishes
`print.job_queued`. A crash in between loses nothing: the worker prints queued jobs when it
starts again.

Without a printer set up, the documents are still recorded (as jobs that will not print:
status `cancelled`, `last_error` "no printer set up"), so the cashier reads the token from the
screen and, once a printer is set up, a reprint prints the sale's newest document. Old
documents are never printed by surprise when a printer appears. When a pending sale's token
arrives while its pending slip has not printed yet (printer off), the slip is cancelled in the
same transaction: the customer gets the token receipt, never a "NOT A TOKEN" slip after it.

Each document is recorded with the language it prints in: what the customer takes away in the
customer-facing language (`app.till.locale.customer_language`: the `receipt.language`
setting, "" = the terminal's), reports and shift slips in the operator's (the current
language); a reprint in its original's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from app.api.models import Money, Sale
from app.sales.cash import cash_tendered_for
from common import i18n
from common.events import EventBus
from offline_store import Connection, Store
from printers import model as pm
from printers.events import PrintJobQueued
from printers.job_store import JobStatus, PrintJob, new_job
from printers.sql_job_store import insert_job

log = logging.getLogger("vendpoint.sales.documents")

#: The printer id documents are filed under when no printer is set up.
NO_PRINTER = "none"
NO_PRINTER_NOTE = "no printer set up: recorded for a reprint"
SUPERSEDED_NOTE = "superseded by the token receipt"


#: The slips the operator keeps: printed in the operator's language, not the customer's.
_OPERATOR_SLIPS = (pm.ShiftReport, pm.ShiftCloseSlip)


def pm_money(money: Money) -> pm.Money:
    """The printers' money (the one `common.money.Money`)."""
    return pm.Money(money.minor, money.currency)


@dataclass(frozen=True)
class ReceiptContext:
    """Who and where, as printed on slips the sale service makes itself (the token receipt
    takes them from the server's answer): the terminal, the vendor and the utility."""

    terminal_id: str = ""
    vendor_id: str = ""
    vendor_name: str = ""
    utility_name: str = ""
    utility_address: str = ""
    vat_number: str = ""

    @classmethod
    def from_terminal_raw(cls, raw: dict[str, Any]) -> ReceiptContext:
        """From the `GET /v1/terminal` JSON (cached in the store's settings)."""
        utility = raw.get("utility") or {}
        vendor = raw.get("vendor") or {}
        return cls(str(raw.get("terminal_id", "")), str(vendor.get("id", "")),
                   str(vendor.get("name", "")), str(utility.get("name", "")),
                   str(utility.get("address", "")), str(utility.get("vat_number", "")))

    def utility(self) -> pm.Party:
        """The utility as a printed party."""
        return pm.Party(self.utility_name, (self.utility_address,), tax_id=self.vat_number)

    def pos(self, operator_name: str) -> pm.PointOfSale:
        """The vendor, terminal and operator as printed."""
        return pm.PointOfSale(pm.Party(self.vendor_name or self.vendor_id), self.vendor_id,
                              self.terminal_id, operator_name)


def operator_name(conn: Connection, operator_id: str) -> str:
    """The operator's name from this terminal's operator cache (else the id)."""
    row = conn.execute("SELECT name FROM operators WHERE operator_id = ?",
                       (operator_id,)).fetchone()
    return str(row[0]) if row is not None and row[0] else operator_id


class Documents:
    """Records documents as print jobs inside the caller's transaction; see the module doc."""

    def __init__(self, store: Store, bus: EventBus, context: ReceiptContext, *,
                 printer_id: str | None, wake_printer: Callable[[], None] | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 customer_language: Callable[[], str] = i18n.language) -> None:
        self.store = store
        self.bus = bus
        self.context = context
        #: None when no printer is set up (documents are recorded, not printed).
        self.printer_id = printer_id
        self._wake = wake_printer or (lambda: None)
        self._clock = clock
        #: The customer-facing language now (`app.till.locale.customer_language`).
        self.customer_language = customer_language

    @property
    def printing(self) -> bool:
        """True when a printer is set up (recorded documents are queued for it)."""
        return self.printer_id is not None

    def record(self, conn: Connection, receipt: pm.Receipt, *,
               original_job_id: str | None = None) -> PrintJob:
        """Insert the print job for `receipt` with the caller's connection (same transaction).

        Call `announce(job)` after the transaction committed. A receipt made without a
        language gets the one it prints in (see the module doc).
        """
        if not receipt.language and not isinstance(receipt, pm.Reprint):
            lang = i18n.language() if isinstance(receipt, _OPERATOR_SLIPS) else \
                self.customer_language()
            receipt = replace(receipt, language=lang)
        job = new_job(receipt, self.printer_id or NO_PRINTER, self._clock(),
                      original_job_id=original_job_id)
        if self.printer_id is None:
            job = replace(job, status=JobStatus.CANCELLED, last_error=NO_PRINTER_NOTE)
        insert_job(conn, job)
        return job

    def announce(self, job: PrintJob | None) -> None:
        """After commit: wake the print worker and say a job is queued (nothing without a
        printer)."""
        if job is None or job.status is not JobStatus.QUEUED:
            return
        self.bus.publish(PrintJobQueued(job_id=job.id, printer_id=job.printer_id,
                                        kind=job.kind, sale_ref=job.sale_ref))
        self._wake()

    def enqueue(self, receipt: pm.Receipt) -> PrintJob:
        """A document that belongs to no state change (X report, shift close, engineering
        reprint) in its own transaction: the supervisor services' `ReceiptSink`."""
        job = self.store.call(lambda c: self.record(c, receipt))
        self.announce(job)
        return job

    def record_token_receipt(self, conn: Connection, sale: Sale) -> PrintJob:
        """The token receipt (tax invoice) of a tokened sale, in the caller's transaction."""
        # Imported here: the receipts mapping imports the supervisor package, which imports
        # the sale service (no import cycle at module load).
        from app.sales.receipts import recorded_cash, token_receipt

        receipt = token_receipt(sale, recorded_cash(conn, sale))
        # A pending slip still waiting for the printer is superseded: the customer gets the
        # token receipt, not a "NOT A TOKEN" slip after the tokens exist.
        conn.execute(
            "UPDATE print_jobs SET status = 'cancelled', last_error = ? "
            "WHERE sale_ref = ? AND kind = 'pending' AND status = 'queued'",
            (SUPERSEDED_NOTE, receipt.sale.reference))
        return self.record(conn, receipt)

    def stored_token_receipt(self, conn: Connection, idem_key: str) -> pm.TokenReceipt | None:
        """A tokened sale's token receipt rebuilt from its stored answer (None if none):
        for a reprint whose original job is gone."""
        from app.sales.receipts import stored_sale_receipt  # no import cycle at load

        data = stored_sale_receipt(conn, idem_key)
        return None if data is None else pm.TokenReceipt(data)

    def pending_slip(self, conn: Connection, *, reference: str, created_at: str,
                     customer_name: str, customer_address: str, meter_number: str,
                     amount: Money, operator_id: str, delivery: str) -> pm.PendingSlip:
        """The pending (offline) slip, which says it is NOT a token. The cash handed over (kept
        with the sale in this same transaction) makes it a cash sale's document: the drawer
        opens where one is configured."""
        cash = cash_tendered_for(conn, reference)
        return pm.PendingSlip(
            utility=self.context.utility(),
            pos=self.context.pos(operator_name(conn, operator_id)),
            reference=reference,
            issued_at=datetime.fromisoformat(created_at.replace("Z", "+00:00")),
            customer=pm.Party(customer_name, (customer_address,)),
            meter=pm.MeterInfo(meter_number), amount=pm_money(amount), delivery=delivery,
            cash_tendered=None if cash is None else pm_money(cash))
