"""All of the vending server's SQL, in one place, over SQLite (stdlib, WAL).

`Store` is the only code that speaks SQL; the service layer calls its methods with plain
values and gets plain dicts back, so a PostgreSQL backend can implement the same methods.
One connection is shared by the server's threads behind a re-entrant lock (SQLite serialises
writers anyway); `transaction()` wraps a unit of work in ``BEGIN IMMEDIATE`` so a second
process (the CLI publishing a tariff) waits instead of failing. The schema version lives in
``PRAGMA user_version`` and is moved forward by `MIGRATIONS`.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

Row = dict[str, Any]

MIGRATIONS: list[str] = [
    # 1: the whole first schema.
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE signing_keys (
        key_id TEXT PRIMARY KEY, private_key BLOB NOT NULL, public_key BLOB NOT NULL,
        created_at TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1);
    CREATE TABLE utility (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, address TEXT NOT NULL,
        vat_number TEXT NOT NULL, currency TEXT NOT NULL, utc_offset_minutes INTEGER NOT NULL);
    CREATE TABLE supply_groups (
        sgc TEXT PRIMARY KEY, name TEXT NOT NULL, vk160 BLOB NOT NULL, vk64 BLOB NOT NULL);
    CREATE TABLE tariffs (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, service TEXT NOT NULL, unit TEXT NOT NULL);
    CREATE TABLE tariff_versions (
        tariff_id TEXT NOT NULL REFERENCES tariffs(id), version INTEGER NOT NULL,
        effective_from TEXT NOT NULL, payload BLOB NOT NULL, signature BLOB NOT NULL,
        key_id TEXT NOT NULL, published_at TEXT NOT NULL,
        PRIMARY KEY (tariff_id, version));
    CREATE TABLE customers (
        id INTEGER PRIMARY KEY, name TEXT NOT NULL, address TEXT NOT NULL,
        account TEXT NOT NULL UNIQUE, phone TEXT, email TEXT,
        fbe_eligible INTEGER NOT NULL DEFAULT 0, arrears_cents INTEGER NOT NULL DEFAULT 0,
        search TEXT NOT NULL);
    CREATE TABLE meters (
        drn TEXT PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id),
        tariff_id TEXT NOT NULL REFERENCES tariffs(id), service TEXT NOT NULL,
        sgc TEXT NOT NULL REFERENCES supply_groups(sgc), krn INTEGER NOT NULL,
        ti INTEGER NOT NULL, ea INTEGER NOT NULL, kt INTEGER NOT NULL, ken INTEGER NOT NULL,
        base_date INTEGER NOT NULL, dkga INTEGER NOT NULL, two_way INTEGER NOT NULL,
        blocked INTEGER NOT NULL DEFAULT 0, blocked_reason TEXT, pending_ti INTEGER,
        initial_key TEXT NOT NULL, last_tid_minute INTEGER NOT NULL DEFAULT 0);
    CREATE INDEX meters_customer ON meters(customer_id);
    CREATE TABLE vendors (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, credit_cents INTEGER NOT NULL);
    CREATE TABLE activation_codes (
        code TEXT PRIMARY KEY, vendor_id TEXT NOT NULL REFERENCES vendors(id),
        max_uses INTEGER NOT NULL, uses INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE attempts (scope TEXT NOT NULL, who TEXT NOT NULL, at TEXT NOT NULL);
    CREATE INDEX attempts_who ON attempts(scope, who, at);
    CREATE TABLE terminals (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, vendor_id TEXT NOT NULL REFERENCES vendors(id),
        credential_hash TEXT NOT NULL UNIQUE, disabled INTEGER NOT NULL DEFAULT 0,
        policy TEXT, created_at TEXT NOT NULL);
    CREATE TABLE operators (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL,
        vendor_id TEXT NOT NULL REFERENCES vendors(id),
        pin_salt BLOB NOT NULL, pin_hash BLOB NOT NULL, kdf_n INTEGER NOT NULL,
        kdf_r INTEGER NOT NULL, kdf_p INTEGER NOT NULL, kdf_dklen INTEGER NOT NULL,
        active INTEGER NOT NULL DEFAULT 1, failed INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT, updated_at TEXT NOT NULL);
    -- no rows for an operator = allowed on every terminal of its vendor
    CREATE TABLE operator_terminals (
        operator_id TEXT NOT NULL REFERENCES operators(id), terminal_id TEXT NOT NULL,
        PRIMARY KEY (operator_id, terminal_id));
    CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    CREATE TABLE sales (
        receipt_no TEXT PRIMARY KEY, terminal_id TEXT NOT NULL, idem_key TEXT NOT NULL,
        fingerprint TEXT NOT NULL, operator_id TEXT NOT NULL, vendor_id TEXT NOT NULL,
        meter_drn TEXT NOT NULL, amount_cents INTEGER NOT NULL, units INTEGER NOT NULL,
        fbe_units INTEGER NOT NULL, fixed_cents INTEGER NOT NULL, debt_cents INTEGER NOT NULL,
        vat_cents INTEGER NOT NULL, tariff_id TEXT NOT NULL, tariff_version INTEGER NOT NULL,
        sold_at TEXT NOT NULL, month TEXT NOT NULL, created_at TEXT NOT NULL,
        key_change INTEGER NOT NULL, two_way INTEGER NOT NULL, response TEXT NOT NULL,
        reversed_at TEXT, reversal TEXT, delivered_at TEXT, delivered_balance INTEGER,
        UNIQUE (terminal_id, idem_key));
    CREATE INDEX sales_meter ON sales(meter_drn, month);
    CREATE INDEX sales_terminal ON sales(terminal_id, sold_at);
    CREATE TABLE sale_tokens (
        receipt_no TEXT NOT NULL REFERENCES sales(receipt_no), seq INTEGER NOT NULL,
        kind TEXT NOT NULL, token TEXT NOT NULL, meter_drn TEXT NOT NULL,
        PRIMARY KEY (receipt_no, seq));
    CREATE INDEX sale_tokens_token ON sale_tokens(meter_drn, token);
    CREATE TABLE engineering (
        reference TEXT PRIMARY KEY, terminal_id TEXT NOT NULL, idem_key TEXT,
        fingerprint TEXT NOT NULL, meter_drn TEXT NOT NULL, type TEXT NOT NULL,
        operator_id TEXT NOT NULL, supervisor_id TEXT NOT NULL, response TEXT NOT NULL,
        created_at TEXT NOT NULL, UNIQUE (terminal_id, idem_key));
    CREATE TABLE events (
        id INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL, data TEXT NOT NULL,
        vendor_id TEXT, terminal_id TEXT, created_at TEXT NOT NULL);
    CREATE TABLE zreports (
        terminal_id TEXT NOT NULL, shift_id TEXT NOT NULL, fingerprint TEXT NOT NULL,
        response TEXT NOT NULL, PRIMARY KEY (terminal_id, shift_id));
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY, receipt_no TEXT NOT NULL, channel TEXT NOT NULL,
        recipient TEXT NOT NULL, body TEXT NOT NULL, status TEXT NOT NULL,
        created_at TEXT NOT NULL, sent_at TEXT, error TEXT);
    CREATE TABLE vm_entries (
        id INTEGER PRIMARY KEY, meter_drn TEXT NOT NULL, token TEXT NOT NULL,
        accepted INTEGER NOT NULL, reason TEXT, credit_added INTEGER NOT NULL,
        balance INTEGER NOT NULL, source TEXT NOT NULL, at TEXT NOT NULL);
    CREATE INDEX vm_entries_meter ON vm_entries(meter_drn, id);
    """,
]


