"""Test harness: the client core, built by the composition root (`app.till.build.build_till`),
wired to the real reference server through a fault proxy."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from app.api import Timeouts
from app.api.models import parse_terminal
from app.backend import ClientBackend
from app.sales import Connectivity, SaleService
from app.settings import Settings
from app.sync import SyncEngine
from app.till import Till
from app.till.build import Timing, build_till
from common.events import CoreEvent, EventBus
from offline_store import Store, open_store
from printers.connections import ConnectionConfig
from tests.reliability.faultproxy import FaultProxy
from vendserver.testing import RunningServer, running_server


@dataclass
class Core:
    """One terminal's client core (the till and its parts) for a test."""

    till: Till
    client: ClientBackend
    session: requests.Session
    events: list[CoreEvent] = field(default_factory=list)

    @property
    def store(self) -> Store:
        return self.till.store

    @property
    def bus(self) -> EventBus:
        return self.till.bus

    @property
    def service(self) -> SaleService:
        return self.till.service

    @property
    def sync(self) -> SyncEngine:
        return self.till.sync

    @property
    def connectivity(self) -> Connectivity:
        return self.till.service.connectivity

    def close(self) -> None:
        self.till.close()

    def names(self, prefix: str) -> list[CoreEvent]:
        return [e for e in self.events if e.name.startswith(prefix)]


def build_core(db: Path, key: bytes, base_url: str, credential: str, *, create: bool = True,
               read_timeout: float = 5.0, resolve_grace: float = 0.0,
               terminal: dict[str, Any] | None = None,
               printer: ConnectionConfig | None = None, start: bool = False,
               settings: Settings | None = None) -> Core:
    """Open the store and build the till on `base_url` (workers stopped unless `start`)."""
    store = open_store(db, key, create=create)
    session = requests.Session()
    client = ClientBackend(session, base_url, lambda: credential,
                           timeouts=Timeouts(2.0, read_timeout))
    bus = EventBus()
    events: list[CoreEvent] = []
    bus.subscribe_all(events.append)
    try:
        till = build_till(
            settings or Settings({}), bus=bus, store=store, backend=client, data_dir=db.parent,
            terminal=None if terminal is None else parse_terminal(terminal),
            printer=printer, tariffs_on=False, closers=(store.close,), start=start,
            sync_lock=db.with_suffix(".sync.lock"),
            timing=Timing(sync_backoff_base=0.05, sync_backoff_cap=0.5, sync_idle_interval=0.5,
                          sync_resolve_grace=resolve_grace))
    except BaseException:
        store.close()
        raise
    return Core(till, client, session, events)


@dataclass
class Env:
    """The server, the proxy in front of it, and the activated terminal."""

    server: RunningServer
    proxy: FaultProxy
    credential: str
    key: bytes
    db: Path
    activation: dict[str, Any]

    @property
    def terminal_id(self) -> str:
        return str(self.activation["terminal_id"])

    def cut(self, core: Core) -> None:
        """Server unreachable, and the client's kept-alive connections gone (refused, not
        "maybe sent")."""
        self.proxy.down()
        core.session.close()

    def core(self, **kw: Any) -> Core:
        kw.setdefault("terminal", self.activation)
        return build_core(self.db, self.key, self.proxy.url, self.credential, **kw)

    def server_sales(self, terminal_id: str | None = None) -> dict[str, str]:
        """idempotency key -> receipt number of this terminal's sales on the server."""
        return server_sales(self.server.db_path, terminal_id or self.terminal_id)


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
def terminal_on(server: RunningServer, client_dir: Path, name: str = "Counter 1"
                ) -> Iterator[Env]:
    """A newly activated terminal (its own proxy and store path) on a running server."""
    activation = server.activate(name)
    proxy = FaultProxy(int(server.base_url.rsplit(":", 1)[1]))
    try:
        yield Env(server, proxy, activation["credential"], secrets.token_bytes(32),
                  client_dir / "vend.db", activation)
    finally:
        proxy.close()


@contextmanager
def environment(tmp_path: Path) -> Iterator[Env]:
    """A running demo server, a proxy, an activated terminal and a fresh store path."""
    (tmp_path / "server").mkdir(parents=True, exist_ok=True)  # running_server does not create it
    with running_server(tmp_path / "server", demo=True) as server, \
            terminal_on(server, tmp_path / "client") as env:
        yield env
