"""Meter key data must pair the key generation algorithm with the encryption algorithm.

DKGA02 gives 64-bit keys (EA07/EA09 only); a MISTY1 (EA11) meter needs DKGA04. The demo data
and the engine refuse any other pairing with a clear reason instead of minting tokens with a
key the meter cannot hold.
"""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

import pytest

from sts.errors import KeyDataError, StsError
from tests.vendserver.vs_helpers import Api, assert_error
from vendserver import engine
from vendserver.db import SqliteStore
from vendserver.demo import meter_records
from vendserver.engine import MeterKey
from vendserver.service import VendingService
from vendserver.testing import RunningServer


def _key(ea: int, dkga: int) -> MeterKey:
    return MeterKey(sgc="600123", ti=1, krn=1, kt=2, ea=ea, base_date=2014, ken=255, dkga=dkga)


def test_meter_key_check_refuses_dkga02_with_misty1() -> None:
    _key(9, 2).check()
    _key(11, 4).check()
    with pytest.raises(KeyDataError, match="DKGA04"):
        _key(11, 2).check()


def test_decoder_key_refuses_dkga02_with_misty1() -> None:
    with pytest.raises(StsError, match="DKGA04"):
        engine.decoder_key("04200000117", _key(11, 2), bytes(20), bytes(8))


@pytest.mark.parametrize("market", ["ZAR", "UGX", "XOF", "LYD", "MZN"])
def test_every_demo_meter_has_a_valid_pairing(market: str) -> None:
    for m in meter_records(market):
        MeterKey(sgc=m["sgc"], ti=1, krn=1, kt=2, ea=m["ea"], base_date=m["base_date"],
                 ken=255, dkga=m["dkga"]).check()
        assert (m["ea"], m["dkga"]) in ((9, 2), (11, 4))


def test_demo_seed_refuses_a_bad_pairing(monkeypatch: pytest.MonkeyPatch,
                                         tmp_path: Path) -> None:
    from vendserver import demo

    good = demo.meter_records()
    monkeypatch.setattr(demo, "meter_records",
                        lambda code=None: [{**good[0], "ea": 11, "dkga": 2}])
    store = SqliteStore(tmp_path / "bad.db")
    try:
        with pytest.raises(KeyDataError, match="DKGA04"):
            demo.seed(VendingService(store))
        assert store.utility() is None  # nothing half-seeded
    finally:
        store.close()


def test_sale_for_a_meter_with_a_bad_pairing_is_a_token_engine_error(
        srv: RunningServer, api: Api, caplog: pytest.LogCaptureFixture) -> None:
    drn = srv.meter("ea09")["meter_number"]
    with srv.service.store.transaction():
        srv.service.store._exec("UPDATE meters SET ea=11 WHERE drn=?", (drn,))
    key = str(uuid.uuid4())
    with caplog.at_level(logging.WARNING, logger="vendserver"):
        assert_error(api.sale(drn, key=key), "TOKEN_ENGINE_ERROR")
    assert "DKGA04" in caplog.text
    assert_error(api.http.get(f"/v1/sales/{key}"), "SALE_NOT_FOUND")
