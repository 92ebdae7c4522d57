"""Reversals: what they restore, their policy and the supervisor's approval.

After a reversal the month's fixed charge is due again, even when later sales exist.

Found with a sale sequence: sale A (first of the month, pays the R 45.00 service charge),
sale B (no charge), A reversed; sale C was then priced without the charge because B existed,
so the month's service charge was never collected (docs/api.md §5: "the month's fixed
charges / FBE become due again").
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.vendserver.vs_helpers import Api, assert_error, money, sup
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


def test_reversal_restores_credit_and_arrears(srv, api):
    drn = srv.meter("arrears")["meter_number"]
    s = api.ok_sale(drn, "100.00")
    assert s["arrears_remaining"] == money("1230.00")
    r = api.http.post(f"/v1/sales/{s['receipt_no']}/reversal",
                      json={"reason": "Wrong meter", "supervisor": sup()})
    body = r.json()
    assert r.status_code == 200 and body["amount_refunded"] == money("100.00")
    assert body["vendor_credit"] == money("50000.00")
    assert body["arrears_restored"] == money("20.00")
    assert body["supervisor"]["id"] == "sipho"
    info = api.http.get(f"/v1/meters/{drn}").json()
    assert info["arrears"] == money("1250.00") and info["month_to_date_units"] == "0.0"
    # Idempotent: a second call returns the original reversal.
    again = api.http.post(f"/v1/sales/{s['receipt_no']}/reversal",
                          json={"reason": "Wrong meter", "supervisor": sup()})
    assert again.json() == body
    listed = api.http.get("/v1/sales", params={"meter": drn}).json()["sales"][0]
    assert listed["reversed"] is True


def test_reversal_policy_and_supervisor(srv, api):
    normal = srv.meter("normal")["meter_number"]
    s = api.ok_sale(normal)
    url = f"/v1/sales/{s['receipt_no']}/reversal"
    assert_error(api.http.post(url, json={"reason": "x", "supervisor": sup("1234", "thandi")}),
                 "SUPERVISOR_REQUIRED")
    assert_error(api.http.post(url, json={"reason": "x", "supervisor": sup("0000")}),
                 "PIN_INVALID")
    assert_error(api.http.post("/v1/sales/VP99999999/reversal",
                               json={"reason": "x", "supervisor": sup()}), "RECEIPT_NOT_FOUND")
    yesterday = (datetime.now(UTC) - timedelta(days=1, hours=1)).isoformat()
    old = api.ok_sale(normal, offline_created_at=yesterday)
    err = assert_error(api.http.post(f"/v1/sales/{old['receipt_no']}/reversal",
                                     json={"reason": "x", "supervisor": sup()}),
                       "REVERSAL_NOT_ALLOWED")
    assert err["details"]["reason"] == "not_same_day"
    kc = api.ok_sale(srv.meter("tid_rollover")["meter_number"])
    err = assert_error(api.http.post(f"/v1/sales/{kc['receipt_no']}/reversal",
                                     json={"reason": "x", "supervisor": sup()}),
                       "REVERSAL_NOT_ALLOWED")
    assert err["details"]["reason"] == "key_change_issued"


def test_reversal_refused_once_the_smart_meter_accepted(srv, api):
    drn = srv.meter("two_way")["meter_number"]
    s = api.ok_sale(drn)
    assert s["delivery"] == {"two_way": True, "status": "pending"}
    assert srv.service.wait_idle()
    err = assert_error(api.http.post(f"/v1/sales/{s['receipt_no']}/reversal",
                                     json={"reason": "x", "supervisor": sup()}),
                       "REVERSAL_NOT_ALLOWED")
    assert err["details"]["reason"] == "delivered_to_meter"
    listed = api.http.get("/v1/sales", params={"meter": drn}).json()["sales"][0]
    assert listed["delivered"] is True and listed["balance"] == "27.5"
