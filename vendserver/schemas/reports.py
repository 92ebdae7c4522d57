"""Response shapes of Z-report reconciliation."""

from __future__ import annotations

from pydantic import ConfigDict

from vendserver.schemas.common import MoneyOut, Out


class ZTotalsOut(Out):
    """Totals of a shift (terminal's, server's, or their differences)."""

    model_config = ConfigDict(extra="allow")  # the terminal's copy is echoed as sent

    sales_count: int
    sales_amount: MoneyOut
    reversals_count: int
    reversals_amount: MoneyOut
    units: str
    vat: MoneyOut


class ZReportOut(Out):
    """POST /v1/shifts/{shift_id}/z-report."""

    shift_id: str
    z_number: int
    received_at: str
    terminal: ZTotalsOut
    server: ZTotalsOut
    differences: ZTotalsOut
    matched: bool
