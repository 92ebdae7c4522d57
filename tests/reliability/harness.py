"""Test harness: the client core wired to the real reference server through a fault proxy."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from app.api import Timeouts
from app.backend import ClientBackend
from app.events import Event, EventBus
from app.sales import Connectivity, SaleService
from app.sync import SyncEngine
from offline_store import Store, open_store
from tests.reliability.faultproxy import FaultProxy
from vendserver.testing import RunningServer, running_server


@dataclass
class Core:
    """One terminal's client core (store, client, service, sync) for a test."""

    store: Store
    client: ClientBackend
    bus: EventBus
    connectivity: Connectivity
    service: SaleService
    sync: SyncEngine
    session: requests.Session
    events: list[Event] = field(default_factory=list)

    def close(self) -> None:
        self.sync.stop()
        self.store.close()

    def names(self, prefix: str) -> list[Event]:
        return [e for e in self.events if e.name.startswith(prefix)]


def build_core(db: Path, key: bytes, base_url: str, credential: str, *, create: bool = True,
               read_timeout: float = 5.0, resolve_grace: float = 0.0) -> Core:
    """Open the store and wire the core to `base_url`."""
    store = open_store(db, key, create=create)
    session = requests.Session()
    client = ClientBackend(session, base_url, lambda: credential,
                           timeouts=Timeouts(2.0, read_timeout))
    bus = EventBus()
    events: list[Event] = []
    bus.subscribe("", events.append)
    connectivity = Connectivity(bus)
    service = SaleService(store, client, bus, connectivity)
    sync = SyncEngine(service, lock_path=db.with_suffix(".sync.lock"), backoff_base=0.05,
                      backoff_cap=0.5, idle_interval=0.5, resolve_grace=resolve_grace)
    return Core(store, client, bus, connectivity, service, sync, session, events)


@dataclass
class Env:
    """The server, the proxy in front of it, and the activated terminal."""

    server: RunningServer
    proxy: FaultProxy
    credential: str
    key: bytes
    db: Path
    activation: dict[str, Any]

    def cut(self, core: Core) -> None:
        """Server unreachable, and the client's kept-alive connections gone (refused, not
        "maybe sent")."""
        self.proxy.down()
        core.session.close()

    def core(self, **kw: Any) -> Core:
        core = build_core(self.db, self.key, self.proxy.url, self.credential, **kw)
        return core

    def server_sales(self, terminal_id: str | None = None) -> dict[str, str]:
        """idempotency key -> receipt number of every sale on the server (its database)."""
        return server_sales(self.server.db_path, terminal_id)


def server_sales(db_path: Path, terminal_id: str | None = None) -> dict[str, str]:
    """idempotency key -> receipt number of every sale in a server database."""
    import sqlite3

    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        if terminal_id is None:
            rows = con.execute("SELECT idem_key, receipt_no FROM sales").fetchall()
        else:
            rows = con.execute("SELECT idem_key, receipt_no FROM sales WHERE terminal_id = ?",
                               (terminal_id,)).fetchall()
    finally:
        con.close()
    keys = [r[0] for r in rows]
    assert len(keys) == len(set(keys)), "a key was sold twice on the server"
    return {str(k): str(r) for k, r in rows}


@contextmanager
def environment(tmp_path: Path) -> Iterator[Env]:
    """A running demo server, a proxy, an activated terminal and a fresh store path."""
    (tmp_path / "server").mkdir(parents=True, exist_ok=True)  # running_server does not create it
    with running_server(tmp_path / "server", demo=True) as server:
        activation = server.activate("Counter 1")
        proxy = FaultProxy(int(server.base_url.rsplit(":", 1)[1]))
        try:
            yield Env(server, proxy, activation["credential"], secrets.token_bytes(32),
                      tmp_path / "client" / "vend.db", activation)
        finally:
            proxy.close()
