"""Run the real vending server in-process for tests and embedding.

`running_server(tmp_path, demo=True)` starts uvicorn in a thread on 127.0.0.1 with a free port
and yields a `RunningServer` (base URL, demo info, database path, the service for back-office
actions such as tariff publishing or vendor top-ups). It stops cleanly on exit; the database
stays in `tmp_path` (or in the PostgreSQL database `db=URL` names), so entering
`running_server(tmp_path)` again is a server restart. `TempCluster` starts a throw-away
PostgreSQL cluster on 127.0.0.1 for tests and benches.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI

from vendserver.api import create_app
from vendserver.db import SqliteStore, Store, open_store
from vendserver.demo import demo_info, seed
from vendserver.http import ContractH11Protocol
from vendserver.listen import LISTEN_BACKLOG, free_socket
from vendserver.mailer import SmtpConfig
from vendserver.service import VendingService

__all__ = ["LISTEN_BACKLOG", "TEST_PIN_COST", "RunningServer", "free_socket", "running_server"]

#: argon2id cost of PIN material in tests: the production algorithm at a fraction of its cost.
TEST_PIN_COST = {"iterations": 1, "memory_kib": 8192, "lanes": 1}


@dataclass
class RunningServer:
    """A server started by `running_server`."""

    base_url: str
    demo: dict[str, Any]
    db_path: Path
    service: VendingService
    app: FastAPI | None = None  # the ASGI app (tests look at `app.state.event_hub`)
    db_url: str | None = None  # the PostgreSQL database, when not the SQLite file

    @property
    def db(self) -> str:
        """What `--db` of the command line names for this server's database."""
        return self.db_url or str(self.db_path)

    def activate(self, name: str = "Test terminal") -> dict[str, Any]:
        """Activate a new terminal with the demo code; the activation response."""
        r = httpx.post(f"{self.base_url}/v1/terminals/activate",
                       json={"activation_code": self.demo["activation_code"],
                             "terminal_name": name}, timeout=30)
        r.raise_for_status()
        result: dict[str, Any] = r.json()
        return result

    @staticmethod
    def headers(credential: str, operator: str | None = None,
                key: str | None = None) -> dict[str, str]:
        """Request headers for a terminal (and operator / Idempotency-Key)."""
        h = {"Authorization": f"Bearer {credential}"}
        if operator:
            h["X-Operator-Id"] = operator
        if key:
            h["Idempotency-Key"] = key
        return h

    def meter(self, tag: str) -> dict[str, Any]:
        """The first demo meter carrying `tag` (see demo-info)."""
        for m in self.demo["meters"]:
            if tag in m["tags"]:
                return dict(m)
        raise KeyError(tag)


@contextmanager
def running_server(tmp_path: Path, *, demo: bool = True, heartbeat: float = 15.0,
                   clock: Callable[[], datetime] | None = None,
                   smtp: SmtpConfig | None = None,
                   start_timeout: float = 30.0,
                   pin_cost: dict[str, int] | None = None,
                   db: str | None = None,
                   market: str = "ZAR") -> Iterator[RunningServer]:
    """Start the server on a free loopback port; stop it when the block ends.

    `db`: a postgresql:// URL to serve from instead of the SQLite file in `tmp_path`.
    `market`: the demo market seeded (vendserver.demo.MARKETS; ZAR by default).

    `pin_cost`: the argon2id cost of the PIN verification material; tests default to
    `TEST_PIN_COST` (the same algorithm, cheaper), production runs `PIN_MATERIAL`.
    """
    Path(tmp_path).mkdir(parents=True, exist_ok=True)
    db_path = Path(tmp_path) / "vendserver.db"
    store: Store = open_store(db) if db else SqliteStore(db_path)
    service = VendingService(store, clock=clock, smtp=smtp,
                             pin_cost=pin_cost or TEST_PIN_COST)
    if demo:
        seed(service, market)
    ready = threading.Event()
    shutdown = threading.Event()
    app = create_app(service, heartbeat=heartbeat, shutdown=shutdown, on_ready=ready.set)
    sock = free_socket()
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="on",
                            http=ContractH11Protocol,
                            timeout_graceful_shutdown=3)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]},
                              name="vendserver-uvicorn", daemon=True)
    thread.start()
    try:
        if not ready.wait(start_timeout):
            raise RuntimeError("vendserver did not start")
        yield RunningServer(f"http://127.0.0.1:{port}", demo_info(service), db_path, service,
                            app, db)
    finally:
        shutdown.set()
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()
        store.close()


# -- a throw-away PostgreSQL cluster -----------------------------------------------------------
def postgres_binaries() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres (PATH first, then Debian's folders)."""
    import shutil

    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl", path=str(Path(found).parent)):
        return Path(found).resolve().parent
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    return None


class TempCluster:
    """A PostgreSQL cluster in a temporary folder on 127.0.0.1, for tests and benches.

    `initdb` refuses to run as root, so as root the cluster runs as the `postgres` user (the
    one Debian's package makes). Every database in it is trusted from loopback only; it is
    deleted on `stop()`. `durable=False` turns fsync off (tests: the same SQL, faster);
    benches keep it on so a commit costs what it costs in production.
    """

    def __init__(self, *, durable: bool = False, max_connections: int = 200) -> None:
        import os
        import subprocess
        import tempfile

        binaries = postgres_binaries()
        if binaries is None:
            raise RuntimeError("no PostgreSQL binaries (initdb, pg_ctl) on this machine")
        self._bin = binaries
        self._root = Path(tempfile.mkdtemp(prefix="vendserver-pg-"))
        self._as: list[str] = []
        if os.geteuid() == 0:
            import pwd

            owner = pwd.getpwnam("postgres")
            os.chown(self._root, owner.pw_uid, owner.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]
        self.data = self._root / "data"
        sock = free_socket()
        self.port = int(sock.getsockname()[1])
        sock.close()  # pg binds it next; a race with another binder fails start() loudly
        self._run = subprocess.run
        self._run([*self._as, str(binaries / "initdb"), "-D", str(self.data), "-A", "trust",
                   "-U", "vendserver", "--no-locale", "-E", "UTF8"],
                  check=True, capture_output=True)
        options = (f"-h 127.0.0.1 -p {self.port} -k {self._root} -c max_connections="
                   f"{max_connections}" + ("" if durable else
                                           " -c fsync=off -c synchronous_commit=off"
                                           " -c full_page_writes=off"))
        self._run([*self._as, str(binaries / "pg_ctl"), "-D", str(self.data), "-o", options,
                   "-l", str(self._root / "log"), "-w", "-t", "60", "start"],
                  check=True, capture_output=True)
        self._count = 0

    def url(self, dbname: str = "postgres") -> str:
        """The URL of a database of this cluster."""
        return f"postgresql://vendserver@127.0.0.1:{self.port}/{dbname}"

    def new_database(self) -> str:
        """A new empty database; its URL."""
        import psycopg

        self._count += 1
        name = f"vs{self._count}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        """Stop the cluster and delete its folder."""
        import shutil

        self._run([*self._as, str(self._bin / "pg_ctl"), "-D", str(self.data), "-m",
                   "immediate", "-w", "stop"], capture_output=True)
        shutil.rmtree(self._root, ignore_errors=True)
