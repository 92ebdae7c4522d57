"""Out-of-range numbers and times from a client are contract errors (4xx), never a 500.

Found probing edges: integers beyond SQLite's 64-bit range and times whose UTC conversion
leaves datetime's range (year 1 with a positive offset, year 9999 with a negative one) made
the server answer `500 INTERNAL_ERROR` with `retryable: true`, so a client would retry a sale
that can never succeed.
"""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.vendserver.vs_helpers import Api, assert_error

HUGE = str(2**70)
EDGE_TIMES = ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00"]


def test_huge_integers_in_queries_and_paths_are_client_errors(api: Api) -> None:
    assert_error(api.http.get(f"/v1/events/poll?after={HUGE}"), "VALIDATION_ERROR")
    assert_error(api.http.get(f"/v1/tariffs/RES-IBT/versions/{HUGE}"), "TARIFF_NOT_FOUND")
    r = api.http.get("/v1/events", headers={"Last-Event-ID": "99999999999999999999"})
    assert_error(r, "VALIDATION_ERROR")


@pytest.mark.parametrize("when", EDGE_TIMES)
def test_offline_time_at_the_edge_of_the_calendar_is_a_validation_error(
        api: Api, when: str) -> None:
    meter = api.srv.meter("normal")["meter_number"]
    key = str(uuid.uuid4())
    err = assert_error(api.sale(meter, "100.00", key=key, offline_created_at=when),
                       "VALIDATION_ERROR")
    assert err["details"]["errors"][0]["field"] == "offline_created_at"
    assert_error(api.http.get(f"/v1/sales/{key}"), "SALE_NOT_FOUND")


@pytest.mark.parametrize("when", EDGE_TIMES)
def test_z_report_time_at_the_edge_of_the_calendar_is_a_validation_error(
        api: Api, when: str) -> None:
    body = {"z_number": 1, "opened_at": when, "closed_at": "2026-11-25T00:00:00Z",
            "totals": {"sales_count": 0, "sales_amount": {"amount": "0", "currency": "ZAR"},
                       "reversals_count": 0,
                       "reversals_amount": {"amount": "0", "currency": "ZAR"},
                       "units": "0.0", "vat": {"amount": "0", "currency": "ZAR"},
                       "offline_pending_count": 0}}
    r: httpx.Response = api.http.post("/v1/shifts/qa-1/z-report", json=body)
    assert_error(r, "VALIDATION_ERROR")


def test_a_trailing_newline_does_not_pass_the_documented_patterns(api: Api) -> None:
    """Python's `$` matches before a final newline: "100.00\\n" passed as an amount, and
    "abcdefgh\\n" as an Idempotency-Key in a path; the contract's patterns allow neither."""
    meter = api.srv.meter("normal")["meter_number"]
    err = assert_error(api.sale(meter, "100.00\n"), "VALIDATION_ERROR")
    assert err["details"]["errors"][0]["field"] == "amount.amount"
    assert_error(api.quote(meter, "100.00\n"), "VALIDATION_ERROR")
    assert_error(api.http.get("/v1/sales/abcdefgh%0A"), "IDEMPOTENCY_KEY_INVALID")
    body = {"z_number": 1, "opened_at": "2026-11-25T00:00:00Z",
            "closed_at": "2026-11-25T01:00:00Z",
            "totals": {"sales_count": 0, "sales_amount": {"amount": "0", "currency": "ZAR"},
                       "reversals_count": 0,
                       "reversals_amount": {"amount": "0", "currency": "ZAR"},
                       "units": "0.0", "vat": {"amount": "0", "currency": "ZAR"},
                       "offline_pending_count": 0}}
    assert_error(api.http.post("/v1/shifts/s1%0A/z-report", json=body), "VALIDATION_ERROR")
