"""Bounded property test: garbage to every endpoint never gives a 5xx or a foreign body.

schemathesis is not installed here, so this hypothesis test stands in for it: random JSON
values, near-miss bodies with the right field names, and raw bytes are posted to every
endpoint; every answer must be a 2xx JSON body or the contract's error body with the status
that belongs to its code.
"""

from __future__ import annotations

import json
import string
import urllib.parse
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vendserver.errors import ERROR_CODES
from vendserver.testing import RunningServer, running_server


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory) -> Iterator[tuple[RunningServer, httpx.Client]]:
    with running_server(tmp_path_factory.mktemp("fuzz"), heartbeat=0.2) as srv:
        act = srv.activate("fuzz")
        with httpx.Client(base_url=srv.base_url, timeout=30,
                          headers=srv.headers(act["credential"], "thandi")) as client:
            yield srv, client


scalars = (st.none() | st.booleans() | st.integers(-(2**70), 2**70)
           | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30))
json_values = st.recursive(
    scalars,
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=12), kids,
                                                              max_size=5),
    max_leaves=15,
)
VALID_DRN = "04200000117"
money_like = st.fixed_dictionaries({"amount": json_values | st.sampled_from(
    ["100.00", "0", "5", "99999999999", "1e3", " 10", "-1"]), "currency": json_values
    | st.just("ZAR")})
meterish = json_values | st.sampled_from([VALID_DRN, "04200000118", "14339800360", "", "0" * 13])
supervisorish = json_values | st.fixed_dictionaries(
    {"operator_id": json_values | st.just("sipho"), "pin": json_values | st.just("4321")})
near_miss = {
    "/v1/terminals/activate": st.fixed_dictionaries(
        {"activation_code": json_values, "terminal_name": json_values}),
    "/v1/operators/login": st.fixed_dictionaries(
        {"operator_id": json_values | st.just("sipho"), "pin": json_values}),
    "/v1/quotes": st.fixed_dictionaries({"meter_number": meterish, "amount": money_like}),
    "/v1/sales": st.fixed_dictionaries(
        {"meter_number": meterish, "amount": money_like},
        optional={"offline_created_at": json_values, "notify": json_values,
                  "client_reference": json_values}),
    "/v1/sales/batch": st.fixed_dictionaries({"items": st.lists(st.fixed_dictionaries(
        {"idempotency_key": json_values, "operator_id": json_values,
         "request": json_values}), max_size=3) | json_values}),
    "/v1/sales/VP00000001/reversal": st.fixed_dictionaries(
        {"reason": json_values, "supervisor": supervisorish}),
    "/v1/engineering-tokens": st.fixed_dictionaries(
        {"meter_number": meterish, "type": json_values | st.sampled_from(
            ["clear_tamper", "set_power_limit", "test", "key_change"]),
         "supervisor": supervisorish}, optional={"value": json_values, "new_ti": json_values}),
    "/v1/shifts/S1/z-report": st.fixed_dictionaries(
        {"z_number": json_values, "opened_at": json_values, "closed_at": json_values,
         "totals": json_values}),
}
POSTS = list(near_miss)
GETS = ["/v1/meters/{}", "/v1/meters?q={}", "/v1/sales/{}", "/v1/sales?meter={}",
        "/v1/tariffs/{}/versions/1", "/v1/tariffs/RES-IBT/versions/{}", "/v1/events/poll?after={}",
        "/v1/terminal", "/v1/operators", "/v1/tariffs", "/health"]
header_text = st.text(alphabet=string.printable.strip(), max_size=40)


def check(r: httpx.Response) -> None:
    assert r.status_code < 500, r.text
    assert r.headers["content-type"].startswith("application/json"), r.text
    body = r.json()
    if r.status_code >= 400:
        assert set(body) == {"error"}
        err = body["error"]
        assert set(err) == {"code", "message", "retryable", "details"}
        assert err["code"] in ERROR_CODES
        assert ERROR_CODES[err["code"]] == (r.status_code, err["retryable"])
        assert isinstance(err["message"], str) and isinstance(err["details"], dict)


@settings(max_examples=160, deadline=None, suppress_health_check=list(HealthCheck))
@given(path=st.sampled_from(POSTS), data=st.data(), key=st.none() | header_text,
       raw=st.none() | st.binary(max_size=64))
def test_posts_never_fail_with_5xx(fuzz_server, path, data, key, raw):
    _, client = fuzz_server
    body = data.draw(st.one_of(near_miss[path], json_values))
    headers = {} if key is None else {"Idempotency-Key": key}
    if raw is not None:
        headers["Content-Type"] = "application/json"
        r = client.post(path, content=raw, headers=headers)
    else:
        r = client.post(path, content=json.dumps(body), headers={
            **headers, "Content-Type": "application/json"})
    check(r)


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(template=st.sampled_from(GETS), text=st.text(max_size=40),
       last=st.none() | header_text)
def test_gets_never_fail_with_5xx(fuzz_server, template, text, last):
    _, client = fuzz_server
    r = client.get(template.format(urllib.parse.quote(text, safe="")))
    check(r)
