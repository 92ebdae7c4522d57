"""Benchmark: publish-to-applied latency of a pushed tariff, with 1, 100 and 1,000 other
listeners connected to the same server.

The reference server runs in this process (uvicorn thread, as `vendserver.testing` starts it);
the measured client is the real path: `PushListener` (requests, SSE) → worker →
`TariffService` (HTTP fetch of the signed version, Ed25519 check, SQLCipher commit) →
`tariff.applied` on the bus. Latency = from just before `publish_tariff` (sign + commit on the
server) to that event. The other listeners are light SSE readers on raw sockets driven by a
`selectors` loop in a child process (``--readers N``: N of them), each reporting how much of a
core it used (is the reader what limits the figures?); they also report when the LAST of
them received each event (fan-out completion, same monotonic clock). Every figure is printed
with its ratio to a bare loopback HTTP round trip (`GET /health` on the same server,
keep-alive) measured in the same run. Target: p99 under 250 ms with 1,000 listeners.

With ``--workers N`` (N > 1) the server is `python -m vendserver serve --workers N` over a
throw-away PostgreSQL cluster (fsync on) in its own processes, and the tariff is published by
THIS process through its own store: every server process learns of it only by PostgreSQL's
NOTIFY, as in production, where the back office publishes. The listeners spread over the
processes as the kernel hands out the connections.

Run: ``.venv/bin/python bench/tariff_push.py [--listeners 1,100,1000] [--publications 40]``
     ``.venv/bin/python bench/tariff_push.py --listeners 10000 --workers 4 --publications 20``
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import secrets
import selectors
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a plain script from any directory

import requests  # noqa: E402

from app.push import Backoff, PushConfig, PushListener  # noqa: E402
from app.tariffs import TariffService  # noqa: E402
from app.tariffs.events import TariffApplied  # noqa: E402
from common.events import EventBus  # noqa: E402
from offline_store import open_store  # noqa: E402
from tests.app.tariff_sources import HttpTariffSource  # noqa: E402
from vendserver.testing import RunningServer, running_server  # noqa: E402

_ID_RE = re.compile(rb"\nid: (\d+)\n")


def raise_fd_limit() -> None:
    """10,000 listeners need ~10,100 descriptors on each side."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < min(hard, 20480):
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 20480), hard))


@contextmanager
def worker_server(tmp: Path, workers: int) -> Iterator[RunningServer]:
    """`serve --workers N` over a new PostgreSQL database; the service here publishes."""
    from vendserver.db.postgres import PostgresStore
    from vendserver.demo import demo_info
    from vendserver.service import VendingService
    from vendserver.testing import TempCluster

    cluster = TempCluster(durable=True, max_connections=workers * 12 + 20)
    proc: subprocess.Popen[str] | None = None
    service: VendingService | None = None
    try:
        url = cluster.new_database()
        proc = subprocess.Popen(
            [sys.executable, "-m", "vendserver", "serve", "--port", "0", "--demo", "--db", url,
             "--workers", str(workers), "--heartbeat", "15"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=(tmp / "server.log").open("w"), text=True)
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.startswith("VENDSERVER LISTENING "):
            raise RuntimeError(f"unexpected server output: {line!r}")
        # uvicorn's access log goes to stdout: read it, or a full pipe stalls the workers.
        out = proc.stdout
        threading.Thread(target=lambda: [None for _ in out], daemon=True).start()
        service = VendingService(PostgresStore(url))
        yield RunningServer(line.split()[-1], demo_info(service), tmp, service, None, url)
    finally:
        try:
            if proc is not None:
                proc.terminate()
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=30)
            if service is not None:
                service.store.close()
        finally:
            cluster.stop()


# -- the light listeners (child process) --------------------------------------------------------
def listeners_child(port: int, credential: str, count: int) -> int:
    """Open `count` SSE streams; print READY, then serve until stdin closes; print receipts."""
    raise_fd_limit()
    sel = selectors.DefaultSelector()
    request = (f"GET /v1/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
               f"Authorization: Bearer {credential}\r\nAccept: text/event-stream\r\n\r\n"
               ).encode()
    buffers: dict[int, bytes] = {}
    ok: set[int] = set()
    receipts: dict[int, list[float]] = {}
    socks: list[socket.socket] = []
    for start in range(0, count, 50):  # in batches, as in earlier runs
        batch = []
        for _ in range(min(50, count - start)):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(request)
            s.setblocking(False)
            sel.register(s, selectors.EVENT_READ)
            buffers[s.fileno()] = b""
            batch.append(s)
        socks += batch
        deadline = time.monotonic() + 60
        while sum(1 for s in batch if s.fileno() in ok) < len(batch):
            if time.monotonic() > deadline:
                print(f"FAILED {len(ok)} of {count} streams open", flush=True)
                return 1
            _pump(sel, buffers, ok, receipts, 0.5)
    print(f"READY {len(ok)}", flush=True)
    ru0, wall0 = resource.getrusage(resource.RUSAGE_SELF), time.monotonic()
    stop = threading.Event()
    def wait_stdin() -> None:
        sys.stdin.read()
        stop.set()

    threading.Thread(target=wait_stdin, daemon=True).start()
    while not stop.is_set():
        _pump(sel, buffers, ok, receipts, 0.2)
    ru1, wall1 = resource.getrusage(resource.RUSAGE_SELF), time.monotonic()
    # For each event id: how many listeners got it, and when the last one did; and the CPU
    # this reader burnt while serving (is the reader what limits the figures?).
    out = {str(k): [len(v), max(v)] for k, v in receipts.items()}
    cpu = (ru1.ru_utime + ru1.ru_stime) - (ru0.ru_utime + ru0.ru_stime)
    print("RECEIPTS " + json.dumps({"receipts": out, "cpu": cpu, "wall": wall1 - wall0}),
          flush=True)
    for s in socks:
        s.close()
    return 0


