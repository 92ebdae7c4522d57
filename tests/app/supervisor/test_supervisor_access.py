"""Every service that shows or exports figures checks the acting operator itself.

Each check is exercised twice on the same real store: the cashier is refused (and nothing is
written, printed, sent or journaled), the supervisor gets the data. Removing any `require` in
the services makes the cashier half of its case pass through and fail here.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.api.models import Money
from app.supervisor import Actor, SupervisorServices
from app.supervisor.audit import JournalFilter
from app.supervisor.report_model import Report
from common.errors import PermissionDenied
from offline_store import Store
from tests.app.supervisor.helpers_supervisor import (
    CASHIER,
    CASHIER2,
    SUP_OK,
    SUPERVISOR,
    FakeApi,
    Printed,
    Seeder,
)

DAY = ("2026-11-25T00:00:00Z", "2026-11-26T00:00:00Z")


def _journal_kinds(store: Store) -> list[str]:
    return store.call(lambda c: [str(r[0]) for r in c.execute(
        "SELECT kind FROM journal ORDER BY seq")])


@pytest.fixture
def day(sv: SupervisorServices, seed: Seeder) -> Report:
    """Two tokened sales, one issued Z (uploaded), and the day's range report."""
    seed.tokened(amount=10000, units=453, sold_at="2026-11-25T08:00:00Z")
    seed.tokened(amount=5000, units=200, operator="sipho", sold_at="2026-11-25T09:00:00Z")
    sv.day.issue_z(SUPERVISOR, print_it=False)
    sv.day.upload_z(SUPERVISOR, 1)
    return sv.reports.range_report(SUPERVISOR, *DAY)


def _pdf(report: Report, path: Path) -> None:
    # A stand-in renderer (the Qt one is tested in tests/ui/supervisor): bytes at `path`.
    path.write_bytes(b"%PDF-1.4 " + report.title.encode() + b"\n%%EOF\n")


READS: dict[str, Callable[[SupervisorServices, Actor, Report, Path], Any]] = {
    "range report": lambda sv, a, r, p: sv.reports.range_report(a, *DAY),
    "sales per hour": lambda sv, a, r, p: sv.reports.sales_per_hour(a, *DAY),
    "operators": lambda sv, a, r, p: sv.reports.operators(a),
    "overview": lambda sv, a, r, p: sv.reports.overview(a, *DAY),
    "ledger rows": lambda sv, a, r, p: sv.reports.ledger_rows(a, *DAY),
    "Z list": lambda sv, a, r, p: sv.day.list_z(a),
    "Z report": lambda sv, a, r, p: sv.day.get_z(a, 1),
    "Z reconciliation": lambda sv, a, r, p: sv.day.reconciliation(a, 1),
    "journal search": lambda sv, a, r, p: sv.journal.search(a, JournalFilter()),
    "journal verify": lambda sv, a, r, p: sv.journal.verify(a),
    "attention queue": lambda sv, a, r, p: sv.attention.items(a),
}


@pytest.mark.parametrize("name", sorted(READS))
def test_reading_figures_refuses_a_cashier_and_serves_a_supervisor(
        name: str, sv: SupervisorServices, day: Report, store: Store, tmp_path: Path) -> None:
    read = READS[name]
    before = _journal_kinds(store)
    with pytest.raises(PermissionDenied) as refused:
        read(sv, CASHIER, day, tmp_path)
    text = str(refused.value)
    assert "Thandi (cashier) may not" in text or "A supervisor must approve" in text
    assert refused.value.hint  # says what to do (ask a supervisor)
    assert _journal_kinds(store) == before
    assert read(sv, SUPERVISOR, day, tmp_path) is not None


def test_what_the_supervisor_reads_is_the_data(sv: SupervisorServices, day: Report) -> None:
    overview = sv.reports.overview(SUPERVISOR, *DAY)
    assert overview.report.sales.amount_minor == 15000 == day.sales.amount_minor
    assert overview.operators == ["sipho", "thandi"] and overview.z_reports[0][0] == 1
    assert sum(n for _, n, _ in overview.hourly) == 2
    assert [r.amount_minor for r in sv.reports.ledger_rows(SUPERVISOR, *DAY)] == [10000, 5000]
    assert sv.day.get_z(SUPERVISOR, 1).report.sales.count == 2
    entries, kinds = sv.journal.search(SUPERVISOR, JournalFilter(kind_prefix="report.z"))
    assert {e.kind for e in entries} == {"report.z_issued", "report.z_uploaded"}
    assert "sale.tokened" in kinds
    assert sv.journal.verify(SUPERVISOR).ok


