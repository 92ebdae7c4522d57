"""Builds the real client core for the window: store, API client, sale service, sync, printer.

Qt-free and blocking: `ui.application` runs `bootstrap` through `Op`, so the window is up
(showing "Starting…") while the store opens and the server is reached. `build_core` is the
part the end-to-end tests call directly with their own server, store and printer.

Demo mode starts the reference server (`app.demo_server`), reads its demo data
(`python -m vendserver demo-info`), activates this terminal with the demo code (the credential
stays in memory), and opens a throwaway store whose key sits in a labelled file beside it.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import requests

from app.api import models as api
from app.api.client import Timeouts, VendingClient
from app.api.errors import ServerUnavailable, TlsProblem
from app.demo_server import DemoServer, server_available
from app.errors import ConfigError, StorageError, UserFacingError
from app.events import EventBus
from app.keystore import (
    KeyringCredentialProvider,
    KeyringLike,
    create_store_key,
    load_or_create_insecure_demo_key,
    load_store_key,
    sidecar_path,
)
from app.operators import OperatorDirectory
from app.push import PushConfig, PushListener
from app.sales import repository as repo
from app.sales.connectivity import Connectivity
from app.sales.service import SaleService
from app.settings import Settings
from app.supervisor.context import TerminalContext
from app.supervisor.server import ClientSupervisorApi
from app.supervisor.services import SupervisorServices
from app.sync.engine import SyncEngine
from app.tariffs import HttpTariffSource, TariffService
from offline_store import Store
from offline_store.store import open_store
from printers.connections import FileConfig, open_connection
from printers.job_store import SqlPrintJobStore
from printers.queue import PrintQueue
from ui.core_adapter import (
    CoreAdapter,
    DirectoryAuth,
    SaleKeys,
    printer_config,
    printer_profile,
)
from ui.ports import SearchHit, Services

log = logging.getLogger("vendpoint.ui.bootstrap")

ROOT = Path(__file__).resolve().parent.parent
TERMINAL_SETTING = "terminal_info"


class NotSetUp(UserFacingError):
    """The till has no server address or no activation yet: open Settings (F11)."""

    title = "Till not set up"


def quick_amounts(settings: Settings) -> list[Decimal]:
    """The quick-amount keys from the settings (bad entries are skipped with a log line)."""
    amounts = []
    for part in str(settings["ui.quick_amounts"]).split(","):
        try:
            value = Decimal(part.strip())
        except InvalidOperation:
            log.warning("ignoring quick amount %r", part)
            continue
        if value > 0:
            amounts.append(value)
    return amounts


@dataclass
class Core:
    """The running core behind one window; `close()` stops it in order."""

    services: Services
    adapter: CoreAdapter
    store: Store
    sync: SyncEngine
    printer: PrintQueue | None
    server: DemoServer | None = None
    server_url: str = ""
    push: PushListener | None = None
    tariffs: TariffService | None = None

    @property
    def supervisor(self) -> SupervisorServices:
        """Shifts, X/Z reports, engineering tokens, reversals, attention (supervisor menu)."""
        return self.adapter.supervisor

    def close(self) -> None:
        """Stop push, sync and printing, close the store, stop the demo server."""
        self.adapter.close()
        if self.push is not None:
            self.push.stop()
        if self.tariffs is not None:
            self.tariffs.stop()
        self.sync.stop()
        self.sync.detach()  # no pushed policy may reach the store once it is closed
        if self.printer is not None:
            self.printer.stop()
        self.store.close()
        if self.server is not None:
            self.server.stop()


class ActivationPort:
    """TerminalPort: sends the activation code, keeps the credential in the OS keyring."""

    def __init__(self, keyring: KeyringLike | None = None) -> None:
        self._provider = KeyringCredentialProvider(keyring)

    def is_activated(self) -> bool:
        try:
            self._provider()
        except UserFacingError:
            return False
        return True

    def activate(self, server_url: str, code: str, terminal_name: str) -> str:
        client = VendingClient(requests.Session(), server_url, lambda: "")
        activation = client.activate(code, terminal_name)
        self._provider.save(activation.credential)
        log.info("terminal activated as %s", activation.terminal.terminal_id)
        return activation.terminal.terminal_id


def build_core(
    *,
    bus: EventBus,
    server_url: str,
    credential: Callable[[], str],
    store: Store,
    settings: Settings,
    data_dir: Path,
    terminal: api.TerminalInfo | None = None,
    demo_meters: tuple[SearchHit, ...] = (),
    suggested_operator: str = "",
    login_hint: str = "",
    terminal_port: ActivationPort | None = None,
    sync_backoff_cap: float = 60.0,
    sync_idle_interval: float = 30.0,
    server: DemoServer | None = None,
    push_on: bool = True,
) -> Core:
    """Wire the core on an open store; `terminal` comes from activation, the server or cache."""
    client = VendingClient(
        requests.Session(), server_url, credential,
        timeouts=Timeouts(float(settings["server.connect_timeout"]),
                          float(settings["server.read_timeout"])),
        pin_sha256=settings["server.cert_sha256"] or None,
    )
    connectivity = Connectivity(bus)
    if terminal is None:
        terminal = _terminal_info(client, store, connectivity)
    else:
        store.call(lambda c: _remember_terminal(c, terminal))
    holder: dict[str, SyncEngine] = {}
    sale_keys = SaleKeys(store)  # records the tender under each new sale's key
    service = SaleService(store, client, bus, connectivity,
                          wake_sync=lambda: holder["sync"].wake() if "sync" in holder else None,
                          key_factory=sale_keys)
    sync = SyncEngine(service, lock_path=data_dir / "sync.lock",
                      backoff_cap=sync_backoff_cap, idle_interval=sync_idle_interval,
                      backoff_base=min(1.0, sync_backoff_cap))
    holder["sync"] = sync
    printer: PrintQueue | None = None
    config = printer_config(settings)
    if config is None and server is not None:
        # Demo without a printer set up: "print" into a file in the demo folder, so the
        # receipts can be looked at and the print states are real.
        config = FileConfig(str(data_dir / "demo-printer.escpos"))
        log.info("demo receipts go to %s", config.path)
    if config is not None:
        printer = PrintQueue(SqlPrintJobStore(store), "main", open_connection(config),
                             printer_profile(settings), bus,
                             idle_poll_s=10.0)
    auth = DirectoryAuth(OperatorDirectory(store, client))
    auth.refresh()
    supervisor = SupervisorServices.build(
        store, auth.verifier(), TerminalContext.from_terminal_raw(terminal.raw),
        api=ClientSupervisorApi(client), printer=printer, wake_sync=sync.wake)
    adapter = CoreAdapter(service=service, bus=bus, terminal=terminal, auth=auth,
                          supervisor=supervisor, printer=printer,
                          quick_amounts=quick_amounts(settings), sale_keys=sale_keys)
    tariffs, push = _start_push(bus, store, server_url, credential, terminal, settings, push_on)
    adapter.tariffs = tariffs
    services = Services(auth=adapter, sales=adapter, status=adapter, printer=adapter,
                        terminal=terminal_port, demo_meters=demo_meters,
                        suggested_operator=suggested_operator, login_hint=login_hint,
                        tariffs=tariffs)
    sync.start()
    if printer is not None:
        printer.start()
    return Core(services, adapter, store, sync, printer, server, server_url, push, tariffs)


def _start_push(bus: EventBus, store: Store, url: str, credential: Callable[[], str],
                terminal: api.TerminalInfo, settings: Settings,
                enabled: bool) -> tuple[TariffService | None, PushListener | None]:
    """Signed tariffs and the server's event stream (tariff news, vendor credit)."""
    if not enabled:
        return None, None
    timeouts = (float(settings["server.connect_timeout"]), float(settings["server.read_timeout"]))
    tariffs = TariffService(store, HttpTariffSource(requests.Session(), url, credential,
                                                    timeouts=timeouts), bus)
    try:
        tariffs.provision_keys(terminal.raw.get("tariff_signing_keys") or [])
    except UserFacingError as exc:
        # Sales still work (the server prices them); the tariff banner will not.
        log.error("tariff signing keys refused: %s", exc)
    tariffs.start()
    push = PushListener(PushConfig(url, credential,
                                   pin_sha256=settings["server.cert_sha256"] or None,
                                   connect_timeout=timeouts[0]), bus, tariffs, store)
    push.start()
    return tariffs, push


