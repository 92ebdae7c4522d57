"""Z reports: a shift's totals reconciled with the server's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.vendserver.vs_helpers import assert_error, money, sup


def test_z_report_reconciles_with_server_totals(srv, api):
    opened = datetime.now(UTC) - timedelta(minutes=5)
    drn = srv.meter("normal")["meter_number"]
    api.ok_sale(drn, "200.00")
    s = api.ok_sale(drn, "100.00")
    api.http.post(f"/v1/sales/{s['receipt_no']}/reversal",
                  json={"reason": "x", "supervisor": sup()})
    closed = datetime.now(UTC) + timedelta(minutes=1)
    body: dict[str, Any] = {
            "z_number": 1, "opened_at": opened.isoformat(), "closed_at": closed.isoformat(),
            "totals": {"sales_count": 2, "sales_amount": money("310.00"),
                       "reversals_count": 1, "reversals_amount": money("100.00"),
                       "units": "112.0", "vat": money("39.13"),
                       "offline_pending_count": 0}}
    r = api.http.post("/v1/shifts/S-1/z-report", json=body)
    z = r.json()
    assert r.status_code == 200, r.text
    assert z["server"]["sales_count"] == 2 and z["server"]["sales_amount"] == money("300.00")
    assert z["server"]["reversals_amount"] == money("100.00")
    assert z["differences"]["sales_amount"] == money("10.00") and z["matched"] is False
    assert z["differences"]["units"] == "0.0" and z["differences"]["vat"] == money("0.00")
    assert api.http.post("/v1/shifts/S-1/z-report", json=body).json() == z
    changed = dict(body, z_number=2)
    assert_error(api.http.post("/v1/shifts/S-1/z-report", json=changed),
                 "DUPLICATE_REQUEST_MISMATCH")
    no_op = httpx.post(f"{srv.base_url}/v1/shifts/S-2/z-report", json=body,
                       headers=srv.headers(api.credential))
    assert_error(no_op, "OPERATOR_REQUIRED")
