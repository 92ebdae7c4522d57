-- Receipts and the tokens they carry (tokens are cash: the whole file is encrypted).
CREATE TABLE receipts (
    idem_key     TEXT PRIMARY KEY REFERENCES sales(idem_key),
    receipt_no   TEXT NOT NULL UNIQUE,
    issued_at    TEXT NOT NULL,
    body         TEXT NOT NULL,
    print_count  INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE tokens (
    idem_key     TEXT    NOT NULL REFERENCES sales(idem_key),
    position     INTEGER NOT NULL,
    kind         TEXT    NOT NULL,
    digits       TEXT    NOT NULL CHECK (length(digits) = 20),
    description  TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (idem_key, position)
);
-- Answers the client could not read, kept for investigation (never turned into a sale).
CREATE TABLE malformed_responses (
    id            INTEGER PRIMARY KEY,
    at            TEXT    NOT NULL,
    idem_key      TEXT,
    method        TEXT    NOT NULL,
    path          TEXT    NOT NULL,
    status        INTEGER,
    content_type  TEXT,
    body          BLOB,
    problem       TEXT    NOT NULL
);