EXPORTS: dict[str, Callable[[SupervisorServices, Actor, Report, Path], Path]] = {
    "csv": lambda sv, a, r, p: sv.exports.report_csv(a, r, p),
    "csv-detail": lambda sv, a, r, p: sv.exports.detail_csv(a, r, p),
    "pdf": lambda sv, a, r, p: sv.exports.report_pdf(a, r, p, _pdf),
}


@pytest.mark.parametrize("fmt", sorted(EXPORTS))
def test_exports_refuse_a_cashier_and_are_journaled_for_a_supervisor(
        fmt: str, sv: SupervisorServices, day: Report, store: Store, tmp_path: Path) -> None:
    target = tmp_path / f"export.{fmt}"
    with pytest.raises(PermissionDenied, match="may not export sales reports"):
        EXPORTS[fmt](sv, CASHIER, day, target)
    assert not target.exists() and "report.exported" not in _journal_kinds(store)
    assert EXPORTS[fmt](sv, SUPERVISOR, day, target) == target
    assert target.stat().st_size > 0 and list(tmp_path.glob(".*.part")) == []
    body = json.loads(store.call(lambda c: c.execute(
        "SELECT body FROM journal WHERE kind = 'report.exported'").fetchone()[0]))
    assert body == {"format": fmt, "file": target.name, "operator_id": "sipho",
                    "kind": "RANGE", "period_start": DAY[0], "period_end": DAY[1],
                    "operator_filter": ""}


def test_detail_export_lists_the_reports_rows(sv: SupervisorServices, day: Report,
                                              tmp_path: Path) -> None:
    target = sv.exports.detail_csv(SUPERVISOR, day, tmp_path / "detail.csv")
    rows = list(csv.DictReader(io.StringIO(target.read_text("utf-8"), newline="")))
    assert [(r["operator"], r["amount"]) for r in rows] == [("thandi", "100.00"),
                                                            ("sipho", "50.00")]


