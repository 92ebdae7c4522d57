-- Tariff trust: the utility's tariff-signing keys, what each accepted tariff version
-- says about itself, every refused document (audit), and where the push stream resumes.
-- The signed documents themselves stay in tariff_versions (0004): `document` holds the exact
-- signed payload text and `signature` its base64 signature, so both can be verified again.

-- Ed25519 public keys provisioned at activation, by key id (keys rotate: several may be
-- trusted at once). A key id is never re-bound to other bytes; a retired key stays for history.
CREATE TABLE tariff_keys (
    key_id      TEXT PRIMARY KEY,
    alg         TEXT NOT NULL CHECK (alg = 'Ed25519'),
    public_key  TEXT NOT NULL,
    source      TEXT NOT NULL,
    added_at    TEXT NOT NULL,
    retired_at  TEXT
);

-- One row per accepted (verified) version, beside its tariff_versions row.
CREATE TABLE tariff_accepted (
    tariff_id       TEXT    NOT NULL,
    version         INTEGER NOT NULL,
    name            TEXT    NOT NULL,
    key_id          TEXT    NOT NULL,
    payload_sha256  TEXT    NOT NULL,
    issued_at       TEXT    NOT NULL,
    effective_from  TEXT    NOT NULL,
    expires_at      TEXT    NOT NULL,
    accepted_at     TEXT    NOT NULL,
    PRIMARY KEY (tariff_id, version)
);
CREATE INDEX tariff_accepted_effective ON tariff_accepted(tariff_id, effective_from);

-- Every refused tariff document, with the reason code (never the key or the full payload).
CREATE TABLE tariff_rejections (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    at              TEXT    NOT NULL,
    tariff_id       TEXT    NOT NULL,
    version         INTEGER,
    key_id          TEXT,
    reason          TEXT    NOT NULL,
    message         TEXT    NOT NULL,
    payload_sha256  TEXT
);

-- Small push-listener state (last event id), one row per name.
CREATE TABLE push_state (
    name        TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
