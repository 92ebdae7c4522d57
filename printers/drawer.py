"""When a print job opens the cash drawer: a cash sale's first document, printed while the
customer can still be at the counter.

The kick itself is ESC p on the printer's drawer connector (`PrinterProfile.cash_drawer`,
`DrawerKick.command`), appended after the cut of the job's bytes (`render_escpos(...,
open_drawer=True)`). The print queue asks `opens_drawer` for each job it renders, so the
sale code never sends printer bytes itself. The drawer opens for:
- a token receipt whose sale recorded the cash handed over, or a pending (offline) slip
  with the cash handed over: the cashier has money to put away and change to give;
- the sale's FIRST document to reach the printer: a token receipt that follows a printed
  pending slip (the token arrived later by sync) does not open it again;
- an original, never a reprint;
- within `PrinterProfile.drawer_within_s` of the job being queued: a job that waited for a
  printer that was down prints later without opening the drawer in front of nobody.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from printers import model
from printers.job_store import PrintJob, PrintJobStore
from printers.profile import PrinterProfile


def is_cash_sale(receipt: model.Receipt) -> bool:
    """A sale document that records cash handed over (token receipt or pending slip)."""
    if isinstance(receipt, model.TokenReceipt):
        return receipt.sale.cash_tendered is not None
    if isinstance(receipt, model.PendingSlip):
        return receipt.cash_tendered is not None
    return False


def opens_drawer(job: PrintJob, receipt: model.Receipt, profile: PrinterProfile,
                 store: PrintJobStore, now: datetime) -> bool:
    """Whether printing `job` (whose receipt is `receipt`) should kick the cash drawer."""
    if profile.cash_drawer is None or job.original_job_id is not None or job.reprint_no:
        return False
    if job.printed_count or not is_cash_sale(receipt) or not job.sale_ref:
        return False
    if now - job.created_at > timedelta(seconds=profile.drawer_within_s):
        return False
    return not any(other.id != job.id and other.printed_count
                   for other in store.list_jobs(sale_ref=job.sale_ref, limit=50))
