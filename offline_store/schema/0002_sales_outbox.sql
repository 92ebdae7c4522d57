-- Every sale, from the moment its idempotency key exists; the outbox holds the unfinished ones.
CREATE TABLE sales (
    idem_key      TEXT    PRIMARY KEY,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    state         TEXT    NOT NULL CHECK (state IN
                    ('sending', 'pending', 'unresolved', 'tokened', 'rejected',
                     'needs_attention', 'void')),
    offline       INTEGER NOT NULL DEFAULT 0,
    meter_number  TEXT    NOT NULL,
    amount_minor  INTEGER NOT NULL CHECK (amount_minor > 0),
    currency      TEXT    NOT NULL,
    operator_id   TEXT    NOT NULL,
    shift_id      TEXT,
    customer      TEXT    NOT NULL DEFAULT '{}',
    request       TEXT    NOT NULL,
    quote         TEXT,
    receipt_no    TEXT,
    response      TEXT,
    reason_code   TEXT,
    reason        TEXT
);
CREATE INDEX sales_meter ON sales(meter_number);

CREATE TABLE outbox (
    -- Drain order. Not AUTOINCREMENT: max(seq)+1 keeps the order and saves a page per commit.
    seq              INTEGER PRIMARY KEY,
    idem_key         TEXT    NOT NULL UNIQUE REFERENCES sales(idem_key),
    queued_at        TEXT    NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    maybe_sent       INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT,
    last_error       TEXT
);
