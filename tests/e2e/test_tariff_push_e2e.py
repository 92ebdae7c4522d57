"""End to end with the real reference server: `publish-tariff` from the CLI → applied on the
client; the server killed and restarted (events published meanwhile) → the client resumes from
Last-Event-ID without missing one; a burst of 100 publications → the last wins, never down."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests

from app.push import Backoff, PushConfig, PushListener
from app.tariffs import TariffService
from app.tariffs.events import TariffApplied
from common.events import CoreEvent, EventBus
from offline_store import Store, open_store
from tests.app.tariff_sources import HttpTariffSource
from vendserver.testing import running_server

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
WAIT = 30.0


class Events:
    """Bus events with a condition to wait on (never a sleep)."""

    def __init__(self, bus: EventBus) -> None:
        self.items: list[CoreEvent] = []
        self.cond = threading.Condition()
        bus.subscribe_all(self.add)

    def add(self, event: CoreEvent) -> None:
        with self.cond:
            self.items.append(event)
            self.cond.notify_all()

    def wait_for(self, pred: Callable[[list[CoreEvent]], bool], timeout: float = WAIT) -> bool:
        with self.cond:
            return self.cond.wait_for(lambda: pred(self.items), timeout)

    def named(self, name: str) -> list[CoreEvent]:
        with self.cond:
            return [e for e in self.items if e.name == name]


def applied(tariff_id: str, version: int) -> Callable[[list[CoreEvent]], bool]:
    return lambda ev: any(e.name == "tariff.applied" and e.data["tariff_id"] == tariff_id
                          and e.data["version"] == version for e in ev)


class ServerProcess:
    """`python -m vendserver serve` as a real process, restartable on the same port."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.port = 0
        self.proc: subprocess.Popen[str] | None = None

    def start(self) -> str:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "vendserver", "serve", "--demo", "--db", str(self.db),
             "--port", str(self.port), "--heartbeat", "0.5"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert self.proc.stdout is not None
        for line in self.proc.stdout:  # the server prints exactly one line when listening
            if line.startswith("VENDSERVER LISTENING "):
                url = line.split()[-1]
                self.port = int(url.rsplit(":", 1)[1])
                return url
        raise AssertionError("vendserver did not start")

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(30)
            if self.proc.stdout is not None:
                self.proc.stdout.close()
            self.proc = None


def cli(*args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "vendserver", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


def tariff_file(tmp_path: Path, name: str, rate: str) -> Path:
    doc = {"tariff_id": "RES-IBT", "name": name, "service": "electricity", "unit": "kWh",
           "prices_include_vat": True, "vat_rate": "15.00",
           "blocks": [{"from": "0.0", "to": "50.0", "rate": rate},
                      {"from": "50.0", "to": None, "rate": "2.5000"}],
           "fixed_charges": [{"code": "SERVICE", "description": "Monthly service charge",
                              "amount": "45.00"}],
           "debt_recovery": {"percent": "20.00", "minimum": "5.00"},
           "fbe_units_per_month": "50.0"}
    path = tmp_path / f"tariff-{rate}.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def make_client(base_url: str, term: dict[str, Any], store: Store,
                ) -> tuple[PushListener, TariffService, Events]:
    bus = EventBus()
    events = Events(bus)
    cred = term["credential"]
    tariffs = TariffService(store, HttpTariffSource(requests.Session(), base_url,
                                                    lambda: cred), bus)
    tariffs.provision_keys(term["tariff_signing_keys"])
    listener = PushListener(PushConfig(base_url, lambda: cred, read_timeout=5.0,
                                       backoff=Backoff(0.1, 1.0)), bus, tariffs, store)
    return listener, tariffs, events


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(tmp_path / "client.db", secrets.token_bytes(32), create=True)
    yield s
    s.close()


