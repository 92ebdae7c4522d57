"""A JSON body sent with the wrong Content-Type gets an error that says what to fix.

Found probing content types: `{"meter_number": ...}` sent as text/plain was answered "The
request body must be a JSON object." although it is one; the developer cannot tell that the
header is the problem.
"""

from __future__ import annotations

import json

from tests.vendserver.vs_helpers import Api, assert_error


def test_wrong_content_type_names_the_header(api: Api) -> None:
    meter = api.srv.meter("normal")["meter_number"]
    body = json.dumps({"meter_number": meter, "amount": {"amount": "100", "currency": "ZAR"}})
    for content_type in ("text/plain", "application/x-www-form-urlencoded", None):
        headers = {"Content-Type": content_type} if content_type else {}
        r = api.http.post("/v1/quotes", content=body, headers=headers)
        err = assert_error(r, "MALFORMED_JSON")
        assert "Content-Type: application/json" in err["message"]
    r = api.http.post("/v1/quotes", content="[1]", headers={"Content-Type": "application/json"})
    assert_error(r, "MALFORMED_JSON")
    r = api.http.post("/v1/quotes", content="{bad", headers={"Content-Type": "application/json"})
    assert_error(r, "MALFORMED_JSON")
