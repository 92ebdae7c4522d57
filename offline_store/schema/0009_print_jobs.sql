-- Durable print queue (printers/job_store.py). The payload is the receipt model as JSON,
-- tokens included: that is why it lives here, in the encrypted store, and nowhere else.
-- Times are fixed-width UTC text (YYYY-MM-DDTHH:MM:SS.ffffffZ), so text order is time order.
CREATE TABLE print_jobs (
    id               TEXT    PRIMARY KEY,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL,
    printer_id       TEXT    NOT NULL,
    kind             TEXT    NOT NULL CHECK (kind IN ('token', 'pending', 'reprint',
                                 'reversal', 'engineering', 'report', 'shift_close')),
    sale_ref         TEXT    NOT NULL DEFAULT '',
    payload          TEXT    NOT NULL,
    status           TEXT    NOT NULL DEFAULT 'queued'
                             CHECK (status IN ('queued', 'done', 'failed', 'cancelled')),
    attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error       TEXT    NOT NULL DEFAULT '',
    printed_count    INTEGER NOT NULL DEFAULT 0 CHECK (printed_count >= 0),
    last_printed_at  TEXT,
    original_job_id  TEXT    REFERENCES print_jobs(id),
    reprint_no       INTEGER NOT NULL DEFAULT 0 CHECK (reprint_no >= 0),
    -- A reprint number is given once per original.
    UNIQUE (original_job_id, reprint_no)
);
CREATE INDEX print_jobs_queue ON print_jobs(printer_id, status, created_at);
CREATE INDEX print_jobs_sale ON print_jobs(sale_ref);
