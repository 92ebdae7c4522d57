-- Supervisor features (app/supervisor): report ledger, Z reports, shifts' cash, approvals'
-- side tables. Times are UTC text; money integer minor units; energy integer 0.1 units.

-- Report dimensions: every distinct (kind, operator, tender, tariff, utility, detail, unit,
-- currency) gets a small integer id, so the ledger and its covering index stay narrow.
CREATE TABLE report_dims (
    dim_id       INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    operator_id  TEXT NOT NULL DEFAULT '',
    tender       TEXT NOT NULL DEFAULT '',
    tariff       TEXT NOT NULL DEFAULT '',
    tariff_name  TEXT NOT NULL DEFAULT '',
    utility      TEXT NOT NULL DEFAULT '',
    detail       TEXT NOT NULL DEFAULT '',
    unit         TEXT NOT NULL DEFAULT '',
    currency     TEXT NOT NULL DEFAULT '',
    UNIQUE (kind, operator_id, tender, tariff, tariff_name, utility, detail, unit, currency)
);

-- The report ledger: one row per reportable event (a tokened sale, a reversal, a reprint,
-- an engineering token, a cash refund). `z_number` is the Z report that was still open when
-- the row was written, so a Z report is one index range and issuing one updates nothing.
CREATE TABLE report_ledger (
    seq            INTEGER PRIMARY KEY,
    z_number       INTEGER NOT NULL,
    at             TEXT    NOT NULL,
    dim_id         INTEGER NOT NULL,
    ref            TEXT    NOT NULL DEFAULT '',
    shift_id       TEXT,
    amount_minor   INTEGER NOT NULL DEFAULT 0,
    units_tenths   INTEGER NOT NULL DEFAULT 0,
    vat_minor      INTEGER NOT NULL DEFAULT 0,
    charges_minor  INTEGER NOT NULL DEFAULT 0,
    debt_minor     INTEGER NOT NULL DEFAULT 0,
    tokens         INTEGER NOT NULL DEFAULT 0,
    offline        INTEGER NOT NULL DEFAULT 0
);
-- Covering index: the Z/X aggregate reads only this index, already grouped by dim_id.
CREATE INDEX report_ledger_z ON report_ledger (
    z_number, dim_id, amount_minor, units_tenths, vat_minor, charges_minor, debt_minor,
    tokens, offline
);
CREATE INDEX report_ledger_at ON report_ledger (at);
CREATE TRIGGER report_ledger_no_update BEFORE UPDATE ON report_ledger
BEGIN
    SELECT RAISE(ABORT, 'the report ledger is append-only');
END;
CREATE TRIGGER report_ledger_no_delete BEFORE DELETE ON report_ledger
BEGIN
    SELECT RAISE(ABORT, 'the report ledger is append-only');
END;

-- Issued Z reports: immutable once written (only print/upload bookkeeping may change).
CREATE TABLE z_reports (
    z_number         INTEGER PRIMARY KEY CHECK (z_number > 0),
    issued_at        TEXT    NOT NULL,
    period_start     TEXT    NOT NULL,
    period_end       TEXT    NOT NULL,
    issued_by        TEXT    NOT NULL,
    approved_by      TEXT    NOT NULL,
    body             TEXT    NOT NULL,
    body_sha256      TEXT    NOT NULL,
    -- the journal's head when the Z was issued: anchors the chain against truncation
    journal_seq      INTEGER NOT NULL DEFAULT 0,
    journal_hash     TEXT    NOT NULL DEFAULT '',
    print_count      INTEGER NOT NULL DEFAULT 0,
    upload_state     TEXT    NOT NULL DEFAULT 'pending'
                     CHECK (upload_state IN ('pending', 'matched', 'differences', 'failed')),
    uploaded_at      TEXT,
    upload_response  TEXT
);
CREATE TRIGGER z_reports_immutable BEFORE UPDATE OF
    z_number, issued_at, period_start, period_end, issued_by, approved_by, body, body_sha256,
    journal_seq, journal_hash ON z_reports
