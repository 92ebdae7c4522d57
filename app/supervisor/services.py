"""`SupervisorServices`: every supervisor service wired from the core's parts, in one object.

The core builds it once (`SupervisorServices.build`, from the till's composition) and the UI
hands it to the supervisor screens (`ui/supervisor/install.py`). Every service that shows or
changes figures takes the acting `Actor` and checks its permission itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.supervisor.approvals import ApprovalService, PinVerifier
from app.supervisor.attention import AttentionService
from app.supervisor.audit import JournalService
from app.supervisor.context import ReceiptSink, TerminalContext
from app.supervisor.endofday import DayService
from app.supervisor.engineering import EngineeringService
from app.supervisor.exports import ExportService
from app.supervisor.reporting import ReportService
from app.supervisor.reprints import ReprintGate, ServerReprint
from app.supervisor.reversals import ReversalService
from app.supervisor.server import SupervisorApi
from app.supervisor.shifts import ShiftBatches, ShiftService
from common.i18n import _
from offline_store import Store


@dataclass
class SupervisorServices:
    """The supervisor features' services, sharing one approval service."""

    store: Store
    terminal: TerminalContext
    approvals: ApprovalService
    shifts: ShiftService
    day: DayService
    reversals: ReversalService
    engineering: EngineeringService
    attention: AttentionService
    reprints: ReprintGate
    reports: ReportService
    exports: ExportService
    journal: JournalService

    @classmethod
    def build(cls, store: Store, verifier: PinVerifier, terminal: TerminalContext, *,
              api: SupervisorApi | None = None, printer: ReceiptSink | None = None,
              wake_sync: Callable[[], None] | None = None,
              batches: ShiftBatches | None = None,
              server_reprint: ServerReprint | None = None) -> SupervisorServices:
        """Wire everything; `api` None means no server features (tests, offline tools).
        `batches` tells the server about shifts (XMLVend batches); `server_reprint` gives
        the server's copy of a receipt to reprint from."""
        approvals = ApprovalService(store, verifier)
        server = api if api is not None else _NoServer()
        return cls(
            store, terminal, approvals,
            ShiftService(store, terminal, printer=printer, batches=batches),
            DayService(store, approvals, terminal, api=api, printer=printer),
            ReversalService(store, server, approvals, terminal, printer=printer),
            EngineeringService(store, server, approvals, terminal, printer=printer),
            AttentionService(store, approvals, wake_sync=wake_sync),
            ReprintGate(store, approvals, server_copy=server_reprint),
            ReportService(store, terminal, printer=printer),
            ExportService(store),
            JournalService(store),
        )


class _NoServer:
    """Refuses server calls with a clear message when no server is configured."""

    def _refuse(self) -> dict[str, object]:
        from common.errors import InvalidInput

        raise InvalidInput(_("This terminal has no server connection configured."))

    def reverse(self, receipt_no: str, operator_id: str, reason: str, supervisor_id: str,
                pin: str) -> dict[str, object]:
        return self._refuse()

    def engineering_token(self, operator_id: str, body: dict[str, object],
                          key: str) -> dict[str, object]:
        return self._refuse()

    def upload_z_report(self, shift_id: str, operator_id: str,
                        body: dict[str, object]) -> dict[str, object]:
        return self._refuse()
