"""Starts the reference vending server as a child process for `--demo` (and e2e tests).

The server is asked for a free loopback port (`--port 0`) and announces it on stdout as
`VENDSERVER LISTENING http://127.0.0.1:PORT`; we read that line with a deadline.
"""

from __future__ import annotations

import logging
import queue
import subprocess
import sys
import threading
from pathlib import Path

from common.errors import UserFacingError

log = logging.getLogger("vendpoint.demo")

LISTENING_PREFIX = "VENDSERVER LISTENING "


class DemoServerError(UserFacingError):
    """The demo server could not be started."""

    title = "Demo server did not start"


class DemoServer:
    """A running `python -m vendserver serve --demo` child; `stop()` ends it."""

    def __init__(self, process: subprocess.Popen[str], url: str) -> None:
        self.process = process
        self.url = url

    @classmethod
    def start(cls, db_path: Path, *, timeout: float = 60.0,
              xmlvend: str | None = None) -> DemoServer:
        """Start the server on a free loopback port and wait until it listens (`xmlvend`:
        the personality of its XMLVend face)."""
        db_path.parent.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, "-m", "vendserver", "serve", "--host", "127.0.0.1",
               "--port", "0", "--demo", "--db", str(db_path)]
        if xmlvend:
            cmd += ["--xmlvend", xmlvend]
        root = Path(__file__).resolve().parent.parent
        process = subprocess.Popen(
            cmd, cwd=root, stdout=subprocess.PIPE, stderr=None, text=True, bufsize=1
        )
        lines: queue.Queue[str | None] = queue.Queue()

        def pump() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                lines.put(line)
            lines.put(None)

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
                    return cls(process, url)
        except queue.Empty:
            process.kill()
            raise DemoServerError(
                f"The demo vending server did not answer within {timeout:.0f} seconds."
            ) from None
        except BaseException:
            if process.poll() is None:
                process.kill()
            raise

    def stop(self, timeout: float = 10.0) -> None:
        """Terminate the child and wait for it."""
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