class Store:
    """The server's database: every query the server runs is a method here."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.lock = threading.RLock()
        self._depth = 0
        self._conn = sqlite3.connect(
            str(self.path), check_same_thread=False, isolation_level=None, timeout=30.0
        )
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA journal_mode=WAL")
        # FULL: an acknowledged sale survives a power cut, not only a process crash.
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        self._conn.execute("PRAGMA busy_timeout=30000")
        self.migrate()

    # -- plumbing --------------------------------------------------------------
    def migrate(self) -> None:
        """Bring the schema forward to the newest version (forward only)."""
        with self.transaction():
            version = int(self._conn.execute("PRAGMA user_version").fetchone()[0])
            if version > len(MIGRATIONS):
                raise RuntimeError(
                    f"database schema {version} is newer than this server ({len(MIGRATIONS)})"
                )
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in script.split(";"):
                    if statement.strip():
                        self._conn.execute(statement)
                self._conn.execute(f"PRAGMA user_version={number}")

    def schema_version(self) -> int:
        """The schema version recorded in the file."""
        with self.lock:
            return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic unit of work (nests: inner blocks join the outer transaction)."""
        with self.lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")
            finally:
                self._depth = 0

    def close(self) -> None:
        """Close the connection."""
        with self.lock:
            self._conn.close()

    def _one(self, sql: str, args: tuple[Any, ...] = ()) -> Row | None:
        with self.lock:
            row = self._conn.execute(sql, args).fetchone()
        return None if row is None else dict(row)

    def _all(self, sql: str, args: tuple[Any, ...] = ()) -> list[Row]:
        with self.lock:
            return [dict(r) for r in self._conn.execute(sql, args).fetchall()]

    def _exec(self, sql: str, args: tuple[Any, ...] = ()) -> int:
        with self.lock:
            cur = self._conn.execute(sql, args)
            return int(cur.lastrowid or 0)

    def _insert(self, table: str, cols: tuple[str, ...], row: Row) -> None:
        # Table and column names are constants of this module, never input: safe to format.
        sql = f"INSERT INTO {table}({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"  # noqa: S608
        self._exec(sql, tuple(row[c] for c in cols))

    # -- meta, keys, utility --------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self._one("SELECT value FROM meta WHERE key=?", (key,))
        return None if row is None else str(row["value"])

    def set_meta(self, key: str, value: str) -> None:
        self._exec("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def add_signing_key(self, key_id: str, private: bytes, public: bytes, at: str) -> None:
        self._exec(
            "INSERT INTO signing_keys(key_id, private_key, public_key, created_at) "
            "VALUES (?, ?, ?, ?)", (key_id, private, public, at))

    def signing_keys(self) -> list[Row]:
        return self._all("SELECT * FROM signing_keys WHERE active=1 ORDER BY created_at, key_id")

    def signing_key(self, key_id: str) -> Row | None:
        return self._one("SELECT * FROM signing_keys WHERE key_id=?", (key_id,))

    def set_utility(self, row: Row) -> None:
        self._exec(
            "INSERT OR REPLACE INTO utility VALUES (?, ?, ?, ?, ?, ?)",
            (row["id"], row["name"], row["address"], row["vat_number"], row["currency"],
             row["utc_offset_minutes"]))

    def utility(self) -> Row | None:
        return self._one("SELECT * FROM utility LIMIT 1")

    def add_supply_group(self, sgc: str, name: str, vk160: bytes, vk64: bytes) -> None:
        self._exec("INSERT INTO supply_groups VALUES (?, ?, ?, ?)", (sgc, name, vk160, vk64))

    def supply_group(self, sgc: str) -> Row | None:
        return self._one("SELECT * FROM supply_groups WHERE sgc=?", (sgc,))

    # -- tariffs ---------------------------------------------------------------
    def add_tariff(self, tariff_id: str, name: str, service: str, unit: str) -> None:
        self._exec("INSERT OR REPLACE INTO tariffs VALUES (?, ?, ?, ?)",
                   (tariff_id, name, service, unit))

    def tariff(self, tariff_id: str) -> Row | None:
        return self._one("SELECT * FROM tariffs WHERE id=?", (tariff_id,))

    def tariffs(self) -> list[Row]:
        return self._all("SELECT * FROM tariffs ORDER BY id")

    def add_tariff_version(self, tariff_id: str, version: int, effective_from: str,
                           payload: bytes, signature: bytes, key_id: str, at: str) -> None:
        self._exec("INSERT INTO tariff_versions VALUES (?, ?, ?, ?, ?, ?, ?)",
                   (tariff_id, version, effective_from, payload, signature, key_id, at))

    def tariff_versions(self, tariff_id: str) -> list[Row]:
        return self._all("SELECT * FROM tariff_versions WHERE tariff_id=? ORDER BY version",
                         (tariff_id,))

    def tariff_version(self, tariff_id: str, version: int) -> Row | None:
        return self._one("SELECT * FROM tariff_versions WHERE tariff_id=? AND version=?",
                         (tariff_id, version))

    def version_in_force(self, tariff_id: str, at: str) -> Row | None:
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
        return self._exec(
            "INSERT INTO customers(name, address, account, phone, email, fbe_eligible, "
            "arrears_cents, search) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (name, address, account, phone, email, int(fbe_eligible), arrears, search))

    def add_meter(self, row: Row) -> None:
        cols = ("drn", "customer_id", "tariff_id", "service", "sgc", "krn", "ti", "ea", "kt",
                "ken", "base_date", "dkga", "two_way", "blocked", "blocked_reason",
                "pending_ti", "initial_key")
        self._insert("meters", cols, row)

    def meter(self, drn: str) -> Row | None:
        return self._one(
            "SELECT m.*, c.name AS customer_name, c.address AS customer_address, c.account, "
            "c.phone, c.email, c.fbe_eligible, c.arrears_cents FROM meters m "
            "JOIN customers c ON c.id = m.customer_id WHERE m.drn=?", (drn,))

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
        self._exec("UPDATE meters SET krn=?, ti=?, base_date=?, pending_ti=NULL WHERE drn=?",
                   (krn, ti, base_date, drn))

    def set_meter_last_tid(self, drn: str, minute: int) -> None:
        self._exec("UPDATE meters SET last_tid_minute=? WHERE drn=?", (minute, drn))

    def set_meter_blocked(self, drn: str, blocked: bool, reason: str | None) -> None:
        self._exec("UPDATE meters SET blocked=?, blocked_reason=? WHERE drn=?",
                   (int(blocked), reason, drn))

    def set_pending_ti(self, drn: str, ti: int | None) -> None:
        self._exec("UPDATE meters SET pending_ti=? WHERE drn=?", (ti, drn))

    def set_arrears(self, customer_id: int, cents: int) -> None:
        self._exec("UPDATE customers SET arrears_cents=? WHERE id=?", (cents, customer_id))

    # -- vendors, activation, terminals --------------------------------------------------------
    def add_vendor(self, vendor_id: str, name: str, credit: int) -> None:
        self._exec("INSERT INTO vendors VALUES (?, ?, ?)", (vendor_id, name, credit))

    def vendor(self, vendor_id: str) -> Row | None:
        return self._one("SELECT * FROM vendors WHERE id=?", (vendor_id,))

    def set_vendor_credit(self, vendor_id: str, credit: int) -> None:
        self._exec("UPDATE vendors SET credit_cents=? WHERE id=?", (credit, vendor_id))

    def add_activation_code(self, code: str, vendor_id: str, max_uses: int) -> None:
        self._exec("INSERT INTO activation_codes(code, vendor_id, max_uses) VALUES (?, ?, ?)",
                   (code, vendor_id, max_uses))

    def activation_code(self, code: str) -> Row | None:
        return self._one("SELECT * FROM activation_codes WHERE code=?", (code,))

    def use_activation_code(self, code: str) -> None:
        self._exec("UPDATE activation_codes SET uses=uses+1 WHERE code=?", (code,))

    def count_attempts(self, scope: str, who: str, since: str) -> int:
        row = self._one("SELECT COUNT(*) AS n FROM attempts WHERE scope=? AND who=? AND at>=?",
                        (scope, who, since))
        return int(row["n"]) if row else 0

    def oldest_attempt(self, scope: str, who: str, since: str) -> str | None:
        row = self._one("SELECT MIN(at) AS at FROM attempts WHERE scope=? AND who=? AND at>=?",
                        (scope, who, since))
        return None if row is None or row["at"] is None else str(row["at"])

    def add_attempt(self, scope: str, who: str, at: str) -> None:
        self._exec("INSERT INTO attempts VALUES (?, ?, ?)", (scope, who, at))

    def next_counter(self, name: str) -> int:
        with self.transaction():
            self._exec("INSERT OR IGNORE INTO counters VALUES (?, 0)", (name,))
            self._exec("UPDATE counters SET value=value+1 WHERE name=?", (name,))
            row = self._one("SELECT value FROM counters WHERE name=?", (name,))
            assert row is not None
            return int(row["value"])

    def add_terminal(self, terminal_id: str, name: str, vendor_id: str, credential_hash: str,
                     at: str) -> None:
        self._exec("INSERT INTO terminals(id, name, vendor_id, credential_hash, created_at) "
                   "VALUES (?, ?, ?, ?, ?)", (terminal_id, name, vendor_id, credential_hash, at))

    def terminal_by_credential(self, credential_hash: str) -> Row | None:
        return self._one("SELECT * FROM terminals WHERE credential_hash=?", (credential_hash,))

    def terminal(self, terminal_id: str) -> Row | None:
        return self._one("SELECT * FROM terminals WHERE id=?", (terminal_id,))

    def set_terminal_policy(self, terminal_id: str, policy_json: str | None) -> None:
        self._exec("UPDATE terminals SET policy=? WHERE id=?", (policy_json, terminal_id))

    def set_terminal_disabled(self, terminal_id: str, disabled: bool) -> None:
        self._exec("UPDATE terminals SET disabled=? WHERE id=?", (int(disabled), terminal_id))

    # -- operators -------------------------------------------------------------
    def add_operator(self, row: Row) -> None:
        cols = ("id", "name", "role", "vendor_id", "pin_salt", "pin_hash", "kdf_n", "kdf_r",
                "kdf_p", "kdf_dklen", "active", "updated_at")
        self._insert("operators", cols, row)

    def restrict_operator(self, operator_id: str, terminal_id: str) -> None:
        self._exec("INSERT OR IGNORE INTO operator_terminals VALUES (?, ?)",
                   (operator_id, terminal_id))

    def operator(self, operator_id: str) -> Row | None:
        return self._one("SELECT * FROM operators WHERE id=?", (operator_id,))

    def operators_for_terminal(self, terminal_id: str, vendor_id: str) -> list[Row]:
        return self._all(
            "SELECT o.* FROM operators o WHERE o.vendor_id=? AND (NOT EXISTS "
            "(SELECT 1 FROM operator_terminals t WHERE t.operator_id=o.id) OR EXISTS "
            "(SELECT 1 FROM operator_terminals t WHERE t.operator_id=o.id AND t.terminal_id=?)) "
            "ORDER BY o.id", (vendor_id, terminal_id))

    def set_operator_failures(self, operator_id: str, failed: int,
                              locked_until: str | None) -> None:
        self._exec("UPDATE operators SET failed=?, locked_until=? WHERE id=?",
                   (failed, locked_until, operator_id))

    # -- sales -----------------------------------------------------------------
    def sale_by_key(self, terminal_id: str, idem_key: str) -> Row | None:
        return self._one("SELECT * FROM sales WHERE terminal_id=? AND idem_key=?",
                         (terminal_id, idem_key))

    def sale(self, receipt_no: str) -> Row | None:
        return self._one("SELECT * FROM sales WHERE receipt_no=?", (receipt_no,))

    def insert_sale(self, row: Row, tokens: list[tuple[int, str, str]]) -> None:
        cols = ("receipt_no", "terminal_id", "idem_key", "fingerprint", "operator_id",
                "vendor_id", "meter_drn", "amount_cents", "units", "fbe_units", "fixed_cents",
                "debt_cents", "vat_cents", "tariff_id", "tariff_version", "sold_at", "month",
                "created_at", "key_change", "two_way", "response")
        self._insert("sales", cols, row)
        for seq, kind, token in tokens:
            self._exec("INSERT INTO sale_tokens VALUES (?, ?, ?, ?, ?)",
                       (row["receipt_no"], seq, kind, token, row["meter_drn"]))

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

    # -- events ----------------------------------------------------------------
    def add_event(self, type_: str, data_json: str, vendor_id: str | None,
                  terminal_id: str | None, at: str) -> int:
        return self._exec("INSERT INTO events(type, data, vendor_id, terminal_id, created_at) "
                          "VALUES (?, ?, ?, ?, ?)", (type_, data_json, vendor_id, terminal_id, at))

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

    # -- outbox ----------------------------------------------------------------
    def add_outbox(self, receipt_no: str, channel: str, recipient: str, body: str, status: str,
                   at: str) -> int:
        return self._exec(
            "INSERT INTO outbox(receipt_no, channel, recipient, body, status, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)", (receipt_no, channel, recipient, body, status, at))

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