def test_cli_publish_then_server_restart_resumes_without_a_missed_event(tmp_path, store):
    server = ServerProcess(tmp_path / "vendserver.db")
    url = server.start()
    listener: PushListener | None = None
    try:
        r = httpx.post(f"{url}/v1/terminals/activate", timeout=30,
                       json={"activation_code": "DEMO-ACT-2026", "terminal_name": "Counter 1"})
        term = r.json()
        listener, tariffs, events = make_client(url, term, store)
        listener.start()
        assert events.wait_for(applied("RES-IBT", 1))

        signed = json.loads(cli("publish-tariff", str(tariff_file(tmp_path, "Residential IBT",
                                                                   "1.9000")),
                                "--db", str(server.db)))
        assert events.wait_for(applied("RES-IBT", signed["version"]))
        before_kill = listener.last_event_id

        server.kill()
        assert events.wait_for(lambda ev: any(e.name == "push.disconnected" for e in ev))
        # While the server is down: a new version and a vendor top-up go into its event log.
        signed2 = json.loads(cli("publish-tariff", str(tariff_file(tmp_path, "Residential IBT",
                                                                    "2.1000")),
                                 "--db", str(server.db)))
        cli("vendor-topup", "--db", str(server.db), "--vendor", "V001", "--amount", "10.00")

        assert server.start() == url  # same port: the client reconnects by itself
        assert events.wait_for(applied("RES-IBT", signed2["version"]))
        # vendor.credit cannot come from tariff reconciliation: only the resumed stream has it.
        assert events.wait_for(lambda ev: any(
            e.name == "vendor.credit" and e.data["reason"] == "top_up" for e in ev))
        credit = [e for e in events.named("vendor.credit") if e.data["reason"] == "top_up"]
        assert len(credit) == 1 and credit[0].data["event_id"] > before_kill
        current = tariffs.in_force("RES-IBT")
        assert current is not None and current.version == signed2["version"]
        assert str(current.blocks[0].rate) == "2.1000"
        assert len(events.named("push.connected")) >= 2
    finally:
        if listener is not None:
            assert listener.stop(timeout=10.0)
        server.kill()


def test_burst_of_100_publications_last_wins_and_versions_never_go_down(tmp_path, store):
    (tmp_path / "srv").mkdir()
    with running_server(tmp_path / "srv", demo=True, heartbeat=0.5) as srv:
        term = srv.activate("Counter burst")
        listener, tariffs, events = make_client(srv.base_url, term, store)
        in_force_seen: list[int] = []

        def watch(_event: TariffApplied) -> None:
            doc = tariffs.in_force("RES-IBT")
            if doc is not None:
                in_force_seen.append(doc.version)

        tariffs.bus.subscribe(TariffApplied, watch)
        listener.start()
        try:
            assert events.wait_for(applied("RES-IBT", 1))
            base = dict(srv.service.tariff_version("RES-IBT", 1)["document"])
            for k in ("effective_from", "expires_at"):
                base.pop(k)
            last = 0
            for i in range(100):
                doc = json.loads(json.dumps(base))
                doc["blocks"][0]["rate"] = f"1.{i:04d}"
                last = int(srv.service.publish_tariff(doc)["version"])
            assert events.wait_for(applied("RES-IBT", last), timeout=120)
        finally:
            assert listener.stop(timeout=10.0)
    versions = [e.data["version"] for e in events.named("tariff.applied")
                if e.data["tariff_id"] == "RES-IBT"]
    assert versions == sorted(set(versions)) and versions[-1] == last == 101
    assert in_force_seen == sorted(in_force_seen)
    assert tariffs.highest("RES-IBT") == last
    final = tariffs.in_force("RES-IBT")
    assert final is not None and final.version == last and str(final.blocks[0].rate) == "1.0099"
    assert events.named("tariff.rejected") == []


def test_signing_key_rotation_on_the_real_server(tmp_path, store):
    (tmp_path / "srv").mkdir()
    with running_server(tmp_path / "srv", demo=True, heartbeat=0.5) as srv:
        term = srv.activate("Counter rotation")
        listener, tariffs, events = make_client(srv.base_url, term, store)
        listener.start()
        try:
            assert events.wait_for(applied("RES-IBT", 1))
            assert srv.service.rotate_signing_key() == "tsk-2"
            doc = dict(srv.service.tariff_version("RES-IBT", 1)["document"])
            for k in ("effective_from", "expires_at"):
                doc.pop(k)
            v = int(srv.service.publish_tariff(doc)["version"])
            # The server's rotation is endorsed by the current key: the terminal trusts the new
            # key in the default mode and applies the version it signed.
            assert events.wait_for(applied("RES-IBT", v))
            assert tariffs.trusted_key_ids() == ["tsk-1", "tsk-2"]
        finally:
            assert listener.stop(timeout=10.0)
