"""`DocumentWriter`: what the supervisor services need to write a document IN the store
transaction that records their action (a reversal, an engineering token, a reprint).

The client core's `app.sales.documents.Documents` is one (structurally); a plain
`ReceiptSink` (a print queue) is not, and then the services queue the slip after the commit
as before.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from offline_store import Connection
from printers import model as pm
from printers.job_store import PrintJob


@runtime_checkable
class DocumentWriter(Protocol):
    """Print jobs written with the caller's connection, announced after the commit."""

    def record(self, conn: Connection, receipt: pm.Receipt, *,
               original_job_id: str | None = None) -> PrintJob:
        """Insert the job for `receipt` in the caller's transaction."""
        ...

    def announce(self, job: PrintJob | None) -> None:
        """After the commit: wake the printer, say the job is queued."""
        ...

    def enqueue(self, receipt: pm.Receipt) -> PrintJob:
        """A document in its own transaction."""
        ...

    def stored_token_receipt(self, conn: Connection, idem_key: str) -> pm.TokenReceipt | None:
        """A tokened sale's token receipt rebuilt from its stored answer (None if none)."""
        ...
