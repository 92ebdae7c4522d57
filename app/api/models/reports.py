"""The Z report: what the terminal uploads (`POST /v1/shifts/{id}/z-report`) and the answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.api.models.money import Money
from app.api.models.validators import (
    Invalid,
    boolean,
    identifier,
    integer,
    money,
    obj,
    req,
    time_str,
    units_str,
)

__all__ = [
    "ZReconciliation",
    "ZReportUpload",
    "ZTotals",
    "parse_z_reconciliation",
    "parse_z_totals",
]


@dataclass(frozen=True)
class ZTotals:
    """Shift totals as `POST /v1/shifts/{id}/z-report` compares them (units in 0.1 steps).

    In the server's `differences` the money and counts may be negative (terminal − server).
    """

    sales_count: int
    sales_amount: Money
    reversals_count: int
    reversals_amount: Money
    units: str
    vat: Money

    def to_json(self) -> dict[str, Any]:
        """The request's `totals` shape (without `offline_pending_count`)."""
        return {"sales_count": self.sales_count, "sales_amount": self.sales_amount.to_json(),
                "reversals_count": self.reversals_count,
                "reversals_amount": self.reversals_amount.to_json(), "units": self.units,
                "vat": self.vat.to_json()}

    @property
    def is_zero(self) -> bool:
        """True when every figure is zero (differences of a matched report)."""
        return (self.sales_count == 0 and self.sales_amount.minor == 0
                and self.reversals_count == 0 and self.reversals_amount.minor == 0
                and self.vat.minor == 0 and self.units.lstrip("-") == "0.0")


def parse_z_totals(value: Any, where: str, *, signed: bool = False) -> ZTotals:
    """Parse a totals object; `signed` allows negative figures (the differences)."""
    data = obj(value, where)
    counts = integer(data, "sales_count", where), integer(data, "reversals_count", where)
    if not signed and min(counts) < 0:
        raise Invalid(f"{where} has a negative count")
    units = units_str(req(data, "units", where), f"{where}.units")
    if not signed and units.startswith("-"):
        raise Invalid(f"{where}.units is negative")
    return ZTotals(
        counts[0], money(req(data, "sales_amount", where), f"{where}.sales_amount",
                         negative=signed),
        counts[1], money(req(data, "reversals_amount", where), f"{where}.reversals_amount",
                         negative=signed),
        units, money(req(data, "vat", where), f"{where}.vat", negative=signed),
    )


@dataclass(frozen=True)
class ZReportUpload:
    """The body of `POST /v1/shifts/{shift_id}/z-report`: the terminal's totals of a period."""

    z_number: int
    opened_at: str
    closed_at: str
    totals: ZTotals
    offline_pending_count: int

    def to_json(self) -> dict[str, Any]:
        """The request JSON."""
        totals = self.totals.to_json()
        totals["offline_pending_count"] = self.offline_pending_count
        return {"z_number": self.z_number, "opened_at": self.opened_at,
                "closed_at": self.closed_at, "totals": totals}

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> ZReportUpload:
        """From the request JSON (e.g. `app.supervisor.endofday.z_upload_body`); ValueError
        names the first field that is not what docs/api.md asks for."""
        try:
            data = obj(body, "z_report")
            totals_raw = obj(req(data, "totals", "z_report"), "z_report.totals")
            totals = _request_totals(totals_raw)
            return cls(integer(data, "z_number", "z_report"),
                       time_str(data, "opened_at", "z_report") or "",
                       time_str(data, "closed_at", "z_report") or "", totals,
                       integer(totals_raw, "offline_pending_count", "z_report.totals"))
        except Invalid as exc:
            raise ValueError(str(exc)) from None


def _request_totals(data: dict[str, Any]) -> ZTotals:
    """Request-side totals: money as request strings ("150", "150.5" or "150.50")."""
    def req_money(name: str) -> Money:
        m = obj(req(data, name, "z_report.totals"), f"z_report.totals.{name}")
        try:
            return Money.parse(m.get("amount"), str(m.get("currency")))  # type: ignore[arg-type]
        except ValueError:
            raise Invalid(f"z_report.totals.{name} is not a money amount") from None

    return ZTotals(
        integer(data, "sales_count", "z_report.totals"), req_money("sales_amount"),
        integer(data, "reversals_count", "z_report.totals"), req_money("reversals_amount"),
        units_str(req(data, "units", "z_report.totals"), "z_report.totals.units"),
        req_money("vat"),
    )


@dataclass(frozen=True)
class ZReconciliation:
    """`POST /v1/shifts/{shift_id}/z-report`: the server's totals and the differences."""

    shift_id: str
    z_number: int
    received_at: str
    terminal: dict[str, Any]
    server: ZTotals
    differences: ZTotals
    matched: bool
    raw: dict[str, Any] = field(repr=False)


def parse_z_reconciliation(value: Any) -> ZReconciliation:
    """Parse a Z answer; `matched` must agree with the differences (all zero)."""
    where = "z_report"
    data = obj(value, where)
    differences = parse_z_totals(req(data, "differences", where), f"{where}.differences",
                                 signed=True)
    matched = boolean(data, "matched", where)
    if matched != differences.is_zero:
        raise Invalid(f"{where}.matched does not agree with the differences")
    return ZReconciliation(
        identifier(data, "shift_id", where), integer(data, "z_number", where),
        time_str(data, "received_at", where) or "",
        dict(obj(req(data, "terminal", where), f"{where}.terminal")),
        parse_z_totals(req(data, "server", where), f"{where}.server"), differences, matched,
        data,
    )
