"""The sale state machine's guarded transitions and the resolver's lease (store functions).

Every state change is a compare-and-set: the caller names the states it read the sale in (and,
optionally, the version it read), and the update only happens if the sale is still there. A
slower actor — a cashier's attempt whose answer trickled in, a sync pass that started before
the attempt decided — therefore never overwrites a later decision; it gets False and re-reads.
The outbox row follows the state in the same transaction (migration 0014's triggers make that
true whatever writes the state): it exists if and only if the sale still needs the server.

Only one actor resolves a sale at a time: the cashier's attempt or the supervisor's retry holds
it with a lease on its outbox row (`take_lease`); the sync worker takes the same lease before it
looks a sale up or sends it, and skips what another actor holds. A lease expires on its own, so
a crash never leaves a sale held.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from datetime import datetime, timedelta

from offline_store import Connection
from offline_store.journal import append, utc_now

#: States in which a sale still needs the server (it has an outbox row).
OPEN_STATES = ("sending", "pending", "unresolved", "needs_attention")
#: Final states: nothing more is sent or asked for this key.
CLOSED_STATES = ("tokened", "rejected", "void")

#: state -> the states it may move to. `tokened` is reached from every open state (and from
#: `void`: an answer that proves the server sold it wins over "we believe it was not made");
#: `rejected` -> `pending` is a supervisor's explicit retry of an offline sale.
ALLOWED: dict[str, frozenset[str]] = {
    "sending": frozenset({"pending", "unresolved", "needs_attention", "tokened", "rejected",
                          "void"}),
    "pending": frozenset({"unresolved", "needs_attention", "tokened", "rejected"}),
    "unresolved": frozenset({"pending", "unresolved", "needs_attention", "tokened", "rejected",
                             "void"}),
    "needs_attention": frozenset({"pending", "unresolved", "needs_attention", "tokened",
                                  "rejected", "void"}),
    "void": frozenset({"tokened"}),
    "rejected": frozenset({"pending"}),
    "tokened": frozenset(),
}

#: Lease holders: the kind of actor and this process, so that a lease left by a process that
#: died is taken over at once (on the same machine: the store is a local file).
ATTEMPT = f"till:{os.getpid()}"
SYNC = f"sync:{os.getpid()}"


class TransitionRefused(RuntimeError):
    """A transition the state machine does not have (a bug in the caller, not a race)."""


def transition(
    conn: Connection, key: str, to: str, *, expect: Collection[str],
    version: int | None = None, reason_code: str | None = None, reason: str | None = None,
    offline: bool | None = None, journal: dict[str, object] | None = None,
) -> bool:
    """Move sale `key` to `to` if it is still in one of `expect` (and at `version`).

    Returns False, writing nothing, when another actor moved it first. The change, its
    journal entry (`sale.<to>`) and the outbox row's presence are one transaction (the
    caller's). Of `expect`, only the states that may go to `to` count; `TransitionRefused`
    when none may (a bug in the caller).
    """
    expect = [s for s in expect if to in ALLOWED.get(s, frozenset())]
    if not expect:
        raise TransitionRefused(f"no sale state in the caller's list can move to {to!r}")
    marks = ", ".join("?" for _ in expect)
    # `marks` is only "?, ?, ..." placeholders; every value is bound.
    sql = (f"UPDATE sales SET state = ?, version = version + 1, updated_at = ?, "  # noqa: S608
           f"reason_code = ?, reason = ?, offline = COALESCE(?, offline) "
           f"WHERE idem_key = ? AND state IN ({marks})")
    args: list[object] = [to, utc_now(), reason_code, reason,
                          None if offline is None else int(offline), key, *expect]
    if version is not None:
        sql += " AND version = ?"
        args.append(version)
    if conn.execute(sql, args).rowcount != 1:
        return False
    body: dict[str, object] = {"reason_code": reason_code or "", "reason": reason or ""}
    if journal:
        body.update(journal)
    append(conn, f"sale.{to}", body, ref=key)
    return True


def iso(dt: datetime) -> str:
    """The store's timestamp text for `dt` (UTC, microseconds: compares as text)."""
    return dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def holder_alive(holder: str) -> bool:
    """False when `holder` names a process of this machine that no longer runs."""
    _, _, pid_text = holder.partition(":")
    if not pid_text.isdigit() or os.name == "nt":
        return True  # Windows: no cheap, harmless liveness probe; the lease expires instead
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def take_lease(conn: Connection, key: str, holder: str, now: datetime,
               seconds: float) -> bool:
    """Hold the open sale `key` for `seconds` unless another live holder's lease still runs.

    False when the sale has no outbox row (closed) or someone else holds it.
    """
    row = conn.execute("SELECT held_by, held_until FROM outbox WHERE idem_key = ?",
                       (key,)).fetchone()
    if row is None:
        return False
    other, until_text = row
    if other is not None and other != holder and until_text is not None \
            and str(until_text) > iso(now) and holder_alive(str(other)):
        return False
    conn.execute("UPDATE outbox SET held_by = ?, held_until = ? WHERE idem_key = ?",
                 (holder, iso(now + timedelta(seconds=seconds)), key))
    return True


def release_lease(conn: Connection, key: str, holder: str) -> None:
    """Let go of `key` (nothing happens if another holder took it after ours expired)."""
    conn.execute("UPDATE outbox SET held_by = NULL, held_until = NULL "
                 "WHERE idem_key = ? AND held_by = ?", (key, holder))


def held_by_other(held_by: str | None, held_until: str | None, holder: str,
                  now: datetime) -> bool:
    """True while another live holder's lease runs (from an outbox row's two columns)."""
    return (held_by is not None and held_by != holder and held_until is not None
            and held_until > iso(now) and holder_alive(held_by))
