"""An engineering slip names the power limit the meter will actually hold.

Found by decoding engineering tokens: watt values use the STS amount format, so above
16383 W the encoding rounds up (20000 W becomes 20004 W, 65535 W becomes 65544 W) while the
response and slip said "Power limit 20000 W".
"""

from __future__ import annotations

import json

import pytest

from sts.tokens import decode_token
from tests.vendserver.vs_helpers import Api
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
