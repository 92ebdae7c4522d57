-- Append-only audit journal with a hash chain: hash = sha256(prev_hash || canonical content).
CREATE TABLE journal (
    seq        INTEGER PRIMARY KEY,
    at         TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    ref        TEXT    NOT NULL DEFAULT '',
    body       TEXT    NOT NULL,
    prev_hash  TEXT    NOT NULL,
    hash       TEXT    NOT NULL
);
-- No secondary indexes: every sale commit appends here, and fewer pages per commit keep the
-- fsync'd transaction small. Look-ups by ref are rare (audit) and may scan.
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN
    SELECT RAISE(ABORT, 'the journal is append-only');
END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN
    SELECT RAISE(ABORT, 'the journal is append-only');
END;
