-- Signed tariff documents as received, and the highest version seen (rollback protection).
CREATE TABLE tariff_versions (
    tariff_id    TEXT    NOT NULL,
    version      INTEGER NOT NULL,
    document     TEXT    NOT NULL,
    signature    TEXT    NOT NULL,
    fetched_at   TEXT    NOT NULL,
    PRIMARY KEY (tariff_id, version)
);
CREATE TABLE tariff_highest (
    tariff_id  TEXT    PRIMARY KEY,
    version    INTEGER NOT NULL
);