def test_a_failed_render_leaves_no_file_and_no_journal(sv: SupervisorServices, day: Report,
                                                       store: Store, tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"the previous export")

    def broken(report: Report, path: Path) -> None:
        path.write_bytes(b"%PDF-half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        sv.exports.report_pdf(SUPERVISOR, day, target, broken)
    assert target.read_bytes() == b"the previous export"  # not replaced by half a file
    assert list(tmp_path.glob(".*.part")) == []
    assert "report.exported" not in _journal_kinds(store)


def test_journal_export_refuses_a_cashier_and_is_journaled(
        sv: SupervisorServices, day: Report, store: Store, tmp_path: Path) -> None:
    target = tmp_path / "journal.csv"
    with pytest.raises(PermissionDenied, match="may not view the audit journal"):
        sv.journal.export_csv(CASHIER, JournalFilter(), target)
    assert not target.exists()
    count = sv.journal.export_csv(SUPERVISOR, JournalFilter(kind_prefix="sale.tok"), target)
    rows = list(csv.reader(io.StringIO(target.read_text("utf-8"), newline="")))
    assert count == len(rows) - 1 == 2 and {r[2] for r in rows[1:]} == {"sale.tokened"}
    body = json.loads(store.call(lambda c: c.execute(
        "SELECT body FROM journal WHERE kind = 'journal.exported'").fetchone()[0]))
    assert body["operator_id"] == "sipho" and body["entries"] == 2
    assert body["file"] == "journal.csv"  # the name only, not where it was saved


def test_printing_a_report_refuses_a_cashier_and_is_journaled(
        sv: SupervisorServices, day: Report, store: Store, printed: Printed) -> None:
    with pytest.raises(PermissionDenied, match="may not view sales reports"):
        sv.reports.print_report(CASHIER, day)
    assert printed.items == [] and "report.printed" not in _journal_kinds(store)
    slip = sv.reports.print_report(SUPERVISOR, day)
    assert printed.items == [slip] and _journal_kinds(store)[-1] == "report.printed"


def test_z_reprint_and_upload_refuse_a_cashier(sv: SupervisorServices, day: Report,
                                               store: Store, printed: Printed,
                                               api: FakeApi) -> None:
    calls = len(api.calls)
    with pytest.raises(PermissionDenied):
        sv.day.reprint_z(CASHIER, 1)
    with pytest.raises(PermissionDenied):
        sv.day.upload_z(CASHIER, 1)
    assert printed.items == [] and len(api.calls) == calls
    assert "report.z_reprinted" not in _journal_kinds(store)
    assert sv.day.reprint_z(SUPERVISOR, 1).reprint_no == 1
    assert _journal_kinds(store)[-1] == "report.z_reprinted"
    assert sv.day.upload_z(SUPERVISOR, 1).matched


def test_close_day_issues_and_uploads_on_one_approval(sv: SupervisorServices, seed: Seeder,
                                                      store: Store, api: FakeApi) -> None:
    seed.tokened(amount=10000, units=453)
    with pytest.raises(PermissionDenied):
        sv.day.close_day(CASHIER)
    assert api.calls == []
    closed = sv.day.close_day(CASHIER, SUP_OK)
    assert closed.issued.report.z_number == 1 and closed.issued.approved_by == "sipho"
    assert closed.reconciliation is not None and closed.reconciliation.matched
    assert closed.upload_problem == "" and api.calls[-1][0] == "z"
    kinds = _journal_kinds(store)
    assert kinds.count("supervisor.approval") == 1  # one PIN for the whole close
    assert kinds[-2:] == ["report.z_issued", "report.z_uploaded"]


def test_close_day_keeps_the_z_when_the_upload_fails(sv: SupervisorServices, seed: Seeder,
                                                     api: FakeApi) -> None:
    seed.tokened(amount=10000, units=453)

    def down(shift_id: str, operator_id: str, body: dict[str, Any]) -> dict[str, Any]:
        raise ConnectionError("server unreachable")

    api.upload_z_report = down  # type: ignore[method-assign]
    closed = sv.day.close_day(SUPERVISOR)
    assert closed.reconciliation is None and "unreachable" in closed.upload_problem
    assert sv.day.list_z(SUPERVISOR)[0][::2] == (1, "failed")


def test_attention_queue_for_a_cashier_with_a_pin_is_journaled(sv: SupervisorServices,
                                                               seed: Seeder,
                                                               store: Store) -> None:
    key = seed.insert(amount=700, offline=True, state="pending")
    seed.set_state(key, "rejected")
    items = sv.attention.items(CASHIER, approval=SUP_OK)
    assert [i.idem_key for i in items] == [key]
    body = json.loads(store.call(lambda c: c.execute(
        "SELECT body FROM journal WHERE kind = 'supervisor.approval'").fetchone()[0]))
    assert body["action"] == "view_attention" and body["for_operator"] == "thandi"


def test_shift_figures_are_for_supervisors_only(sv: SupervisorServices, seed: Seeder,
                                                printed: Printed) -> None:
    shift = sv.shifts.open_shift(CASHIER, Money(50000, "ZAR"))
    seed.tokened(amount=10000, units=453, shift_id=shift.shift_id)
    with pytest.raises(PermissionDenied, match="expected cash"):
        sv.shifts.summary(CASHIER, shift.shift_id)  # cashiers count blind
    assert sv.shifts.summary(SUPERVISOR, shift.shift_id).expected == Money(60000, "ZAR")
    closed = sv.shifts.close_shift(CASHIER, shift.shift_id, counted=Money(60000, "ZAR"))
    assert closed.summary.expected == Money(60000, "ZAR")  # shown to them after the count
    with pytest.raises(PermissionDenied):  # another cashier's shift report
        sv.shifts.reprint_close(CASHIER2, shift.shift_id)
    assert sv.shifts.reprint_close(CASHIER, shift.shift_id).reprint_no == 1
    assert sv.shifts.reprint_close(SUPERVISOR, shift.shift_id).reprint_no == 2