def _pump(sel: selectors.BaseSelector, buffers: dict[int, bytes], ok: set[int],
          receipts: dict[int, list[float]], timeout: float) -> None:
    for key, _ in sel.select(timeout):
        sock: socket.socket = key.fileobj  # type: ignore[assignment]
        try:
            data = sock.recv(65536)
        except BlockingIOError:
            continue
        now = time.monotonic()
        fd = sock.fileno()
        if not data:
            sel.unregister(sock)
            continue
        buf = buffers[fd] + data
        if fd not in ok and b"\r\n\r\n" in buf:
            if buf.startswith(b"HTTP/1.1 200"):
                ok.add(fd)
        for m in _ID_RE.finditer(buf):
            receipts.setdefault(int(m.group(1)), []).append(now)
        buffers[fd] = buf[-64:]  # keep a tail so an id split across reads is found


# -- prototype of the server change (see docs/tariffs.md) ---------------------------------------
# -- the measurement ----------------------------------------------------------------------------
def pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of `values`."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def health_rtt(base_url: str, n: int = 200) -> float:
    """Median seconds of a keep-alive GET /health on loopback."""
    s = requests.Session()
    for _ in range(20):
        s.get(base_url + "/health", timeout=10)
    samples = []
    for _ in range(n):
        t = time.perf_counter()
        s.get(base_url + "/health", timeout=10).raise_for_status()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples)


