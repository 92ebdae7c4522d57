"""Z reports: a terminal's shift totals reconciled with the server's."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

from vendserver.db import Row
from vendserver.errors import ApiError
from vendserver.money import fmt_units, money, parse_money
from vendserver.service.common import SHIFT_RE, fingerprint, iso, parse_time
from vendserver.service.terminals import TerminalOps


class ReportOps(TerminalOps):
    """POST /v1/shifts/{shift_id}/z-report."""

    def z_report(self, terminal: Row, operator_id: str | None, shift_id: str,
                 body: dict[str, Any]) -> dict[str, Any]:
        """POST /v1/shifts/{shift_id}/z-report."""
        self._operator(terminal, operator_id)
        if not SHIFT_RE.fullmatch(shift_id):
            raise ApiError("VALIDATION_ERROR", "The shift id is not valid.",
                           {"errors": [{"field": "shift_id", "problem": "bad format"}]})
        fp = fingerprint(body)
        cur = self._currency()
        t = body["totals"]
        terminal_totals = {
            "sales_count": t["sales_count"],
            "sales_amount": parse_money(t["sales_amount"], cur, "totals.sales_amount"),
            "reversals_count": t["reversals_count"],
            "reversals_amount": parse_money(t["reversals_amount"], cur,
                                            "totals.reversals_amount"),
            "vat": parse_money(t["vat"], cur, "totals.vat"),
        }
        try:
            units = int(Fraction(t["units"]) * 10)
        except (ValueError, ZeroDivisionError):
            raise ApiError("VALIDATION_ERROR", "totals.units must be a units string.",
                           {"errors": [{"field": "totals.units", "problem": "not units"}]}
                           ) from None
        opened = parse_time(body["opened_at"], "opened_at")
        closed = parse_time(body["closed_at"], "closed_at")
        if closed < opened:
            raise ApiError("VALIDATION_ERROR", "closed_at is before opened_at.",
                           {"errors": [{"field": "closed_at",
                                        "problem": "before opened_at"}]})
        with self.store.transaction():
            row = self.store.zreport(terminal["id"], shift_id)
            if row is not None:
                if row["fingerprint"] != fp:
                    raise ApiError("DUPLICATE_REQUEST_MISMATCH", "This shift's Z report was "
                                   "already received with different figures.")
                return dict(json.loads(row["response"]))
            s = self.store.terminal_totals(terminal["id"], iso(opened), iso(closed))
            server = {k: int(s[k]) for k in ("sales_count", "sales_amount", "reversals_count",
                                              "reversals_amount", "vat")}
            diffs = {k: terminal_totals[k] - server[k] for k in server}
            unit_diff = units - int(s["units"])
            moneyish = ("sales_amount", "reversals_amount", "vat")

            def wire(values: dict[str, int], u: int) -> dict[str, Any]:
                out: dict[str, Any] = {k: (money(v, cur) if k in moneyish else v)
                                       for k, v in values.items()}
                out["units"] = fmt_units(u)
                return out

            response = {
                "shift_id": shift_id, "z_number": body["z_number"],
                "received_at": iso(self.now()),
                "terminal": t, "server": wire(server, int(s["units"])),
                "differences": wire(diffs, unit_diff),
                "matched": all(v == 0 for v in diffs.values()) and unit_diff == 0,
            }
            self.store.insert_zreport(terminal["id"], shift_id, fp, json.dumps(response))
        return response
