"""X and Z reports, and date-range reports for the reports screen.

All figures come from one grouped aggregate over the report ledger (see `ledger.py`): one
row per dimension id (kind × operator × tender × tariff × utility × detail × unit), which the
code below rolls up into the report's sections. For X/Z the aggregate reads only the covering
index `report_ledger_z`, already ordered by dimension, so it costs about as much as a plain
SUM over the same rows (bench/z_report.py measures the ratio).

A Z report closes the business day: it gets the next sequential number, its content is stored
as canonical JSON with its sha256, and SQL triggers refuse any change or deletion afterwards.
Reprints are built from the stored body and marked REPRINT.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from app.supervisor.ledger import Dim, iso_seconds, iso_seconds_ceil, open_z_number
from offline_store import Connection
from offline_store.journal import append, canonical_json

#: Sale states whose money was taken but whose token the server has not confirmed yet.
PENDING_STATES = ("sending", "pending", "unresolved")

_SUMS = ("count(*), COALESCE(sum(amount_minor), 0), COALESCE(sum(units_tenths), 0), "
         "COALESCE(sum(vat_minor), 0), COALESCE(sum(charges_minor), 0), "
         "COALESCE(sum(debt_minor), 0), COALESCE(sum(tokens), 0), COALESCE(sum(offline), 0)")


@dataclass
class Totals:
    """Counts and sums of a group of ledger rows (money minor units, energy 0.1 units)."""

    count: int = 0
    amount_minor: int = 0
    units_tenths: int = 0
    vat_minor: int = 0
    charges_minor: int = 0
    debt_minor: int = 0
    tokens: int = 0
    offline: int = 0

    def add(self, other: Totals) -> None:
        """Add `other` into this total."""
        self.count += other.count
        self.amount_minor += other.amount_minor
        self.units_tenths += other.units_tenths
        self.vat_minor += other.vat_minor
        self.charges_minor += other.charges_minor
        self.debt_minor += other.debt_minor
        self.tokens += other.tokens
        self.offline += other.offline

    def to_json(self) -> dict[str, int]:
        """Plain dict (all integers)."""
        return dict(self.__dict__)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Totals:
        """Inverse of `to_json`."""
        return cls(**{k: int(v) for k, v in data.items()})


def format_minor(minor: int, currency: str = "") -> str:
    """'1,234.50' (with the currency in front if given); exact, no float."""
    sign = "-" if minor < 0 else ""
    whole, cents = divmod(abs(minor), 100)
    text = f"{sign}{whole:,}.{cents:02d}"
    return f"{currency} {text}" if currency else text


def format_tenths(tenths: int, unit: str = "") -> str:
    """'123.4' (plus the unit if given)."""
    sign = "-" if tenths < 0 else ""
    whole, tenth = divmod(abs(tenths), 10)
    text = f"{sign}{whole:,}.{tenth}"
    return f"{text} {unit}" if unit else text


def minor_to_decimal(minor: int) -> Decimal:
    """Minor units as a Decimal of major units (for the printers' Money)."""
    return Decimal(minor).scaleb(-2)


@dataclass
class Report:
    """One report's figures; X (running), Z (numbered, closes the day) or a date range."""

    kind: str  # "X", "Z" or "RANGE"
    generated_at: str
    period_start: str
    period_end: str
    currency: str
    z_number: int | None = None
    operator_filter: str = ""
    sales: Totals = field(default_factory=Totals)
    by_operator: dict[str, Totals] = field(default_factory=dict)
    by_tender: dict[str, Totals] = field(default_factory=dict)
    by_tariff: dict[str, Totals] = field(default_factory=dict)
    by_utility: dict[str, Totals] = field(default_factory=dict)
    units_by_unit: dict[str, int] = field(default_factory=dict)
    #: the unit of each tariff / utility group ("By tariff:RES-IBT Residential" -> "kWh")
    units_of: dict[str, str] = field(default_factory=dict)
    reversals: Totals = field(default_factory=Totals)
    reprints: int = 0
    engineering: dict[str, int] = field(default_factory=dict)
    cash_refunds: Totals = field(default_factory=Totals)
    pending_offline_count: int = 0
    pending_offline_minor: int = 0
    attention_count: int = 0
    open_shifts: int = 0

    @property
    def net_minor(self) -> int:
        """Sales less reversals and cash refunds."""
        return self.sales.amount_minor - self.reversals.amount_minor - \
            self.cash_refunds.amount_minor

    @property
    def title(self) -> str:
        """'X REPORT', 'Z REPORT No. 12' or 'SALES REPORT'."""
        if self.kind == "Z":
            return f"Z REPORT No. {self.z_number}"
        return "X REPORT" if self.kind == "X" else "SALES REPORT"

    # -- serialisation ----------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """Plain JSON-able dict (stored as the Z body)."""
        data: dict[str, Any] = {}
        for name, value in self.__dict__.items():
            if isinstance(value, Totals):
                data[name] = value.to_json()
            elif isinstance(value, dict) and value and isinstance(
                    next(iter(value.values())), Totals):
                data[name] = {k: v.to_json() for k, v in value.items()}
            else:
                data[name] = value
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        """Inverse of `to_json`."""
        args = dict(data)
        for name in ("sales", "reversals", "cash_refunds"):
            args[name] = Totals.from_json(args[name])
        for name in ("by_operator", "by_tender", "by_tariff", "by_utility"):
            args[name] = {k: Totals.from_json(v) for k, v in args[name].items()}
        return cls(**args)

    # -- presentation -----------------------------------------------------------------------
    def sections(self) -> list[Section]:
        """The report as titled sections of lines (used for print, PDF/HTML and CSV)."""
        s = self.sales
        out = [Section("Summary", [
            Line("Sales", s.count, s.amount_minor),
            Line("Reversals", self.reversals.count, -self.reversals.amount_minor),
            Line("Cash refunds", self.cash_refunds.count, -self.cash_refunds.amount_minor),
            Line("Net", None, self.net_minor),
            Line("VAT", None, s.vat_minor),
            Line("Fixed charges", None, s.charges_minor),
            Line("Debt recovered", None, s.debt_minor),
            Line("Tokens issued", s.tokens, None),
            *[Line(f"Units ({unit})", None, None, tenths, unit)
              for unit, tenths in sorted(self.units_by_unit.items())],
            Line("Sold offline (now synced)", s.offline, None),
        ])]
        # Units of different kinds (kWh, kL) are never added up: an operator or tender group
        # shows units only when the report has one kind; a tariff or utility has one service.
        units = sorted(self.units_by_unit)
        only = units[0] if len(units) == 1 else ""
        for title, groups in (("By operator", self.by_operator), ("By tender", self.by_tender),
                              ("By tariff", self.by_tariff), ("By utility", self.by_utility)):
            mixed = title in ("By operator", "By tender") and len(units) > 1
            out.append(Section(title, [
                Line(label or "(none)", t.count, t.amount_minor,
                     None if mixed else t.units_tenths,
                     self.units_of.get(f"{title}:{label}", only))
                for label, t in sorted(groups.items())]))
        out.append(Section("Exceptions", [
            Line("Reprints", self.reprints, None),
            *[Line(f"Engineering: {kind.replace('_', ' ')}", n, None)
              for kind, n in sorted(self.engineering.items())],
            Line("Offline sales pending sync", self.pending_offline_count,
                 self.pending_offline_minor),
            Line("Sales needing attention", self.attention_count, None),
            Line("Shifts still open", self.open_shifts, None),
        ]))
        return out


@dataclass(frozen=True)
class Line:
    """One labelled figure: count, money (minor) and/or units (tenths)."""

    label: str
    count: int | None
    amount_minor: int | None
    units_tenths: int | None = None
    unit: str = ""


@dataclass(frozen=True)
class Section:
    """A titled group of report lines."""

    title: str
    lines: list[Line]


# -- building ---------------------------------------------------------------------------------
def _dims(conn: Connection, ids: Iterable[int]) -> dict[int, Dim]:
    wanted = set(ids)
    out: dict[int, Dim] = {}
    for row in conn.execute(
            "SELECT dim_id, kind, operator_id, tender, tariff, tariff_name, utility, detail, "
            "unit, currency FROM report_dims"):
        if int(row[0]) in wanted:
            out[int(row[0])] = Dim(*[str(v) for v in row[1:]])
    return out


def _roll_up(report: Report, grouped: list[tuple[int, Totals]], dims: dict[int, Dim],
             operator: str = "") -> None:
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


def _grouped(rows: Iterable[tuple[Any, ...]]) -> list[tuple[int, Totals]]:
    return [(int(r[0]), Totals(*[int(v) for v in r[1:]])) for r in rows]


def aggregate_z(conn: Connection, z_number: int) -> list[tuple[int, Totals]]:
    """Per-dimension totals of one Z period (reads only the covering index)."""
    sql = (f"SELECT dim_id, {_SUMS} FROM report_ledger INDEXED BY report_ledger_z "  # noqa: S608
           "WHERE z_number = ? GROUP BY dim_id")
    return _grouped(conn.execute(sql, (z_number,)))


def raw_aggregate(conn: Connection, z_number: int) -> tuple[int, ...]:
    """The plain SUM over the same rows (the benchmark's baseline and a self-check)."""
    sql = f"SELECT {_SUMS} FROM report_ledger WHERE z_number = ?"  # noqa: S608
    return tuple(int(v) for v in conn.execute(sql, (z_number,)).fetchone())


def _exceptions(conn: Connection, report: Report, operator: str = "",
                start: str | None = None, end: str | None = None) -> None:
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
    _roll_up(report, grouped, _dims(conn, (g for g, _ in grouped)))
    _exceptions(conn, report)
    report.open_shifts = int(conn.execute(
        "SELECT count(*) FROM shifts WHERE state = 'open'").fetchone()[0])
    return report


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


def issue_z(conn: Connection, *, issued_by: str, approved_by: str, currency: str = "",
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
        "sales_amount": format_minor(report.sales.amount_minor),
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
        raise ZTampered(f"Z report {z_number} does not match its recorded hash.")
    return IssuedZ(Report.from_json(json.loads(body)), str(row[1]), str(row[2]), str(row[3]),
                   int(row[4]), str(row[5]), None if row[6] is None else json.loads(row[6]))


def list_z(conn: Connection) -> list[tuple[int, str, str]]:
    """(number, issued_at, upload_state) of every Z report, newest first."""
    return [(int(r[0]), str(r[1]), str(r[2])) for r in conn.execute(
        "SELECT z_number, issued_at, upload_state FROM z_reports ORDER BY z_number DESC")]


# -- date-range reports (reports screen) ------------------------------------------------------
def range_report(conn: Connection, start: str, end: str, *, operator: str = "",
                 currency: str = "", now: datetime | None = None) -> Report:
    """Totals of ledger rows with `start` <= at < `end` (UTC ISO), optionally one operator."""
    report = Report("RANGE", iso_seconds(now), start, end, currency, operator_filter=operator)
    grouped = _grouped(conn.execute(
        f"SELECT dim_id, {_SUMS} FROM report_ledger "  # noqa: S608
        "WHERE at >= ? AND at < ? GROUP BY dim_id", (start, end)))
    _roll_up(report, grouped, _dims(conn, (g for g, _ in grouped)), operator)
    _exceptions(conn, report, operator, start, end)
    return report


def sales_per_hour(conn: Connection, start: str, end: str, *, operator: str = "",
                   utc_offset: timedelta = timedelta(hours=2)) -> list[tuple[int, int, int]]:
    """(local hour 0-23, sales count, amount minor) summed over the range, all 24 hours."""
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
        local = moment.astimezone(timezone(utc_offset))
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
