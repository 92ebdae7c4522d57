"""The one composition root: `build_till` wires the whole client core into a `Till`, and
`open_production` / `open_demo` do the store, the demo server and the activation first.

Used by the app (through `ui/bootstrap.py`), the end-to-end and reliability harnesses and the
benchmarks. The SaleService <-> SyncEngine cycle is broken by a `WakeSignal` created first:
the sale service sets it after a pending sale, the engine waits on it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import requests

from app.api import models as api
from app.api.client import Timeouts
from app.api.errors import ServerUnavailable, TlsProblem
from app.api.tariff_source import ClientTariffSource
from app.backend import BackendSupervisorApi, ClientBackend, VendingBackend
from app.demo_server import DemoServer, server_available
from app.keystore import (
    KeyringCredentialProvider,
    KeyringLike,
    PassphraseRequired,
    load_or_create_insecure_demo_key,
)
from app.operators import OperatorDirectory
from app.push import PushConfig, PushListener
from app.sales import repository as repo
from app.sales.connectivity import Connectivity
from app.sales.documents import Documents, ReceiptContext
from app.sales.events import SaleTokened
from app.sales.service import SaleService
from app.settings import Settings
from app.supervisor.approvals import CallableVerifier
from app.supervisor.context import TerminalContext
from app.supervisor.permissions import Actor
from app.supervisor.services import SupervisorServices
from app.sync.engine import SyncEngine
from app.sync.wake import WakeSignal
from app.tariffs import TariffService
from app.till import passphrase, setup
from app.till.facade import Till
from app.till.locale import customer_language, terminal_language, terminal_locale
from app.till.results import SearchHit
from app.xmlvend.backend import XmlVendBackend, XmlVendConfig
from app.xmlvend.till import Confirmations, ShiftBatchesOverXmlVend, server_reprint
from common.amounts import amount_format
from common.errors import ConfigError, TransientError, UserFacingError
from common.events import EventBus
from common.i18n import _, translator
from common.money import set_display_locale
from offline_store import Store
from offline_store.store import open_store
from printers.config import config_from_settings, profile_from_settings
from printers.connections import ConnectionConfig, FileConfig, open_connection
from printers.profile import PrinterProfile
from printers.queue import PrintQueue
from printers.sql_job_store import SqlPrintJobStore

log = logging.getLogger("vendpoint.till.build")

#: Where the reference server's XMLVend face listens (`vendserver.xmlvend.PATH`; the core
#: never imports the server).
XMLVEND_PATH = "/xmlvend/2.1"

TERMINAL_SETTING = "terminal_info"
_FROM_SETTINGS: Any = object()


def printer_config(settings: Settings) -> ConnectionConfig | None:
    """The connection the settings describe, or None when no printer is set up."""
    return config_from_settings(settings["printer.connection"], settings["printer.address"])


def printer_profile(settings: Settings) -> PrinterProfile:
    """Paper width, capabilities profile, code page, QR, logo and cash drawer from the
    settings (a bad profile: ConfigError)."""
    return profile_from_settings(settings)


@dataclass(frozen=True)
class Timing:
    """How patient the background workers are (tests make them quick)."""

    sync_backoff_base: float = 1.0
    sync_backoff_cap: float = 60.0
    sync_idle_interval: float = 30.0
    sync_resolve_grace: float = 60.0
    printer_idle_poll: float = 10.0


@dataclass
class Opened:
    """A built till and what the bootstrap opened for it (demo server, demo data)."""

    till: Till
    server_url: str = ""
    server: DemoServer | None = None
    demo_meters: tuple[SearchHit, ...] = ()
    suggested_operator: str = ""
    login_hint: str = ""
    activation: setup.Activation | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def client_backend(settings: Settings, server_url: str,
                   credential: Callable[[], str]) -> ClientBackend:
    """The reference vending API client with the settings' timeouts and certificate pin."""
    return ClientBackend(
        requests.Session(), server_url, credential,
        timeouts=Timeouts(float(settings["server.connect_timeout"]),
                          float(settings["server.read_timeout"]),
                          float(settings["server.call_deadline"]),
                          float(settings["server.batch_deadline"])),
        pin_sha256=settings["server.cert_sha256"] or None)


