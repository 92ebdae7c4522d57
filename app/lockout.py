"""The offline PIN lockout, on a clock the terminal's wall clock cannot move.

Five consecutive wrong PINs lock an operator for 15 minutes (the server's rule). A lock
measured on the wall clock ends the moment someone sets the clock forward, and lasts for ever
when it is set back; so the lock is measured on `RunClock`: milliseconds of VendPoint run
time, kept in the encrypted store (`run_clock`, migration 0017), advanced only by the
process's monotonic clock and never moved backwards. Time while VendPoint is closed does not
count: after a restart a lock lasts longer, never shorter. The wall clock only says roughly
until when, for the screen.

Shared by the operator sign-in (`app.operators`) and the supervisor approvals' offline PIN
check, so both count the same failures.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from offline_store import Connection
from offline_store.journal import append

__all__ = ["LOCKOUT", "MAX_FAILURES", "Lock", "RunClock", "clear", "lock_of", "note_failure"]

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
_LOCKOUT_MS = int(LOCKOUT.total_seconds() * 1000)


class RunClock:
    """VendPoint's run time in milliseconds, persisted in the store; see the module docstring.

    Each reading is the stored value advanced by the monotonic time since this object first
    read it, written back in the caller's transaction, so it only ever grows (also across
    restarts, and when another process on the same store advanced it meanwhile).
    """

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._started = monotonic()
        self._base: int | None = None  # the stored value when `_started` was taken
        self._lock = threading.Lock()

    def read(self, conn: Connection) -> int:
        """The run clock now, in ms (advanced and written back through `conn`)."""
        row = conn.execute("SELECT elapsed_ms FROM run_clock WHERE id = 1").fetchone()
        stored = int(row[0]) if row is not None else 0
        now = self._monotonic()
        with self._lock:
            if self._base is None:
                self._base = stored
            value = self._base + max(0, int((now - self._started) * 1000))
            if value < stored:
                # Another process on this store counted further: continue from there.
                self._base, self._started, value = stored, now, stored
        if value != stored:
            conn.execute("INSERT INTO run_clock (id, elapsed_ms) VALUES (1, ?) "
                         "ON CONFLICT(id) DO UPDATE SET elapsed_ms = excluded.elapsed_ms",
                         (value,))
        return value


@dataclass(frozen=True)
class Lock:
    """An operator's failure count and, while locked, how long the lock still runs."""

    failures: int
    remaining: timedelta | None

    def until(self, now: datetime) -> datetime | None:
        """About when the lock ends by the wall clock `now` (for the screen only)."""
        return None if self.remaining is None else now + self.remaining


def lock_of(conn: Connection, operator_id: str, run_ms: int) -> Lock:
    """The operator's lockout state at run time `run_ms`; a lock that has run out counts
    no failures any more (a fresh start)."""
    row = conn.execute(
        "SELECT failures, unlock_at_run_ms FROM operator_lockout WHERE operator_id = ?",
        (operator_id,)).fetchone()
    if row is None:
        return Lock(0, None)
    failures, unlock = int(row[0]), row[1]
    if unlock is None:
        return Lock(failures, None)
    if int(unlock) > run_ms:
        return Lock(failures, timedelta(milliseconds=int(unlock) - run_ms))
    return Lock(0, None)


def _iso(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def note_failure(conn: Connection, operator_id: str, run_ms: int, now: datetime) -> Lock:
    """Count one wrong PIN (journaled); the operator's state after it."""
    failures = lock_of(conn, operator_id, run_ms).failures + 1
    locked = failures >= MAX_FAILURES
    conn.execute(
        "INSERT INTO operator_lockout (operator_id, failures, locked_until, last_failure, "
        "unlock_at_run_ms) VALUES (?, ?, ?, ?, ?) ON CONFLICT(operator_id) DO UPDATE SET "
        "failures = excluded.failures, locked_until = excluded.locked_until, "
        "last_failure = excluded.last_failure, unlock_at_run_ms = excluded.unlock_at_run_ms",
        (operator_id, failures, _iso(now + LOCKOUT) if locked else None, _iso(now),
         run_ms + _LOCKOUT_MS if locked else None))
    append(conn, "operator.pin_failed",
           {"operator_id": operator_id, "failures": failures, "locked": locked},
           ref=operator_id)
    return Lock(failures, LOCKOUT if locked else None)


def clear(conn: Connection, operator_id: str) -> None:
    """The right PIN: the count starts afresh."""
    conn.execute("DELETE FROM operator_lockout WHERE operator_id = ?", (operator_id,))
