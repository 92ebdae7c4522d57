"""Date-range reports for the reports screen: totals, sales per hour, ledger rows, operators.

The same ledger and roll-up as the X/Z reports (`reports.py`), over `start <= at < end` (UTC
ISO bounds) instead of one Z period, optionally for one operator.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from app.supervisor.ledger import iso_seconds
from app.supervisor.report_model import Report
from app.supervisor.reports import SUMS, count_exceptions, dims_by_id, group_totals, roll_up
from common.format import UTILITY_ZONE_DEFAULT, day_span
from offline_store import Connection


def range_report(conn: Connection, start: str, end: str, *, operator: str = "",
                 currency: str = "", now: datetime | None = None) -> Report:
    """Totals of ledger rows with `start` <= at < `end` (UTC ISO), optionally one operator."""
    report = Report("RANGE", iso_seconds(now), start, end, currency, operator_filter=operator)
    grouped = group_totals(conn.execute(
        f"SELECT dim_id, {SUMS} FROM report_ledger "  # noqa: S608
        "WHERE at >= ? AND at < ? GROUP BY dim_id", (start, end)))
    roll_up(report, grouped, dims_by_id(conn, (g for g, _ in grouped)), operator)
    count_exceptions(conn, report, operator, start, end)
    report.open_shifts = count_open_shifts(conn, end, operator)
    return report


def day_range(first: date, last: date, zone: tzinfo) -> tuple[str, str]:
    """UTC ISO bounds [start, end) of the utility's local days `first` to `last` inclusive:
    local midnight to local midnight in `zone` (23 or 25 hours a DST day)."""
    start, end = day_span(first, last, zone)
    return iso_seconds(start), iso_seconds(end)


def count_open_shifts(conn: Connection, end: str, operator: str = "") -> int:
    """Shifts open now that were opened before `end` (one operator's, if given)."""
    sql = "SELECT count(*) FROM shifts WHERE state = 'open' AND opened_at < ?"
    params = [end]
    if operator:
        sql += " AND operator_id = ?"
        params.append(operator)
    return int(conn.execute(sql, params).fetchone()[0])


def sales_per_hour(conn: Connection, start: str, end: str, *, operator: str = "",
                   zone: tzinfo = UTILITY_ZONE_DEFAULT) -> list[tuple[int, int, int]]:
    """(local hour 0-23 in the utility's `zone`, sales count, amount minor) summed over the
    range, all 24 hours (a DST day's repeated hour counts in its local hour)."""
    hours = {h: [0, 0] for h in range(24)}
    params: list[Any] = [start, end]
    where = ""
    if operator:
        where = " AND d.operator_id = ?"
        params.append(operator)
    for prefix, count, total in conn.execute(
            "SELECT substr(l.at, 1, 13), count(*), sum(l.amount_minor) FROM report_ledger l "  # noqa: S608
            "JOIN report_dims d ON d.dim_id = l.dim_id WHERE d.kind = 'sale' "
            f"AND l.at >= ? AND l.at < ?{where} GROUP BY 1", params):
        moment = datetime.strptime(str(prefix), "%Y-%m-%dT%H").replace(tzinfo=UTC)
        local = moment.astimezone(zone)
        hours[local.hour][0] += int(count)
        hours[local.hour][1] += int(total)
    return [(h, v[0], v[1]) for h, v in sorted(hours.items())]


@dataclass(frozen=True)
class LedgerRow:
    """One ledger row with its labels (CSV export, drill-down)."""

    at: str
    kind: str
    ref: str
    operator_id: str
    tender: str
    tariff: str
    utility: str
    detail: str
    amount_minor: int
    units_tenths: int
    unit: str
    vat_minor: int
    charges_minor: int
    debt_minor: int
    tokens: int
    offline: bool
    currency: str


def ledger_rows(conn: Connection, start: str, end: str, *, operator: str = "",
                limit: int | None = None) -> Iterator[LedgerRow]:
    """Ledger rows in the range, oldest first."""
    params: list[Any] = [start, end]
    where = ""
    if operator:
        where = " AND d.operator_id = ?"
        params.append(operator)
    sql = ("SELECT l.at, d.kind, l.ref, d.operator_id, d.tender, d.tariff, d.utility, d.detail, "  # noqa: S608
           "l.amount_minor, l.units_tenths, d.unit, l.vat_minor, l.charges_minor, l.debt_minor,"
           " l.tokens, l.offline, d.currency FROM report_ledger l JOIN report_dims d "
           f"ON d.dim_id = l.dim_id WHERE l.at >= ? AND l.at < ?{where} "
           "ORDER BY l.at, l.seq")
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    for r in conn.execute(sql, params):
        yield LedgerRow(str(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), str(r[5]),
                        str(r[6]), str(r[7]), int(r[8]), int(r[9]), str(r[10]), int(r[11]),
                        int(r[12]), int(r[13]), int(r[14]), bool(r[15]), str(r[16]))


def operators_seen(conn: Connection) -> list[str]:
    """Operator ids that appear in the ledger (for the operator filter)."""
    return sorted({str(r[0]) for r in conn.execute(
        "SELECT DISTINCT operator_id FROM report_dims WHERE operator_id <> ''")})
