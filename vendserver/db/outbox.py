"""Queries of the notification outbox and the virtual smart meters' entries."""

from __future__ import annotations

from vendserver.db.base import Row, StoreBase


class OutboxQueries(StoreBase):
    """Customer notifications to send, and tokens entered into virtual meters."""

    # -- outbox ----------------------------------------------------------------
    def add_outbox(self, receipt_no: str, channel: str, recipient: str, body: str, status: str,
                   at: str) -> int:
        return self._id(
            "INSERT INTO outbox(receipt_no, channel, recipient, body, status, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (receipt_no, channel, recipient, body, status, at))

    def outbox(self, status: str | None = None) -> list[Row]:
        if status is None:
            return self._all("SELECT * FROM outbox ORDER BY id")
        return self._all("SELECT * FROM outbox WHERE status=? ORDER BY id", (status,))

    def mark_outbox(self, outbox_id: int, status: str, at: str | None,
                    error: str | None) -> None:
        self._exec("UPDATE outbox SET status=?, sent_at=?, error=? WHERE id=?",
                   (status, at, error, outbox_id))

    # -- virtual smart meters --------------------------------------------------
    def add_vm_entry(self, drn: str, token: str, accepted: bool, reason: str | None,
                     credit_added: int, balance: int, source: str, at: str) -> None:
        self._exec(
            "INSERT INTO vm_entries(meter_drn, token, accepted, reason, credit_added, balance, "
            "source, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (drn, token, int(accepted), reason, credit_added, balance, source, at))

    def vm_accepted_count(self, drn: str) -> int:
        row = self._one("SELECT COUNT(*) AS n FROM vm_entries WHERE meter_drn=? AND accepted=1",
                        (drn,))
        return int(row["n"]) if row else 0

    def vm_entries(self, drn: str | None = None) -> list[Row]:
        if drn is None:
            return self._all("SELECT * FROM vm_entries ORDER BY id")
        return self._all("SELECT * FROM vm_entries WHERE meter_drn=? ORDER BY id", (drn,))
