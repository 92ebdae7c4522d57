"""A fake network receipt printer on 127.0.0.1, for tests (unit, integration and UI e2e).

`FakeTcpPrinter` listens on a random free loopback port, records the bytes of every job (one
TCP connection = one job) and answers the real-time status queries the way an Epson printer
does, according to its `mode`:
- `"ok"`         online, paper present;
- `"paper_low"`  online, paper near end;
- `"paper_out"`  offline because the paper ran out (jobs are still recorded, as a printer
                 buffers them; the queue should not send any);
- `"offline"`    offline for another reason (cover open);
- `"silent"`     never answers a status query (like many cheap printers).
`stop()` closes the port (connection refused, as when the printer is switched off) and
`start()` opens the same port again.

    with FakeTcpPrinter() as printer:
        config = NetworkConfig("127.0.0.1", printer.port, status_timeout_s=0.3)
        ...
        jobs = printer.wait_for_jobs(1, timeout=5)
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable
from typing import Literal

from common.events import CoreEvent, EventBus, EventTypes

Mode = Literal["ok", "paper_low", "paper_out", "offline", "silent"]

# Replies to DLE EOT 1 (printer), DLE EOT 2 (offline cause), DLE EOT 4 (paper) and GS r 1.
_ONLINE, _OFFLINE = 0x12, 0x1A
_PAPER_OK, _PAPER_LOW, _PAPER_OUT = 0x12, 0x1E, 0x72
_GS_R_OK, _GS_R_LOW, _GS_R_OUT = 0x00, 0x03, 0x0C

_QUERIES = (b"\x10\x04\x01", b"\x10\x04\x02", b"\x10\x04\x04", b"\x1d\x72\x01")


class FakeTcpPrinter:
    """A recording ESC/POS printer on loopback; thread-safe; stops promptly."""

    def __init__(self, mode: Mode = "ok", host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = 0
        self._mode: Mode = mode
        self._cond = threading.Condition()
        self._jobs: list[bytes] = []
        self._status_queries = 0
        self._listener: socket.socket | None = None
        self._threads: list[threading.Thread] = []
        self._clients: set[socket.socket] = set()
        self._running = False
        #: False: ignore DLE EOT 4 like printers that only answer GS r 1 about paper.
        self.answers_dle_eot_paper = True

    # --- control --------------------------------------------------------------------------

    @property
    def mode(self) -> Mode:
        return self._mode

    @mode.setter
    def mode(self, mode: Mode) -> None:
        with self._cond:
            self._mode = mode

    def start(self) -> FakeTcpPrinter:
        """Listen (on a new random port the first time, on the same port afterwards)."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, self.port))
        listener.listen(8)
        listener.settimeout(0.1)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._running = True
        thread = threading.Thread(target=self._accept_loop, args=(listener,),
                                  name=f"fake-printer:{self.port}", daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def stop(self) -> None:
        """Close the port and every open connection; later connects are refused."""
        self._running = False
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        with self._cond:
            clients = list(self._clients)
        for client in clients:
            with contextlib.suppress(OSError):
                client.close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads = []

    def __enter__(self) -> FakeTcpPrinter:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- what was received ------------------------------------------------------------------

    @property
    def jobs(self) -> list[bytes]:
        """Bytes of each completed job (status queries before the job are not included)."""
        with self._cond:
            return list(self._jobs)

    @property
    def status_queries(self) -> int:
        with self._cond:
            return self._status_queries

    def wait_for_jobs(self, count: int, timeout: float = 10.0) -> list[bytes]:
        """Block until at least `count` jobs arrived; raises TimeoutError otherwise."""
        with self._cond:
            if not self._cond.wait_for(lambda: len(self._jobs) >= count, timeout=timeout):
                raise TimeoutError(f"expected {count} print jobs, got {len(self._jobs)}")
            return list(self._jobs)

    def wait_for_status_queries(self, count: int, timeout: float = 10.0) -> int:
        """Block until at least `count` status queries were answered (or ignored, if silent)."""
        with self._cond:
            if not self._cond.wait_for(lambda: self._status_queries >= count, timeout=timeout):
                raise TimeoutError(f"expected {count} status queries, got {self._status_queries}")
            return self._status_queries

    # --- server -----------------------------------------------------------------------------

    def _accept_loop(self, listener: socket.socket) -> None:
        while self._running:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._cond:
                self._clients.add(client)
            thread = threading.Thread(target=self._serve, args=(client,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _reply(self, query: bytes) -> bytes | None:
        mode = self._mode
        if mode == "silent":
            return None
        offline = mode in ("paper_out", "offline")
        if query == b"\x10\x04\x01":
            return bytes([_OFFLINE if offline else _ONLINE])
        if query == b"\x10\x04\x02":
            return bytes([0x16 if mode == "offline" else 0x32 if mode == "paper_out" else 0x12])
        if query == b"\x10\x04\x04":
            if not self.answers_dle_eot_paper:
                return None
            paper = {"paper_low": _PAPER_LOW, "paper_out": _PAPER_OUT}.get(mode, _PAPER_OK)
            return bytes([paper])
        paper = {"paper_low": _GS_R_LOW, "paper_out": _GS_R_OUT}.get(mode, _GS_R_OK)
        return bytes([paper])

    def _serve(self, client: socket.socket) -> None:
        buffer = b""
        in_job = False
        client.settimeout(0.2)
        try:
            while self._running:
                try:
                    chunk = client.recv(65536)
                except TimeoutError:
                    continue
                if not chunk:
                    break
                buffer += chunk
                # Status queries before the job starts are answered and not recorded.
                while not in_job and buffer:
                    query = next((q for q in _QUERIES if buffer.startswith(q)), None)
                    if query is not None:
                        buffer = buffer[len(query):]
                        with self._cond:
                            self._status_queries += 1
                            self._cond.notify_all()
                        reply = self._reply(query)
                        if reply is not None:
                            client.sendall(reply)
                        continue
                    if any(q.startswith(buffer) for q in _QUERIES):
                        break  # a query split across reads: wait for the rest
                    in_job = True
        except OSError:
            pass
        finally:
            with self._cond:
                self._clients.discard(client)
                if in_job and buffer:
                    self._jobs.append(buffer)
                    self._cond.notify_all()
            with contextlib.suppress(OSError):
                client.close()


class EventRecorder:
    """Records bus events (those of `types`, all by default) and lets a test wait for one."""

    def __init__(self, bus: EventBus, types: EventTypes = CoreEvent) -> None:
        self.events: list[CoreEvent] = []
        self._cond = threading.Condition()
        self._types = types
        self.unsubscribe = bus.subscribe_all(self._on)

    def _on(self, event: CoreEvent) -> None:
        if not isinstance(event, self._types):
            return
        with self._cond:
            self.events.append(event)
            self._cond.notify_all()

    def named(self, name: str) -> list[CoreEvent]:
        """The recorded events called `name`, oldest first."""
        with self._cond:
            return [e for e in self.events if e.name == name]

    def wait_for(self, pred: Callable[[CoreEvent], bool], timeout: float = 10.0) -> CoreEvent:
        """The first recorded event matching `pred`, waiting up to `timeout` seconds for it."""
        with self._cond:
            found: list[CoreEvent] = []

            def check() -> bool:
                found[:] = [e for e in self.events if pred(e)]
                return bool(found)

            if not self._cond.wait_for(check, timeout=timeout):
                names = [(e.name, e.data.get("state")) for e in self.events]
                raise TimeoutError(f"no matching event; got {names}")
            return found[0]


def main(argv: list[str] | None = None) -> int:
    """Run a fake printer by hand (demo, manual UI testing); saves each job as a .bin file."""
    import argparse
    from pathlib import Path

    parser = argparse.ArgumentParser(description="A fake ESC/POS network printer on loopback.")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--mode", default="ok",
                        choices=["ok", "paper_low", "paper_out", "offline", "silent"])
    parser.add_argument("--out", type=Path, default=Path("printed-jobs"))
    args = parser.parse_args(argv)
    printer = FakeTcpPrinter(mode=args.mode)
    printer.port = args.port
    printer.start()
    args.out.mkdir(parents=True, exist_ok=True)
    print(f"fake printer on 127.0.0.1:{printer.port} ({args.mode}); jobs go to {args.out}",
          flush=True)
    saved = 0
    try:
        while True:
            try:
                jobs = printer.wait_for_jobs(saved + 1, timeout=1.0)
            except TimeoutError:
                continue
            for job in jobs[saved:]:
                saved += 1
                (args.out / f"job-{saved:04d}.bin").write_bytes(job)
                print(f"job {saved}: {len(job)} bytes", flush=True)
    except KeyboardInterrupt:
        return 0
    finally:
        printer.stop()


if __name__ == "__main__":
    raise SystemExit(main())
