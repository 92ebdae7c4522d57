"""Starts the reference vending server as a child process for `--demo` (and e2e tests).

The server is asked for a free loopback port (`--port 0`) and announces it on stdout as
`VENDSERVER LISTENING http://127.0.0.1:PORT`; we read that line with a deadline.

The demo market (ZAR, UGX, XOF, LYD or MZN: which utility, currency and language the server's
demo data is) is `start(market=...)`, else the `VENDPOINT_DEMO_MARKET` environment variable
that `main.py --demo --market CODE` sets, else the server's default (ZAR). It only matters
when the server's database is new: a database keeps the market it was seeded with, so each
market has its own demo folder (`demo_dir`).
"""

from __future__ import annotations

import logging
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from common.errors import UserFacingError

log = logging.getLogger("vendpoint.demo")

LISTENING_PREFIX = "VENDSERVER LISTENING "
#: The environment variable naming the demo market when `start` is not given one.
MARKET_ENV = "VENDPOINT_DEMO_MARKET"
#: The market whose demo folder is the demo root itself (the others get a sub-folder).
DEFAULT_MARKET = "ZAR"


def demo_market(market: str | None = None) -> str:
    """The demo market to start: `market`, else $VENDPOINT_DEMO_MARKET, else ZAR."""
    return (market or os.environ.get(MARKET_ENV) or DEFAULT_MARKET).strip().upper()


def demo_dir(root: Path, market: str | None = None) -> Path:
    """The demo folder of `market` under the demo root: the root for ZAR (as before markets
    existed), `root/UGX` and so on for the others, so markets never share a database."""
    code = demo_market(market)
    return root if code == DEFAULT_MARKET else root / code


class DemoServerError(UserFacingError):
    """The demo server could not be started."""

    title = "Demo server did not start"


class DemoServer:
    """A running `python -m vendserver serve --demo` child; `stop()` ends it.

    A reader thread follows the child's output to its end: when the child dies (killed,
    crashed) the thread reaps it at once (no zombie) and calls the `on_exit` callbacks with
    its exit code, so the till can say the server is gone. A `stop()` of ours is no news.
    """

    def __init__(self, process: subprocess.Popen[str], url: str) -> None:
        self.process = process
        self.url = url
        self._lock = threading.Lock()
        self._stopping = False
        self._exit_code: int | None = None
        self._callbacks: list[Callable[[int], None]] = []
        self.exited = threading.Event()

    def on_exit(self, callback: Callable[[int], None]) -> None:
        """Call `callback(exit code)` (on the reader thread) if the child dies on its own;
        at once if it has already."""
        with self._lock:
            code = self._exit_code
            if code is None:
                self._callbacks.append(callback)
        if code is not None and not self._stopping:
            callback(code)

    def _ended(self) -> None:
        code = self.process.wait()  # reap: the child must not linger as a zombie
        with self._lock:
            self._exit_code = code
            callbacks, self._callbacks = self._callbacks, []
            stopping = self._stopping
        self.exited.set()
        if stopping:
            return
        log.warning("the demo server stopped on its own (exit code %s)", code)
        for callback in callbacks:
            try:
                callback(code)
            except Exception:
                log.exception("demo server exit callback failed")

    @classmethod
    def start(cls, db_path: Path, *, timeout: float = 60.0,
              xmlvend: str | None = None, market: str | None = None) -> DemoServer:
        """Start the server on a free loopback port and wait until it listens (`xmlvend`:
        the personality of its XMLVend face; `market`: the demo market a new database is
        seeded with, see `demo_market`)."""
        db_path.parent.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, "-m", "vendserver", "serve", "--host", "127.0.0.1",
               "--port", "0", "--demo", "--db", str(db_path),
               "--market", demo_market(market)]
        if xmlvend:
            cmd += ["--xmlvend", xmlvend]
        root = Path(__file__).resolve().parent.parent
        process = subprocess.Popen(
            cmd, cwd=root, stdout=subprocess.PIPE, stderr=None, text=True, bufsize=1
        )
        lines: queue.Queue[str | None] = queue.Queue()
        server = cls(process, "")

        def pump() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                lines.put(line)
            lines.put(None)
            server._ended()

        threading.Thread(target=pump, name="demo-server-stdout", daemon=True).start()
        try:
            while True:
                line = lines.get(timeout=timeout)
                if line is None:
                    raise DemoServerError(
                        "The demo vending server stopped before it was ready.",
                        hint="See the log for its output.",
                    )
                if line.startswith(LISTENING_PREFIX):
                    url = line[len(LISTENING_PREFIX):].strip()
                    log.info("demo server listening at %s", url)
                    server.url = url
                    return server
        except queue.Empty:
            process.kill()
            server.stop()
            raise DemoServerError(
                f"The demo vending server did not answer within {timeout:.0f} seconds."
            ) from None
        except BaseException:
            server.stop()
            raise

    def stop(self, timeout: float = 10.0) -> None:
        """Terminate the child and wait for it."""
        with self._lock:
            self._stopping = True
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)


def server_available() -> bool:
    """Whether the reference server package can be started here."""
    root = Path(__file__).resolve().parent.parent
    return (root / "vendserver" / "__main__.py").exists()
