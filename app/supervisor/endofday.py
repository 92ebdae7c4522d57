"""End of day: X report any time, Z report to close the day, reprints, server reconciliation.

Issuing a Z needs the CLOSE_DAY permission (a supervisor, or a cashier with a supervisor's
PIN) and happens in one store transaction: figures, number, immutable body, journal entry. The
Z totals are then uploaded (`POST /v1/shifts/{id}/z-report`) and the server's differences are
kept with the Z and shown; an upload that fails can be repeated (same body, same answer).
`DayService.close_day` does both on one authorisation.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app.supervisor import reports
from app.supervisor.approvals import Approval, ApprovalService
from app.supervisor.context import ReceiptSink, TerminalContext
from app.supervisor.permissions import Actor, Permission, require
from app.supervisor.report_model import (
    Line,
    Report,
    format_minor,
    format_tenths,
    wire_minor,
    wire_tenths,
)
from app.supervisor.reports import IssuedZ, OpenShift, ZReadiness
from app.supervisor.server import SupervisorApi
from common.errors import BusinessRuleError, InvalidInput
from common.format import format_time
from common.i18n import _, language, ngettext
from offline_store import Store
from offline_store.journal import append, utc_now
from printers import model as pm


def _pm_money(minor: int, currency: str) -> pm.Money:
    return pm.Money(minor, currency or "ZAR")


def to_shift_report(report: Report, terminal: TerminalContext,
                    actor: Actor | None) -> pm.ShiftReport:
    """The report as the printers' `ShiftReport` (X or Z) for the thermal printer."""
    cur = report.currency or terminal.currency

    def total(line: Line) -> pm.TotalLine:
        amount = None if line.amount_minor is None else _pm_money(line.amount_minor, cur)
        if line.units_tenths is not None and line.unit not in ("", "kWh"):
            # The printed report shows units as kWh; other units go into the label.
            label = f"{line.label} {format_tenths(line.units_tenths, line.unit)}"
            return pm.TotalLine(label, line.count, amount, None)
        return pm.TotalLine(line.label, line.count, amount, line.units_tenths)

    sections = tuple(pm.ReportSection(section.title, tuple(total(x) for x in section.lines))
                     for section in report.sections())
    return pm.ShiftReport(
        pos=terminal.pos(actor), generated_at=_dt(report.generated_at),
        period_start=_dt(report.period_start), period_end=_dt(report.period_end),
        sections=sections, z_number=report.z_number if report.kind == "Z" else None,
        utility=terminal.utility(), language=language())


