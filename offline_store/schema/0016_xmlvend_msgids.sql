-- XMLVend 2.1 request identities (docs/xmlvend.md, "Exactly once").
-- Every XMLVend request carries a msgID (dateTime + uniqueNumber) that must never repeat for
-- this terminal: the counter is persisted here and advanced in the transaction that uses it.
CREATE TABLE xmlvend_counter (
    terminal_id   TEXT PRIMARY KEY,
    last_number   INTEGER NOT NULL CHECK (last_number >= 0)
);

-- The msgID(s) of each sale, keyed by the sale's idempotency key, written BEFORE the first
-- byte of that attempt is sent. Attempt 1 is the original creditVendReq; a server that
-- refuses a reused number gets a later attempt (a new msgID) only after it answered that the
-- earlier one was never processed. `receipt_no` is filled in when the sale is tokened.
CREATE TABLE xmlvend_msgids (
    idem_key      TEXT NOT NULL,
    attempt       INTEGER NOT NULL CHECK (attempt >= 1),
    date_time     TEXT NOT NULL CHECK (length(date_time) BETWEEN 14 AND 17),
    unique_number INTEGER NOT NULL CHECK (unique_number >= 1),
    terminal_id   TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'sent'
                  CHECK (state IN ('sent', 'answered', 'not_processed')),
    receipt_no    TEXT,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (idem_key, attempt),
    UNIQUE (terminal_id, date_time, unique_number)
);
CREATE INDEX xmlvend_msgids_receipt ON xmlvend_msgids (receipt_no);