def xmlvend_backend(settings: Settings, store: Store, *, url: str, password: str,
                    terminal_facts: dict[str, Any],
                    operators: Callable[[], list[api.OperatorRecord]] | None = None,
                    **overrides: Any) -> XmlVendBackend:
    """The XMLVend 2.1 backend with the settings' per-server options (docs/xmlvend.md)."""
    config = XmlVendConfig(
        url=url, client_ean=settings["xmlvend.client_ean"] or "0000000000000",
        terminal_id=settings["xmlvend.terminal_id"] or str(terminal_facts["terminal_id"]),
        currency=settings["xmlvend.currency"], op_name=settings["xmlvend.operator"],
        password=password, soap_version=settings["xmlvend.soap_version"],
        soap_action=settings["xmlvend.soap_action"],
        reused_msgid=settings["xmlvend.reused_msgid"],
        connect_timeout=float(settings["server.connect_timeout"]),
        read_timeout=float(settings["server.read_timeout"]),
        ca_bundle=settings["xmlvend.ca_bundle"] or None,
        client_cert=settings["xmlvend.client_cert"] or None,
        client_key=settings["xmlvend.client_key"] or None,
        reversal_advice=bool(settings["xmlvend.reversal_advice"]),
        confirm_advice=bool(settings["xmlvend.confirm_advice"]),
        server_reprint=bool(settings["xmlvend.server_reprint"]))
    config = replace(config, **overrides)
    return XmlVendBackend(requests.Session(), config, store, terminal_facts=terminal_facts,
                          operators=operators)


def _xmlvend_facts(settings: Settings, store: Store) -> dict[str, Any]:
    """The terminal facts an XMLVend till starts with: what the last start remembered, else
    a terminal that may not sell offline (XMLVend has no terminal or policy call)."""
    cached = store.call(lambda c: repo.get_setting(c, TERMINAL_SETTING))
    if isinstance(cached, dict):
        return cached
    cur = settings["xmlvend.currency"]
    zero = {"amount": api.Money(0, cur).amount_str(), "currency": cur}
    one = {"amount": api.Money(1, cur).amount_str(), "currency": cur}
    top = {"amount": api.Money(10**9, cur).amount_str(), "currency": cur}
    return {
        "terminal_id": settings["xmlvend.terminal_id"],
        "vendor": {"id": settings["xmlvend.client_ean"], "name": ""},
        "utility": {"name": "", "currency": cur},
        "offline_policy": {"offline_allowed": False, "max_sale": zero, "max_total": zero,
                           "max_count": 0, "warn_after_hours": 24, "refuse_after_hours": 72,
                           "refuse": []},
        "sale_limits": {"minimum": one, "maximum": top},
    }


