"""msgID allocation, persisted in the store (migration 0016) so a number is never reused.

`allocate(conn, terminal_id, now)` advances the terminal's counter in the caller's
transaction. `for_sale(conn, key, ...)` returns the msgID of a sale's current attempt,
allocating and recording attempt 1 the first time: the backend calls it inside `sell()`,
before the first byte, in one store transaction (the sale row already exists then; its
idempotency key is the handle). A sale's msgID never changes afterwards except through
`new_attempt`, which is only used after the server said the earlier msgID was never
processed and the server refuses reused numbers.
"""

from __future__ import annotations

from datetime import datetime

from app.xmlvend.messages import MsgId
from offline_store import Connection

__all__ = ["MAX_UNIQUE", "allocate", "current", "for_sale", "mark", "new_attempt",
           "receipt_msg_id"]

#: The counter wraps after six digits (servers were seen limiting it); the dateTime part
#: keeps a wrapped number distinct.
MAX_UNIQUE = 999_999


def _stamp(now: datetime) -> str:
    return now.strftime("%Y%m%d%H%M%S")


def allocate(conn: Connection, terminal_id: str, now: datetime) -> MsgId:
    """The next msgID of this terminal (the counter is advanced in this transaction)."""
    row = conn.execute("SELECT last_number FROM xmlvend_counter WHERE terminal_id = ?",
                       (terminal_id,)).fetchone()
    number = 1 if row is None else int(row[0]) % MAX_UNIQUE + 1
    conn.execute("INSERT INTO xmlvend_counter (terminal_id, last_number) VALUES (?, ?) "
                 "ON CONFLICT (terminal_id) DO UPDATE SET last_number = excluded.last_number",
                 (terminal_id, number))
    return MsgId(_stamp(now), number)


def current(conn: Connection, key: str) -> tuple[int, MsgId, str] | None:
    """(attempt, msgID, state) of the sale's latest attempt, or None if it has none yet."""
    row = conn.execute(
        "SELECT attempt, date_time, unique_number, state FROM xmlvend_msgids "
        "WHERE idem_key = ? ORDER BY attempt DESC LIMIT 1", (key,)).fetchone()
    if row is None:
        return None
    return int(row[0]), MsgId(str(row[1]), int(row[2])), str(row[3])


def _record(conn: Connection, key: str, attempt: int, msg: MsgId, terminal_id: str,
            now: datetime) -> None:
    conn.execute(
        "INSERT INTO xmlvend_msgids (idem_key, attempt, date_time, unique_number, "
        "terminal_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        (key, attempt, msg.date_time, msg.unique_number, terminal_id, now.isoformat()))


def for_sale(conn: Connection, key: str, terminal_id: str, now: datetime) -> MsgId:
    """The msgID of the sale's current attempt; attempt 1 is allocated the first time."""
    found = current(conn, key)
    if found is not None:
        return found[1]
    msg = allocate(conn, terminal_id, now)
    _record(conn, key, 1, msg, terminal_id, now)
    return msg


def new_attempt(conn: Connection, key: str, terminal_id: str, now: datetime) -> MsgId:
    """A fresh msgID for a sale whose current one the server never processed."""
    found = current(conn, key)
    attempt = 1 if found is None else found[0] + 1
    if found is not None:
        conn.execute("UPDATE xmlvend_msgids SET state = 'not_processed' "
                     "WHERE idem_key = ? AND attempt = ?", (key, found[0]))
    msg = allocate(conn, terminal_id, now)
    _record(conn, key, attempt, msg, terminal_id, now)
    return msg


def mark(conn: Connection, key: str, msg: MsgId, state: str,
         receipt_no: str | None = None) -> None:
    """Record what became of one attempt (answered with a receipt, or never processed)."""
    conn.execute(
        "UPDATE xmlvend_msgids SET state = ?, receipt_no = coalesce(?, receipt_no) "
        "WHERE idem_key = ? AND date_time = ? AND unique_number = ?",
        (state, receipt_no, key, msg.date_time, msg.unique_number))


def receipt_msg_id(conn: Connection, receipt_no: str) -> tuple[str, MsgId] | None:
    """(idempotency key, msgID) of the attempt that produced `receipt_no`."""
    row = conn.execute(
        "SELECT idem_key, date_time, unique_number FROM xmlvend_msgids WHERE receipt_no = ? "
        "ORDER BY attempt DESC LIMIT 1", (receipt_no,)).fetchone()
    return None if row is None else (str(row[0]), MsgId(str(row[1]), int(row[2])))
