"""The report ledger: the rows every supervisor report aggregates.

Tokened sales (from the `sales` table) and reprints (from `print_jobs`) enter the ledger through
SQL triggers in `offline_store/schema/0011_supervisor.sql`, in the same transaction as the write
that caused them. Reversals, engineering tokens and cash refunds are added here by the
supervisor services. Each row carries the number of the Z report that was open when it was
written, so a Z report reads one index range, and issuing it updates nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from offline_store import Connection

KINDS = ("sale", "reversal", "reprint", "engineering", "cash_refund")


@dataclass(frozen=True)
class Dim:
    """The labels a ledger row is grouped by."""

    kind: str
    operator_id: str = ""
    tender: str = ""
    tariff: str = ""
    tariff_name: str = ""
    utility: str = ""
    detail: str = ""
    unit: str = ""
    currency: str = ""


def iso_seconds(moment: datetime | None = None) -> str:
    """UTC time as 'YYYY-MM-DDTHH:MM:SSZ' (the ledger's fixed-width format)."""
    moment = moment or datetime.now(UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_seconds_ceil(moment: datetime | None = None) -> str:
    """Like `iso_seconds` but rounded UP to the next whole second.

    A period end is exclusive (`[start, end)` on the server too), and sale times have whole
    seconds: rounding up keeps a sale made earlier in the same second inside the period.
    """
    moment = (moment or datetime.now(UTC)).astimezone(UTC)
    if moment.microsecond:
        moment = moment.replace(microsecond=0) + timedelta(seconds=1)
    return iso_seconds(moment)


def open_z_number(conn: Connection) -> int:
    """The number the next Z report will get (the Z still open)."""
    return int(conn.execute("SELECT COALESCE(max(z_number), 0) + 1 FROM z_reports")
               .fetchone()[0])


def dim_id(conn: Connection, dim: Dim) -> int:
    """The id of `dim`, created on first use."""
    values = (dim.kind, dim.operator_id, dim.tender, dim.tariff, dim.tariff_name, dim.utility,
              dim.detail, dim.unit, dim.currency)
    conn.execute(
        "INSERT OR IGNORE INTO report_dims (kind, operator_id, tender, tariff, tariff_name, "
        "utility, detail, unit, currency) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", values)
    row = conn.execute(
        "SELECT dim_id FROM report_dims WHERE kind = ? AND operator_id = ? AND tender = ? "
        "AND tariff = ? AND tariff_name = ? AND utility = ? AND detail = ? AND unit = ? "
        "AND currency = ?", values).fetchone()
    return int(row[0])


def add_entry(
    conn: Connection, dim: Dim, *, at: str, ref: str = "", shift_id: str | None = None,
    amount_minor: int = 0, units_tenths: int = 0, vat_minor: int = 0, charges_minor: int = 0,
    debt_minor: int = 0, tokens: int = 0, offline: bool = False,
) -> int:
    """Append one ledger row (inside the caller's transaction); returns its seq."""
    if dim.kind not in KINDS:
        raise ValueError(f"unknown ledger kind {dim.kind!r}")
    cur = conn.execute(
        "INSERT INTO report_ledger (z_number, at, dim_id, ref, shift_id, amount_minor, "
        "units_tenths, vat_minor, charges_minor, debt_minor, tokens, offline) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (open_z_number(conn), at, dim_id(conn, dim), ref, shift_id, amount_minor, units_tenths,
         vat_minor, charges_minor, debt_minor, tokens, int(offline)))
    return int(cur.lastrowid or 0)