def build_till(
    settings: Settings, *, bus: EventBus, store: Store, backend: VendingBackend,
    data_dir: Path, terminal: api.TerminalInfo | None = None,
    activation_keys: list[dict[str, Any]] | None = None, server_url: str = "",
    credential: Callable[[], str] | None = None,
    printer: ConnectionConfig | None = _FROM_SETTINGS, timing: Timing = Timing(),
    tariffs_on: bool = True, closers: tuple[Callable[[], object], ...] = (),
    start: bool = True, sync_lock: Path | None = None,
) -> Till:
    """Wire the core on an open store and a backend, start its workers, return the till.

    `terminal` is the activation answer (demo, tests) or None: then it comes from the
    backend, or offline from the cache. `printer` defaults to the settings' printer (None:
    no printer; documents are still recorded). Push events need `server_url` and
    `credential` (the reference API's event stream) and the backend's `push_events`.
    `closers` run last in `Till.close()` (the store, a demo server). `start=False` leaves
    the sync, print and push workers stopped (tools and tests drive `till.sync.step()`).
    """
    caps = backend.capabilities
    connectivity = Connectivity(bus)
    if terminal is None:
        terminal = _terminal_info(backend, store, connectivity)
    else:
        if activation_keys is None:
            activation_keys = list(terminal.raw.get("tariff_signing_keys") or [])
        known = terminal
        store.call(lambda c: _remember_terminal(c, known))
    wake = WakeSignal()
    tariffs = None
    if tariffs_on and caps.tariff_documents:
        tariffs = TariffService(store, ClientTariffSource(backend), bus)
        _provision_keys(tariffs, activation_keys, terminal)
    config = printer_config(settings) if printer is _FROM_SETTINGS else printer
    queue = None
    if config is not None:
        queue = PrintQueue(SqlPrintJobStore(store), "main", open_connection(config),
                           printer_profile(settings), bus, idle_poll_s=timing.printer_idle_poll)
    documents = Documents(store, bus, ReceiptContext.from_terminal_raw(terminal.raw),
                          printer_id=None if queue is None else queue.printer_id,
                          wake_printer=None if queue is None else queue.wake,
                          customer_language=lambda: customer_language(settings, terminal.raw))
    # The sync worker leaves a sale alone while the cashier's attempt holds it: for as long as
    # it waits before looking up a sale still being sent (an attempt ends well within that).
    service = SaleService(store, backend, bus, connectivity, documents=documents,
                          wake_sync=wake.set, tariffs=tariffs,
                          attempt_lease=timing.sync_resolve_grace)
    # One sync worker per data folder across processes (the lock file's place).
    sync = SyncEngine(service, lock_path=sync_lock or data_dir / "sync.lock", wake=wake,
                      backoff_cap=timing.sync_backoff_cap,
                      backoff_base=min(timing.sync_backoff_base, timing.sync_backoff_cap),
                      idle_interval=timing.sync_idle_interval,
                      resolve_grace=timing.sync_resolve_grace)
    directory = OperatorDirectory(store, backend)
    try:
        directory.refresh()
    except (TransientError, UserFacingError) as exc:
        log.info("operator list not refreshed (%s); the cached list is used",
                 type(exc).__name__)
    # Every amount and number is shown, printed and typed in the terminal's locale.
    locale = terminal_locale(settings, terminal.raw)
    set_display_locale(locale)
    context = replace(TerminalContext.from_terminal_raw(terminal.raw),
                      amount_format=amount_format(locale))
    confirmations = None
    batches = reprints = None
    if isinstance(backend, XmlVendBackend):
        # XMLVend's shift batches, reprints from the server's copy, confirmation advice.
        batches = ShiftBatchesOverXmlVend(backend)
        reprints = server_reprint(backend, store)
        if backend.config.confirm_advice:
            confirmations = Confirmations(backend)
            bus.subscribe(SaleTokened, confirmations.on_tokened)
    supervisor = SupervisorServices.build(
        store, directory_verifier(directory), context,
        api=BackendSupervisorApi(backend), printer=documents, wake_sync=wake.set,
        batches=batches, server_reprint=reprints)
    push = None
    if tariffs is not None:
        if start:
            tariffs.start()
        if caps.push_events and server_url and credential is not None:
            push = PushListener(PushConfig(
                server_url, credential, pin_sha256=settings["server.cert_sha256"] or None,
                connect_timeout=float(settings["server.connect_timeout"])),
                bus, tariffs, store)
    stops: list[Callable[[], object]] = []
    if push is not None:
        stops.append(push.stop)
    if tariffs is not None:
        stops.append(tariffs.stop)
    stops += [sync.stop, sync.detach]  # no pushed policy may reach a closed store
    if confirmations is not None:
        stops.append(confirmations.stop)
    if queue is not None:
        stops.append(queue.stop)
    till = Till(service=service, sync=sync, directory=directory, supervisor=supervisor,
                documents=documents, backend=backend, terminal=terminal, printer=queue,
                tariffs=tariffs, push=push, closers=(*stops, *closers),
                language=terminal_language(settings, terminal.raw))
    if start:
        if push is not None:
            push.start()
        sync.start()
        if queue is not None:
            queue.start()
    if start and confirmations is not None:
        confirmations.start()
    return till