BEGIN
    SELECT RAISE(ABORT, 'an issued Z report cannot be changed');
END;
CREATE TRIGGER z_reports_no_delete BEFORE DELETE ON z_reports
BEGIN
    SELECT RAISE(ABORT, 'an issued Z report cannot be deleted');
END;

-- How each sale was paid (the server does not know); cash when absent.
CREATE TABLE sale_tenders (
    idem_key  TEXT PRIMARY KEY,
    tender    TEXT NOT NULL
);

CREATE INDEX IF NOT EXISTS sales_shift ON sales (shift_id);
CREATE INDEX IF NOT EXISTS sales_created ON sales (created_at);

CREATE TABLE cash_drops (
    id            INTEGER PRIMARY KEY,
    shift_id      TEXT    NOT NULL REFERENCES shifts(shift_id),
    at            TEXT    NOT NULL,
    amount_minor  INTEGER NOT NULL CHECK (amount_minor > 0),
    currency      TEXT    NOT NULL,
    operator_id   TEXT    NOT NULL,
    note          TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX cash_drops_shift ON cash_drops (shift_id);

CREATE TABLE shift_closes (
    shift_id           TEXT    PRIMARY KEY REFERENCES shifts(shift_id),
    closed_by          TEXT    NOT NULL,
    counted_minor      INTEGER NOT NULL,
    expected_minor     INTEGER NOT NULL,
    over_short_minor   INTEGER NOT NULL,
    denominations      TEXT    NOT NULL DEFAULT '{}',
    body               TEXT    NOT NULL,
    note               TEXT    NOT NULL DEFAULT ''
);

CREATE TABLE reversals (
    reversal_no   TEXT    PRIMARY KEY,
    receipt_no    TEXT    NOT NULL,
    reversed_at   TEXT    NOT NULL,
    operator_id   TEXT    NOT NULL,
    supervisor_id TEXT    NOT NULL,
    amount_minor  INTEGER NOT NULL,
    currency      TEXT    NOT NULL,
    reason        TEXT    NOT NULL,
    body          TEXT    NOT NULL
);

-- Engineering tokens issued through the server (digits kept only here, encrypted).
CREATE TABLE engineering_tokens (
    reference      TEXT PRIMARY KEY,
    issued_at      TEXT NOT NULL,
    meter_number   TEXT NOT NULL,
    type           TEXT NOT NULL,
    operator_id    TEXT NOT NULL,
    supervisor_id  TEXT NOT NULL,
    body           TEXT NOT NULL
);

-- What a supervisor did about a sale that needs attention.
CREATE TABLE attention_actions (
    id            INTEGER PRIMARY KEY,
    idem_key      TEXT    NOT NULL,
    at            TEXT    NOT NULL,
    action        TEXT    NOT NULL CHECK (action IN ('retry', 'cash_refund', 'close')),
    operator_id   TEXT    NOT NULL,
    note          TEXT    NOT NULL DEFAULT '',
    amount_minor  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX attention_actions_key ON attention_actions (idem_key);

-- A sale becoming tokened lands in the report ledger in the same transaction, whoever wrote
-- it (sale service or sync engine). Server amounts have exactly 2 decimals and units exactly
-- 1 decimal (API contract), so dropping the point gives minor units / tenths exactly.
-- The trigger never makes the sale's own write fail: it only runs on a valid JSON answer
-- (always the case: the core stores the parsed, validated answer) and every value has a
-- fallback.
CREATE TRIGGER report_sale_tokened AFTER UPDATE OF state ON sales
WHEN NEW.state = 'tokened' AND OLD.state <> 'tokened' AND NEW.response IS NOT NULL
     AND json_valid(NEW.response)
BEGIN
    INSERT OR IGNORE INTO report_dims
        (kind, operator_id, tender, tariff, tariff_name, utility, detail, unit, currency)
    VALUES ('sale', NEW.operator_id,
            COALESCE((SELECT tender FROM sale_tenders WHERE idem_key = NEW.idem_key), 'cash'),
            COALESCE(json_extract(NEW.response, '$.tariff.id'), ''),
            COALESCE(json_extract(NEW.response, '$.tariff.name'), ''),
            COALESCE(json_extract(NEW.response, '$.utility.name'), ''),
            '', COALESCE(json_extract(NEW.response, '$.unit'), ''),
            COALESCE(json_extract(NEW.response, '$.amount_tendered.currency'), NEW.currency));
    INSERT INTO report_ledger
        (z_number, at, dim_id, ref, shift_id, amount_minor, units_tenths, vat_minor,
         charges_minor, debt_minor, tokens, offline)
    VALUES (
        (SELECT COALESCE(max(z_number), 0) + 1 FROM z_reports),
        substr(COALESCE(json_extract(NEW.response, '$.sold_at'), NEW.updated_at), 1, 19) || 'Z',
        (SELECT dim_id FROM report_dims WHERE kind = 'sale'
            AND operator_id = NEW.operator_id
            AND tender = COALESCE((SELECT tender FROM sale_tenders
                                   WHERE idem_key = NEW.idem_key), 'cash')
            AND tariff = COALESCE(json_extract(NEW.response, '$.tariff.id'), '')
            AND tariff_name = COALESCE(json_extract(NEW.response, '$.tariff.name'), '')
            AND utility = COALESCE(json_extract(NEW.response, '$.utility.name'), '')
            AND detail = ''
            AND unit = COALESCE(json_extract(NEW.response, '$.unit'), '')
            AND currency = COALESCE(json_extract(NEW.response, '$.amount_tendered.currency'),
                                    NEW.currency)),
        COALESCE(NEW.receipt_no, NEW.idem_key),
        NEW.shift_id,
        COALESCE(CAST(replace(json_extract(NEW.response, '$.amount_tendered.amount'), '.', '')
                      AS INTEGER), NEW.amount_minor),
        COALESCE(CAST(replace(json_extract(NEW.response, '$.units'), '.', '') AS INTEGER), 0),
        COALESCE(CAST(replace(json_extract(NEW.response, '$.vat.amount.amount'), '.', '')
                      AS INTEGER), 0),
        (SELECT COALESCE(sum(
                    COALESCE(CAST(replace(json_extract(value, '$.amount.amount'), '.', '')
                                  AS INTEGER), 0)
                    + COALESCE(CAST(replace(json_extract(value, '$.vat.amount'), '.', '')
                                    AS INTEGER), 0)), 0)
           FROM json_each(NEW.response, '$.lines')
          WHERE json_extract(value, '$.kind') = 'fixed_charge'),
        (SELECT COALESCE(sum(COALESCE(
                    CAST(replace(json_extract(value, '$.amount.amount'), '.', '') AS INTEGER),
                    0)), 0)
           FROM json_each(NEW.response, '$.lines')
          WHERE json_extract(value, '$.kind') = 'debt_recovery'),
        COALESCE(json_array_length(NEW.response, '$.tokens'), 0),
        NEW.offline
    );
END;

-- Every reprint that goes through the print queue is counted.
CREATE TRIGGER report_reprint AFTER INSERT ON print_jobs
WHEN NEW.kind = 'reprint' OR NEW.reprint_no > 0
BEGIN
    INSERT OR IGNORE INTO report_dims (kind, operator_id, detail)
    VALUES ('reprint', COALESCE(CASE WHEN json_valid(NEW.payload) THEN json_extract(NEW.payload, '$.operator') END, ''), '');
    INSERT INTO report_ledger (z_number, at, dim_id, ref)
    VALUES (
        (SELECT COALESCE(max(z_number), 0) + 1 FROM z_reports),
        substr(NEW.created_at, 1, 19) || 'Z',
        (SELECT dim_id FROM report_dims WHERE kind = 'reprint'
            AND operator_id = COALESCE(CASE WHEN json_valid(NEW.payload) THEN json_extract(NEW.payload, '$.operator') END, '')
            AND tender = '' AND tariff = '' AND tariff_name = '' AND utility = ''
            AND detail = '' AND unit = '' AND currency = ''),
        NEW.sale_ref
    );
END;
