"""Queries of sales, their tokens and engineering tokens."""

from __future__ import annotations

from vendserver.db.base import Row, StoreBase


class SaleQueries(StoreBase):
    """Sales (with idempotency keys and stored responses) and engineering tokens."""

    # -- sales -----------------------------------------------------------------
    def sale_by_key(self, terminal_id: str, idem_key: str) -> Row | None:
        return self._one("SELECT * FROM sales WHERE terminal_id=? AND idem_key=?",
                         (terminal_id, idem_key))

    def sale(self, receipt_no: str, *, lock: bool = False) -> Row | None:
        return self._one(self._locking("SELECT * FROM sales WHERE receipt_no=?", lock),
                         (receipt_no,))

    def insert_sale(self, row: Row, tokens: list[tuple[int, str, str]]) -> None:
        cols = ("receipt_no", "terminal_id", "idem_key", "fingerprint", "operator_id",
                "vendor_id", "meter_drn", "amount_cents", "units", "fbe_units", "fixed_cents",
                "debt_cents", "vat_cents", "tariff_id", "tariff_version", "sold_at", "month",
                "created_at", "key_change", "two_way", "response")
        # Sent with the next statement of the sale's transaction (see `_defer`); the tokens
        # in one statement however many there are.
        self._insert("sales", cols, row, defer=True)
        if tokens:
            values = ", ".join("(?, ?, ?, ?, ?)" for _ in tokens)
            self._defer(f"INSERT INTO sale_tokens VALUES {values}",  # noqa: S608 (placeholders)
                        tuple(v for seq, kind, token in tokens
                              for v in (row["receipt_no"], seq, kind, token, row["meter_drn"])))

    def month_stats(self, drn: str, month: str) -> Row:
        row = self._one(
            "SELECT COUNT(*) AS n, COALESCE(SUM(units), 0) AS units, "
            "COALESCE(SUM(CASE WHEN fbe_units > 0 THEN 1 ELSE 0 END), 0) AS fbe, "
            "COALESCE(SUM(CASE WHEN fixed_cents > 0 THEN 1 ELSE 0 END), 0) AS fixed "
            "FROM sales WHERE meter_drn=? AND month=? AND reversed_at IS NULL", (drn, month))
        assert row is not None
        return row

    def last_sale_at(self, drn: str) -> str | None:
        row = self._one("SELECT MAX(sold_at) AS at FROM sales WHERE meter_drn=? "
                        "AND reversed_at IS NULL", (drn,))
        return None if row is None or row["at"] is None else str(row["at"])

    def sales_for_meter(self, drn: str, limit: int) -> list[Row]:
        return self._all("SELECT * FROM sales WHERE meter_drn=? ORDER BY created_at DESC, "
                         "receipt_no DESC LIMIT ?", (drn, limit))

    def mark_reversed(self, receipt_no: str, at: str, reversal_json: str) -> None:
        self._exec("UPDATE sales SET reversed_at=?, reversal=? WHERE receipt_no=?",
                   (at, reversal_json, receipt_no))

    def mark_delivered(self, receipt_no: str, at: str, balance: int) -> None:
        self._exec("UPDATE sales SET delivered_at=?, delivered_balance=? WHERE receipt_no=?",
                   (at, balance, receipt_no))

    def undelivered_two_way(self) -> list[Row]:
        return self._all("SELECT receipt_no FROM sales WHERE two_way=1 AND delivered_at IS NULL "
                         "AND reversed_at IS NULL ORDER BY created_at, receipt_no")

    def sale_tokens(self, receipt_no: str) -> list[Row]:
        return self._all("SELECT * FROM sale_tokens WHERE receipt_no=? ORDER BY seq",
                         (receipt_no,))

    def token_backing(self, drn: str, token: str) -> list[Row]:
        return self._all(
            "SELECT t.kind, s.receipt_no, s.reversed_at FROM sale_tokens t JOIN sales s "
            "ON s.receipt_no = t.receipt_no WHERE t.meter_drn=? AND t.token=?", (drn, token))

    def terminal_totals(self, terminal_id: str, start: str, end: str) -> Row:
        row = self._one(
            "SELECT COUNT(*) AS sales_count, COALESCE(SUM(amount_cents), 0) AS sales_amount, "
            "COALESCE(SUM(units), 0) AS units, COALESCE(SUM(vat_cents), 0) AS vat, "
            "COALESCE(SUM(CASE WHEN reversed_at IS NOT NULL THEN 1 ELSE 0 END), 0) "
            "AS reversals_count, COALESCE(SUM(CASE WHEN reversed_at IS NOT NULL THEN "
            "amount_cents ELSE 0 END), 0) AS reversals_amount "
            "FROM sales WHERE terminal_id=? AND sold_at>=? AND sold_at<?",
            (terminal_id, start, end))
        assert row is not None
        return row

    # -- engineering -----------------------------------------------------------
    def engineering_by_key(self, terminal_id: str, idem_key: str) -> Row | None:
        return self._one("SELECT * FROM engineering WHERE terminal_id=? AND idem_key=?",
                         (terminal_id, idem_key))

    def insert_engineering(self, row: Row) -> None:
        cols = ("reference", "terminal_id", "idem_key", "fingerprint", "meter_drn", "type",
                "operator_id", "supervisor_id", "response", "created_at")
        self._insert("engineering", cols, row)
