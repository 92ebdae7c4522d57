"""Benchmark: start-up to a usable sign-in screen, and memory after 1,000 sales, against an
empty PySide6 window in the same run.

Start-up: `main.py --demo --quit-when-ready` as its own process, offscreen, on a fresh demo
folder; wall time from just before the process is spawned to the app's log line "ready: login
screen up" on its stderr (the demo server, a process of its own, is started, seeded and
activated on the way: the time until "demo server listening" is printed too). Baseline: a
process that imports PySide6, shows an empty `QMainWindow` and says so from its event loop.
The median of `--runs` of each, interleaved.

Memory: a process that builds the real window on a real till (`bench/gui_stalls.py`'s
counter: the reference server in its own process, SQLCipher store, sync, print and push
workers, a TCP printer on loopback), signs in with the keyboard, then makes `--sales` online
sales through the till facade from the GUI thread, the window handling every core event
(status bar, print states, notifications) between sales; RSS (VmRSS) at the sign-in screen
and after the sales, once every receipt is printed. Baseline: the empty window's RSS.

Last line: the start-up ratio and the RSS ratio, app / empty window.

Run: ``.venv/bin/python bench/startup.py [--runs 3] [--sales 1000]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a plain script from any directory

READY = "ready: login screen up"
SERVER_UP = "demo server listening at"
STARTING = "starting (demo=True)"
EMPTY_WINDOW = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1024, 768)
window.show()
def ready():
    rss = [l for l in open('/proc/self/status') if l.startswith('VmRSS:')]
    print('READY', rss[0].split()[1] if rss else '0', file=sys.stderr, flush=True)
    app.quit()
QTimer.singleShot(0, ready)
sys.exit(app.exec())
"""


def rss_kib() -> int:
    """This process's resident set (Linux /proc; the peak from getrusage elsewhere)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}


def timed_start(argv: list[str], marks: tuple[str, ...]) -> dict[str, float | str]:
    """Spawn `argv`; seconds from the spawn to the first stderr line containing each mark
    (and that line), then wait for the process to end."""
    seen: dict[str, float | str] = {}
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=ROOT, env=env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    tail: list[str] = []
    for line in proc.stderr:
        now = time.perf_counter() - start
        tail = [*tail, line][-20:]
        for mark in marks:
            if mark in line and mark not in seen:
                seen[mark] = now
                seen[mark + ":line"] = line
    if proc.wait(120) != 0 or any(m not in seen for m in marks):
        raise RuntimeError("start-up failed:\n" + "".join(tail))
    return seen


def app_start(folder: Path) -> tuple[float, float, float]:
    """Seconds to the sign-in screen, to the first log line, to the demo server listening."""
    seen = timed_start([sys.executable, "main.py", "--demo", "--data-dir", str(folder),
                        "--config", str(folder / "none.toml"), "--quit-when-ready"],
                       (STARTING, SERVER_UP, READY))
    return float(seen[READY]), float(seen[STARTING]), float(seen[SERVER_UP])


def empty_start() -> tuple[float, int]:
    """(seconds to an empty window shown, its RSS in KiB)."""
    seen = timed_start([sys.executable, "-c", EMPTY_WINDOW], ("READY",))
    return float(seen["READY"]), int(str(seen["READY:line"]).split()[1])


def child_sales(sales: int) -> int:
    """In its own process: the real window, `sales` sales, RSS before and after."""
    from contextlib import ExitStack

    from PySide6.QtCore import qInstallMessageHandler

    from app.api import Money
    from app.till import SaleState
    from bench.gui_stalls import METERS, open_counter, sign_in, wait_until
    from ui.application import create_qapplication
    from ui.qt_messages import qt_message_handler

    qInstallMessageHandler(qt_message_handler)
    app = create_qapplication()
    with tempfile.TemporaryDirectory(dir=ROOT) as tmp, ExitStack() as stack:
        counter = open_counter(Path(tmp), stack)
        shell, printer = counter.shell, counter.printer
        wait_until(lambda: shell.login_view.username.completer() is not None, 30,
                   "the sign-in screen")
        at_login = rss_kib()
        operator = sign_in(shell)
        till = counter.core.till
        started = time.perf_counter()
        for i in range(sales):
            result = till.sell(METERS[i % len(METERS)], Money(5000, "ZAR"), operator)
            assert result.state is SaleState.TOKENED
            app.processEvents()  # the window takes the sale's events as they come
        wait_until(lambda: len(printer.jobs) >= sales, 300, "the receipts")
        wait_until(lambda: counter.window.status_view.pending.text() == "Pending: 0", 60,
                   "the status bar")
        elapsed = time.perf_counter() - started
        after = rss_kib()
    print(f"RSS {at_login} {after} {elapsed:.3f}", flush=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="start-ups of each")
    parser.add_argument("--sales", type=int, default=1000)
    parser.add_argument("--child-sales", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_sales is not None:
        return child_sales(args.child_sales)
    apps: list[tuple[float, float, float]] = []
    empties: list[tuple[float, int]] = []
    with tempfile.TemporaryDirectory(dir=ROOT) as tmp:
        for i in range(args.runs):
            empties.append(empty_start())
            apps.append(app_start(Path(tmp) / f"demo{i}"))
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child-sales",
                           str(args.sales)], cwd=ROOT, env=env(), capture_output=True,
                          text=True, timeout=600, check=False)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("RSS ")]
    if not lines:
        print(done.stderr[-3000:], file=sys.stderr)
        raise RuntimeError("the sales process failed")
    fatal = [ln for ln in done.stderr.splitlines() if ln.startswith("Fatal Python error")]
    _, at_login, after, elapsed = lines[-1].split()
    app_s = statistics.median(a[0] for a in apps)
    logging_s = statistics.median(a[1] for a in apps)
    server_s = statistics.median(a[2] for a in apps)
    empty_s = statistics.median(e[0] for e in empties)
    empty_rss = statistics.median(e[1] for e in empties)
    print(f"start-up to the sign-in screen, median of {args.runs} (offscreen):")
    print(f"  empty PySide6 QMainWindow              : {empty_s:6.2f} s  RSS "
          f"{empty_rss / 1024:6.1f} MiB")
    print(f"  main.py --demo (fresh demo folder)     : {app_s:6.2f} s | runs: "
          + ", ".join(f"{a[0]:.2f}" for a in apps))
    print(f"    after the spawn: first log line {logging_s:.2f} s, demo server (its own "
          f"process, seeded) listening {server_s:.2f} s; from there to the sign-in screen "
          f"(store, activation, operator list, window) {app_s - server_s:.2f} s")
    print("memory of the real window on a real till (its server in another process):")
    print(f"  at the sign-in screen                  : RSS {int(at_login) / 1024:6.1f} MiB")
    print(f"  after {args.sales} online sales ({float(elapsed):.1f} s, every receipt printed): "
          f"RSS {int(after) / 1024:6.1f} MiB ({(int(after) - int(at_login)) / 1024:+.1f} MiB)")
    if done.returncode != 0:  # after its figures: say so, never hide it
        print(f"  the sales process then ended with exit code {done.returncode}"
              + (f": {fatal[0]}" if fatal else ""))
    print(f"ratio app/empty window: start-up {app_s / empty_s:.1f}, RSS after "
          f"{args.sales} sales {int(after) / empty_rss:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
