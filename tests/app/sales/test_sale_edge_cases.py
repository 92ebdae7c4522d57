"""Sale service edge cases without the reference server: full disk, malformed answers."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from app.api import Money, Timeouts
from app.api.models import parse_meter, parse_offline_policy
from app.backend import ClientBackend
from app.sales import Connectivity, SaleService
from app.sales import repository as repo
from app.sales.events import SaleNeedsAttention
from app.sales.outcomes import SaleNotCompleted
from common.events import EventBus
from offline_store import DiskFull, Store, open_store
from offline_store.journal import verify_chain
from tests.reliability.api_samples import sale as sample_sale
from tests.reliability.faultproxy import scripted_server

METER = "14339800360"
POLICY = {"offline_allowed": True, "max_sale": {"amount": "1000.00", "currency": "ZAR"},
          "max_total": {"amount": "100000.00", "currency": "ZAR"}, "max_count": 10000,
          "warn_after_hours": 24, "refuse_after_hours": 72, "refuse": ["blocked"]}
METER_JSON = {
    "meter_number": METER, "service": "electricity", "unit": "kWh",
    "customer": {"name": "Thandi", "address": "1 Main Rd", "account": "A1",
                 "phone": "+2782*****67", "email": None},
    "utility": {"id": "U01", "name": "U"}, "tariff": {"id": "RES", "name": "Res", "version": 1},
    "key": {"sgc": "600123", "krn": 1, "ti": 1, "ea": 11, "kt": 2, "base_date": 2014,
            "dkga": 4},
    "two_way": False, "blocked": False, "blocked_reason": None,
    "arrears": {"amount": "0.00", "currency": "ZAR"}, "fbe_due": False, "fbe_units": "0.0",
    "month_to_date_units": "0.0", "last_purchase_at": None, "days_since_last_purchase": None,
    "key_change_due": None, "warnings": [],
}


def _service(store: Store, url: str, online: bool) -> tuple[SaleService, EventBus]:
    bus = EventBus()
    client = ClientBackend(requests.Session(), url, lambda: "vpt_x", timeouts=Timeouts(1, 2))
    service = SaleService(store, client, bus, Connectivity(bus, online=online))
    store.call(lambda c: repo.save_policy(c, parse_offline_policy(POLICY)))
    store.call(lambda c: repo.cache_meter(c, parse_meter(METER_JSON)))
    return service, bus


def _counts(store: Store) -> tuple[int, int, int]:
    return store.call(lambda c: tuple(c.execute(
        "SELECT (SELECT count(*) FROM sales), (SELECT count(*) FROM outbox), "
        "(SELECT count(*) FROM journal)").fetchone()))


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)],
            capture_output=True).returncode != 0:
        pytest.skip("needs root to mount a tiny tmpfs (the store-level test covers "
                    "max_page_count)")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_offline_sale_on_a_full_disk_is_refused_and_nothing_is_half_written(
    tiny_disk: Path,
) -> None:
    key = secrets.token_bytes(32)
    store = open_store(tiny_disk / "vend.db", key, create=True)
    service, _ = _service(store, "http://127.0.0.1:9", online=False)
    service.sell(METER, Money(10000, "ZAR"), "thandi")
    # Fill the disk to the last byte.
    fd = os.open(tiny_disk / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)
    before = _counts(store)
    refused = 0
    for _ in range(5):
        try:
            service.sell(METER, Money(10000, "ZAR"), "thandi")
        except DiskFull as exc:
            refused += 1
            assert "full" in str(exc)
    assert refused >= 1
    after = _counts(store)
    # Each row count moved together (sale, outbox, journal) or not at all.
    delta = [a - b for a, b in zip(after, before, strict=True)]
    assert delta[0] == delta[1] == delta[2]
    (tiny_disk / "filler").unlink()
    assert service.sell(METER, Money(10000, "ZAR"), "thandi").state == "pending"
    assert store.call(verify_chain).ok
    store.close()
    with open_store(tiny_disk / "vend.db", key) as again:
        assert again.call(lambda c: c.execute("PRAGMA integrity_check").fetchall()) == [("ok",)]
        assert _counts(again)[0] == after[0] + 1


def _scripted_store(tmp_path: Path) -> Store:
    return open_store(tmp_path / "vend.db", secrets.token_bytes(32), create=True)


def test_malformed_answer_is_kept_never_a_sale_and_needs_attention(tmp_path: Path) -> None:
    store = _scripted_store(tmp_path)
    with scripted_server() as server:
        service, bus = _service(store, server.url, online=True)
        attention: list[str] = []
        bus.subscribe(SaleNeedsAttention, lambda e: attention.append(e.data["code"]))
        bad = sample_sale()
        bad["tokens"][0]["token"] = "1234"
        body = json.dumps(bad).encode()
        server.script += [(200, "application/json", body),   # the sale answer: malformed
                          (200, "text/html", b"<html>login</html>")]  # the look-up: HTML
        # The outcome is unknown: the sale stays open under its key, the cashier may only
        # retry THIS sale (never a new key for the same payment).
        with pytest.raises(SaleNotCompleted) as caught:
            service.sell(METER, Money(10000, "ZAR"), "thandi")
        assert [r[0] for r in server.requests] == ["POST", "GET"]
        key = caught.value.idempotency_key
        assert store.call(lambda c: c.execute("SELECT idem_key FROM sales").fetchall()) == \
            [(key,)]
    rows = store.call(lambda c: c.execute("SELECT state, reason_code FROM sales").fetchall())
    assert rows == [("needs_attention", "MALFORMED")]
    kept = store.call(lambda c: c.execute(
        "SELECT method, path, body, problem FROM malformed_responses ORDER BY id").fetchall())
    assert [(k[0], k[2]) for k in kept] == [("POST", body), ("GET", b"<html>login</html>")]
    assert "20 digits" in kept[0][3]
    assert store.call(lambda c: c.execute("SELECT count(*) FROM tokens").fetchone()[0]) == 0
    assert attention == ["MALFORMED"]
    stats = store.call(repo.outbox_stats)
    assert stats.count == 1 and stats.needs_attention == 1
    store.close()


def test_malformed_answer_then_good_lookup_is_tokened(tmp_path: Path) -> None:
    store = _scripted_store(tmp_path)
    keys = iter(["6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f"])
    with scripted_server() as server:
        service, _ = _service(store, server.url, online=True)
        service._key_factory = lambda: next(keys)
        good = sample_sale(meter=METER)
        server.script += [(200, "application/json", b"{truncated"),
                          (200, "application/json", json.dumps(good).encode())]
        outcome = service.sell(METER, Money(10000, "ZAR"), "thandi")
    assert outcome.state == "tokened" and outcome.resolved_after_lost_answer
    assert store.call(lambda c: c.execute("SELECT count(*) FROM malformed_responses")
                      .fetchone()[0]) == 1
    store.close()
