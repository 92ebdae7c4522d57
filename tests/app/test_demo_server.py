"""The demo server child: a death is noticed at once, the child is reaped, the till goes
offline with the reason; our own stop is no news."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import httpx
import pytest

from app.api.models.terminal import parse_terminal
from app.demo_server import MARKET_ENV, DemoServer, demo_dir, demo_market
from app.sales.connectivity import Connectivity
from app.sales.events import ConnectivityChanged
from app.till.build import watch_demo_server
from common.events import EventBus


def _reaped(pid: int) -> bool:
    """True when no process (not even a zombie) has this id any more."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            stat.read()
        return False  # still listed: running, or a zombie nobody reaped
    except FileNotFoundError:
        return True


class _Till:
    """The part of the till a dead demo server touches: its connectivity."""

    def __init__(self, bus: EventBus) -> None:
        self.service = self
        self.connectivity = Connectivity(bus)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to see zombies")
def test_killed_demo_server_is_reaped_and_the_till_goes_offline(tmp_path: Path) -> None:
    server = DemoServer.start(tmp_path / "server" / "vendserver.db")
    bus = EventBus()
    changed = threading.Event()
    seen: list[ConnectivityChanged] = []

    def on_change(event: ConnectivityChanged) -> None:
        seen.append(event)
        changed.set()

    bus.subscribe(ConnectivityChanged, on_change)
    till = _Till(bus)
    try:
        watch_demo_server(server, till)  # type: ignore[arg-type]
        pid = server.process.pid
        os.kill(pid, signal.SIGKILL)
        assert changed.wait(30), "the till never heard that the demo server died"
        assert server.exited.is_set()
        assert _reaped(pid), "the dead demo server is left as a zombie"
        assert not till.connectivity.online
        assert "demo server stopped" in seen[0].reason
        assert str(-signal.SIGKILL) in seen[0].reason
    finally:
        server.stop()


def test_our_own_stop_is_no_news(tmp_path: Path) -> None:
    server = DemoServer.start(tmp_path / "server" / "vendserver.db")
    codes: list[int] = []
    server.on_exit(codes.append)
    server.stop()
    assert server.exited.wait(30)
    assert codes == []
    assert server.process.returncode is not None


def test_demo_server_starts_on_a_market(tmp_path: Path) -> None:
    """`--market UGX` reaches the server: its terminal facts are the UGX utility's, with its
    zone, language and locale on the parsed facts too; each market has its own demo folder."""
    server = DemoServer.start(tmp_path / "server" / "vendserver.db", market="UGX")
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            activation = http.post("/v1/terminals/activate", json={
                "activation_code": "DEMO-ACT-2026", "terminal_name": "Demo counter"})
            assert activation.status_code == 200, activation.text
            credential = activation.json()["credential"]
            r = http.get("/v1/terminal", headers={"Authorization": f"Bearer {credential}"})
        assert r.status_code == 200, r.text
        facts = r.json()
        assert facts["utility"]["currency"] == "UGX"
        assert facts["sale_limits"]["minimum"] == {"amount": "1000", "currency": "UGX"}
        info = parse_terminal(facts)
        assert info.currency == "UGX"
        assert (info.time_zone, info.language, info.locale) == ("Africa/Kampala", "en", "en_UG")
    finally:
        server.stop()
    assert demo_dir(tmp_path, "UGX") == tmp_path / "UGX"
    assert demo_dir(tmp_path, "zar") == tmp_path


def test_demo_market_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MARKET_ENV, raising=False)
    assert demo_market() == "ZAR"
    monkeypatch.setenv(MARKET_ENV, "xof")
    assert demo_market() == "XOF"
    assert demo_market("LYD") == "LYD"
