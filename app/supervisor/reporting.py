"""`ReportService`: what the reports screen shows, for operators allowed to see it.

Date-range reports, sales per hour, the operators seen, the list of issued Z reports and the
ledger rows behind a report all need VIEW_REPORTS; the check is here, in the core, so a screen
that forgot it (or a script) still gets nothing. Printing a report on the till's printer is
journaled (`report.printed`), like exports are (`exports.ExportService`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from app.supervisor import ranges, reports
from app.supervisor.context import ReceiptSink, TerminalContext
from app.supervisor.endofday import to_shift_report
from app.supervisor.permissions import Actor, Permission, require
from app.supervisor.ranges import LedgerRow
from app.supervisor.report_model import Report
from common.errors import InvalidInput
from common.i18n import _
from offline_store import Connection, Store
from offline_store.journal import append
from printers import model as pm

#: (local hour 0-23, sales count, amount minor), all 24 hours
Hourly = list[tuple[int, int, int]]


@dataclass(frozen=True)
class ReportOverview:
    """Everything the reports screen shows for one filter, read in one store call."""

    report: Report
    hourly: Hourly
    operators: list[str]
    z_reports: list[tuple[int, str, str]]


class ReportService:
    """Date-range reports and their sales listings (VIEW_REPORTS), and printing them."""

    def __init__(self, store: Store, terminal: TerminalContext, *,
                 printer: ReceiptSink | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.store = store
        self.terminal = terminal
        self.printer = printer
        self._clock = clock

    def range_report(self, actor: Actor, start: str, end: str, *,
                     operator: str = "") -> Report:
        """Totals of `start` <= at < `end` (UTC ISO bounds), optionally one operator's."""
        require(actor, Permission.VIEW_REPORTS)
        return self.store.call(lambda c: self._range(c, start, end, operator))

    def sales_per_hour(self, actor: Actor, start: str, end: str, *,
                       operator: str = "") -> Hourly:
        """Sales per local hour of the utility's day over the range."""
        require(actor, Permission.VIEW_REPORTS)
        return self.store.call(lambda c: self._hourly(c, start, end, operator))

    def operators(self, actor: Actor) -> list[str]:
        """Operator ids that appear in the ledger (for the operator filter)."""
        require(actor, Permission.VIEW_REPORTS)
        return self.store.call(ranges.operators_seen)

    def overview(self, actor: Actor, start: str, end: str, *,
                 operator: str = "") -> ReportOverview:
        """The report, hourly sales, operators and Z list for the screen (one snapshot)."""
        require(actor, Permission.VIEW_REPORTS)

        def read(conn: Connection) -> ReportOverview:
            return ReportOverview(self._range(conn, start, end, operator),
                                  self._hourly(conn, start, end, operator),
                                  ranges.operators_seen(conn), reports.list_z(conn))

        return self.store.call(read)

    def ledger_rows(self, actor: Actor, start: str, end: str, *, operator: str = "",
                    limit: int | None = None) -> list[LedgerRow]:
        """The ledger rows (each sale, reversal, reprint...) in the range, oldest first."""
        require(actor, Permission.VIEW_REPORTS)
        return self.store.call(lambda c: list(ranges.ledger_rows(c, start, end,
                                                                  operator=operator,
                                                                  limit=limit)))

    def print_report(self, actor: Actor, report: Report) -> pm.ShiftReport:
        """Send `report` to the till's printer; journaled as `report.printed`."""
        require(actor, Permission.VIEW_REPORTS)
        if self.printer is None:
            raise InvalidInput(_("No printer is set up."), hint=_("Set up a printer in Settings."))
        slip = to_shift_report(report, self.terminal, actor)
        self.store.call(lambda c: append(c, "report.printed", {
            "operator_id": actor.id, "kind": report.kind, "period_start": report.period_start,
            "period_end": report.period_end, "operator_filter": report.operator_filter}))
        self.printer.enqueue(slip)
        return slip

    def _range(self, conn: Connection, start: str, end: str, operator: str) -> Report:
        return ranges.range_report(conn, start, end, operator=operator,
                                   currency=self.terminal.currency, now=self._clock())

    def _hourly(self, conn: Connection, start: str, end: str, operator: str) -> Hourly:
        return ranges.sales_per_hour(conn, start, end, operator=operator,
                                     zone=self.terminal.zone)
