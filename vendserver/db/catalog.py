"""Queries of tariffs, tariff versions, customers and meters."""

from __future__ import annotations

from vendserver.db.base import Row, StoreBase


class CatalogQueries(StoreBase):
    """Tariffs and their signed versions; customers and their meters."""

    # -- tariffs ---------------------------------------------------------------
    def add_tariff(self, tariff_id: str, name: str, service: str, unit: str) -> None:
        self._exec("INSERT INTO tariffs(id, name, service, unit) VALUES (?, ?, ?, ?) "
                   "ON CONFLICT (id) DO UPDATE SET name=excluded.name, "
                   "service=excluded.service, unit=excluded.unit",
                   (tariff_id, name, service, unit))

    def tariff(self, tariff_id: str) -> Row | None:
        return self._one("SELECT * FROM tariffs WHERE id=?", (tariff_id,))

    def tariffs(self) -> list[Row]:
        return self._all("SELECT * FROM tariffs ORDER BY id")

    def add_tariff_version(self, tariff_id: str, version: int, effective_from: str,
                           payload: bytes, signature: bytes, key_id: str, at: str) -> None:
        self._exec("INSERT INTO tariff_versions VALUES (?, ?, ?, ?, ?, ?, ?)",
                   (tariff_id, version, effective_from, payload, signature, key_id, at))
        self._changed(self.TARIFFS)

    def tariff_versions(self, tariff_id: str) -> list[Row]:
        return self._all("SELECT * FROM tariff_versions WHERE tariff_id=? ORDER BY version",
                         (tariff_id,))

    def tariff_version(self, tariff_id: str, version: int) -> Row | None:
        return self._one("SELECT * FROM tariff_versions WHERE tariff_id=? AND version=?",
                         (tariff_id, version))

    def version_in_force(self, tariff_id: str, at: str) -> Row | None:
        # Read on every sale and quote. Where the engine caches, the tariff's versions are
        # read once (until one is published) and the one in force picked here, as the query
        # would: the highest version whose effective_from (ISO text, compared as text) <= at.
        if self.caching():
            versions: list[Row] = self._cached(self.TARIFFS, tariff_id,
                                               lambda: self.tariff_versions(tariff_id))
            found = max((v for v in versions if v["effective_from"] <= at),
                        key=lambda v: int(v["version"]), default=None)
            return None if found is None else dict(found)
        return self._one(
            "SELECT * FROM tariff_versions WHERE tariff_id=? AND effective_from<=? "
            "ORDER BY version DESC LIMIT 1", (tariff_id, at))

    def max_tariff_version(self, tariff_id: str) -> int:
        row = self._one("SELECT MAX(version) AS v FROM tariff_versions WHERE tariff_id=?",
                        (tariff_id,))
        return int(row["v"]) if row and row["v"] is not None else 0

    # -- customers and meters --------------------------------------------------
    def add_customer(self, name: str, address: str, account: str, phone: str | None,
                     email: str | None, fbe_eligible: bool, arrears: int, search: str) -> int:
        return self._id(
            "INSERT INTO customers(name, address, account, phone, email, fbe_eligible, "
            "arrears_cents, search) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (name, address, account, phone, email, int(fbe_eligible), arrears, search))

    def add_meter(self, row: Row) -> None:
        cols = ("drn", "customer_id", "tariff_id", "service", "sgc", "krn", "ti", "ea", "kt",
                "ken", "base_date", "dkga", "two_way", "blocked", "blocked_reason",
                "pending_ti", "initial_key")
        self._insert("meters", cols, row)

    def meter(self, drn: str, *, lock: bool = False) -> Row | None:
        """A meter with its customer; `lock`: the transaction will change them (sale,
        reversal, engineering, token entry), so a parallel one waits for its commit."""
        return self._one(self._locking(
            "SELECT m.*, c.name AS customer_name, c.address AS customer_address, c.account, "
            "c.phone, c.email, c.fbe_eligible, c.arrears_cents FROM meters m "
            "JOIN customers c ON c.id = m.customer_id WHERE m.drn=?", lock), (drn,))

    def meters(self) -> list[Row]:
        return self._all("SELECT drn FROM meters ORDER BY drn")

    def search_meters(self, needle: str, limit: int) -> list[Row]:
        like = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        prefix = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        return self._all(
            "SELECT m.drn, m.service, m.blocked, c.name AS customer_name, c.account, c.address "
            "FROM meters m JOIN customers c ON c.id = m.customer_id "
            "WHERE c.search LIKE ? ESCAPE '\\' OR m.drn LIKE ? ESCAPE '\\' "
            "ORDER BY c.name, m.drn LIMIT ?", (like, prefix, limit))

    def update_meter_key(self, drn: str, krn: int, ti: int, base_date: int) -> None:
        self._defer("UPDATE meters SET krn=?, ti=?, base_date=?, pending_ti=NULL WHERE drn=?",
                    (krn, ti, base_date, drn))

    def set_meter_last_tid(self, drn: str, minute: int) -> None:
        self._defer("UPDATE meters SET last_tid_minute=? WHERE drn=?", (minute, drn))

    def set_meter_blocked(self, drn: str, blocked: bool, reason: str | None) -> None:
        self._exec("UPDATE meters SET blocked=?, blocked_reason=? WHERE drn=?",
                   (int(blocked), reason, drn))

    def set_pending_ti(self, drn: str, ti: int | None) -> None:
        self._exec("UPDATE meters SET pending_ti=? WHERE drn=?", (ti, drn))

    def set_arrears(self, customer_id: int, cents: int) -> None:
        self._defer("UPDATE customers SET arrears_cents=? WHERE id=?", (cents, customer_id))