def _dt(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def z_upload_body(report: Report, currency: str = "") -> dict[str, Any]:
    """The z-report request body (docs/api.md): totals as the server compares them, in the
    report's currency (`currency`, the terminal's, when the report has no sales)."""
    cur = report.currency or currency
    units = sum(report.units_by_unit.values())
    return {
        "z_number": report.z_number,
        "opened_at": report.period_start[:19] + "Z",
        "closed_at": report.period_end[:19] + "Z",
        "totals": {
            "sales_count": report.sales.count,
            "sales_amount": {"amount": wire_minor(report.sales.amount_minor, cur),
                             "currency": cur},
            "reversals_count": report.reversals.count,
            "reversals_amount": {
                "amount": wire_minor(report.reversals.amount_minor, cur),
                "currency": cur},
            "units": wire_tenths(units),
            "vat": {"amount": wire_minor(report.sales.vat_minor, cur),
                    "currency": cur},
            "offline_pending_count": report.pending_offline_count,
        },
    }


@dataclass(frozen=True)
class Reconciliation:
    """The server's comparison of a Z: matched, or the differences (terminal − server)."""

    z_number: int
    matched: bool
    differences: dict[str, Any]
    server: dict[str, Any]
    terminal: dict[str, Any]
    late_offline_count: int = 0
    late_offline_minor: int = 0
    currency: str = "ZAR"

    def lines(self) -> list[str]:
        """Human lines for the differences ('sales_amount: -10.00'), with the likely cause."""
        out = []
        for name, value in self.differences.items():
            shown = value.get("amount") if isinstance(value, dict) else value
            if str(shown).strip("-0.") != "":
                out.append(f"{name.replace('_', ' ')}: {shown}")
        if out and self.late_offline_count:
            out.append(ngettext(
                "{n} offline sale of an earlier day ({amount}) was synced in this period: the "
                "server counts it on the day it was taken",
                "{n} offline sales of an earlier day ({amount}) were synced in this period: the "
                "server counts them on the day they were taken",
                self.late_offline_count).format(
                    n=self.late_offline_count,
                    amount=format_minor(self.late_offline_minor, self.currency)))
        return out


def late_offline(conn: Any, z_number: int, period_start: str) -> tuple[int, int]:
    """Offline sales in Z `z_number` that were taken before its period (synced late)."""
    row = conn.execute(
        "SELECT count(*), COALESCE(sum(l.amount_minor), 0) FROM report_ledger l "
        "JOIN report_dims d ON d.dim_id = l.dim_id WHERE l.z_number = ? AND d.kind = 'sale' "
        "AND l.offline = 1 AND l.at < ?", (z_number, period_start)).fetchone()
    return int(row[0]), int(row[1])


def open_shifts_refusal(shifts: tuple[OpenShift, ...]) -> BusinessRuleError:
    """Why a Z is refused while drawers are open (a Z would split their cash over two days)."""
    who = ", ".join(_("{operator} (since {time})").format(
        operator=s.operator_id, time=format_time(s.opened_at)) for s in shifts)
    count = len(shifts)
    return BusinessRuleError(
        ngettext("{n} shift is still open: {who}.", "{n} shifts are still open: {who}.",
                 count).format(n=count, who=who),
        code="SHIFTS_OPEN",
        hint=_("Close every shift (count the drawer) before closing the day; a supervisor "
               "may close another operator's shift."))


@dataclass(frozen=True)
class DayClose:
    """A closed day: the issued Z and the server's comparison (or why the upload failed)."""

    issued: IssuedZ
    reconciliation: Reconciliation | None
    upload_problem: str


class DayService:
    """X/Z reports, their printing and upload; each call checks the actor's permission.

    X: X_REPORT (every role). Issuing a Z: CLOSE_DAY (a cashier with a supervisor's PIN).
    Reading, listing, reprinting, uploading a Z: VIEW_REPORTS (it holds the day's figures).
    """

    def __init__(self, store: Store, approvals: ApprovalService, terminal: TerminalContext, *,
                 api: SupervisorApi | None = None, printer: ReceiptSink | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.store = store
        self.approvals = approvals
        self.terminal = terminal
        self.api = api
        self.printer = printer
        self._clock = clock

    def x_report(self, actor: Actor, *, print_it: bool = False) -> Report:
        """Running totals since the last Z (nothing is closed)."""
        require(actor, Permission.X_REPORT)
        report = self.store.call(lambda c: reports.running_report(
            c, currency=self.terminal.currency, now=self._clock()))
        self.store.call(lambda c: append(c, "report.x", {
            "operator_id": actor.id, "printed": print_it,
            "sales_count": report.sales.count}, ref="X"))
        if print_it and self.printer is not None:
            self.printer.enqueue(to_shift_report(report, self.terminal, actor))
        return report

    def z_readiness(self, actor: Actor) -> ZReadiness:
        """What closing the day now would issue, the shifts still open and the last Z: the
        confirmation before a Z shows it. X_REPORT: the same figures as an X report."""
        require(actor, Permission.X_REPORT)
        return self.store.call(lambda c: reports.z_readiness(
            c, currency=self.terminal.currency, now=self._clock()))

    def issue_z(self, actor: Actor, approval: Approval | None = None, *,
                print_it: bool = True) -> IssuedZ:
        """Close the day: the next Z number, stored immutably and journaled."""
        auth = self.approvals.authorise(actor, Permission.CLOSE_DAY, approval, subject="Z")
        return self._issue(actor, auth.supervisor.id, print_it)

    def close_day(self, actor: Actor, approval: Approval | None = None, *,
                  print_it: bool = True) -> DayClose:
        """Issue the Z and upload it at once, on one authorisation (one PIN for a cashier).

        The upload's answer is part of what was approved; a failed upload leaves the Z
        standing (it is already stored) and says why, so it can be repeated later.
        """
        auth = self.approvals.authorise(actor, Permission.CLOSE_DAY, approval, subject="Z")
        issued = self._issue(actor, auth.supervisor.id, print_it)
        number = issued.report.z_number or 0
        try:
            return DayClose(issued, self._upload(actor, number), "")
        except Exception as exc:  # the Z stands; the upload can be repeated
            return DayClose(issued, None, str(exc) or type(exc).__name__)

    def _issue(self, actor: Actor, approved_by: str, print_it: bool) -> IssuedZ:
        def issue(conn: Any) -> IssuedZ:
            # Checked in the transaction that issues: no shift opens between check and Z.
            still_open = reports.open_shifts(conn)
            if still_open:
                raise open_shifts_refusal(still_open)
            return reports.issue_z(conn, issued_by=actor.id, approved_by=approved_by,
                                   currency=self.terminal.currency, now=self._clock())

        issued = self.store.call(issue)
        if print_it and self.printer is not None:
            self.printer.enqueue(to_shift_report(issued.report, self.terminal, actor))
            self.store.call(lambda c: c.execute(
                "UPDATE z_reports SET print_count = print_count + 1 WHERE z_number = ?",
                (issued.report.z_number,)))
        return issued

    def get_z(self, actor: Actor, z_number: int) -> IssuedZ:
        """A stored Z (hash-checked); VIEW_REPORTS."""
        require(actor, Permission.VIEW_REPORTS)
        return self._load(z_number)

    def _load(self, z_number: int) -> IssuedZ:
        found = self.store.call(lambda c: reports.load_z(c, z_number))
        if found is None:
            raise InvalidInput(_("There is no Z report No. {number}.").format(number=z_number))
        return found

    def list_z(self, actor: Actor) -> list[tuple[int, str, str]]:
        """(number, issued_at, upload_state), newest first; VIEW_REPORTS."""
        require(actor, Permission.VIEW_REPORTS)
        return self.store.call(reports.list_z)

    def reprint_z(self, actor: Actor, z_number: int) -> pm.Reprint:
        """Print a stored Z again, marked REPRINT with its counter; VIEW_REPORTS, journaled."""
        require(actor, Permission.VIEW_REPORTS)
        issued = self._load(z_number)

        def bump(conn: Any) -> int:
            conn.execute("UPDATE z_reports SET print_count = print_count + 1 "
                         "WHERE z_number = ?", (z_number,))
            # The reprint counter counts reprints (the journal), whether or not the original
            # was printed when the Z was issued.
            number = 1 + int(conn.execute(
                "SELECT count(*) FROM journal WHERE kind = 'report.z_reprinted' AND ref = ?",
                (f"Z{z_number}",)).fetchone()[0])
            append(conn, "report.z_reprinted", {"operator_id": actor.id, "reprint_no": number},
                   ref=f"Z{z_number}")
            return number

        number = self.store.call(bump)
        reprint = pm.Reprint(to_shift_report(issued.report, self.terminal, actor),
                             number, self._clock(), actor.name)
        if self.printer is not None:
            self.printer.enqueue(reprint)
        return reprint

    def upload_z(self, actor: Actor, z_number: int) -> Reconciliation:
        """Send the Z totals to the server; store and return its differences; VIEW_REPORTS."""
        require(actor, Permission.VIEW_REPORTS)
        return self._upload(actor, z_number)

    def _upload(self, actor: Actor, z_number: int) -> Reconciliation:
        if self.api is None:
            raise InvalidInput(_("This terminal has no server connection configured."))
        issued = self._load(z_number)
        body = z_upload_body(issued.report, self.terminal.currency)
        shift_id = f"{self.terminal.terminal_id or 'T'}-Z{z_number:06d}"
        try:
            answer = self.api.upload_z_report(shift_id, actor.id, body)
        except Exception as exc:
            error = type(exc).__name__
            self.store.call(lambda c: c.execute(
                "UPDATE z_reports SET upload_state = 'failed' WHERE z_number = ? "
                "AND upload_state IN ('pending', 'failed')", (z_number,)))
            self.store.call(lambda c: append(c, "report.z_upload_failed",
                                             {"error": error}, ref=f"Z{z_number}"))
            raise
        matched = bool(answer.get("matched"))
        state = "matched" if matched else "differences"

        def save(conn: Any) -> None:
            conn.execute("UPDATE z_reports SET upload_state = ?, uploaded_at = ?, "
                         "upload_response = ? WHERE z_number = ?",
                         (state, utc_now(), json.dumps(answer), z_number))
            append(conn, "report.z_uploaded", {"matched": matched,
                                               "differences": answer.get("differences", {})},
                   ref=f"Z{z_number}")

        self.store.call(save)
        late = self.store.call(lambda c: late_offline(c, z_number, issued.report.period_start))
        return Reconciliation(z_number, matched, dict(answer.get("differences") or {}),
                              dict(answer.get("server") or {}),
                              dict(answer.get("terminal") or {}), *late,
                              currency=issued.report.currency or self.terminal.currency)

    def reconciliation(self, actor: Actor, z_number: int) -> Reconciliation | None:
        """The stored server comparison of a Z, if it was uploaded; VIEW_REPORTS."""
        issued = self.get_z(actor, z_number)
        a = issued.upload_response
        if a is None:
            return None
        late = self.store.call(lambda c: late_offline(c, z_number, issued.report.period_start))
        return Reconciliation(z_number, bool(a.get("matched")), dict(a.get("differences") or {}),
                              dict(a.get("server") or {}), dict(a.get("terminal") or {}), *late,
                              currency=issued.report.currency or self.terminal.currency)
