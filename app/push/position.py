"""The push listener's resumption point in the encrypted store (`push_state.last_event_id`).

Written forward only: an out-of-order write never moves it back, so a restart of the client or
of the server misses no event and repeats none.
"""

from __future__ import annotations

from offline_store import Connection
from offline_store.journal import utc_now

__all__ = ["read_last_id", "write_last_id"]


def read_last_id(conn: Connection) -> int:
    """The stored id of the last event handled (0 if none or unreadable)."""
    row = conn.execute("SELECT value FROM push_state WHERE name = 'last_event_id'").fetchone()
    try:
        return int(row[0]) if row else 0
    except ValueError:
        return 0


def write_last_id(conn: Connection, value: int) -> None:
    """Store `value` unless a higher id is stored already."""
    # Only forward: an out-of-order write must never move the resumption point back.
    conn.execute(
        "INSERT INTO push_state (name, value, updated_at) VALUES ('last_event_id', ?, ?)"
        " ON CONFLICT(name) DO UPDATE SET value = excluded.value, "
        "updated_at = excluded.updated_at "
        "WHERE CAST(push_state.value AS INTEGER) < CAST(excluded.value AS INTEGER)",
        (str(value), utc_now()))
