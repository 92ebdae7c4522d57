"""The window's core: the core's composition root (`app.till.build`) handed to the screens.

Qt-free and blocking: `ui.application` runs `bootstrap` through `Op`, so the window is up
(showing "Starting…") while the store opens and the server is reached. Everything is built by
the core (`open_production`, `open_demo`, `build_till`); the screens get the `Till` itself as
their ports, plus what only the UI needs (quick amounts, demo examples, the printer test).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.api import models as api
from app.backend import Capabilities
from app.keystore import KeyringLike
from app.push import PushListener
from app.settings import Settings
from app.supervisor.services import SupervisorServices
from app.sync.engine import SyncEngine
from app.tariffs import TariffService
from app.till import Till
from app.till.build import (
    Opened,
    Timing,
    build_till,
    client_backend,
    open_demo,
    open_production,
    printer_config,
    printer_profile,
)
from app.till.locale import terminal_locale
from app.till.passphrase import Unlocked
from app.till.results import SearchHit
from app.till.setup import (
    Activation,
    NotSetUp,
    demo_examples,
    demo_login_hint,
    load_activation_keys,
    quick_amounts,
)
from common.amounts import amount_format
from common.errors import InvalidInput, UserFacingError
from common.events import EventBus
from offline_store import Store
from printers.queue import PrintQueue
from ui.ports import Services, TerminalPort

log = logging.getLogger("vendpoint.ui.bootstrap")

__all__ = ["ActivationPort", "Core", "NotSetUp", "TillPrinter", "bootstrap", "build_core",
           "demo_examples", "demo_login_hint", "load_activation_keys", "quick_amounts"]

#: TerminalPort: activation with the credential in the OS keyring (`app.till.setup`).
ActivationPort = Activation


class TillPrinter:
    """PrinterPort: the settings dialog's test page, through the till, with the edited
    (maybe not yet saved) printer settings."""

    def __init__(self, till: Till) -> None:
        self._till = till

    def test_print(self, settings: Settings) -> None:
        config = printer_config(settings)
        if config is None:
            raise InvalidInput("Choose how the printer is connected first.")
        self._till.print_test_page(config, printer_profile(settings))


@dataclass
class Core:
    """The running till behind one window, with the screens' services; `close()` stops it."""

    services: Services
    till: Till
    server_url: str = ""

    @property
    def language(self) -> str:
        """The terminal's language (its setting, else the utility's)."""
        return self.till.language

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
    def capabilities(self) -> Capabilities:
        """What the vending server offers (the window disables the rest)."""
        return self.till.capabilities

    @property
    def supervisor(self) -> SupervisorServices:
        """Shifts, X/Z reports, engineering tokens, reversals, attention (supervisor menu)."""
        return self.till.supervisor

    def close(self) -> None:
        """Stop the till: tariffs, sync, printing, push, store, demo server (the core's
        order)."""
        self.till.close()


def _fresh_terminal_facts(till: Till) -> None:
    # The terminal facts a till is built with may come from the activation answer, which
    # carries no vendor credit: fetch them once now (off the GUI thread: the start-up runs
    # in Op) so the status bar has the credit and the clock check from the first screen.
    try:
        till.probe()
    except UserFacingError as exc:
        log.warning("terminal facts not refreshed at start: %s", type(exc).__name__)


def services_for(till: Till, settings: Settings, *, terminal: TerminalPort | None = None,
                 demo_meters: tuple[SearchHit, ...] = (), suggested_operator: str = "",
                 login_hint: str = "") -> Services:
    """The screens' services over one till."""
    return Services(auth=till, sales=till, status=till, printer=TillPrinter(till),
                    terminal=terminal, quick_amounts=tuple(quick_amounts(settings)),
                    amount_format=amount_format(terminal_locale(settings, till.terminal.raw)),
                    demo_meters=demo_meters, suggested_operator=suggested_operator,
                    login_hint=login_hint, tariffs=till.tariffs)


def _core(opened: Opened, settings: Settings, terminal: TerminalPort | None) -> Core:
    _fresh_terminal_facts(opened.till)
    services = services_for(opened.till, settings, terminal=terminal,
                            demo_meters=opened.demo_meters,
                            suggested_operator=opened.suggested_operator,
                            login_hint=opened.login_hint)
    return Core(services, opened.till, opened.server_url)


def build_core(
    *, bus: EventBus, server_url: str, credential: Callable[[], str], store: Store,
    settings: Settings, data_dir: Path, terminal: api.TerminalInfo | None = None,
    demo_meters: tuple[SearchHit, ...] = (), suggested_operator: str = "",
    login_hint: str = "", terminal_port: TerminalPort | None = None,
    sync_backoff_cap: float = 60.0, sync_idle_interval: float = 30.0, push_on: bool = True,
    activation_keys: list[dict[str, Any]] | None = None,
) -> Core:
    """A till on an open store and the reference API through the core's `build_till`, with
    the screens' services (the end-to-end tests' entry point)."""
    till = build_till(settings, bus=bus, store=store,
                      backend=client_backend(settings, server_url, credential),
                      data_dir=data_dir, terminal=terminal, activation_keys=activation_keys,
                      server_url=server_url, credential=credential,
                      timing=Timing(sync_backoff_cap=sync_backoff_cap,
                                    sync_idle_interval=sync_idle_interval),
                      tariffs_on=push_on)
    _fresh_terminal_facts(till)
    services = services_for(till, settings, terminal=terminal_port, demo_meters=demo_meters,
                            suggested_operator=suggested_operator, login_hint=login_hint)
    return Core(services, till, server_url)


def bootstrap(settings: Settings, *, data_dir: Path, demo: bool, bus: EventBus,
              keyring: KeyringLike | None = None, unlocked: Unlocked | None = None) -> Core:
    """Everything `run_app` needs, from the settings (and the demo server in demo mode);
    `unlocked`: the passphrase mode's store key and vault (`ui.passphrase`)."""
    if demo:
        return _core(open_demo(settings, data_dir=data_dir, bus=bus), settings, None)
    opened = open_production(settings, data_dir=data_dir, bus=bus, keyring=keyring,
                             unlocked=unlocked)
    return _core(opened, settings, opened.activation)
