"""Queries of the event log and Z reports."""

from __future__ import annotations

from vendserver.db.base import Row, StoreBase


class EventQueries(StoreBase):
    """The event log terminals read, and received Z reports."""

    # -- events (appended by the engine's add_event) ----------------------------
    def events_after(self, after: int, terminal_id: str, vendor_id: str,
                     limit: int) -> list[Row]:
        return self._all(
            "SELECT id, type, data FROM events WHERE id>? AND (vendor_id IS NULL OR vendor_id=?) "
            "AND (terminal_id IS NULL OR terminal_id=?) ORDER BY id LIMIT ?",
            (after, vendor_id, terminal_id, limit))

    def events_since(self, after: int, limit: int) -> list[Row]:
        """Every terminal's events after `after`, with the visibility columns (the event hub)."""
        return self._all(
            "SELECT id, type, data, vendor_id, terminal_id FROM events WHERE id>? "
            "ORDER BY id LIMIT ?", (after, limit))

    def max_event_id(self) -> int:
        row = self._one("SELECT COALESCE(MAX(id), 0) AS id FROM events")
        return int(row["id"]) if row else 0

    # -- z reports -------------------------------------------------------------
    def zreport(self, terminal_id: str, shift_id: str) -> Row | None:
        return self._one("SELECT * FROM zreports WHERE terminal_id=? AND shift_id=?",
                         (terminal_id, shift_id))

    def insert_zreport(self, terminal_id: str, shift_id: str, fingerprint: str,
                       response: str) -> None:
        self._exec("INSERT INTO zreports VALUES (?, ?, ?, ?)",
                   (terminal_id, shift_id, fingerprint, response))