def _remember_terminal(conn: Any, terminal: api.TerminalInfo) -> None:
    repo.put_setting(conn, TERMINAL_SETTING, terminal.raw)
    repo.save_policy(conn, terminal.offline_policy)


def _terminal_info(client: VendingClient, store: Store,
                   connectivity: Connectivity) -> api.TerminalInfo:
    """Ask the server; offline, use what the last start remembered."""
    try:
        info = client.terminal()
    except (ServerUnavailable, TlsProblem) as exc:
        connectivity.set(False, str(exc))
        raw = store.call(lambda c: repo.get_setting(c, TERMINAL_SETTING))
        if raw is None:
            raise NotSetUp("The server cannot be reached and this till has never talked to it.",
                           hint="Check the network and the server address (F11).") from exc
        return api.parse_terminal(raw)
    store.call(lambda c: _remember_terminal(c, info))
    return info


def _open_production_store(data_dir: Path, keyring: KeyringLike | None) -> Store:
    path = data_dir / "store" / "vendpoint.db"
    if path.exists() or sidecar_path(path).exists():
        return open_store(path, load_store_key(path, backend=keyring))
    key = create_store_key(path, backend=keyring)
    return open_store(path, key, create=True)


def demo_info(db_path: Path) -> dict[str, Any]:
    """The demo data of the demo server's database (`python -m vendserver demo-info`)."""
    done = subprocess.run(
        [sys.executable, "-m", "vendserver", "demo-info", "--db", str(db_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    if done.returncode != 0:
        raise StorageError("The demo data could not be read from the demo server.",
                           hint="See the log for details.")
    data: dict[str, Any] = json.loads(done.stdout)
    return data


#: one demo meter of each of these kinds is offered as an example, in this order
DEMO_EXAMPLE_TAGS = ("normal", "arrears", "blocked", "key_change", "tid_rollover", "fbe",
                     "two_way")


def demo_examples(info: dict[str, Any]) -> tuple[SearchHit, ...]:
    """Demo meters offered as examples on the sale screen (one of each interesting kind)."""
    hits: list[SearchHit] = []
    for tag in DEMO_EXAMPLE_TAGS:
        meter = next((m for m in info.get("meters", []) if tag in m.get("tags", [])
                      and m["meter_number"] not in {h.meter_number for h in hits}), None)
        if meter is None:
            continue
        hits.append(SearchHit(str(meter["meter_number"]), str(meter.get("customer_name", "")),
                              str(meter.get("account", "")), tag.replace("_", " "),
                              bool(meter.get("blocked", False))))
    return tuple(hits)


def demo_login_hint(info: dict[str, Any]) -> str:
    """'Demo: cashier thandi (PIN 1234) · supervisor sipho (PIN 4321)' (public demo data)."""
    parts = [f"{op['role']} {op['id']} (PIN {op['pin']})"
             for op in info.get("operators", []) if op.get("role") in ("cashier", "supervisor")]
    return "Demo: " + " · ".join(parts) if parts else ""


def bootstrap(settings: Settings, *, data_dir: Path, demo: bool, bus: EventBus,
              keyring: KeyringLike | None = None) -> Core:
    """Everything `run_app` needs, from the settings (and the demo server in demo mode)."""
    if demo:
        return _bootstrap_demo(settings, data_dir=data_dir, bus=bus)
    url = settings["server.url"]
    if not url:
        raise NotSetUp("This till does not know its server yet.",
                       hint="Press F11 (Settings), type the server URL and the activation code.")
    activation = ActivationPort(keyring)
    if not activation.is_activated():
        raise NotSetUp("This till is not activated yet.",
                       hint="Press F11 (Settings) and type the activation code from the utility.")
    store = _open_production_store(data_dir, keyring)
    try:
        return build_core(bus=bus, server_url=url,
                          credential=KeyringCredentialProvider(keyring), store=store,
                          settings=settings, data_dir=data_dir, terminal_port=activation)
    except BaseException:
        store.close()
        raise


def _bootstrap_demo(settings: Settings, *, data_dir: Path, bus: EventBus) -> Core:
    if not server_available():
        raise ConfigError("Demo mode needs the reference server (vendserver), which is missing.")
    db_path = data_dir / "server" / "vendserver.db"
    server = DemoServer.start(db_path)
    store: Store | None = None
    try:
        info = demo_info(db_path)
        client = VendingClient(requests.Session(), server.url, lambda: "")
        activation = client.activate(str(info["activation_code"]), "Demo counter")
        credential = activation.credential
        key = load_or_create_insecure_demo_key(data_dir / "store")
        path = data_dir / "store" / "demo.db"
        store = open_store(path, key, create=not path.exists())
        cashier = next((op["id"] for op in info.get("operators", [])
                        if op.get("role") == "cashier"), "")
        return build_core(bus=bus, server_url=server.url, credential=lambda: credential,
                          store=store, settings=settings, data_dir=data_dir,
                          terminal=activation.terminal, demo_meters=demo_examples(info),
                          suggested_operator=cashier, login_hint=demo_login_hint(info),
                          server=server)
    except BaseException:
        if store is not None:
            store.close()
        server.stop()
        raise
