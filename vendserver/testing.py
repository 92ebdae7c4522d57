"""Run the real vending server in-process for tests and embedding.

`running_server(tmp_path, demo=True)` starts uvicorn in a thread on 127.0.0.1 with a free port
and yields a `RunningServer` (base URL, demo info, database path, the service for back-office
actions such as tariff publishing or vendor top-ups). It stops cleanly on exit; the database
stays in `tmp_path`, so entering `running_server(tmp_path)` again is a server restart.
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
from vendserver.db import Store
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
                   pin_cost: dict[str, int] | None = None) -> Iterator[RunningServer]:
    """Start the server on a free loopback port; stop it when the block ends.

    `pin_cost`: the argon2id cost of the PIN verification material; tests default to
    `TEST_PIN_COST` (the same algorithm, cheaper), production runs `PIN_MATERIAL`.
    """
    Path(tmp_path).mkdir(parents=True, exist_ok=True)
    db_path = Path(tmp_path) / "vendserver.db"
    store = Store(db_path)
    service = VendingService(store, clock=clock, smtp=smtp,
                             pin_cost=pin_cost or TEST_PIN_COST)
    if demo:
        seed(service)
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
                            app)
    finally:
        shutdown.set()
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()
        store.close()
