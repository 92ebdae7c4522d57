"""A sale sold offline gets its token later through sync; the till shuts down (or is
SIGKILLed) right after the token arrived and before anything printed. After a restart the
token receipt's print job exists exactly once (it was written with the state change), it
prints, and the till's reprint prints the token receipt, never the "NOT A TOKEN" slip.

Real server on loopback (through the fault proxy), real SQLCipher file, real TCP printer.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.api import Money
from app.sales.events import SaleLateToken
from app.till import Operator, PrintState, Role, SaleState
from printers.connections import NetworkConfig
from printers.testing import FakeTcpPrinter
from tests.reliability.harness import Core, Env, environment

ROOT = Path(__file__).resolve().parents[2]
CASHIER = Operator("thandi", "Thandi Nkosi", Role.CASHIER)


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    with environment(tmp_path) as e:
        yield e


def _jobs(core: Core, reference: str) -> list[tuple[str, int, str]]:
    """(kind, reprint_no, status) of a sale's print jobs, oldest first."""
    return [(str(k), int(n), str(s)) for k, n, s in core.store.call(lambda c: c.execute(
        "SELECT kind, reprint_no, status FROM print_jobs WHERE sale_ref = ? "
        "ORDER BY created_at, rowid", (reference,)).fetchall())]


def _sell_offline(env: Env, core: Core) -> tuple[str, str]:
    """A pending sale (its slip is queued); returns (idempotency key, slip reference)."""
    meter = str(env.server.meter("normal")["meter_number"])
    core.till.lookup(meter)  # cached for the offline sale
    env.cut(core)
    result = core.till.sell(meter, Money(5000, "ZAR"), CASHIER)
    assert result.state is SaleState.PENDING and result.print_job
    key = core.store.call(lambda c: c.execute(
        "SELECT idem_key FROM sales WHERE state = 'pending'").fetchone()[0])
    assert _jobs(core, result.reference) == [("pending", 0, "queued")]
    return str(key), result.reference


def _server_digits(env: Env, key: str) -> list[str]:
    answer = httpx.get(f"{env.server.base_url}/v1/sales/{key}",
                       headers=env.server.headers(env.credential), timeout=10).json()
    return [str(t["token"]) for t in answer["tokens"]]


def _has_token(receipt: bytes, digits: str) -> bool:
    groups = [digits[i:i + 4] for i in range(0, len(digits), 4)]
    whole = " ".join(groups).encode()
    halves = (" ".join(groups[:3]).encode(), " ".join(groups[3:]).encode())
    return whole in receipt or all(h in receipt for h in halves)


def _restart_and_check(env: Env, key: str, reference: str, printer: FakeTcpPrinter) -> None:
    """Restart with the printer: exactly one token receipt, printed; the reprint prints it."""
    core = env.core(printer=NetworkConfig("127.0.0.1", printer.port), start=True)
    try:
        assert core.store.call(lambda c: c.execute(
            "SELECT state FROM sales WHERE idem_key = ?", (key,)).fetchone()[0]) == "tokened"
        jobs = _jobs(core, reference)
        # Exactly one token receipt; the slip that never printed was superseded by it.
        assert [(k, n) for k, n, _ in jobs].count(("token", 0)) == 1
        assert ("pending", 0, "cancelled") in jobs
        digits = _server_digits(env, key)
        assert digits
        printed = printer.wait_for_jobs(1, timeout=20)
        assert b"NOT A TOKEN" not in printed[0] and b"REPRINT" not in printed[0]
        assert all(_has_token(printed[0], d) for d in digits)
        receipt_no = core.store.call(lambda c: c.execute(
            "SELECT receipt_no FROM sales WHERE idem_key = ?", (key,)).fetchone()[0])
        for asked in (reference, str(receipt_no)):  # by slip reference or receipt number
            done = core.till.reprint(asked, CASHIER)
            assert done.kind == "token" and done.print_state is PrintState.QUEUED
        reprints = printer.wait_for_jobs(3, timeout=20)[1:]
        for n, reprint in enumerate(reprints, 1):
            assert b"REPRINT" in reprint and b"NOT A TOKEN" not in reprint
            assert f"Reprint no. {n}".encode() in reprint  # counted on the sale
            assert all(_has_token(reprint, d) for d in digits)
        assert core.store.call(lambda c: c.execute(
            "SELECT reprint_count FROM sales WHERE idem_key = ?", (key,)).fetchone()[0]) == 2
        assert [(k, n) for k, n, _ in _jobs(core, reference)].count(("token", 0)) == 1
    finally:
        core.close()


def test_shutdown_right_after_a_late_token_keeps_its_receipt(env: Env, tmp_path: Path) -> None:
    with FakeTcpPrinter() as printer:
        printer.stop()  # switched off: nothing prints before the shutdown
        core = env.core(printer=NetworkConfig("127.0.0.1", printer.port, timeout_s=0.5))
        key, reference = _sell_offline(env, core)
        tokened = threading.Event()
        late: list[SaleLateToken] = []

        def on_late(event: SaleLateToken) -> None:
            late.append(event)
            tokened.set()

        core.bus.subscribe(SaleLateToken, on_late)
        env.proxy.up()
        core.till.sync.start()
        assert tokened.wait(20), "the sync engine did not token the sale"
        core.close()  # shut down while the token receipt waits for the printer
        assert late[0].reference == reference and late[0].job_id
        printer.start()
        _restart_and_check(env, key, reference, printer)


_CHILD = """
import sys, threading
from pathlib import Path
from app.sales.events import SaleTokened
from printers.connections import NetworkConfig
from tests.reliability.harness import build_core
db, key, url, credential, port = sys.argv[1:6]
core = build_core(Path(db), bytes.fromhex(key), url, credential, create=False,
                  printer=NetworkConfig("127.0.0.1", int(port), timeout_s=0.5))
gate = threading.Event()
def tokened(event):
    # Published after the state change committed: die here, where the token receipt used
    # to be queued by a separate event handler.
    print("TOKENED", flush=True)
    gate.wait()
core.bus.subscribe(SaleTokened, tokened)
print("READY", flush=True)
core.sync.step()
gate.wait()
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_sigkill_right_after_a_late_token_keeps_its_receipt(env: Env, tmp_path: Path) -> None:
    with FakeTcpPrinter() as printer:
        printer.stop()
        core = env.core(printer=NetworkConfig("127.0.0.1", printer.port, timeout_s=0.5))
        key, reference = _sell_offline(env, core)
        core.close()
        env.proxy.up()
        args: list[Any] = [sys.executable, "-c", _CHILD, str(env.db), env.key.hex(),
                           env.proxy.url, env.credential, str(printer.port)]
        child = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        try:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "READY"
            assert child.stdout.readline().strip() == "TOKENED"
            child.send_signal(signal.SIGKILL)
            assert child.wait(20) == -signal.SIGKILL
        finally:
            if child.poll() is None:
                child.kill()
                child.wait(20)
        printer.start()
        _restart_and_check(env, key, reference, printer)
