"""Idempotent sales under concurrency: one key, many requests, exactly one sale."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.vendserver.vs_helpers import Api


def test_twenty_concurrent_requests_with_one_key_make_one_sale(srv, api: Api):
    drn = srv.meter("normal")["meter_number"]
    key = str(uuid.uuid4())
    body = {"meter_number": drn, "amount": {"amount": "150.00", "currency": "ZAR"}}
    headers = {**srv.headers(api.credential, "thandi"), "Idempotency-Key": key}

    def send(_: int) -> httpx.Response:
        # A client per request: 20 separate connections racing each other.
        with httpx.Client(base_url=srv.base_url, timeout=60) as c:
            return c.post("/v1/sales", json=body, headers=headers)

    with ThreadPoolExecutor(max_workers=20) as pool:
        responses = list(pool.map(send, range(20)))
    assert {r.status_code for r in responses} == {200}
    assert len({r.content for r in responses}) == 1  # byte-identical answers
    assert sum(1 for r in responses if "Idempotent-Replayed" not in r.headers) == 1
    sales = api.http.get("/v1/sales", params={"meter": drn}).json()["sales"]
    assert len(sales) == 1
    assert api.http.get("/v1/terminal").json()["vendor_credit"]["amount"] == "49850.00"


def test_concurrent_mismatching_bodies_with_one_key(srv, api: Api):
    drn = srv.meter("normal")["meter_number"]
    key = str(uuid.uuid4())
    headers = {**srv.headers(api.credential, "thandi"), "Idempotency-Key": key}

    def send(i: int) -> httpx.Response:
        body = {"meter_number": drn, "amount": {"amount": f"{100 + i % 2}.00",
                                                "currency": "ZAR"}}
        with httpx.Client(base_url=srv.base_url, timeout=60) as c:
            return c.post("/v1/sales", json=body, headers=headers)

    with ThreadPoolExecutor(max_workers=10) as pool:
        responses = list(pool.map(send, range(10)))
    winners = [r for r in responses if r.status_code == 200]
    losers = [r for r in responses if r.status_code == 409]
    assert len(winners) + len(losers) == 10
    amount = winners[0].json()["amount_tendered"]["amount"]
    # Every 200 is the one sale; every 409 asked for the other amount.
    assert all(r.json()["amount_tendered"]["amount"] == amount for r in winners)
    assert all(r.json()["error"]["code"] == "DUPLICATE_REQUEST_MISMATCH" for r in losers)
    assert len(losers) == 5
    assert len(api.http.get("/v1/sales", params={"meter": drn}).json()["sales"]) == 1


def test_key_order_and_whitespace_do_not_change_the_fingerprint(srv, api: Api):
    drn = srv.meter("normal")["meter_number"]
    key = str(uuid.uuid4())
    h = {"Idempotency-Key": key, "Content-Type": "application/json"}
    one = '{"meter_number": "DRN", "amount": {"amount": "60.00", "currency": "ZAR"}}'
    two = '{"amount":{"currency":"ZAR","amount":"60.00"},\n "meter_number":"DRN"}'
    a = api.http.post("/v1/sales", headers=h, content=one.replace("DRN", drn))
    b = api.http.post("/v1/sales", headers=h, content=two.replace("DRN", drn))
    assert a.status_code == 200 and a.content == b.content