def directory_verifier(directory: OperatorDirectory) -> CallableVerifier:
    """The supervisor approvals' PIN check through the operator directory (same lockout)."""
    def verify(operator_id: str, pin: str) -> Actor:
        signed = directory.sign_in(operator_id, pin)
        return Actor.of(signed.operator_id, signed.name, signed.role)
    return CallableVerifier(verify)


def _provision_keys(tariffs: TariffService, activation_keys: list[dict[str, Any]] | None,
                    terminal: api.TerminalInfo) -> None:
    """Trust the tariff-signing keys of the activation answer (the root of trust), at every
    start (idempotent). Only a till activated before the keys were kept, with an empty
    store, falls back once to the keys `GET /v1/terminal` lists, with a warning."""
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


def _remember_terminal(conn: Any, terminal: api.TerminalInfo) -> None:
    repo.put_setting(conn, TERMINAL_SETTING, terminal.raw)
    repo.save_policy(conn, terminal.offline_policy)


def _terminal_info(backend: VendingBackend, store: Store,
                   connectivity: Connectivity) -> api.TerminalInfo:
    """Ask the server; offline, use what the last start remembered."""
    try:
        info = backend.terminal()
    except (ServerUnavailable, TlsProblem) as exc:
        connectivity.set(False, str(exc))
        raw = store.call(lambda c: repo.get_setting(c, TERMINAL_SETTING))
        if raw is None:
            raise setup.NotSetUp(
                _("The server cannot be reached and this till has never talked to it."),
                hint=_("Check the network and the server address (F11).")) from exc
        return api.parse_terminal(raw)
    store.call(lambda c: _remember_terminal(c, info))
    return info


def open_production(settings: Settings, *, data_dir: Path, bus: EventBus,
                    keyring: KeyringLike | None = None,
                    unlocked: passphrase.Unlocked | None = None) -> Opened:
    """The till of an activated terminal: keyring store key, server from the settings.

    In passphrase mode (`app.till.passphrase`) `unlocked` carries the store key and the
    vault that stands in for the keyring; without it such a store raises
    `PassphraseRequired` (the UI asks for the passphrase and starts again).
    """
    if unlocked is None and passphrase.is_passphrase_store(data_dir):
        raise PassphraseRequired(_("This till's store is protected by a passphrase."),
                                 hint=_("Type the passphrase to start VendPoint."))
    if unlocked is not None:
        keyring = unlocked.vault
    if settings["server.backend"] == "xmlvend":
        return _open_xmlvend_production(settings, data_dir=data_dir, bus=bus, keyring=keyring)
    url = settings["server.url"]
    if not url:
        raise setup.NotSetUp(
            _("This till does not know its server yet."),
            hint=_("Press F11 (Settings), type the server URL and the activation code."))
    activation = setup.Activation(keyring, data_dir=data_dir)
    if not activation.is_activated():
        raise setup.NotSetUp(
            _("This till is not activated yet."),
            hint=_("Press F11 (Settings) and type the activation code from the utility."))
    activation.bind_legacy(url)
    store = setup.open_production_store(data_dir, keyring) if unlocked is None else \
        open_store(passphrase.store_path(data_dir), unlocked.key)
    credential = KeyringCredentialProvider(keyring)
    try:
        has_anchors = bool(store.call(
            lambda c: c.execute("SELECT count(*) FROM tariff_keys").fetchone()[0]))
        till = build_till(settings, bus=bus, store=store,
                          backend=client_backend(settings, url, credential),
                          data_dir=data_dir, server_url=url, credential=credential,
                          activation_keys=setup.trust_anchors(data_dir, credential,
                                                              has_anchors),
                          closers=(store.close,))
    except BaseException:
        store.close()
        raise
    return Opened(till, url, activation=activation)


