"""Inputs that must be refused with the contract's error body: blank or control-character
searches, a Z report that closes before it opens, forbidden bytes in a header."""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from tests.vendserver.vs_helpers import assert_error, money


@pytest.mark.parametrize("q", ["  ", "\t\t", "\x00\x00", " \x00 ", "a\x00", "\n\r"])
def test_a_search_of_whitespace_or_nuls_lists_nobody(api, q: str) -> None:
    r = api.http.get("/v1/meters", params={"q": q})
    assert_error(r, "VALIDATION_ERROR")
    assert "results" not in r.json()


def test_a_search_with_spaces_around_a_name_still_finds_it(api) -> None:
    r = api.http.get("/v1/meters", params={"q": "  jose  "})
    assert [x["customer_name"] for x in r.json()["results"]] == ["José Fernandes da Conceição"]


def test_a_z_report_closed_before_it_opened_is_refused(api) -> None:
    opened = datetime.now(UTC)
    body = {"z_number": 1, "opened_at": opened.isoformat(),
            "closed_at": (opened - timedelta(hours=1)).isoformat(),
            "totals": {"sales_count": 0, "sales_amount": money("0.00"),
                       "reversals_count": 0, "reversals_amount": money("0.00"),
                       "units": "0.0", "vat": money("0.00"), "offline_pending_count": 0}}
    r = api.http.post("/v1/shifts/S-9/z-report", json=body)
    assert_error(r, "VALIDATION_ERROR")
    assert r.json()["error"]["details"]["errors"][0]["field"] == "closed_at"


def _raw(base_url: str, request: bytes) -> tuple[bytes, dict[str, str], bytes]:
    parts = urlsplit(base_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    headers = {k.strip().lower().decode(): v.strip().decode()
               for k, _, v in (line.partition(b":") for line in lines[1:])}
    return lines[0], headers, body


@pytest.mark.parametrize("bad", [b"a\x00b", b"a\rb"])
def test_a_nul_or_cr_in_a_header_gets_the_json_error_body(srv, api, bad: bytes) -> None:
    request = (b"GET /v1/terminal HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
               + api.credential.encode() + b"\r\nX-Operator-Id: " + bad + b"\r\n\r\n")
    status, headers, body = _raw(srv.base_url, request)
    assert status.startswith(b"HTTP/1.1 400")
    assert headers["content-type"] == "application/json"
    error = json.loads(body)["error"]
    assert error["code"] == "VALIDATION_ERROR" and error["retryable"] is False
