-- Last confirmed customer/meter data, so a known meter can be sold offline under policy.
CREATE TABLE meters (
    meter_number  TEXT PRIMARY KEY,
    body          TEXT NOT NULL,
    fetched_at    TEXT NOT NULL
);
