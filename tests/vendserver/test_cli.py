"""The command line: serve --port 0, demo-info, publish-tariff, audit, vendor-topup."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from pathlib import Path

import httpx

from sts.meter_number import luhn_check_digit
from vendserver import engine
from vendserver.engine import MeterKey, TokenMinter
from vendserver.testing import running_server

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "vendserver", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_serve_on_port_zero_announces_its_url(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "vendserver", "serve", "--port", "0", "--demo", "--db",
         str(tmp_path / "v.db")], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        text=True)
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for x in proc.stdout:
            lines.put(x)

    threading.Thread(target=pump, daemon=True).start()
    try:
        line = lines.get(timeout=60)
        assert line.startswith("VENDSERVER LISTENING http://127.0.0.1:")
        url = line.split()[-1]
        assert httpx.get(f"{url}/health", timeout=10).json()["status"] == "ok"
        act = httpx.post(f"{url}/v1/terminals/activate", timeout=10, json={
            "activation_code": "DEMO-ACT-2026", "terminal_name": "cli"})
        assert act.status_code == 200
    finally:
        proc.terminate()
        assert proc.wait(timeout=30) is not None
    # A restart on the same database keeps the data and does not seed twice.
    proc = subprocess.Popen(
        [sys.executable, "-m", "vendserver", "serve", "--port", "0", "--demo", "--db",
         str(tmp_path / "v.db")], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().split()[-1]
        cred = act.json()["credential"]
        r = httpx.get(f"{url}/v1/terminal", headers={"Authorization": f"Bearer {cred}"})
        assert r.status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_demo_info_is_deterministic_and_complete():
    first = run("demo-info")
    assert first.returncode == 0
    info = json.loads(first.stdout)
    assert json.loads(run("demo-info").stdout) == info
    meters = info["meters"]
    assert len(meters) >= 20
    numbers = [m["meter_number"] for m in meters]
    assert len(set(numbers)) == len(numbers)
    for n in numbers:
        assert len(n) in (11, 13) and luhn_check_digit(n[:-1]) == int(n[-1])
    tags = {t for m in meters for t in m["tags"]}
    assert {"blocked", "arrears", "key_change", "two_way", "water", "long_name", "accented",
            "ea09", "fbe"} <= tags
    assert sum(1 for m in meters if m["two_way"]) >= 2
    assert {o["role"] for o in info["operators"]} >= {"cashier", "supervisor"}
    assert all(o["pin"].isdigit() for o in info["operators"])
    assert len(info["tariffs"]) == 3 and info["activation_code"]
    assert info["tariff_signing_key"] is None  # only with --db


def test_publish_tariff_refuses_a_bad_document(tmp_path):
    with running_server(tmp_path) as srv:
        db = srv.db
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps({"tariff_id": "X", "name": "x", "service": "electricity",
                                   "unit": "kWh", "prices_include_vat": True,
                                   "vat_rate": "15.00", "blocks": []}))
        out = run("publish-tariff", str(bad), "--db", db)
        assert out.returncode == 1 and "at least one block" in out.stderr
        assert run("publish-tariff", str(tmp_path / "missing.json"), "--db", db).returncode == 2
        assert srv.service.store.tariff("X") is None


def test_vendor_topup(tmp_path):
    with running_server(tmp_path) as srv:
        out = run("vendor-topup", "--db", srv.db, "--vendor", "V001",
                  "--amount", "250.50")
        assert out.returncode == 0 and "50250.50" in out.stdout
        vendor = srv.service.store.vendor("V001")
        assert vendor is not None and vendor["credit_cents"] == 5_025_050


def test_audit_flags_credit_no_sale_backs(tmp_path):
    with running_server(tmp_path) as srv:
        act = srv.activate()
        drn = srv.meter("two_way")["meter_number"]
        r = httpx.post(f"{srv.base_url}/v1/sales",
                       json={"meter_number": drn, "amount": {"amount": "100.00",
                                                             "currency": "ZAR"}},
                       headers=srv.headers(act["credential"], "thandi", "audit-sale-0001"))
        assert r.status_code == 200
        assert srv.service.wait_idle()
        db = srv.db
        clean = run("audit", "--db", db)
        assert clean.returncode == 0 and "OK" in clean.stdout
        # Someone with the vending key makes their own token and types it into the meter.
        row = srv.service.store.meter(drn)
        assert row is not None
        sg = srv.service.store.supply_group(row["sgc"])
        assert sg is not None
        key = MeterKey.from_row(row)
        dk = engine.decoder_key(drn, key, bytes(sg["vk160"]), bytes(sg["vk64"]))
        rogue = TokenMinter(drn, int(row["last_tid_minute"]) + 5,
                            srv.service.now()).credit(key, dk, "electricity", 5000)
        entered = run("meter-enter", "--db", db, drn, rogue)
        assert entered.returncode == 0 and json.loads(entered.stdout)["accepted"] is True
        flagged = run("audit", "--db", db)
        assert flagged.returncode == 1
        assert f"UNBACKED CREDIT meter {drn} +500.0" in flagged.stdout
        assert rogue not in flagged.stdout  # tokens are cash: never printed in full


def test_set_policy_reaches_the_terminal(tmp_path):
    with running_server(tmp_path) as srv:
        act = srv.activate()
        out = run("set-policy", "--db", srv.db, "--terminal", act["terminal_id"],
                  '{"max_count": 7, "refuse_after_hours": 48}')
        assert out.returncode == 0, out.stderr
        headers = srv.headers(act["credential"])
        policy = httpx.get(f"{srv.base_url}/v1/terminal", headers=headers).json()[
            "offline_policy"]
        assert (policy["max_count"], policy["refuse_after_hours"]) == (7, 48)
        events = httpx.get(f"{srv.base_url}/v1/events/poll", headers=headers).json()["events"]
        assert events[-1]["event"] == "terminal.policy"
        assert events[-1]["data"]["offline_policy"]["max_count"] == 7
        bad = run("set-policy", "--db", srv.db, "--terminal", act["terminal_id"],
                  '{"max_kount": 7}')
        assert bad.returncode == 1 and "max_kount" in bad.stderr


def test_rotated_signing_key_signs_new_versions_and_old_ones_still_verify(tmp_path):
    import base64

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from vendserver.demo import TARIFFS

    with running_server(tmp_path) as srv:
        out = run("rotate-signing-key", "--db", srv.db)
        assert out.returncode == 0 and "tsk-2" in out.stdout
        srv.service.publish_tariff(dict(TARIFFS[0]))
        act = srv.activate()
        keys = {k["key_id"]: k["public_key"] for k in act["tariff_signing_keys"]}
        assert set(keys) == {"tsk-1", "tsk-2"}
        headers = srv.headers(act["credential"])
        for version, key_id in ((1, "tsk-1"), (2, "tsk-2")):
            doc = httpx.get(f"{srv.base_url}/v1/tariffs/RES-IBT/versions/{version}",
                            headers=headers).json()
            assert doc["key_id"] == doc["document"]["key_id"] == key_id
            public = Ed25519PublicKey.from_public_bytes(base64.b64decode(keys[key_id]))
            public.verify(base64.b64decode(doc["signature"]), base64.b64decode(doc["payload"]))
