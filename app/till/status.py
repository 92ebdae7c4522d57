"""`TerminalWatch`: the terminal facts the status bar shows, kept fresh by the core.

Connectivity probing and the terminal refresh (vendor credit, server time and the clock skew,
the cached terminal facts) live here, with the outbox figures, the printer's state, the
tariff versions in force, the last sync and the backend's capabilities: `status()` is one
snapshot of all of it.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime

from app.api import models as api
from app.api.errors import ServerUnavailable, TlsProblem
from app.backend import VendingBackend
from app.push.events import VendorCreditChanged
from app.sales import repository as repo
from app.sales.service import SaleService
from app.sync.events import SyncProgress
from app.tariffs import TariffService
from app.till.mapping import when
from app.till.results import Status, TariffInForce
from common.format import set_display_zone, terminal_zone
from printers.connections import PrinterState
from printers.queue import PrintQueue

log = logging.getLogger("vendpoint.till.status")

#: how often `status()` may ask the server for credit and time
TERMINAL_REFRESH_SECONDS = 60.0

_PRINTER_WORDS = {
    PrinterState.ONLINE: "ready", PrinterState.PAPER_LOW: "paper low",
    PrinterState.PAPER_OUT: "PAPER OUT", PrinterState.OFFLINE: "offline",
    PrinterState.UNKNOWN: "unknown",
}


class TerminalWatch:
    """Keeps the terminal facts and builds the till's `Status`; thread-safe."""

    def __init__(self, service: SaleService, backend: VendingBackend,
                 terminal: api.TerminalInfo, *, printer: PrintQueue | None,
                 tariffs: TariffService | None) -> None:
        self.service = service
        self.backend = backend
        self.printer = printer
        self.tariffs = tariffs
        self.store = service.store
        self._lock = threading.Lock()
        self._terminal = terminal
        self._terminal_at = time.monotonic()
        self._credit: api.Money | None = terminal.vendor_credit
        self._skew: int | None = None
        self._last_sync: datetime | None = None
        bus = service.bus
        self._subscriptions = [
            bus.subscribe(VendorCreditChanged, self._on_credit),
            bus.subscribe(SyncProgress, self._on_sync),
        ]
        self._note_skew(terminal.server_time)
        # Every time shown (screens, receipts, reports) is in the utility's zone.
        set_display_zone(terminal_zone(terminal.raw))

    @property
    def terminal(self) -> api.TerminalInfo:
        """The terminal's facts as last fetched (or cached)."""
        with self._lock:
            return self._terminal

    def note_credit(self, credit: api.Money) -> None:
        """The vendor credit a sale answer reported."""
        with self._lock:
            self._credit = credit

    def probe(self) -> bool:
        """Ask the server for the terminal facts now; True if it answered."""
        try:
            info = self.backend.terminal()
        except (ServerUnavailable, TlsProblem) as exc:
            self.service.connectivity.set(False, str(exc))
            return False
        finally:
            self._terminal_at = time.monotonic()
        self.service.connectivity.set(True)
        self.store.call(lambda c: repo.put_setting(c, "terminal_info", info.raw))
        with self._lock:
            self._terminal = info
            self._credit = info.vendor_credit
        set_display_zone(terminal_zone(info.raw))
        self._note_skew(info.server_time)
        return True

    def status(self) -> Status:
        """A fresh snapshot (probes the server at most once a minute)."""
        if time.monotonic() - self._terminal_at > TERMINAL_REFRESH_SECONDS:
            self.probe()
        stats = self.store.call(repo.outbox_stats)
        printer_word, printer_ok = "not set up", False
        if self.printer is not None:
            state = self.printer.status.state
            printer_word = _PRINTER_WORDS.get(state, str(state))
            printer_ok = state.can_print
        with self._lock:
            credit, skew, last_sync = self._credit, self._skew, self._last_sync
            currency = self._terminal.currency
        connectivity = self.service.connectivity
        return Status(
            online=connectivity.online, offline_reason=connectivity.reason,
            pending_count=stats.count,
            pending_value=stats.value if stats.value is not None else api.Money(0, currency),
            needs_attention=stats.needs_attention, currency=currency, printer=printer_word,
            printer_ok=printer_ok, capabilities=self.backend.capabilities,
            last_sync=last_sync, vendor_credit=credit, tariffs=self._tariffs_in_force(),
            clock_skew_seconds=skew)

    def _tariffs_in_force(self) -> tuple[TariffInForce, ...]:
        if self.tariffs is None:
            return ()
        out = []
        for tariff_id in self.tariffs.tariff_ids():
            doc = self.tariffs.in_force(tariff_id)
            if doc is not None:
                out.append(TariffInForce(tariff_id, doc.version))
        return tuple(out)

    def _note_skew(self, server_time: str) -> None:
        if not server_time:
            return
        skew = int((datetime.now(UTC) - when(server_time)).total_seconds())
        with self._lock:
            self._skew = skew

    def _on_credit(self, event: VendorCreditChanged) -> None:
        with self._lock:
            self._credit = event.vendor_credit

    def _on_sync(self, event: SyncProgress) -> None:
        if not event.unreachable:
            with self._lock:
                self._last_sync = datetime.now(UTC)

    def close(self) -> None:
        """Stop following the core's events."""
        for unsubscribe in self._subscriptions:
            unsubscribe()
