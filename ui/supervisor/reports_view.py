"""Reports screen: date range and operator filters, charts, X/Z, exports and printing.

Every figure comes from the core's services with the signed-in operator, which check the
permissions; this screen only disables what the operator may not use. Exports run on an
`Op` worker (the PDF is rendered there too, see `pdf.py`), so the screen stays responsive.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.supervisor.endofday import DayClose, Reconciliation, open_shifts_refusal
from app.supervisor.permissions import Actor, Permission, allowed
from app.supervisor.ranges import day_range
from app.supervisor.report_model import Report, format_minor, format_tenths
from app.supervisor.reporting import ReportOverview
from app.supervisor.reports import ZReadiness
from common.format import format_period, format_time, local_day
from ui.labels import z_upload_label
from ui.ops import Op
from ui.supervisor.charts import BarChart
from ui.supervisor.common import ScreenContext, guarded
from ui.supervisor.pdf import Chart, write_report_pdf
from ui.translatable import plural


class ReportsView(QWidget):
    """Filters on top, the figures and two charts below, actions at the bottom."""

    #: emitted after a report was loaded (the Report)
    loaded = Signal(object)
    #: emitted after an export/print/Z action finished (a short text of what happened)
    done = Signal(str)
    #: emitted after the list of Z reports was (re)loaded
    z_listed = Signal()
    #: emitted when loading the report failed (the message shown)
    failed = Signal(str)
    #: emitted when an export failed (the message shown)
    export_failed = Signal(str)
    #: emitted when closing the day was refused before asking anything (the reason)
    z_refused = Signal(str)

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report: Report | None = None
        self._exporting = False
        self.hourly: list[tuple[int, int, int]] = []
        #: the utility's zone: its local days, not this PC's
        self._zone = ctx.services.terminal.zone
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        local = local_day(datetime.now(UTC), self._zone)
        today = QDate(local.year, local.month, local.day)
        self.start = QDateEdit(today)
        self.end = QDateEdit(today)
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.operator = QComboBox()
        self.operator.addItem(self.tr("All operators"), "")
        self.refresh_button = QPushButton(self.tr("Show"))
        self.refresh_button.clicked.connect(self.refresh)
        for w in (QLabel(self.tr("From")), self.start, QLabel(self.tr("to")), self.end,
                  QLabel(self.tr("Operator")), self.operator, self.refresh_button):
            filters.addWidget(w)
        filters.addStretch(1)
        layout.addLayout(filters)
        split = QSplitter()
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Item"), self.tr("Count"), self.tr("Amount"),
                                   self.tr("Units")])
        split.addWidget(self.tree)
        charts = QWidget()
        charts_layout = QVBoxLayout(charts)
        cur = ctx.services.terminal.currency
        self.per_hour = BarChart(self.tr("Sales per hour ({cur})").format(cur=cur),
                                 lambda v: format_minor(v, cur, code=False))
        self.by_tariff = BarChart(self.tr("Sales by tariff ({cur})").format(cur=cur),
                                  lambda v: format_minor(v, cur, code=False))
        charts_layout.addWidget(self.per_hour)
        charts_layout.addWidget(self.by_tariff)
        split.addWidget(charts)
        layout.addWidget(split, 1)
        actions = QHBoxLayout()
        self.pdf_button = QPushButton(self.tr("Export PDF"))
        self.csv_button = QPushButton(self.tr("Export CSV"))
        self.detail_button = QPushButton(self.tr("Export detail CSV"))
        self.print_button = QPushButton(self.tr("Print"))
        self.x_button = QPushButton(self.tr("Print X report"))
        self.z_button = QPushButton(self.tr("Close day (Z report)"))
        for b in (self.pdf_button, self.csv_button, self.detail_button, self.print_button,
                  self.x_button, self.z_button):
            actions.addWidget(b)
        actions.addStretch(1)
        layout.addLayout(actions)
        self.pdf_button.clicked.connect(guarded(self, self.export_pdf))
        self.csv_button.clicked.connect(guarded(self, lambda: self.export_csv(detail=False)))
        self.detail_button.clicked.connect(guarded(self, lambda: self.export_csv(detail=True)))
        self.print_button.clicked.connect(guarded(self, self.print_report))
        self.x_button.clicked.connect(guarded(self, self.print_x))
        self.z_button.clicked.connect(guarded(self, self.close_day))
        z_row = QHBoxLayout()
        self.z_list = QListWidget()
        self.z_list.setMaximumHeight(90)
        z_buttons = QVBoxLayout()
        self.z_reprint = QPushButton(self.tr("Reprint Z"))
        self.z_upload = QPushButton(self.tr("Upload / reconcile Z"))
        self.z_reprint.clicked.connect(guarded(self, self.reprint_z))
        self.z_upload.clicked.connect(guarded(self, self.upload_z))
        z_buttons.addWidget(self.z_reprint)
        z_buttons.addWidget(self.z_upload)
        z_row.addWidget(self.z_list, 1)
        z_row.addLayout(z_buttons)
        layout.addLayout(z_row)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

    # -- loading --------------------------------------------------------------------------
    def _range(self) -> tuple[str, str]:
        """Local-day range from the date pickers, as UTC ISO bounds [start, end)."""
        a, b = self.start.date(), self.end.date()
        start = date(a.year(), a.month(), a.day())
        end = date(b.year(), b.month(), b.day())
        if end < start:
            start, end = end, start
        return day_range(start, end, self._zone)

    def refresh(self) -> None:
        """Load the report, the hourly figures, the operator list and the Z list."""
        start, end = self._range()
        operator = str(self.operator.currentData() or "")
        actor = self.ctx.actor()
        self._enable_for(actor)
        reports = self.ctx.services.reports
        self.refresh_button.setEnabled(False)
        Op(self, lambda: reports.overview(actor, start, end, operator=operator)).success(
            self._show).failure(self._load_failed).finally_(
            lambda: self.refresh_button.setEnabled(True)).run()

    def _enable_for(self, actor: Actor) -> None:
        # Only what the operator's role could use is enabled; the services check it anyway.
        view = allowed(actor.role, Permission.VIEW_REPORTS)
        export = allowed(actor.role, Permission.EXPORT_REPORTS)
        for button in (self.pdf_button, self.csv_button, self.detail_button):
            button.setEnabled(export and not self._exporting)
        for button in (self.print_button, self.z_reprint, self.z_upload):
            button.setEnabled(view)

    def _load_failed(self, exc: BaseException) -> None:
        from ui.errors import show_error

        show_error(exc, self)
        self.failed.emit(str(exc))

    def _show(self, result: ReportOverview) -> None:
        report, hourly, operators, zs = (result.report, result.hourly, result.operators,
                                         result.z_reports)
        self.report, self.hourly = report, hourly
        chosen = str(self.operator.currentData() or "")
        self.operator.blockSignals(True)
        self.operator.clear()
        self.operator.addItem(self.tr("All operators"), "")
        for op in operators:
            self.operator.addItem(op, op)
        self.operator.setCurrentIndex(max(0, self.operator.findData(chosen)))
        self.operator.blockSignals(False)
        self.tree.clear()
        for section in report.sections():
            parent = QTreeWidgetItem([section.title])
            for line in section.lines:
                child = QTreeWidgetItem([
                    line.label, "" if line.count is None else str(line.count),
                    "" if line.amount_minor is None
                    else format_minor(line.amount_minor, report.currency, code=False),
                    "" if not line.units_tenths else format_tenths(line.units_tenths,
                                                                   line.unit)])
                for column in (1, 2, 3):
                    child.setTextAlignment(column, Qt.AlignmentFlag.AlignRight
                                           | Qt.AlignmentFlag.AlignVCenter)
                parent.addChild(child)
            self.tree.addTopLevelItem(parent)
            parent.setExpanded(True)
        self.tree.resizeColumnToContents(0)
        self.per_hour.set_data(self._hour_bars())
        self.by_tariff.set_data(self._tariff_bars())
        self._fill_z_list(zs)
        self.loaded.emit(report)

    def refresh_z_list(self) -> None:
        """Reload only the list of Z reports (after issuing or uploading one)."""
        actor = self.ctx.actor()
        day = self.ctx.services.day
        Op(self, lambda: day.list_z(actor)).success(self._fill_z_list).run()

    def _fill_z_list(self, zs: list[tuple[int, str, str]]) -> None:
        self.z_list.clear()
        for number, issued_at, state in zs:
            self.z_list.addItem(self.tr("Z {number}  {when}  {state}").format(
                number=number, when=format_time(issued_at), state=z_upload_label(state)))
        self.z_listed.emit()

    def _hour_bars(self) -> list[tuple[str, int]]:
        return [(f"{h:02d}", amount) for h, _, amount in self.hourly]

    def _tariff_bars(self) -> list[tuple[str, int]]:
        if self.report is None:
            return []
        return [(label, t.amount_minor) for label, t in sorted(self.report.by_tariff.items())]

    # -- actions --------------------------------------------------------------------------
    def _need_report(self) -> Report | None:
        if self.report is None:
            self.message.setText(self.tr("Show a report first."))
        return self.report

    def export_pdf(self) -> None:
        """Ask where, then write the PDF (with both charts) on a worker thread."""
        report = self._need_report()
        if report is None:
            return
        path = self.ctx.ask_path(self, self.tr("Export PDF"), "report.pdf", "PDF (*.pdf)")
        if path is None:
            return
        # The charts travel as plain data: the worker paints them into its own images.
        charts = [Chart("chart-hours.png", self.per_hour.title, tuple(self._hour_bars()),
                        self.per_hour.fmt),
                  Chart("chart-tariffs.png", self.by_tariff.title, tuple(self._tariff_bars()),
                        self.by_tariff.fmt)]

        def render(r: Report, target: Path) -> None:
            write_report_pdf(target, r, charts=charts)

        actor, exports = self.ctx.actor(), self.ctx.services.exports
        self._export(self.tr("PDF"), lambda: exports.report_pdf(actor, report, path, render),
                     self.tr("PDF saved: {path}"))

    def export_csv(self, *, detail: bool) -> None:
        """Ask where, then write the summary (or every transaction) as CSV on a worker."""
        report = self._need_report()
        if report is None:
            return
        name = "report-detail.csv" if detail else "report.csv"
        path = self.ctx.ask_path(self, self.tr("Export CSV"), name, "CSV (*.csv)")
        if path is None:
            return
        actor, exports = self.ctx.actor(), self.ctx.services.exports
        write = exports.detail_csv if detail else exports.report_csv
        self._export(self.tr("CSV"), lambda: write(actor, report, path),
                     self.tr("CSV saved: {path}"))

    def _export(self, what: str, work: Callable[[], Path], saved: str) -> None:
        """Run `work` on the pool; the export buttons wait, the message tells what happens."""
        self._exporting = True
        for button in (self.pdf_button, self.csv_button, self.detail_button):
            button.setEnabled(False)
        self.message.setText(self.tr("Writing the {what}…").format(what=what))

        def finished() -> None:
            self._exporting = False
            who = self.ctx.current_actor()
            if who is not None:
                self._enable_for(who)

        Op(self, work).success(lambda p: self._done(saved.format(path=p))).failure(
            self._export_error).finally_(finished).run()

    def _export_error(self, exc: BaseException) -> None:
        from ui.errors import show_error

        self.message.setText(self.tr("The export was not written."))
        show_error(exc, self)
        self.export_failed.emit(str(exc))

    def print_report(self) -> None:
        """Print the report on screen on the thermal printer (journaled by the core)."""
        report = self._need_report()
        if report is None:
            return
        actor, reports = self.ctx.actor(), self.ctx.services.reports
        Op(self, lambda: reports.print_report(actor, report)).success(
            lambda _slip: self._done(self.tr("Sent to the printer."))).run()

    def print_x(self) -> None:
        """Print the X report (running totals since the last Z)."""
        actor = self.ctx.actor()
        Op(self, lambda: self.ctx.services.day.x_report(actor, print_it=True)).success(
            lambda r: self._done(self.tr("X report printed: {n} sales, {amount}.").format(
                n=r.sales.count, amount=format_minor(r.sales.amount_minor, r.currency)))).run()

    def close_day(self) -> None:
        """Close the day: first what the Z will hold and what stands in its way, then a
        confirmation, then (for a cashier) a supervisor's PIN, then the Z."""
        actor = self.ctx.actor()
        day = self.ctx.services.day
        Op(self, lambda: day.z_readiness(actor)).success(
            lambda ready: self._confirm_z(actor, ready)).run()

    def _confirm_z(self, actor: Actor, ready: ZReadiness) -> None:
        if ready.open_shifts:
            # Refused by the core as well; said here before any PIN is asked for.
            refusal = open_shifts_refusal(ready.open_shifts)
            self.message.setText(f"{refusal} {refusal.hint}")
            self.z_refused.emit(str(refusal))
            return
        text = self.z_confirmation(ready)
        if not self.ctx.confirm(self, self.tr("Close the day?"), text):
            self._done(self.tr("The day was not closed; no Z report was issued."))
            return
        approval = None
        if not allowed(actor.role, Permission.CLOSE_DAY):
            approval = self.ctx.ask(self.tr("close the day (Z report)"), self)
        day = self.ctx.services.day
        Op(self, lambda: day.close_day(actor, approval)).success(self._z_issued).run()

    def z_confirmation(self, ready: ZReadiness) -> str:
        """What the supervisor confirms: the Z's number and figures, and every warning."""
        r = ready.report
        lines = [self.tr("Issue Z report No. {n} for {period}?").format(
            n=r.z_number, period=format_period(r.period_start, r.period_end))]
        sold = plural(self.tr("%n sales, {amount}; net {net}.", "", r.sales.count),
                      r.sales.count, "1 sale, {amount}; net {net}.")
        lines.append(sold.format(
            amount=format_minor(r.sales.amount_minor, r.currency),
            net=format_minor(r.net_minor, r.currency)))
        if r.pending_offline_count:
            n = r.pending_offline_count
            lines.append(plural(self.tr(
                "Warning: %n offline sales ({amount}) still waiting for the server; they "
                "count in the Z of the day they are synced.", "", n), n,
                "Warning: 1 offline sale ({amount}) still waiting for the server; it "
                "counts in the Z of the day it is synced.").format(
                amount=format_minor(r.pending_offline_minor, r.currency)))
        if r.attention_count:
            n = r.attention_count
            lines.append(plural(self.tr("Warning: %n sales needing a supervisor's attention.",
                                        "", n), n,
                                "Warning: 1 sale needing a supervisor's attention."))
        if not ready.has_activity:
            if ready.last_z_number is not None and ready.last_z_issued_at:
                lines.append(self.tr(
                    "Warning: nothing happened since Z report No. {n} ({when}).").format(
                    n=ready.last_z_number, when=format_time(ready.last_z_issued_at)))
            else:
                lines.append(self.tr("Warning: nothing was sold in this period."))
        lines.append(self.tr("A Z report cannot be changed or taken back once issued."))
        return "\n".join(lines)

    def _z_issued(self, result: DayClose) -> None:
        number = result.issued.report.z_number or 0
        text = self.tr("Z report No. {n} issued and printed.").format(n=number)
        text += " " + self._reconciliation_text(result.reconciliation, result.upload_problem)
        who = self.ctx.current_actor()
        if who is not None and allowed(who.role, Permission.VIEW_REPORTS):
            self.refresh_z_list()  # a cashier who closed the day with a PIN has no Z list
        self._done(text)

    def _reconciliation_text(self, rec: Reconciliation | None, problem: str) -> str:
        if rec is None:
            return self.tr("Not reconciled with the server yet ({problem}); "
                           "use Upload later.").format(problem=problem)
        if rec.matched:
            return self.tr("The server's totals match.")
        return self.tr("Differences with the server (terminal − server): {d}").format(
            d="; ".join(rec.lines()))

    def _selected_z(self) -> int | None:
        item = self.z_list.currentItem()
        if item is None:
            self.message.setText(self.tr("Choose a Z report in the list."))
            return None
        return int(item.text().split()[1])

    def reprint_z(self) -> None:
        """Print the chosen Z again (marked REPRINT)."""
        number = self._selected_z()
        if number is None:
            return
        actor = self.ctx.actor()
        Op(self, lambda: self.ctx.services.day.reprint_z(actor, number)).success(
            lambda r: self._done(self.tr("Z report No. {n} reprinted (reprint {k}).").format(
                n=number, k=r.reprint_no))).run()

    def upload_z(self) -> None:
        """Send the chosen Z to the server and show the differences."""
        number = self._selected_z()
        if number is None:
            return
        actor = self.ctx.actor()
        Op(self, lambda: self.ctx.services.day.upload_z(actor, number)).success(
            lambda rec: self._uploaded(number, rec)).run()

    def _uploaded(self, number: int, rec: Reconciliation) -> None:
        self.refresh_z_list()
        self._done(self.tr("Z {n}: ").format(n=number) + self._reconciliation_text(rec, ""))

    def _done(self, text: str) -> None:
        self.message.setText(text)
        self.done.emit(text)
