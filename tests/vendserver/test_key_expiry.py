"""The server refuses a token past the meter key's expiry number (KEN) with a clear error, and
never gives two tokens the same TID around the reserved minute (00:01 is issued as 00:02)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sts.keys import EA
from sts.tid import issue_tid, tid_for
from sts.tokens import decode_token
from tests.vendserver.vs_helpers import Api, assert_error
from vendserver import engine
from vendserver.engine import MeterKey, TokenMinter
from vendserver.testing import RunningServer

VK160 = bytes.fromhex("abababababababab949494949494949401234567")


def _meter_on_base_2014(srv: RunningServer) -> dict[str, object]:
    for m in srv.demo["meters"]:
        if m["base_date"] == 2014 and not m.get("key_change_due") and "blocked" not in m["tags"]:
            return dict(m)
    raise AssertionError("the demo has no meter on base date 2014 without a pending key change")


def test_sale_past_the_key_expiry_is_refused_and_at_the_boundary_is_sold(
        srv: RunningServer, api: Api) -> None:
    drn = str(_meter_on_base_2014(srv)["meter_number"])
    ken_now = tid_for(datetime.now(UTC), 2014) >> 16
    with srv.service.store.transaction():
        srv.service.store._exec("UPDATE meters SET ken=? WHERE drn=?", (ken_now - 1, drn))
    key = str(uuid.uuid4())
    err = assert_error(api.sale(drn, key=key), "DECODER_KEY_EXPIRED")
    assert err["details"]["ken"] == ken_now - 1
    assert "key change" in err["message"] and err["details"]["expired_after"].endswith("Z")
    assert_error(api.http.get(f"/v1/sales/{key}"), "SALE_NOT_FOUND")  # nothing was sold
    with srv.service.store.transaction():
        srv.service.store._exec("UPDATE meters SET ken=? WHERE drn=?", (ken_now, drn))
    sale = api.ok_sale(drn)
    assert sale["tokens"]


def test_minter_skips_the_reserved_minute() -> None:
    key = MeterKey(sgc="123457", ti=1, krn=1, kt=2, ea=11, base_date=2014, ken=255, dkga=4)
    drn = "14339800360"
    dk = engine.decoder_key(drn, key, VK160, bytes(8))
    midnight = datetime(2026, 3, 1, tzinfo=UTC)
    minter = TokenMinter(drn, engine.now_minute(midnight), midnight)  # next minute is 00:01
    tids = [
        decode_token(EA.MISTY1, dk, minter.credit(key, dk, "electricity", 10),
                     base_date=2014).tid
        for _ in range(3)
    ]
    day = tid_for(midnight, 2014)
    assert tids == [day + 2, day + 3, day + 4]
    assert issue_tid(engine.minute_to_datetime(engine.now_minute(midnight) + 1), 2014) == day + 2
