"""Benchmark: the longest GUI-thread stall of the real main window while selling, syncing 200
queued sales and receiving a tariff push, against the same heartbeat on an idle window.

A `QTimer` heartbeat (precise, every 5 ms) runs on the GUI thread; a stall is how much later
than due a beat fires (the gap between beats minus the interval): whatever keeps the thread
from its event loop (a slot, a repaint, the GIL held by another thread) shows as one.

Baseline, in the same process and run: the heartbeat on an empty, idle `QMainWindow`.
Then the real till as the app builds it for a window (`ui.bootstrap.build_core`: SQLCipher
store, sync, print and push workers running; a TCP printer on loopback; the reference server
as its own process, stopped and started again on its port), the real `MainWindow` and `Shell`
offscreen, and three measured phases:

* selling: sign-in done, `--sales` online sales typed with key events (F2, meter, Enter,
  amount, Enter, Enter), each until the token is on screen;
* sync: `--queued` sales made while the server is stopped (pending slips printed), then the
  server is back and the sync worker drains them (late tokens announced, receipts printed),
  until the status bar says "Pending: 0" and the printer has every receipt;
* tariff push: a new tariff version published by the server's CLI (another process); the
  push listener fetches, verifies and applies it; until the banner shows it.

Target: longest stall <= 50 ms. Last line: the longest stall over all phases and its ratio
to the idle window's.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python bench/gui_stalls.py [--sales 10]
[--queued 200]``
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a plain script from any directory
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import requests  # noqa: E402
from PySide6.QtCore import (  # noqa: E402
    QEventLoop,
    QObject,
    Qt,
    QTimer,
    qInstallMessageHandler,
)
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow  # noqa: E402

from app.api import Money  # noqa: E402
from app.api import models as api  # noqa: E402
from app.api.models import parse_offline_policy  # noqa: E402
from app.sales import repository as repo  # noqa: E402
from app.settings import Settings  # noqa: E402
from app.till import Operator, SaleState  # noqa: E402
from common.events import EventBus  # noqa: E402
from offline_store import open_store  # noqa: E402
from printers.testing import FakeTcpPrinter  # noqa: E402
from ui.application import create_qapplication, install_menus  # noqa: E402
from ui.bootstrap import Core, build_core  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.qt_bridge import QtEventBridge  # noqa: E402
from ui.qt_messages import qt_message_handler  # noqa: E402
from ui.sale_controller import Step  # noqa: E402
from ui.shell import Shell  # noqa: E402

INTERVAL_MS = 5
METERS = ["04200000117", "04200001305", "04200001370", "04200001511", "04200001586"]
# Room for the bench's queue (the demo policy lets 50 sales wait).
BENCH_POLICY = {"offline_allowed": True, "max_sale": {"amount": "1000.00", "currency": "ZAR"},
                "max_total": {"amount": "1000000.00", "currency": "ZAR"}, "max_count": 100000,
                "warn_after_hours": 24, "refuse_after_hours": 72, "refuse": ["blocked"]}
TARIFF = {"tariff_id": "RES-IBT", "name": "Residential (bench)", "service": "electricity",
          "unit": "kWh", "prices_include_vat": True, "vat_rate": "15.00",
          "blocks": [{"from": "0.0", "to": "50.0", "rate": "1.9000"},
                     {"from": "50.0", "to": None, "rate": "2.5000"}],
          "fixed_charges": [{"code": "SERVICE", "description": "Monthly service charge",
                             "amount": "45.00"}],
          "debt_recovery": {"percent": "20.00", "minimum": "5.00"},
          "fbe_units_per_month": "50.0"}


@dataclass(frozen=True)
class Beats:
    """A heartbeat's run: how late (ms) each beat fired, over how many seconds."""

    stalls: list[float]
    seconds: float


class Heartbeat(QObject):
    """A precise timer on the GUI thread; `gaps` are the times between its beats."""

    def __init__(self) -> None:
        super().__init__()
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self._beat)
        self.gaps: list[float] = []
        self._last = 0.0

    def _beat(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self._last)
        self._last = now

    def start(self) -> None:
        self.gaps = []
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> Beats:
        """The stalls of the beats since `start`."""
        self.timer.stop()
        return Beats([max(0.0, g * 1000 - INTERVAL_MS) for g in self.gaps], sum(self.gaps))


def wait_until(pred: Callable[[], bool], timeout: float, what: str) -> None:
    """Run the event loop (idle between checks) until `pred` holds."""
    loop = QEventLoop()
    deadline = time.monotonic() + timeout
    check = QTimer()
    check.setInterval(20)

    def poll() -> None:
        if pred() or time.monotonic() > deadline:
            loop.quit()

    check.timeout.connect(poll)
    check.start()
    if not pred():
        loop.exec()
    check.stop()
    if not pred():
        raise RuntimeError(f"timed out waiting for {what}")


