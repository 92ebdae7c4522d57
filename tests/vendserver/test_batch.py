"""Batch upload of offline sales: in order, one result per item.

One malformed offline sale in a batch must not block the others.

Found probing the batch endpoint: an item whose `request` had a wrong type, a missing field or
an unknown field made the whole batch `400 VALIDATION_ERROR`, so none of the good offline
sales in it were processed (the "one bad record blocks the whole queue" failure). Each item is
now checked like the single request it stands for, with its own result.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.vendserver.vs_helpers import Api, assert_error, money


def _item(request: dict[str, Any], operator: str = "thandi") -> dict[str, Any]:
    return {"idempotency_key": str(uuid.uuid4()), "operator_id": operator, "request": request}


@pytest.mark.parametrize(("bad", "field"), [
    ({"amount": {"amount": 100, "currency": "ZAR"}}, "amount.amount"),
    ({"amount": {"amount": "100.00", "currency": "ZAR"}, "tip": 1}, "tip"),
    ({}, "amount"),
])
def test_a_malformed_item_gets_its_own_400_and_the_others_are_sold(
        api: Api, bad: dict[str, Any], field: str) -> None:
    meter = api.srv.meter("normal")["meter_number"]
    good = {"meter_number": meter, "amount": {"amount": "100.00", "currency": "ZAR"}}
    items = [_item(good), _item({"meter_number": meter, **bad}), _item(good)]
    r = api.http.post("/v1/sales/batch", json={"items": items})
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert [x["status"] for x in results] == [200, 400, 200]
    assert [x["idempotency_key"] for x in results] == [i["idempotency_key"] for i in items]
    err = results[1]["error"]
    assert err["code"] == "VALIDATION_ERROR" and results[1]["sale"] is None
    assert err["details"]["errors"][0]["field"] == field
    # The single request would have had the same answer, and nothing was recorded.
    single = api.http.post("/v1/sales", json=items[1]["request"],
                           headers={"Idempotency-Key": items[1]["idempotency_key"]})
    assert_error(single, "VALIDATION_ERROR")
    assert_error(api.http.get(f"/v1/sales/{items[1]['idempotency_key']}"), "SALE_NOT_FOUND")


def test_an_empty_operator_is_a_per_item_error(api: Api) -> None:
    meter = api.srv.meter("normal")["meter_number"]
    good = {"meter_number": meter, "amount": {"amount": "100.00", "currency": "ZAR"}}
    items = [_item(good, operator=""), _item(good)]
    r = api.http.post("/v1/sales/batch", json={"items": items})
    assert r.status_code == 200, r.text
    assert [x["status"] for x in r.json()["results"]] == [400, 200]
    assert r.json()["results"][0]["error"]["code"] == "OPERATOR_REQUIRED"


def test_batch_shape_errors_still_refuse_the_batch(api: Api) -> None:
    assert_error(api.http.post("/v1/sales/batch", json={"items": []}), "VALIDATION_ERROR")
    assert_error(api.http.post("/v1/sales/batch", json={"items": [{"request": {}}]}),
                 "VALIDATION_ERROR")


def test_batch_upload_in_order_with_per_item_results(srv, api):
    normal = srv.meter("normal")["meter_number"]
    blocked = srv.meter("blocked")["meter_number"]
    keys = [str(uuid.uuid4()) for _ in range(3)]
    when = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    items = [
        {"idempotency_key": keys[0], "operator_id": "thandi",
         "request": {"meter_number": normal, "amount": money("200.00"),
                     "offline_created_at": when}},
        {"idempotency_key": keys[1], "operator_id": "thandi",
         "request": {"meter_number": blocked, "amount": money("50.00")}},
        {"idempotency_key": keys[2], "operator_id": "sipho",
         "request": {"meter_number": normal, "amount": money("100.00")}},
    ]
    r = api.http.post("/v1/sales/batch", json={"items": items})
    results = r.json()["results"]
    assert [x["status"] for x in results] == [200, 422, 200]
    assert results[1]["error"]["code"] == "BLOCKED_METER" and results[1]["sale"] is None
    # In order: the first item took the fixed charge and block 1, the third continues.
    assert results[0]["sale"]["units"] == "72.0" and results[2]["sale"]["units"] == "40.0"
    assert results[2]["sale"]["operator"]["id"] == "sipho"
    # The same key through POST /v1/sales with the same body is the same sale.
    single = api.http.post("/v1/sales", json=items[0]["request"],
                           headers={"Idempotency-Key": keys[0]})
    assert single.json() == results[0]["sale"]
    again = api.http.post("/v1/sales/batch", json={"items": items}).json()["results"]
    assert [x["sale"]["receipt_no"] for x in (again[0], again[2])] == [
        results[0]["sale"]["receipt_no"], results[2]["sale"]["receipt_no"]]
    assert_error(api.http.post("/v1/sales/batch", json={"items": []}), "VALIDATION_ERROR")
