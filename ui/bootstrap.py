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
from app.api.tariff_source import ClientTariffSource
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
from app.tariffs import TariffService
from offline_store import Store
from offline_store.store import open_store
from printers.connections import FileConfig, open_connection
from printers.job_store import SqlPrintJobStore
from printers.queue import PrintQueue
from ui.core_adapter import (
    CoreAdapter,
    DirectoryAuth,
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


#: the tariff-signing keys of the activation answer, kept for the first start of a new store
ACTIVATION_KEYS_FILE = "activation-keys.json"


def save_activation_keys(data_dir: Path, activation: api.Activation) -> Path:
    """Keep the activation answer's `tariff_signing_keys` (public keys) beside the store.

    The store is not open when the till is activated (Settings), so the keys wait in this file
    until `build_core` provisions them as the root of trust (source "activation"). Written to a
    temporary file first and renamed, so a half-written file never exists.
    """
    path = data_dir / ACTIVATION_KEYS_FILE
    data_dir.mkdir(parents=True, exist_ok=True)
    body = {"terminal_id": activation.terminal.terminal_id,
            "tariff_signing_keys": activation.terminal.raw.get("tariff_signing_keys") or []}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(body, indent=1), encoding="utf-8")
    tmp.replace(path)
    return path


def load_activation_keys(data_dir: Path) -> list[dict[str, Any]] | None:
    """The keys `save_activation_keys` kept, or None (no file, or not readable: logged)."""
    path = data_dir / ACTIVATION_KEYS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.error("activation keys file %s unreadable: %s", path, type(exc).__name__)
        return None
    keys = data.get("tariff_signing_keys") if isinstance(data, dict) else None
    if not isinstance(keys, list):
        log.error("activation keys file %s has no key list", path)
        return None
    return [dict(k) for k in keys if isinstance(k, dict)]


class ActivationPort:
    """TerminalPort: sends the activation code, keeps the credential in the OS keyring and the
    activation's tariff-signing keys in `data_dir` (when given)."""

    def __init__(self, keyring: KeyringLike | None = None, *,
                 data_dir: Path | None = None) -> None:
        self._provider = KeyringCredentialProvider(keyring)
        self._data_dir = data_dir

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
        if self._data_dir is not None:
            save_activation_keys(self._data_dir, activation)
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
    activation_keys: list[dict[str, Any]] | None = None,
) -> Core:
    """Wire the core on an open store.

    `terminal` is the activation answer (demo, tests) or None: then it comes from the server,
    or offline from the cache. The tariff-signing keys are provisioned from the activation
    answer only (`terminal` when given, else `activation_keys`); see `_provision_keys`.
    """
    if terminal is not None and activation_keys is None:
        activation_keys = list(terminal.raw.get("tariff_signing_keys") or [])
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
    # Signed tariffs through the shared client (same session, timeouts, TLS pin and
    # malformed-answer sink as sales). The sale service checks quotes against it.
    tariffs = TariffService(store, ClientTariffSource(client), bus) if push_on else None
    if tariffs is not None:
        _provision_keys(tariffs, activation_keys, terminal)
    service = SaleService(store, client, bus, connectivity,
                          wake_sync=lambda: holder["sync"].wake() if "sync" in holder else None,
                          tariffs=tariffs)
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
                          quick_amounts=quick_amounts(settings))
    push = _start_push(bus, store, server_url, credential, tariffs, settings)
    adapter.tariffs = tariffs
    services = Services(auth=adapter, sales=adapter, status=adapter, printer=adapter,
                        terminal=terminal_port, demo_meters=demo_meters,
                        suggested_operator=suggested_operator, login_hint=login_hint,
                        tariffs=tariffs)
    sync.start()
    if printer is not None:
        printer.start()
    return Core(services, adapter, store, sync, printer, server, server_url, push, tariffs)


def _provision_keys(tariffs: TariffService, activation_keys: list[dict[str, Any]] | None,
                    terminal: api.TerminalInfo) -> None:
    """Trust the tariff-signing keys of the activation answer: the root of trust.

    The activation's keys are provisioned at every start (idempotent: known keys are skipped,
    a key id re-bound to other bytes is refused), so a re-activation's keys count too. Keys
    the server lists later are NOT taken here: a rotation arrives through
    `TariffService.refresh_keys()` (automatic when a document names an unknown key id), which
    by default follows only keys endorsed by a trusted one. Only a till activated before the
    keys were kept (no activation keys) with an empty store falls back, once, to what
    `GET /v1/terminal` lists, with a warning.
    """
    if activation_keys is not None:
        keys, source = activation_keys, "activation"
    elif tariffs.trusted_key_ids():
        return
    else:
        log.warning("no activation keys kept for this till: trusting the tariff-signing keys "
                    "the server lists now (re-activate to root trust in the activation)")
        keys, source = list(terminal.raw.get("tariff_signing_keys") or []), "terminal:first-start"
    try:
        tariffs.provision_keys(keys, source)
    except UserFacingError as exc:
        # Sales still work (the server prices them); the tariff banner will not.
        log.error("tariff signing keys refused: %s", exc)


def _start_push(bus: EventBus, store: Store, url: str, credential: Callable[[], str],
                tariffs: TariffService | None, settings: Settings) -> PushListener | None:
    """The server's event stream (tariff news, vendor credit, policy, smart-meter read-back)."""
    if tariffs is None:
        return None
    tariffs.start()
    # PushConfig keeps its own read timeout (45 s, above the server's 15 s heartbeat): the
    # server's read timeout (for answers) would make a quiet stream look dead.
    push = PushListener(PushConfig(url, credential,
                                   pin_sha256=settings["server.cert_sha256"] or None,
                                   connect_timeout=float(settings["server.connect_timeout"])),
                        bus, tariffs, store)
    push.start()
    return push


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
    activation = ActivationPort(keyring, data_dir=data_dir)
    if not activation.is_activated():
        raise NotSetUp("This till is not activated yet.",
                       hint="Press F11 (Settings) and type the activation code from the utility.")
    store = _open_production_store(data_dir, keyring)
    try:
        return build_core(bus=bus, server_url=url,
                          credential=KeyringCredentialProvider(keyring), store=store,
                          settings=settings, data_dir=data_dir, terminal_port=activation,
                          activation_keys=load_activation_keys(data_dir))
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
