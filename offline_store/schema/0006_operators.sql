-- Operators allowed on this terminal (PIN hashes only) and persisted lockout counters.
CREATE TABLE operators (
    operator_id  TEXT    PRIMARY KEY,
    name         TEXT    NOT NULL,
    role         TEXT    NOT NULL,
    pin_hash     TEXT    NOT NULL,
    active       INTEGER NOT NULL DEFAULT 1,
    fetched_at   TEXT    NOT NULL
);
CREATE TABLE operator_lockout (
    operator_id    TEXT    PRIMARY KEY,
    failures       INTEGER NOT NULL DEFAULT 0,
    locked_until   TEXT,
    last_failure   TEXT
);
