"""Engineering tokens: what they decode to, key changes, errors and idempotency.

An engineering slip names the power limit the meter will actually hold.

Found by decoding engineering tokens: watt values use the STS amount format, so above
16383 W the encoding rounds up (20000 W becomes 20004 W, 65535 W becomes 65544 W) while the
response and slip said "Power limit 20000 W".
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest

from sts.tokens import TokenClass, decode_token
from tests.vendserver.vs_helpers import Api, assert_error, meter_key, sup, virtual_meter
from vendserver import engine
from vendserver.engine import MeterKey
from vendserver.testing import RunningServer


@pytest.mark.parametrize(("type_", "asked", "held", "label"), [
    ("set_power_limit", 20000, 20004, "Power limit"),
    ("set_power_limit", 65535, 65544, "Power limit"),
    ("set_phase_unbalance", 17001, 17004, "Phase unbalance limit"),
    ("set_power_limit", 4600, 4600, "Power limit"),
])
def test_description_states_the_limit_the_meter_holds(
        srv: RunningServer, api: Api, type_: str, asked: int, held: int, label: str) -> None:
    drn = srv.meter("normal")["meter_number"]
    r = api.http.post("/v1/engineering-tokens", json={
        "meter_number": drn, "type": type_, "value": asked,
        "supervisor": {"operator_id": "sipho", "pin": "4321"}})
    assert r.status_code == 200, r.text
    token = r.json()["tokens"][0]
    row = srv.service.store.meter(drn)
    assert row is not None
    key = MeterKey.from_row(json.loads(row["initial_key"]))
    sg = srv.service.store.supply_group(key.sgc)
    assert sg is not None
    dk = engine.decoder_key(drn, key, bytes(sg["vk160"]), bytes(sg["vk64"]))
    assert decode_token(11, dk, token["token"], base_date=2014).value == held
    assert token["description"].startswith(f"{label} {held} W")
    if held != asked:
        assert f"{asked} W" in token["description"]


def eng(api: Api, drn: str, type_: str, **extra) -> httpx.Response:
    return api.http.post("/v1/engineering-tokens",
                         json={"meter_number": drn, "type": type_, "supervisor": sup(), **extra})


def test_engineering_tokens_decode_as_asked(srv, api):
    drn = srv.meter("normal")["meter_number"]
    key, vk160, vk64 = meter_key(srv, drn)
    dk = engine.decoder_key(drn, key, vk160, vk64)
    vm = virtual_meter(srv, drn)
    cases: list[tuple[str, dict[str, Any], int, int]] = [
        ("clear_tamper", {}, 5, 0), ("set_power_limit", {"value": 4000}, 0, 4000),
        ("set_phase_unbalance", {"value": 1500}, 6, 1500),
        ("clear_credit", {"register": "all"}, 1, 0xFFFF), ("clear_credit", {}, 1, 0)]
    for type_, extra, subclass, value in cases:
        r = eng(api, drn, type_, **extra)
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["reference"].startswith("EN") and body["supervisor"]["id"] == "sipho"
        token = body["tokens"][0]["token"]
        d = decode_token(11, dk, token, base_date=2014)
        assert d.crc_ok and d.token_class == TokenClass.MANAGEMENT
        assert (d.subclass, d.value) == (subclass, value), type_
        assert vm.enter(token).accepted  # distinct TIDs: all five accepted in a row
    test = eng(api, drn, "test").json()["tokens"][0]
    d = decode_token(11, None, test["token"])
    assert d.token_class == TokenClass.NON_MERCHANDISE and d.value == (1 << 36) - 1


def test_engineering_key_change_and_errors(srv, api):
    drn = srv.meter("tid_rollover")["meter_number"]
    assert_error(eng(api, drn, "clear_tamper"), "KEY_REVISION_MUST_BE_UPDATED")
    vm = virtual_meter(srv, drn)
    r = eng(api, drn, "key_change")
    body = r.json()
    assert [t["kind"] for t in body["tokens"]] == ["key_change"] * 4
    assert body["meter"]["base_date"] == 2014
    for t in body["tokens"]:
        assert vm.enter(t["token"]).accepted
    err = assert_error(eng(api, drn, "key_change"), "ENGINEERING_TOKEN_INVALID")
    assert err["details"]["reason"] == "nothing_to_change"
    assert eng(api, drn, "clear_tamper").status_code == 200
    ti = eng(api, drn, "key_change", new_ti=7).json()
    assert ti["meter"]["ti"] == 7 and ti["meter"]["krn"] == 3
    water = srv.meter("water")["meter_number"]
    assert_error(eng(api, water, "set_power_limit", value=100), "ENGINEERING_TOKEN_INVALID")
    normal = srv.meter("normal")["meter_number"]
    assert_error(eng(api, normal, "set_power_limit"), "ENGINEERING_TOKEN_INVALID")
    assert_error(eng(api, normal, "launch_rockets"), "VALIDATION_ERROR")
    cashier_only = api.http.post("/v1/engineering-tokens", json={
        "meter_number": normal, "type": "clear_tamper", "supervisor": sup("1234", "thandi")})
    assert_error(cashier_only, "SUPERVISOR_REQUIRED")
    blocked = srv.meter("blocked")["meter_number"]
    assert eng(api, blocked, "clear_tamper").status_code == 200  # allowed on blocked meters


def test_engineering_idempotency_key(srv, api):
    drn = srv.meter("normal")["meter_number"]
    body = {"meter_number": drn, "type": "clear_tamper", "supervisor": sup()}
    h = {"Idempotency-Key": str(uuid.uuid4())}
    a = api.http.post("/v1/engineering-tokens", json=body, headers=h)
    b = api.http.post("/v1/engineering-tokens", json=body, headers=h)
    assert a.status_code == 200 and a.content == b.content
    other = {**body, "type": "test"}
    assert_error(api.http.post("/v1/engineering-tokens", json=other, headers=h),
                 "DUPLICATE_REQUEST_MISMATCH")
