"""Operator sign-in that works offline: cached PIN hashes and a persisted lockout.

`GET /v1/operators` gives the operators assigned to this terminal, each with PIN verification
material made for this terminal only (argon2id, ~0.25 s and 64 MiB per guess, over the salted
scrypt hash); it is cached in the store so cashiers can sign in while the server is
unreachable. Five consecutive wrong PINs lock the
operator for 15 minutes (the server's rule); the counter and the lock live in the store and
the lock runs on VendPoint's persisted run clock (`app.lockout`), so neither restarting
VendPoint nor moving the terminal's clock ends it. PINs are never stored or logged.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from app import lockout
from app.api.models import OperatorRecord
from app.api.pins import verify_pin
from app.backend import OperatorBackend
from app.lockout import LOCKOUT, MAX_FAILURES, RunClock
from common.errors import PermissionDenied, UserFacingError
from common.format import format_time
from common.i18n import _, ngettext
from offline_store import Connection, Store
from offline_store.journal import append

__all__ = ["LOCKOUT", "MAX_FAILURES", "CachedOperator", "OperatorDirectory", "OperatorLocked",
           "SignedIn", "WrongPin"]


class OperatorLocked(PermissionDenied):
    """Too many wrong PINs: the operator is locked until `locked_until`."""

    def __init__(self, locked_until: datetime) -> None:
        super().__init__(
            _("This operator is locked after {failures} wrong PINs until {time}.").format(
                failures=MAX_FAILURES, time=format_time(locked_until, date=False)),
            hint=_("Ask a supervisor, or wait."))
        self.locked_until = locked_until


class WrongPin(PermissionDenied):
    """The PIN does not match."""

    def __init__(self, attempts_left: int) -> None:
        super().__init__(
            _("That PIN is not correct."),
            hint=ngettext("{n} attempt left before the operator is locked.",
                          "{n} attempts left before the operator is locked.",
                          attempts_left).format(n=attempts_left))
        self.attempts_left = attempts_left


@dataclass(frozen=True)
class SignedIn:
    """The operator who signed in."""

    operator_id: str
    name: str
    role: str


@dataclass(frozen=True)
class CachedOperator:
    """An operator of the local cache, for the login screen: never the PIN hash.

    `locked_until` is set while the operator is locked out after too many wrong PINs (the
    screen can say until when instead of letting the cashier type into a refusal).
    """

    operator_id: str
    name: str
    role: str
    active: bool
    locked_until: datetime | None = None

    @property
    def can_approve(self) -> bool:
        """Supervisors and admins may approve what a cashier may not do alone."""
        return self.role in ("supervisor", "admin")


def _iso(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


class OperatorDirectory:
    """Refreshes the operator cache from the server and signs operators in (offline too).

    `clock` (the wall clock) only dates what is shown and journaled; the lockout runs on
    `run_clock` (`app.lockout.RunClock`).
    """

    def __init__(self, store: Store, client: OperatorBackend | None = None, *,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 run_clock: RunClock | None = None) -> None:
        self.store = store
        self.client = client
        self._clock = clock
        self._run = run_clock if run_clock is not None else RunClock()

    def refresh(self) -> int:
        """Replace the cache with the server's list; returns how many operators it has."""
        if self.client is None:
            raise UserFacingError(_("No server is configured."))
        records = self.client.operators()
        self.store.call(lambda c: self._replace(c, records))
        return len(records)

    def _replace(self, conn: Connection, records: list[OperatorRecord]) -> None:
        now = _iso(self._clock())
        conn.execute("DELETE FROM operators")
        conn.executemany(
            "INSERT INTO operators (operator_id, name, role, pin_hash, active, fetched_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(r.operator_id, r.name, r.role,
              json.dumps({"kdf": r.pin_kdf, "hash": r.pin_hash}), int(r.active), now)
             for r in records],
        )
        append(conn, "operators.refreshed", {"count": len(records)})

    def list_operators(self, *, include_inactive: bool = False) -> list[CachedOperator]:
        """The cached operators (active ones unless `include_inactive`), by name.

        Read from this terminal's cache only (works offline; empty before the first
        `refresh`). The PIN hashes are never read.
        """
        now = self._clock()
        where = "" if include_inactive else "WHERE active = 1 "
        sql = ("SELECT operator_id, name, role, active FROM operators "  # noqa: S608
               f"{where}ORDER BY name COLLATE NOCASE, operator_id")

        def read(conn: Connection) -> list[CachedOperator]:
            run_ms = self._run.read(conn)
            return [CachedOperator(str(operator_id), str(name), str(role), bool(active),
                                   lockout.lock_of(conn, str(operator_id), run_ms).until(now))
                    for operator_id, name, role, active in conn.execute(sql).fetchall()]

        return self.store.call(read)

    def sign_in(self, operator_id: str, pin: str) -> SignedIn:
        """Check the PIN against the cache; counts failures and locks out (persisted)."""
        now = self._clock()

        def check(conn: Connection) -> SignedIn | Exception:
            row = conn.execute(
                "SELECT name, role, pin_hash, active FROM operators WHERE operator_id = ?",
                (operator_id,)).fetchone()
            if row is None or not row[3]:
                return PermissionDenied(_("This operator is not allowed on this terminal."))
            run_ms = self._run.read(conn)
            lock = lockout.lock_of(conn, operator_id, run_ms)
            until = lock.until(now)
            if until is not None:
                return OperatorLocked(until)
            stored = json.loads(row[2])
            if verify_pin(pin, stored["kdf"], stored["hash"]):
                lockout.clear(conn, operator_id)
                append(conn, "operator.signed_in", {"operator_id": operator_id})
                return SignedIn(operator_id, str(row[0]), str(row[1]))
            after = lockout.note_failure(conn, operator_id, run_ms, now)
            until = after.until(now)
            if until is not None:
                return OperatorLocked(until)
            return WrongPin(MAX_FAILURES - after.failures)

        # The failure count must be committed, so errors are returned, then raised.
        result = self.store.call(check)
        if isinstance(result, Exception):
            raise result
        return result
