"""After a reversal the month's fixed charge is due again, even when later sales exist.

Found by a QA sale sequence: sale A (first of the month, pays the R 45.00 service charge),
sale B (no charge), A reversed; sale C was then priced without the charge because B existed,
so the month's service charge was never collected (docs/api.md §5: "the month's fixed
charges / FBE become due again").
"""

from __future__ import annotations

from typing import Any

from tests.vendserver.vs_helpers import Api
from vendserver.testing import RunningServer


def _sup() -> dict[str, str]:
    return {"operator_id": "sipho", "pin": "4321"}


def _kinds(sale: dict[str, Any]) -> list[str]:
    return [line["kind"] for line in sale["lines"]]


def test_fixed_charge_due_again_after_the_paying_sale_is_reversed(
        srv: RunningServer, api: Api) -> None:
    drn = srv.meter("normal")["meter_number"]
    a = api.ok_sale(drn, "100.00")
    assert "fixed_charge" in _kinds(a)
    b = api.ok_sale(drn, "100.00")
    assert "fixed_charge" not in _kinds(b)
    r = api.http.post(f"/v1/sales/{a['receipt_no']}/reversal",
                      json={"reason": "Wrong meter", "supervisor": _sup()})
    assert r.status_code == 200, r.text
    q = api.quote(drn, "100.00").json()
    c = api.ok_sale(drn, "100.00")
    assert "fixed_charge" in _kinds(q) and "fixed_charge" in _kinds(c)
    assert q["lines"] == c["lines"]
    # Only once: the next sale of the month does not pay it again.
    assert "fixed_charge" not in _kinds(api.ok_sale(drn, "100.00"))


def test_reversing_a_later_sale_does_not_charge_the_fixed_charge_twice(
        srv: RunningServer, api: Api) -> None:
    drn = srv.meter("normal")["meter_number"]
    api.ok_sale(drn, "100.00")
    b = api.ok_sale(drn, "100.00")
    r = api.http.post(f"/v1/sales/{b['receipt_no']}/reversal",
                      json={"reason": "Wrong amount", "supervisor": _sup()})
    assert r.status_code == 200, r.text
    assert "fixed_charge" not in _kinds(api.ok_sale(drn, "100.00"))
