"""The XMLVend backend's parts of the till beyond the port: shift batches, reprints from the
server's copy, and confirmation advice after each tokened sale (wired by `app.till.build`).

- `ShiftBatchesOverXmlVend`: a shift opening starts the server's shift batch (and the sales
  batch, if none is open); the last shift closing ends the shift batch. The sales batch ends
  with the Z report (`XmlVendBackend.z_report`).
- `server_reprint(backend, store)`: the reprint gate's `ServerReprint`: the server's copy
  of a receipt (`reprintReq` by meter) printed with the till's own record of the sale (the
  operator, the cash tendered); the server's tokens and amounts win.
- `Confirmations`: sends `ConfirmationAdviceReq` for each tokened sale on its own thread,
  one at a time (best effort: a confirmation that fails is logged, the sale stands).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

from app.api.models import parse_sale
from app.sales.events import SaleTokened
from app.sales.receipts import recorded_cash, stored_sale, token_receipt
from app.xmlvend.backend import XmlVendBackend
from offline_store import Store
from printers import model as pm

__all__ = ["Confirmations", "ShiftBatchesOverXmlVend", "server_reprint"]

log = logging.getLogger("vendpoint.xmlvend")

#: The parts of a stored sale the server's reprint copy replaces (what the server issued).
SERVER_PARTS = ("receipt_no", "tokens", "units", "lines", "amount_tendered", "vat")


class ShiftBatchesOverXmlVend:
    """`app.supervisor.shifts.ShiftBatches` over the XMLVend server's batches."""

    def __init__(self, backend: XmlVendBackend) -> None:
        self.backend = backend

    def shift_opened(self, operator_id: str) -> str:
        shift = self.backend.batch("start", "shift", operator_id)
        sales = self.backend.batch("start", "sales", operator_id)
        return (f"shift batch {shift.seq_no if shift else 'already open'}, "
                f"sales batch {sales.seq_no if sales else 'already open'}")

    def shift_closed(self, operator_id: str, others_open: bool) -> str:
        if others_open:
            return "shift batch left open: other shifts are open"
        ended = self.backend.batch("end", "shift", operator_id)
        if ended is None:
            return "no shift batch was open"
        return f"shift batch {ended.seq_no} ended, total {ended.total}"


def server_reprint(backend: XmlVendBackend,
                   store: Store) -> Callable[[str], pm.Receipt | None]:
    """The reprint gate's `ServerReprint` over `backend` (see the module docstring)."""

    def copy(idem_key: str) -> pm.Receipt | None:
        local = store.call(lambda c: stored_sale(c, idem_key))
        if local is None:
            return None
        operator = str((local.raw.get("operator") or {}).get("id", ""))
        server = backend.reprint_copy(local.meter_number, local.receipt_no, operator)
        if server is None:
            return None
        if [t.digits for t in server.tokens] != [t.digits for t in local.tokens]:
            # What the server issued is what the customer must enter: print it, and say so.
            log.warning("the server's copy of %s has other tokens than this till's record; "
                        "reprinting the server's", local.receipt_no)
        merged = dict(local.raw)
        merged.update({k: server.raw[k] for k in SERVER_PARTS})
        sale = parse_sale(merged)
        return token_receipt(sale, store.call(lambda c: recorded_cash(c, sale)))

    return copy


class Confirmations:
    """Confirmation advice for tokened sales, sent one by one on a worker thread."""

    def __init__(self, backend: XmlVendBackend) -> None:
        self.backend = backend
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="xmlvend-confirm", daemon=True)
        #: Keys confirmed (True/False as the server said), for the status and tests.
        self.results: dict[str, bool | None] = {}
        self.done = threading.Condition()

    def start(self) -> None:
        """Start the worker."""
        self._thread.start()

    def stop(self) -> None:
        """Stop after the confirmation being sent (the rest are dropped: best effort)."""
        self._queue.put(None)
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def on_tokened(self, event: SaleTokened) -> None:
        """The bus handler: queue the sale's confirmation (never blocks the sale)."""
        self._queue.put(event.idempotency_key)

    def _run(self) -> None:
        while True:
            key = self._queue.get()
            if key is None:
                return
            try:
                result = self.backend.confirm(key)
            except Exception as exc:  # best effort: the sale stands
                log.info("confirmation advice for a sale failed: %s", type(exc).__name__)
                result = None
            with self.done:
                self.results[key] = result
                self.done.notify_all()
