"""X and Z reports: the ledger aggregate, issuing, storing and loading a Z.

The figures (`Report`, `Totals`, sections) are in `report_model.py`; date-range reports for
the reports screen in `ranges.py`, built from the same helpers. All figures come from one
grouped aggregate over the report ledger (see `ledger.py`): one row per dimension id (kind ×
operator × tender × tariff × utility × detail × unit), which is rolled up into the report's
sections. For X/Z the aggregate reads only the covering index `report_ledger_z`, already
ordered by dimension, so it costs about as much as a plain SUM over the same rows
(bench/z_report.py measures the ratio).

A Z report closes the business day: it gets the next sequential number, its content is stored
as canonical JSON with its sha256, and SQL triggers refuse any change or deletion afterwards.
Reprints are built from the stored body and marked REPRINT.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.supervisor.ledger import Dim, iso_seconds, iso_seconds_ceil, open_z_number
from app.supervisor.report_model import (
    Line,
    Report,
    Section,
    Totals,
    format_minor,
    format_tenths,
    wire_minor,
)
from common.i18n import _
from offline_store import Connection
from offline_store.journal import append, canonical_json

# The report model is re-exported: reports were one module, and callers import it from here.
__all__ = [
    "PENDING_STATES",
    "SUMS",
    "IssuedZ",
    "Line",
    "OpenShift",
    "Report",
    "Section",
    "Totals",
    "ZReadiness",
    "ZTampered",
    "aggregate_z",
    "count_exceptions",
    "dims_by_id",
    "format_minor",
    "format_tenths",
    "group_totals",
    "issue_z",
    "list_z",
    "load_z",
    "open_shifts",
    "raw_aggregate",
    "roll_up",
    "running_report",
    "wire_minor",
    "z_readiness",
]

#: Sale states whose money was taken but whose token the server has not confirmed yet.
PENDING_STATES = ("sending", "pending", "unresolved")

#: The aggregate columns, in `Totals` field order.
SUMS = ("count(*), COALESCE(sum(amount_minor), 0), COALESCE(sum(units_tenths), 0), "
        "COALESCE(sum(vat_minor), 0), COALESCE(sum(charges_minor), 0), "
        "COALESCE(sum(debt_minor), 0), COALESCE(sum(tokens), 0), COALESCE(sum(offline), 0)")


# -- building ---------------------------------------------------------------------------------
def dims_by_id(conn: Connection, ids: Iterable[int]) -> dict[int, Dim]:
    """The labels of the dimension ids `ids`."""
    wanted = set(ids)
    out: dict[int, Dim] = {}
    for row in conn.execute(
            "SELECT dim_id, kind, operator_id, tender, tariff, tariff_name, utility, detail, "
            "unit, currency FROM report_dims"):
        if int(row[0]) in wanted:
            out[int(row[0])] = Dim(*[str(v) for v in row[1:]])
    return out


def roll_up(report: Report, grouped: list[tuple[int, Totals]], dims: dict[int, Dim],
            operator: str = "") -> None:
    """Add per-dimension totals into the report's sections (only `operator`'s, if given)."""
    for dim_key, totals in grouped:
        dim = dims[dim_key]
        if operator and dim.operator_id != operator:
            continue
        if dim.kind == "sale":
            report.sales.add(totals)
            tariff = " ".join(p for p in (dim.tariff, dim.tariff_name) if p)
            for groups, label in ((report.by_operator, dim.operator_id),
                                  (report.by_tender, dim.tender),
                                  (report.by_tariff, tariff),
                                  (report.by_utility, dim.utility)):
                groups.setdefault(label, Totals()).add(totals)
            if dim.unit:
                report.units_of[f"By tariff:{tariff}"] = dim.unit
                report.units_of[f"By utility:{dim.utility}"] = dim.unit
            report.units_by_unit[dim.unit or "units"] = \
                report.units_by_unit.get(dim.unit or "units", 0) + totals.units_tenths
            if dim.currency and not report.currency:
                report.currency = dim.currency
        elif dim.kind == "reversal":
            report.reversals.add(totals)
        elif dim.kind == "reprint":
            report.reprints += totals.count
        elif dim.kind == "engineering":
            report.engineering[dim.detail] = report.engineering.get(dim.detail, 0) + totals.count
        elif dim.kind == "cash_refund":
            report.cash_refunds.add(totals)


def group_totals(rows: Iterable[tuple[Any, ...]]) -> list[tuple[int, Totals]]:
    """(dim_id, *SUMS) rows as (dim_id, Totals)."""
    return [(int(r[0]), Totals(*[int(v) for v in r[1:]])) for r in rows]


def aggregate_z(conn: Connection, z_number: int) -> list[tuple[int, Totals]]:
    """Per-dimension totals of one Z period (reads only the covering index)."""
    sql = (f"SELECT dim_id, {SUMS} FROM report_ledger INDEXED BY report_ledger_z "  # noqa: S608
           "WHERE z_number = ? GROUP BY dim_id")
    return group_totals(conn.execute(sql, (z_number,)))


def raw_aggregate(conn: Connection, z_number: int) -> tuple[int, ...]:
    """The plain SUM over the same rows (the benchmark's baseline and a self-check)."""
    sql = f"SELECT {SUMS} FROM report_ledger WHERE z_number = ?"  # noqa: S608
    return tuple(int(v) for v in conn.execute(sql, (z_number,)).fetchone())


def count_exceptions(conn: Connection, report: Report, operator: str = "",
                     start: str | None = None, end: str | None = None) -> None:
    """Fill in the sales still pending and those needing attention."""
    where, params = "", []
    if operator:
        where += " AND operator_id = ?"
        params.append(operator)
    if start is not None and end is not None:
        where += " AND created_at >= ? AND created_at < ?"
        params += [start, end]
    placeholders = ",".join("?" * len(PENDING_STATES))
    count, total = conn.execute(
        f"SELECT count(*), COALESCE(sum(amount_minor), 0) FROM sales "  # noqa: S608
        f"WHERE state IN ({placeholders}){where}", (*PENDING_STATES, *params)).fetchone()
    report.pending_offline_count, report.pending_offline_minor = int(count), int(total)
    report.attention_count = int(conn.execute(
        "SELECT count(*) FROM sales WHERE (state = 'needs_attention' "  # noqa: S608
        f"OR (state = 'rejected' AND offline = 1)){where} AND idem_key NOT IN "
        "(SELECT idem_key FROM attention_actions WHERE action IN ('cash_refund', 'close'))",
        params).fetchone()[0])


def _period_start(conn: Connection, z_number: int) -> str:
    row = conn.execute("SELECT period_end FROM z_reports WHERE z_number = ?",
                       (z_number - 1,)).fetchone()
    if row is not None:
        return str(row[0])
    first = conn.execute("SELECT min(at) FROM report_ledger").fetchone()[0]
    opened = conn.execute("SELECT min(opened_at) FROM shifts").fetchone()[0]
    candidates = [str(v)[:19] + "Z" for v in (first, opened) if v]
    return min(candidates) if candidates else iso_seconds()


def running_report(conn: Connection, *, currency: str = "", now: datetime | None = None,
                   kind: str = "X") -> Report:
    """The X report: everything since the last Z (nothing is closed or stored)."""
    number = open_z_number(conn)
    report = Report(kind, iso_seconds(now), _period_start(conn, number), iso_seconds_ceil(now),
                    currency, z_number=number if kind == "Z" else None)
    grouped = aggregate_z(conn, number)
    roll_up(report, grouped, dims_by_id(conn, (g for g, _ in grouped)))
    count_exceptions(conn, report)
    report.open_shifts = int(conn.execute(
        "SELECT count(*) FROM shifts WHERE state = 'open'").fetchone()[0])
    return report


@dataclass(frozen=True)
class OpenShift:
    """A shift whose drawer is still open."""

    shift_id: str
    operator_id: str
    opened_at: str


def open_shifts(conn: Connection) -> tuple[OpenShift, ...]:
    """Every open shift, oldest first."""
    return tuple(OpenShift(str(r[0]), str(r[1]), str(r[2])) for r in conn.execute(
        "SELECT shift_id, operator_id, opened_at FROM shifts WHERE state = 'open' "
        "ORDER BY opened_at"))


@dataclass(frozen=True)
class ZReadiness:
    """What a supervisor must see before closing the day: the Z to come (its figures so far),
    the shifts still open (a Z is refused while any is), and the last Z issued."""

    report: Report
    open_shifts: tuple[OpenShift, ...]
    last_z_number: int | None
    last_z_issued_at: str | None

    @property
    def has_activity(self) -> bool:
        """Anything was booked since the last Z (sales, reversals, refunds, reprints,
        engineering tokens); sales still waiting for the server are not new activity."""
        r = self.report
        return bool(r.sales.count or r.reversals.count or r.cash_refunds.count or r.reprints
                    or r.engineering)


def z_readiness(conn: Connection, *, currency: str = "",
                now: datetime | None = None) -> ZReadiness:
    """The preview of the next Z, the open shifts and the previous Z (read only)."""
    report = running_report(conn, currency=currency, now=now, kind="Z")
    last = conn.execute("SELECT z_number, issued_at FROM z_reports "
                        "ORDER BY z_number DESC LIMIT 1").fetchone()
    return ZReadiness(report, open_shifts(conn), None if last is None else int(last[0]),
                      None if last is None else str(last[1]))


@dataclass(frozen=True)
class IssuedZ:
    """A Z report as stored: its figures, body hash and bookkeeping."""

    report: Report
    body_sha256: str
    issued_by: str
    approved_by: str
    print_count: int
    upload_state: str
    upload_response: dict[str, Any] | None


def issue_z(conn: Connection, *, issued_by: str, approved_by: str, currency: str,
            now: datetime | None = None) -> IssuedZ:
    """Close the day: compute, number, store immutably and journal the Z (one transaction)."""
    report = running_report(conn, currency=currency, now=now, kind="Z")
    assert report.z_number is not None
    body = canonical_json(report.to_json())
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    head = conn.execute("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1").fetchone()
    conn.execute(
        "INSERT INTO z_reports (z_number, issued_at, period_start, period_end, issued_by, "
        "approved_by, body, body_sha256, journal_seq, journal_hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (report.z_number, report.generated_at, report.period_start, report.period_end,
         issued_by, approved_by, body, digest, 0 if head is None else int(head[0]),
         "" if head is None else str(head[1])))
    append(conn, "report.z_issued", {
        "z_number": report.z_number, "body_sha256": digest, "issued_by": issued_by,
        "approved_by": approved_by, "sales_count": report.sales.count,
        "sales_amount": wire_minor(report.sales.amount_minor, report.currency),
        "period_start": report.period_start, "period_end": report.period_end,
    }, ref=f"Z{report.z_number}")
    return IssuedZ(report, digest, issued_by, approved_by, 0, "pending", None)


class ZTampered(Exception):
    """A stored Z body no longer matches its recorded hash."""


def load_z(conn: Connection, z_number: int) -> IssuedZ | None:
    """An issued Z report by number (its body checked against its hash), or None."""
    row = conn.execute(
        "SELECT body, body_sha256, issued_by, approved_by, print_count, upload_state, "
        "upload_response FROM z_reports WHERE z_number = ?", (z_number,)).fetchone()
    if row is None:
        return None
    body = str(row[0])
    if hashlib.sha256(body.encode("utf-8")).hexdigest() != row[1]:
        raise ZTampered(_("Z report {number} does not match its recorded hash.").format(
            number=z_number))
    return IssuedZ(Report.from_json(json.loads(body)), str(row[1]), str(row[2]), str(row[3]),
                   int(row[4]), str(row[5]), None if row[6] is None else json.loads(row[6]))


def list_z(conn: Connection) -> list[tuple[int, str, str]]:
    """(number, issued_at, upload_state) of every Z report, newest first."""
    return [(int(r[0]), str(r[1]), str(r[2])) for r in conn.execute(
        "SELECT z_number, issued_at, upload_state FROM z_reports ORDER BY z_number DESC")]
