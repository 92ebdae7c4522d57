-- Cashier shifts: opening float, closing count, Z number once closed.
CREATE TABLE shifts (
    shift_id             TEXT    PRIMARY KEY,
    operator_id          TEXT    NOT NULL,
    opened_at            TEXT    NOT NULL,
    closed_at            TEXT,
    currency             TEXT    NOT NULL,
    opening_float_minor  INTEGER NOT NULL DEFAULT 0,
    closing_count_minor  INTEGER,
    z_number             INTEGER UNIQUE,
    state                TEXT    NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed'))
);
