"""A whole till for end-to-end tests and screenshots: the real reference server behind a
loopback proxy (so it can be stopped and restarted on the same address), the real core on a
real SQLCipher store, a recording TCP printer, and the cashier window with its shell.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from app.api import models as api
from app.settings import Settings
from common.events import EventBus
from offline_store.store import open_store
from printers.testing import FakeTcpPrinter
from tests.reliability.faultproxy import FaultProxy
from ui.application import install_menus
from ui.bootstrap import Core, build_core, demo_examples, demo_login_hint
from ui.main_window import MainWindow
from ui.qt_bridge import QtEventBridge
from ui.shell import Shell
from vendserver.testing import RunningServer, running_server


def port_of(url: str) -> int:
    """The port of an http://127.0.0.1:PORT URL."""
    port = urlsplit(url).port
    assert port is not None
    return port


@dataclass
class Till:
    """Everything a test drives or inspects."""

    shell: Shell
    window: MainWindow
    core: Core
    printer: FakeTcpPrinter
    proxy: FaultProxy
    server: RunningServer
    credential: str
    stop_server: Callable[[], None]

    def restart_server(self) -> AbstractContextManager[RunningServer]:
        """Start the server again on the same database; the proxy follows it."""
        return _restarted(self)


@contextmanager
def _restarted(till: Till) -> Iterator[RunningServer]:
    with running_server(till.server.db_path.parent, demo=True) as again:
        till.proxy.upstream_port = port_of(again.base_url)
        till.proxy.up()
        till.core.sync.wake()
        yield again


@contextmanager
def open_till(tmp_path: Path, *, demo_window: bool = False) -> Iterator[Till]:
    """Start server, proxy, printer, core and window; stop them all on exit."""
    stack = ExitStack()
    (tmp_path / "server").mkdir(parents=True, exist_ok=True)
    server_ctx = running_server(tmp_path / "server", demo=True)
    srv = server_ctx.__enter__()
    running = [server_ctx]

    def stop_server() -> None:
        if running:
            running.pop().__exit__(None, None, None)

    stack.callback(stop_server)
    proxy = FaultProxy(port_of(srv.base_url))
    stack.callback(proxy.close)
    printer = stack.enter_context(FakeTcpPrinter())
    activation = srv.activate("Counter 1")
    settings = Settings({"printer.connection": "network",
                         "printer.address": f"127.0.0.1:{printer.port}",
                         "server.connect_timeout": 2, "server.read_timeout": 10})
    store = open_store(tmp_path / "store.db", os.urandom(32), create=True)
    bus = EventBus()
    bridge = QtEventBridge(bus)
    stack.callback(bridge.close)
    core = build_core(bus=bus, server_url=proxy.url, credential=lambda: activation["credential"],
                      store=store, settings=settings, data_dir=tmp_path,
                      terminal=api.parse_terminal(activation), sync_backoff_cap=0.3,
                      sync_idle_interval=0.5,
                      demo_meters=demo_examples(srv.demo) if demo_window else (),
                      suggested_operator="thandi" if demo_window else "",
                      login_hint=demo_login_hint(srv.demo) if demo_window else "")
    stack.callback(core.close)
    window = MainWindow(demo=demo_window, server_url=proxy.url)
    window.resize(1024, 768)
    window.show()
    shell = Shell(window, core.services, settings=settings, bridge=bridge, idle_ms=0,
                  status_interval_ms=300)
    stack.callback(shell.stop)
    stack.callback(window.close)
    shell.start()
    # As the application does: the supervisor menu on the window (kept alive with the till).
    menu = install_menus(window, shell, core.supervisor, core.capabilities)
    stack.callback(lambda: menu.menu.deleteLater())
    try:
        yield Till(shell, window, core, printer, proxy, srv, activation["credential"],
                   stop_server)
    finally:
        stack.close()
