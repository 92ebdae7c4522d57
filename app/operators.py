"""Operator sign-in that works offline: cached PIN hashes and a persisted lockout.

`GET /v1/operators` gives the operators assigned to this terminal, each with PIN verification
material made for this terminal only (argon2id, ~0.25 s and 64 MiB per guess, over the salted
scrypt hash); it is cached in the store so cashiers can sign in while the server is
unreachable. Five consecutive wrong PINs lock the
operator for 15 minutes (the server's rule); the counter lives in the store, so restarting
VendPoint does not reset it. PINs are never stored or logged.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.api.models import OperatorRecord
from app.api.pins import verify_pin
from app.backend import OperatorBackend
from common.errors import PermissionDenied, UserFacingError
from common.format import format_time
from offline_store import Connection, Store
from offline_store.journal import append

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)


class OperatorLocked(PermissionDenied):
    """Too many wrong PINs: the operator is locked until `locked_until`."""

    def __init__(self, locked_until: datetime) -> None:
        super().__init__(
            f"This operator is locked after {MAX_FAILURES} wrong PINs until "
            f"{format_time(locked_until, date=False)}.", hint="Ask a supervisor, or wait.")
        self.locked_until = locked_until


class WrongPin(PermissionDenied):
    """The PIN does not match."""

    def __init__(self, attempts_left: int) -> None:
        left = f"{attempts_left} attempt{'' if attempts_left == 1 else 's'}"
        super().__init__("That PIN is not correct.",
                         hint=f"{left} left before the operator is locked.")
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


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


class OperatorDirectory:
    """Refreshes the operator cache from the server and signs operators in (offline too)."""

    def __init__(self, store: Store, client: OperatorBackend | None = None, *,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.store = store
        self.client = client
        self._clock = clock

    def refresh(self) -> int:
        """Replace the cache with the server's list; returns how many operators it has."""
        if self.client is None:
            raise UserFacingError("No server is configured.")
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
        where = "" if include_inactive else "WHERE o.active = 1 "
        sql = ("SELECT o.operator_id, o.name, o.role, o.active, l.locked_until "  # noqa: S608
               "FROM operators o LEFT JOIN operator_lockout l "
               f"ON l.operator_id = o.operator_id {where}"
               "ORDER BY o.name COLLATE NOCASE, o.operator_id")
        rows = self.store.call(lambda c: c.execute(sql).fetchall())
        out = []
        for operator_id, name, role, active, locked in rows:
            until = _parse(locked) if locked else None
            out.append(CachedOperator(str(operator_id), str(name), str(role), bool(active),
                                      until if until is not None and until > now else None))
        return out

    def sign_in(self, operator_id: str, pin: str) -> SignedIn:
        """Check the PIN against the cache; counts failures and locks out (persisted)."""
        now = self._clock()

        def check(conn: Connection) -> SignedIn | Exception:
            row = conn.execute(
                "SELECT name, role, pin_hash, active FROM operators WHERE operator_id = ?",
                (operator_id,)).fetchone()
            if row is None or not row[3]:
                return PermissionDenied("This operator is not allowed on this terminal.")
            lock = conn.execute(
                "SELECT failures, locked_until FROM operator_lockout WHERE operator_id = ?",
                (operator_id,)).fetchone()
            failures = int(lock[0]) if lock else 0
            if lock and lock[1] and _parse(lock[1]) > now:
                return OperatorLocked(_parse(lock[1]))
            if lock and lock[1]:
                failures = 0  # the lock has expired: a fresh start
            stored = json.loads(row[2])
            if verify_pin(pin, stored["kdf"], stored["hash"]):
                conn.execute("DELETE FROM operator_lockout WHERE operator_id = ?",
                             (operator_id,))
                append(conn, "operator.signed_in", {"operator_id": operator_id})
                return SignedIn(operator_id, str(row[0]), str(row[1]))
            failures += 1
            locked_until = _iso(now + LOCKOUT) if failures >= MAX_FAILURES else None
            conn.execute(
                "INSERT INTO operator_lockout (operator_id, failures, locked_until, last_failure)"
                " VALUES (?, ?, ?, ?) ON CONFLICT(operator_id) DO UPDATE SET "
                "failures = excluded.failures, locked_until = excluded.locked_until, "
                "last_failure = excluded.last_failure",
                (operator_id, failures, locked_until, _iso(now)))
            append(conn, "operator.pin_failed", {"operator_id": operator_id,
                                                 "failures": failures})
            if locked_until is not None:
                return OperatorLocked(_parse(locked_until))
            return WrongPin(MAX_FAILURES - failures)

        # The failure count must be committed, so errors are returned, then raised.
        result = self.store.call(check)
        if isinstance(result, Exception):
            raise result
        return result
