"""The server database's schema, as forward-only numbered migrations, for both engines.

Each migration is written once, in SQLite's spelling; `statements()` gives it in the engine's
dialect. The translation for PostgreSQL is a handful of type names (``INTEGER`` is 64-bit in
SQLite, so ``BIGINT``; ``BLOB`` is ``BYTEA``; an ``INTEGER PRIMARY KEY`` is an identity
column) plus what only PostgreSQL needs (`POSTGRES_EXTRA`: the sequences behind counters,
since several server processes take numbers at once). A test runs every migration on both
engines and compares the resulting columns.
"""

from __future__ import annotations

import re

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
    # 2: activation safe to retry: the code and fingerprint that activated a terminal, and
    # its credential in clear only until the terminal first uses it.
    """
    ALTER TABLE terminals ADD COLUMN activation_code TEXT;
    ALTER TABLE terminals ADD COLUMN fingerprint TEXT;
    ALTER TABLE terminals ADD COLUMN pending_credential TEXT;
    CREATE UNIQUE INDEX terminals_activation ON terminals(activation_code, fingerprint)
        WHERE fingerprint IS NOT NULL;
    """,
    # 3: the utility's IANA time zone (local days and months follow its daylight saving and
    # changes of offset; utc_offset_minutes stays for older servers), and the language and
    # locale its customers and counters use.
    """
    ALTER TABLE utility ADD COLUMN time_zone TEXT;
    ALTER TABLE utility ADD COLUMN language TEXT;
    ALTER TABLE utility ADD COLUMN locale TEXT;
    """,
]

#: Statements only PostgreSQL runs, after the migration of the same number. Counters are
#: sequences there: a counter row would be locked by each sale until it commits, so sales of
#: every server process would queue behind one another (a sequence never waits; a number
#: taken by a transaction that then fails is skipped, never given twice).
POSTGRES_EXTRA: dict[int, str] = {
    1: """
    CREATE SEQUENCE counter_receipt;
    CREATE SEQUENCE counter_reversal;
    CREATE SEQUENCE counter_terminal;
    CREATE SEQUENCE counter_engineering;
    """,
}

#: The names `next_counter` accepts on PostgreSQL (each a sequence of POSTGRES_EXTRA).
COUNTERS = frozenset({"receipt", "reversal", "terminal", "engineering"})

_PG_TYPES = (
    (re.compile(r"\bINTEGER PRIMARY KEY( AUTOINCREMENT)?"),
     "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
    (re.compile(r"\bINTEGER\b"), "BIGINT"),
    (re.compile(r"\bBLOB\b"), "BYTEA"),
)


def to_postgres(sql: str) -> str:
    """One statement of a migration in PostgreSQL's spelling."""
    for pattern, replacement in _PG_TYPES:
        sql = pattern.sub(replacement, sql)
    return sql


def _split(script: str) -> list[str]:
    # No statement of ours holds a ';' inside a literal: splitting on it is exact.
    return [s.strip() for s in script.split(";") if s.strip()]


def statements(number: int, dialect: str) -> list[str]:
    """The statements of migration `number` (1-based) for `dialect`."""
    script = MIGRATIONS[number - 1]
    if dialect == "sqlite":
        return _split(script)
    if dialect == "postgresql":
        return [to_postgres(s) for s in _split(script)] + _split(POSTGRES_EXTRA.get(number, ""))
    raise ValueError(f"unknown SQL dialect {dialect!r}")
