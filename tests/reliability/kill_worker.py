"""Kill-loop worker: sells and syncs forever until SIGKILLed by tests/reliability/test_kill_loop.

Runs as a "zygote": it imports everything once, then for each `FORK <seed> <fifo>` line on
stdin forks a real child process that opens the store and sells/syncs in a loop, writing
`READY` and then `ACK <key> <state>` (a sale the cashier was told about: tokened or pending)
to the FIFO. The zygote prints `PID <pid>`, reaps the child after the test SIGKILLs it, and
prints `EXIT <pid> <signal>`. Forking keeps each life cheap, so hundreds of kills stay fast.

    python -m tests.reliability.kill_worker DB KEYHEX BASE_URL CREDENTIAL METER...
"""

from __future__ import annotations

import os
import random
import signal
import sys
from pathlib import Path
from typing import Any

from app.api import Money
from app.sales import repository as repo
from common.errors import BusinessRuleError, TransientError, UserFacingError
from tests.reliability.harness import build_core

#: Set to "1" to run a client that stores token digits reversed (a deliberately wrong client).
REVERSE_TOKENS_ENV = "VENDPOINT_KILL_REVERSE_TOKENS"


def life(db: str, key_hex: str, base_url: str, credential: str, seed: int,
         meters: list[str], out: int) -> None:
    """One worker life: never returns (killed by the test)."""
    rng = random.Random(seed)
    stream = os.fdopen(out, "w", buffering=1)
    # Built by the composition root like the app (documents recorded, no printer). The sync
    # worker thread drains while this loop sells, and the loop asks for passes of its own
    # too (passes never overlap).
    core = build_core(Path(db), bytes.fromhex(key_hex), base_url, credential, create=True,
                      resolve_grace=1.0)
    service, sync, connectivity = core.service, core.sync, core.connectivity
    sync.batch_size = rng.choice([1, 3, 10])
    sync.start()
    stream.write("READY\n")
    while True:
        roll = rng.random()
        if roll < 0.25:
            sync.step()
            continue
        # Sometimes believe we are offline, so the sale goes straight to "token pending".
        connectivity.set(roll > 0.55)
        amount = Money(rng.randint(100, 200) * 100, "ZAR")
        try:
            outcome = service.sell(rng.choice(meters), amount, "thandi")
        except (BusinessRuleError, TransientError, UserFacingError):
            continue
        stream.write(f"ACK {outcome.idempotency_key} {outcome.state}\n")


def store_tokens_reversed() -> None:
    """Make this client wrong on purpose: every sale's token digits are stored reversed (the
    test shows the kill loop's comparison with the server catches it)."""
    original = repo.mark_tokened

    def reversed_digits(conn: Any, key: str, sale: Any) -> bool:
        changed = original(conn, key, sale)
        if changed:
            rows = conn.execute("SELECT position, digits FROM tokens WHERE idem_key = ?",
                                (key,)).fetchall()
            conn.executemany("UPDATE tokens SET digits = ? WHERE idem_key = ? AND position = ?",
                             [(digits[::-1], key, position) for position, digits in rows])
        return changed

    repo.mark_tokened = reversed_digits


def main(argv: list[str]) -> int:
    db, key_hex, base_url, credential, *meters = argv
    if os.environ.get(REVERSE_TOKENS_ENV) == "1":
        store_tokens_reversed()
    for line in sys.stdin:
        command, seed, fifo = line.split()
        if command != "FORK":
            break
        pid = os.fork()
        if pid == 0:  # the child: one life
            try:
                fd = os.open(fifo, os.O_WRONLY)
                life(db, key_hex, base_url, credential, int(seed), meters, fd)
            except BaseException:
                import traceback

                traceback.print_exc()
            finally:
                os._exit(3)
        print(f"PID {pid}", flush=True)
        _, status = os.waitpid(pid, 0)
        sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0
        print(f"EXIT {pid} {sig}", flush=True)
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    sys.exit(main(sys.argv[1:]))