def run(listeners: list[int], publications: int, gap: float, workers: int,
        readers: int = 1) -> int:
    raise_fd_limit()
    tmp = Path(tempfile.mkdtemp(prefix="bench-tariff-push-"))
    results: list[tuple[int, float, float, float, float, float, str]] = []
    server = (worker_server(tmp, workers) if workers > 1
              else running_server(tmp, demo=True, heartbeat=15.0))
    rtt_before = 0.0
    with server as srv:
        port = int(srv.base_url.rsplit(":", 1)[1])
        term = srv.activate("Bench counter")
        cred = term["credential"]
        store = open_store(tmp / "client.db", secrets.token_bytes(32), create=True)
        bus = EventBus()
        tariffs = TariffService(store, HttpTariffSource(requests.Session(), srv.base_url,
                                                        lambda: cred), bus)
        tariffs.provision_keys(term["tariff_signing_keys"])
        applied: dict[int, float] = {}
        cond = threading.Condition()

        def on_applied(event: TariffApplied) -> None:
            if event.tariff_id == "RES-IBT":
                with cond:
                    applied[event.version] = time.monotonic()
                    cond.notify_all()

        bus.subscribe(TariffApplied, on_applied)
        # When the client's stream delivered the announcement (before fetch/verify/commit).
        announced: dict[int, float] = {}
        original = tariffs.handle_announcement

        def timed_announcement(tariff_id: str, version: int) -> Any:
            announced.setdefault(version, time.monotonic())
            return original(tariff_id, version)

        tariffs.handle_announcement = timed_announcement  # type: ignore[method-assign]
        client = PushListener(PushConfig(srv.base_url, lambda: cred, backoff=Backoff(0.2, 2.0)),
                              bus, tariffs, store)
        client.start()
        with cond:
            cond.wait_for(lambda: 1 in applied, 30)
        base = dict(srv.service.tariff_version("RES-IBT", 1)["document"])
        base.pop("effective_from")
        base.pop("expires_at")
        rtt_before = health_rtt(srv.base_url)
        print(f"baseline: loopback HTTP round trip (GET /health) p50 {rtt_before * 1e3:.2f} ms")
        for n in listeners:
            # Reader processes (one by default: at 10,000 listeners it used ~9% of a core and
            # more readers only take the 2 cores from the servers).
            k = max(1, readers)
            shares = [n // k + (1 if i < n % k else 0) for i in range(k)]
            children = [subprocess.Popen(
                [sys.executable, __file__, "--child", str(port), str(share)], cwd=ROOT,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                env={**os.environ, "BENCH_CRED": cred}) for share in shares if share]
            t0 = time.monotonic()
            lines = []
            for child in children:
                assert child.stdout is not None
                lines.append(child.stdout.readline().strip())
            if not all(line.startswith("READY") for line in lines):
                print(f"{n:5d} listeners: could not connect them ({lines})")
                for child in children:
                    child.kill()
                    child.wait()
                continue
            connect_s = time.monotonic() - t0
            # CPU this process (the server, mostly) burns while nothing is published.
            ru0, w0 = resource.getrusage(resource.RUSAGE_SELF), time.monotonic()
            time.sleep(3.0)
            ru1, w1 = resource.getrusage(resource.RUSAGE_SELF), time.monotonic()
            idle_cpu = ((ru1.ru_utime + ru1.ru_stime) - (ru0.ru_utime + ru0.ru_stime)) / (w1 - w0)
            idle = (f"server process idle CPU {idle_cpu * 100:.0f}% of a core" if workers == 1
                    else f"{workers} server processes")
            rtt_loaded = health_rtt(srv.base_url, 50)
            lat: list[float] = []
            recv: list[float] = []
            published: dict[int, float] = {}
            missed = 0
            for i in range(publications):
                doc = json.loads(json.dumps(base))
                doc["blocks"][0]["rate"] = f"1.{i % 10000:04d}"
                t = time.monotonic()
                signed = srv.service.publish_tariff(doc)
                version = int(signed["version"])
                with cond:
                    got = cond.wait_for(lambda: version in applied, 30)  # noqa: B023
                if not got:
                    missed += 1
                    continue
                lat.append(applied[version] - t)
                recv.append(announced.get(version, applied[version]) - t)
                event_id = srv.service.store.max_event_id()
                published[event_id] = t
                time.sleep(gap)  # let the fan-out settle: measure latency, not a queue
            by_id: dict[int, list[float]] = {}  # event id -> [listeners that had it, last]
            reader_cpu: list[float] = []
            for child in children:
                assert child.stdin is not None and child.stdout is not None
                child.stdin.close()
            for child in children:
                assert child.stdout is not None
                tail = child.stdout.read()
                child.wait(60)
                for text in tail.splitlines():
                    if text.startswith("RECEIPTS "):
                        report = json.loads(text[9:])
                        reader_cpu.append(report["cpu"] / max(report["wall"], 1e-9))
                        for key, (count, last) in report["receipts"].items():
                            entry = by_id.setdefault(int(key), [0, 0.0])
                            entry[0] += count
                            entry[1] = max(entry[1], last)
            fanout: list[float] = []
            for key, (count, last) in by_id.items():
                if key in published and count >= n:
                    fanout.append(last - published[key])
            p50, p99 = pct(lat, 50) * 1e3, pct(lat, 99) * 1e3
            r50, r99 = pct(recv, 50) * 1e3, pct(recv, 99) * 1e3
            fan99 = pct(fanout, 99) * 1e3 if fanout else float("nan")
            results.append((n, p50, p99, fan99, rtt_loaded * 1e3, connect_s,
                            f"{missed} missed" if missed else ""))
            print(f"{n:5d} other listeners (connected in {connect_s:.1f} s): "
                  f"publish→applied p50 {p50:.1f} ms ({p50 / (rtt_before * 1e3):.0f}× RTT), "
                  f"p99 {p99:.1f} ms ({p99 / (rtt_before * 1e3):.0f}× RTT) "
                  f"[event received p50 {r50:.1f} / p99 {r99:.1f} ms]; "
                  f"all {n} listeners had it p99 {fan99:.1f} ms "
                  f"({len(fanout)}/{len(published)} events complete); "
                  f"/health under load p50 {rtt_loaded * 1e3:.2f} ms; "
                  f"{idle}; {len(children)} reader process{'es' if len(children) > 1 else ''}"
                  f" busiest at {max(reader_cpu, default=0) * 100:.0f}% of a core"
                  f"{'; ' + results[-1][6] if missed else ''}", flush=True)
        client.stop()
        store.close()
    if results:
        n, _, p99, fan99 = results[-1][:4]
        verdict = "MET" if p99 < 250 else "NOT MET"
        print(f"target p99 < 250 ms with {n:,} listeners, {workers} server process"
              f"{'es' if workers > 1 else ''}: {verdict} (p99 {p99:.1f} ms, all listeners "
              f"p99 {fan99:.1f} ms; ratio p99 / loopback RTT {p99 / (rtt_before * 1e3):.0f})")
    return 0


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        return listeners_child(int(sys.argv[2]), os.environ["BENCH_CRED"], int(sys.argv[3]))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--listeners", default="1,100,1000")
    parser.add_argument("--publications", type=int, default=40)
    parser.add_argument("--gap", type=float, default=0.5,
                        help="seconds between publications (a tariff is not a firehose)")
    parser.add_argument("--workers", type=int, default=1,
                        help="server processes (more than 1: on PostgreSQL, NOTIFY fan-out)")
    parser.add_argument("--readers", type=int, default=1,
                        help="processes sharing the other listeners' streams")
    args = parser.parse_args()
    print("server: the reference server (one event-log reader per process, vendserver/eventhub.py)"
          + (f", {args.workers} processes on PostgreSQL" if args.workers > 1 else ""))
    return run([int(x) for x in args.listeners.split(",")], args.publications, args.gap,
               args.workers, args.readers)


if __name__ == "__main__":
    sys.exit(main())