def _open_xmlvend_production(settings: Settings, *, data_dir: Path, bus: EventBus,
                             keyring: KeyringLike | None) -> Opened:
    """A till on an XMLVend server: ids and options from the settings, the operator's
    password from the keyring (where the terminal credential lives)."""
    url = settings["xmlvend.url"]
    if not url or not settings["xmlvend.terminal_id"]:
        raise setup.NotSetUp(
            _("This till does not know its XMLVend server yet."),
            hint=_("Set xmlvend.url, xmlvend.client_ean and xmlvend.terminal_id (F11)."))
    store = setup.open_production_store(data_dir, keyring)
    try:
        backend = xmlvend_backend(settings, store, url=url,
                                  password=KeyringCredentialProvider(keyring)(),
                                  terminal_facts=_xmlvend_facts(settings, store))
        till = build_till(settings, bus=bus, store=store, backend=backend, data_dir=data_dir,
                          closers=(store.close,))
    except BaseException:
        store.close()
        raise
    return Opened(till, url)


def watch_demo_server(server: DemoServer, till: Till) -> None:
    """When the demo server dies on its own, the till is offline at once and says why (the
    status bar shows it; nothing waits for the next request to time out)."""
    def gone(code: int) -> None:
        till.service.connectivity.set(
            False, _("the demo server stopped (exit code {code}); restart with make run")
                .format(code=code))

    server.on_exit(gone)


def open_demo(settings: Settings, *, data_dir: Path, bus: EventBus) -> Opened:
    """The demo: the reference server on demo data, activated with the demo code, a
    throwaway store (its key in a labelled file beside it); without a printer set up, the
    receipts "print" into `demo-printer.escpos` in the demo folder."""
    if not server_available():
        raise ConfigError(_("Demo mode needs the reference server (vendserver), which is missing."))
    db_path = data_dir / "server" / "vendserver.db"
    xmlvend = settings["server.backend"] == "xmlvend"
    server = DemoServer.start(db_path, xmlvend=settings["xmlvend.demo_personality"]
                              if xmlvend else None)
    store: Store | None = None
    try:
        info = setup.demo_info(db_path)
        activation = ClientBackend(requests.Session(), server.url, lambda: "").activate(
            str(info["activation_code"]), "Demo counter")
        credential = activation.credential
        key = load_or_create_insecure_demo_key(data_dir / "store")
        path = data_dir / "store" / "demo.db"
        store = open_store(path, key, create=not path.exists())
        config = printer_config(settings) or FileConfig(str(data_dir / "demo-printer.escpos"))

        def secret() -> str:
            return credential

        rest = client_backend(settings, server.url, secret)
        backend: VendingBackend = rest
        if xmlvend:
            # The demo provisions the XMLVend till out of band, as a utility would: the
            # terminal id, credential and operator list come from the reference server once.
            # The demo server's personality says what it supports (reused msgIDs, reversal
            # advice), as a utility's documentation would.
            personality = settings["xmlvend.demo_personality"]
            backend = xmlvend_backend(
                settings, store, url=server.url + XMLVEND_PATH, password=credential,
                terminal_facts=dict(activation.terminal.raw), operators=rest.operators,
                reused_msgid="refuse" if personality == "conlog" else "replay",
                reversal_advice=personality == "conlog")
        till = build_till(settings, bus=bus, store=store, backend=backend,
                          data_dir=data_dir, terminal=activation.terminal,
                          server_url=server.url, credential=secret, printer=config,
                          closers=(store.close, server.stop))
    except BaseException:
        if store is not None:
            store.close()
        server.stop()
        raise
    watch_demo_server(server, till)
    return Opened(till, server.url, server, setup.demo_examples(info),
                  setup.demo_cashier(info),
                  setup.demo_login_hint(info, translator(till.language)))
