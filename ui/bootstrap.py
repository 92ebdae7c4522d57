"""The window's core: the core's composition root (`app.till.build`) behind the UI ports.

Qt-free and blocking: `ui.application` runs `bootstrap` through `Op`, so the window is up
(showing "Starting…") while the store opens and the server is reached. Everything is built by
`app.till.build` (`open_production`, `open_demo`, `build_till`); this module only wraps the
till in the ports adapter (`ui.core_adapter.CoreAdapter`) the screens use.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.api import models as api
from app.events import EventBus
from app.keystore import KeyringLike
from app.push import PushListener
from app.settings import Settings
from app.supervisor.services import SupervisorServices
from app.sync.engine import SyncEngine
from app.tariffs import TariffService
from app.till import Till
from app.till import results as till_results
from app.till.build import Opened, Timing, build_till, client_backend, open_demo, open_production
from app.till.setup import (
    Activation,
    NotSetUp,
    demo_login_hint,
    load_activation_keys,
    quick_amounts,
)
from app.till.setup import demo_examples as _core_demo_examples
from offline_store import Store
from printers.queue import PrintQueue
from ui.core_adapter import CoreAdapter
from ui.ports import SearchHit, Services

log = logging.getLogger("vendpoint.ui.bootstrap")

__all__ = ["ActivationPort", "Core", "NotSetUp", "bootstrap", "build_core", "demo_examples",
           "demo_login_hint", "load_activation_keys", "quick_amounts"]

#: TerminalPort: activation with the credential in the OS keyring (`app.till.setup`).
ActivationPort = Activation


def _hits(hits: tuple[till_results.SearchHit, ...]) -> tuple[SearchHit, ...]:
    return tuple(SearchHit(h.meter_number, h.customer_name, h.account, h.address, h.blocked)
                 for h in hits)


def demo_examples(info: dict[str, Any]) -> tuple[SearchHit, ...]:
    """Demo meters offered as examples on the sale screen (one of each interesting kind)."""
    return _hits(_core_demo_examples(info))


@dataclass
class Core:
    """The running core behind one window; `close()` stops it in order."""

    services: Services
    adapter: CoreAdapter
    till: Till
    server_url: str = ""

    @property
    def store(self) -> Store:
        """The till's encrypted store."""
        return self.till.store

    @property
    def sync(self) -> SyncEngine:
        """The outbox sync engine."""
        return self.till.sync

    @property
    def printer(self) -> PrintQueue | None:
        """The print queue (None without a printer)."""
        return self.till.printer

    @property
    def tariffs(self) -> TariffService | None:
        """The signed tariff service (None when the server offers no tariff documents)."""
        return self.till.tariffs

    @property
    def push(self) -> PushListener | None:
        """The server event listener, when running."""
        return self.till.push

    @property
    def supervisor(self) -> SupervisorServices:
        """Shifts, X/Z reports, engineering tokens, reversals, attention (supervisor menu)."""
        return self.till.supervisor

    def close(self) -> None:
        """Stop push, sync and printing, close the store, stop the demo server."""
        self.adapter.close()
        self.till.close()


def _core(opened: Opened, bus: EventBus, settings: Settings,
          terminal_port: Activation | None) -> Core:
    adapter = CoreAdapter(opened.till, bus=bus, quick_amounts=quick_amounts(settings))
    services = Services(auth=adapter, sales=adapter, status=adapter, printer=adapter,
                        terminal=terminal_port, demo_meters=_hits(opened.demo_meters),
                        suggested_operator=opened.suggested_operator,
                        login_hint=opened.login_hint, tariffs=opened.till.tariffs)
    return Core(services, adapter, opened.till, opened.server_url)


def build_core(
    *, bus: EventBus, server_url: str, credential: Callable[[], str], store: Store,
    settings: Settings, data_dir: Path, terminal: api.TerminalInfo | None = None,
    demo_meters: tuple[SearchHit, ...] = (), suggested_operator: str = "",
    login_hint: str = "", terminal_port: Activation | None = None,
    sync_backoff_cap: float = 60.0, sync_idle_interval: float = 30.0, push_on: bool = True,
    activation_keys: list[dict[str, Any]] | None = None,
) -> Core:
    """Wire the core on an open store through `app.till.build.build_till` (tests)."""
    till = build_till(settings, bus=bus, store=store,
                      backend=client_backend(settings, server_url, credential),
                      data_dir=data_dir, terminal=terminal, activation_keys=activation_keys,
                      server_url=server_url, credential=credential,
                      timing=Timing(sync_backoff_cap=sync_backoff_cap,
                                    sync_idle_interval=sync_idle_interval),
                      tariffs_on=push_on)
    opened = Opened(till, server_url, suggested_operator=suggested_operator,
                    login_hint=login_hint)
    core = _core(opened, bus, settings, terminal_port)
    core.services = Services(auth=core.adapter, sales=core.adapter, status=core.adapter,
                             printer=core.adapter, terminal=terminal_port,
                             demo_meters=demo_meters, suggested_operator=suggested_operator,
                             login_hint=login_hint, tariffs=till.tariffs)
    return core


def bootstrap(settings: Settings, *, data_dir: Path, demo: bool, bus: EventBus,
              keyring: KeyringLike | None = None) -> Core:
    """Everything `run_app` needs, from the settings (and the demo server in demo mode)."""
    if demo:
        return _core(open_demo(settings, data_dir=data_dir, bus=bus), bus, settings, None)
    opened = open_production(settings, data_dir=data_dir, bus=bus, keyring=keyring)
    return _core(opened, bus, settings, opened.activation)
