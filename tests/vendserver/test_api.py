"""The HTTP layer as a whole over real HTTP: health, the OpenAPI document, the contract's error
body for bugs, a busy database and transport errors, and the request size limit.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import httpx

from tests.vendserver.vs_helpers import assert_error, money


def test_health_needs_no_credential(srv):
    r = httpx.get(f"{srv.base_url}/health")
    assert r.status_code == 200
    assert r.json()["status"] == "ok" and r.json()["api_version"] == "1"


def test_openapi_document_lists_the_contract(srv):
    doc = httpx.get(f"{srv.base_url}/openapi.json").json()
    for path in ("/v1/terminals/activate", "/v1/meters/{meter_number}", "/v1/quotes",
                 "/v1/sales", "/v1/sales/batch", "/v1/sales/{idempotency_key}",
                 "/v1/sales/{receipt_no}/reversal", "/v1/engineering-tokens", "/v1/tariffs",
                 "/v1/tariffs/{tariff_id}/versions/{version}", "/v1/events", "/v1/terminal",
                 "/v1/operators", "/v1/shifts/{shift_id}/z-report", "/health"):
        assert path in doc["paths"], path


def test_internal_error_and_busy_database_are_json(srv, api, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(srv.service, "tariffs", boom)
    r = api.http.get("/v1/tariffs")
    assert "secret" not in r.text
    assert_error(r, "INTERNAL_ERROR")

    def busy(*args, **kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(srv.service, "tariffs", busy)
    assert_error(api.http.get("/v1/tariffs"), "SERVICE_UNAVAILABLE")


def test_transport_errors_use_the_contract_body(srv, api):
    assert_error(api.http.get("/v1/nothing-here"), "NOT_FOUND")
    assert_error(api.http.delete("/v1/quotes"), "METHOD_NOT_ALLOWED")
    assert_error(api.http.post("/v1/quotes", content=b"{not json",
                               headers={"Content-Type": "application/json"}), "MALFORMED_JSON")
    assert_error(api.http.post("/v1/quotes", json=[1, 2]), "MALFORMED_JSON")
    err = assert_error(api.http.post("/v1/quotes", json={"meter_number": "x", "amount": money(
        "1.00"), "extra": 1}), "VALIDATION_ERROR")
    assert {"field": "extra", "problem": "Extra inputs are not permitted"} in err[
        "details"]["errors"]
    big = {"meter_number": "1" * 11, "amount": money("1.00"), "pad": "x" * 70000}
    err = assert_error(api.http.post("/v1/quotes", json=big), "REQUEST_TOO_LARGE")
    assert err["details"]["limit_bytes"] == 65536


def test_chunked_oversized_body_is_refused(api):
    def chunks():
        for _ in range(20):
            yield b"x" * 8192

    r = api.http.post("/v1/quotes", content=chunks(), headers={"Content-Type": "application/json"})
    assert_error(r, "REQUEST_TOO_LARGE")


def test_oversized_body_whose_last_chunk_crosses_the_limit_is_answered_at_once():
    """The race behind the intermittent chunked test: under load the server receives the body
    in fewer, bigger chunks, and the one crossing the limit may be the last. The guard must
    answer 413 then, not wait for more body (which, after the last chunk, only a disconnect
    would end)."""
    import asyncio

    from vendserver.api import BODY_LIMIT, Guard

    sent: list[dict[str, Any]] = []
    delivered = False

    async def app(scope, receive, send):  # pragma: no cover - must not be reached
        raise AssertionError("an oversized body reached the app")

    async def scenario() -> None:
        nonlocal delivered
        never = asyncio.Event()

        async def receive():
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": b"x" * (BODY_LIMIT + 1),
                        "more_body": False}
            await never.wait()  # what uvicorn does after the body: wait for a disconnect
            return {"type": "http.disconnect"}

        async def send(message):
            sent.append(message)

        async with asyncio.timeout(10):
            await Guard(app)({"type": "http", "path": "/v1/quotes", "headers": []}, receive, send)

    asyncio.run(scenario())
    assert sent[0]["status"] == 413
    assert json.loads(sent[1]["body"])["error"]["code"] == "REQUEST_TOO_LARGE"