def run_for(seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def summary(name: str, beats: Beats) -> str:
    ordered = sorted(beats.stalls)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return (f"{name:<34}: longest stall {ordered[-1]:7.1f} ms  p99 {p99:6.1f} ms  "
            f"({len(ordered)} beats in {beats.seconds:.1f} s)")


class ServerProcess:
    """`python -m vendserver serve --demo` in its own process; stopped and started again on
    the same port and database (the till's connection refused meanwhile, as when the
    server or the line is down)."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.port = 0
        self.url = ""
        self.proc: subprocess.Popen[str] | None = None

    def start(self) -> str:
        """Start and wait until it listens; its URL."""
        if not self.spawn().wait(120) or not self.url:
            raise RuntimeError("the server did not start")
        return self.url

    def spawn(self) -> threading.Event:
        """Start it; the event is set once it listens (or has failed: then `url` is "")."""
        proc = subprocess.Popen(
            [sys.executable, "-m", "vendserver", "serve", "--port", str(self.port), "--demo",
             "--db", str(self.db), "--heartbeat", "5"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
        self.proc, self.url = proc, ""
        up = threading.Event()

        def read() -> None:
            # The first line says where it listens; then uvicorn's access log, read so that
            # a full pipe never stalls the server.
            assert proc.stdout is not None
            for line in proc.stdout:
                if not up.is_set():
                    if line.startswith("VENDSERVER LISTENING "):
                        self.url = line.split()[-1]
                        self.port = int(self.url.rsplit(":", 1)[1])
                    up.set()
            up.set()

        threading.Thread(target=read, daemon=True).start()
        return up

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(30)
            self.proc = None


def focused_keys(text: str, enter: bool = True) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    QTest.keyClicks(widget, text)
    if enter:
        QTest.keyClick(widget, Qt.Key.Key_Return)


@dataclass
class Counter:
    """The real window on a real till: what the benches drive and inspect."""

    core: Core
    window: MainWindow
    shell: Shell
    server: ServerProcess
    printer: FakeTcpPrinter
    server_db: Path


def open_counter(folder: Path, stack: ExitStack) -> Counter:
    """As the e2e harness builds it (`tests/e2e/harness.py`), with the reference server as
    its own process (no proxy threads in this one); everything is stopped by `stack`."""
    server = ServerProcess(folder / "server.db")
    url = server.start()
    stack.callback(server.stop)
    printer = stack.enter_context(FakeTcpPrinter())
    act: dict[str, Any] = requests.post(
        f"{url}/v1/terminals/activate", timeout=30,
        json={"activation_code": "DEMO-ACT-2026", "terminal_name": "bench"}).json()
    credential = act["credential"]
    settings = Settings({"printer.connection": "network",
                         "printer.address": f"127.0.0.1:{printer.port}",
                         "server.connect_timeout": 2, "server.read_timeout": 10})
    store = open_store(folder / "store.db", secrets.token_bytes(32), create=True)
    bus = EventBus()
    bridge = QtEventBridge(bus)
    stack.callback(bridge.close)
    core = build_core(bus=bus, server_url=url, credential=lambda: credential,
                      store=store, settings=settings, data_dir=folder,
                      terminal=api.parse_terminal(act), sync_backoff_cap=0.5,
                      sync_idle_interval=5.0)
    stack.callback(core.close)
    window = MainWindow(demo=False, server_url=url)
    window.resize(1024, 768)
    window.show()
    shell = Shell(window, core.services, settings=settings, bridge=bridge, idle_ms=0)
    stack.callback(shell.stop)
    stack.callback(window.close)
    shell.start()
    menu = install_menus(window, shell, core.supervisor, core.capabilities)
    stack.callback(menu.menu.deleteLater)
    return Counter(core, window, shell, server, printer, folder / "server.db")


def sign_in(shell: Shell) -> Operator:
    """The cashier signs in with the keyboard, as at the counter."""
    login = shell.login_view
    wait_until(lambda: login.username.completer() is not None, 30, "the operator list")
    login.username.setFocus()
    focused_keys("thandi")
    focused_keys("1234")
    wait_until(lambda: shell.operator is not None, 30, "sign-in")
    assert shell.operator is not None
    return shell.operator


def idle_baseline(seconds: float) -> Beats:
    window = QMainWindow()
    window.resize(1024, 768)
    window.show()
    beat = Heartbeat()
    beat.start()
    run_for(seconds)
    stalls = beat.stop()
    window.close()
    window.deleteLater()
    return stalls


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sales", type=int, default=10, help="online sales typed")
    parser.add_argument("--queued", type=int, default=200, help="offline sales synced")
    parser.add_argument("--idle", type=float, default=3.0, help="seconds of idle baseline")
    args = parser.parse_args()
    qInstallMessageHandler(qt_message_handler)  # as the app: Qt's messages into logging
    app = create_qapplication()
    idle = idle_baseline(args.idle)
    phases: dict[str, Beats] = {}
    with tempfile.TemporaryDirectory(dir=ROOT) as tmp, ExitStack() as stack:
        folder = Path(tmp)
        counter = open_counter(folder, stack)
        core, window, shell = counter.core, counter.window, counter.shell
        printer = counter.printer
        beat = Heartbeat()

        operator = sign_in(shell)  # not measured

        # -- selling --------------------------------------------------------------------------
        view, sale = shell.sale_view, shell.sale
        sold: list[Any] = []
        sale.sold.connect(sold.append)
        beat.start()
        for i in range(args.sales):
            QTest.keyClick(view.meter, Qt.Key.Key_F2)
            focused_keys(METERS[i % len(METERS)])
            wait_until(lambda: sale.step is Step.CONFIRMED, 30, "the customer")
            focused_keys("100")
            wait_until(lambda: sale.step is Step.QUOTED, 30, "the quote")
            n = len(sold)
            focused_keys("", enter=True)  # confirm
            wait_until(lambda n=n: len(sold) > n, 30, "the token")  # type: ignore[misc]
            assert sold[-1].state is SaleState.TOKENED
        wait_until(lambda: len(printer.jobs) >= args.sales, 60, "the receipts")
        phases[f"selling ({args.sales} online sales)"] = beat.stop()

        # -- queue offline (not measured), then sync ------------------------------------------
        till = core.till
        till.store.call(lambda c: repo.save_policy(c, parse_offline_policy(BENCH_POLICY)))
        for meter in METERS:  # an offline sale needs its customer confirmed once before
            till.lookup(meter)
        counter.server.stop()
        core.till.service.connectivity.set(False, "bench: server stopped")
        printed_before = len(printer.jobs)
        for i in range(args.queued):
            result = till.sell(METERS[i % len(METERS)], Money(5000, "ZAR"), operator)
            assert result.state is SaleState.PENDING
            if i % 20 == 0:
                app.processEvents()
        wait_until(lambda: len(printer.jobs) >= printed_before + args.queued, 120,
                   "the pending slips")
        wait_until(lambda: window.status_view.pending.text().startswith(
            f"Pending: {args.queued}"), 30, "the pending count")
        printed_before = len(printer.jobs)
        beat.start()
        up = counter.server.spawn()  # the same port and database
        wait_until(up.is_set, 120, "the server")
        till.sync.wake()
        wait_until(lambda: window.status_view.pending.text() == "Pending: 0", 300,
                   "the sync")
        wait_until(lambda: len(printer.jobs) >= printed_before + args.queued, 300,
                   "the late receipts")
        phases[f"sync ({args.queued} queued sales)"] = beat.stop()

        # -- tariff push ----------------------------------------------------------------------
        assert till.tariffs is not None
        before = till.tariffs.highest("RES-IBT")
        doc = folder / "tariff.json"
        doc.write_text(json.dumps(TARIFF), encoding="utf-8")
        beat.start()
        # Another process publishes, as the back office does; this thread waits in its loop.
        publisher = subprocess.Popen(
            [sys.executable, "-m", "vendserver", "publish-tariff", "--db",
             str(counter.server_db), str(doc)], cwd=ROOT, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        wait_until(lambda: publisher.poll() is not None, 120, "publish-tariff")
        if publisher.returncode != 0:
            raise RuntimeError("publish-tariff failed")
        assert till.tariffs is not None
        tariffs = till.tariffs
        wait_until(lambda: tariffs.highest("RES-IBT") > before, 60, "the pushed tariff")
        banner = shell.tariff_banner
        wait_until(lambda: banner.isVisible() and f"version {before + 1}"
                   in banner.message.text(), 30, "the tariff banner")
        run_for(0.5)  # the window's reaction to it (banner, status) inside the figure
        phases["tariff push (publish to banner)"] = beat.stop()

    print(f"GUI-thread heartbeat every {INTERVAL_MS} ms, offscreen; stall = beat late by")
    print(summary("idle empty QMainWindow (baseline)", idle))
    for name, stalls in phases.items():
        print(summary(name, stalls))
    worst_name, worst = max(((n, max(b.stalls)) for n, b in phases.items()),
                            key=lambda x: x[1])
    idle_worst = max(idle.stalls)
    base = max(idle_worst, 0.1)
    print(f"longest stall {worst:.1f} ms ({worst_name}; target <= 50 ms: "
          f"{'met' if worst <= 50 else 'NOT met'}) vs idle {idle_worst:.1f} ms: "
          f"ratio {worst / base:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
