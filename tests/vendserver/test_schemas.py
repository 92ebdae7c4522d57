"""Real responses match the documented response models (and so the OpenAPI document)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from pydantic import BaseModel

from tests.vendserver.vs_helpers import Api
from vendserver import schemas as S
from vendserver.demo import TARIFFS


def ok(r: httpx.Response, model: type[BaseModel]) -> dict[str, Any]:
    assert r.status_code == 200, r.text
    model.model_validate(r.json())  # extra="forbid": an undocumented field fails here
    body: dict[str, Any] = r.json()
    return body


def test_every_endpoint_answers_in_its_documented_shape(srv, api: Api):
    h = api.http
    sup = {"operator_id": "sipho", "pin": "4321"}
    ok(h.get("/health"), S.HealthOut)
    S.ActivationOut.model_validate(api.activation)
    ok(h.get("/v1/terminal"), S.TerminalOut)
    ok(h.get("/v1/operators"), S.OperatorsOut)
    ok(h.post("/v1/operators/login", json={"operator_id": "thandi", "pin": "1234"}),
       S.LoginOut)
    for tag in ("normal", "blocked", "arrears", "tid_rollover", "water", "two_way"):
        ok(h.get(f"/v1/meters/{srv.meter(tag)['meter_number']}"), S.MeterOut)
    ok(h.get("/v1/meters", params={"q": "mokoena"}), S.SearchOut)
    kc = srv.meter("tid_rollover")["meter_number"]
    ok(api.quote(kc), S.QuoteOut)
    ok(api.quote_units(kc, "25.0"), S.QuoteOut)
    ok(api.sale(kc), S.SaleOut)
    two_way = srv.meter("two_way")["meter_number"]
    key = str(uuid.uuid4())
    sale = ok(api.sale(two_way, key=key, notify=["sms", "email"]), S.SaleOut)
    ok(h.get(f"/v1/sales/{key}"), S.SaleOut)
    assert srv.service.wait_idle()
    ok(h.get("/v1/sales", params={"meter": two_way}), S.SalesOut)
    water = srv.meter("water")["meter_number"]
    ok(h.post("/v1/sales/batch", json={"items": [
        {"idempotency_key": str(uuid.uuid4()), "operator_id": "thandi",
         "request": {"meter_number": water, "amount": {"amount": "50.00", "currency": "ZAR"}}},
        {"idempotency_key": str(uuid.uuid4()), "operator_id": "thandi",
         "request": {"meter_number": srv.meter("blocked")["meter_number"],
                     "amount": {"amount": "50.00", "currency": "ZAR"}}},
    ]}), S.BatchOut)
    normal = srv.meter("normal")["meter_number"]
    to_reverse = api.ok_sale(normal)
    ok(h.post(f"/v1/sales/{to_reverse['receipt_no']}/reversal",
              json={"reason": "test", "supervisor": sup}), S.ReversalOut)
    for body in ({"type": "clear_tamper"}, {"type": "test"}, {"type": "key_change",
                                                             "new_ti": 3}):
        ok(h.post("/v1/engineering-tokens",
                  json={"meter_number": normal, "supervisor": sup, **body}), S.EngineeringOut)
    ok(h.get("/v1/tariffs"), S.TariffsOut)
    ok(h.get("/v1/tariffs/WAT-DOM/versions/1"), S.SignedTariffOut)
    now = datetime.now(UTC)
    money = {"amount": "0.00", "currency": "ZAR"}
    ok(h.post("/v1/shifts/S-9/z-report", json={
        "z_number": 9, "opened_at": (now - timedelta(hours=1)).isoformat(),
        "closed_at": now.isoformat(),
        "totals": {"sales_count": 0, "sales_amount": money, "reversals_count": 0,
                   "reversals_amount": money, "units": "0.0", "vat": money,
                   "offline_pending_count": 0}}), S.ZReportOut)
    srv.service.set_policy(api.activation["terminal_id"], {"max_count": 3})
    srv.service.publish_tariff(dict(TARIFFS[1]))
    poll = ok(h.get("/v1/events/poll", params={"after": 0, "limit": 500}), S.PollOut)
    assert {e["event"] for e in poll["events"]} == {
        "tariff.published", "sale.delivered", "terminal.policy", "vendor.credit"}
    S.ErrorOut.model_validate(h.get("/v1/meters/12345678901").json())
    assert sale["notifications"][0]["status"] == "recorded"


def test_openapi_documents_the_error_body_everywhere(srv):
    doc = httpx.get(f"{srv.base_url}/openapi.json").json()
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            ref = op["responses"]["4XX"]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/ErrorOut"), (method, path)
            if path != "/v1/events":
                assert op["responses"]["200"]["content"]["application/json"]["schema"][
                    "$ref"].endswith("Out"), (method, path)
