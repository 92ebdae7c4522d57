-- Which tariff each sale was quoted and sold on (docs/client-core.md §4, docs/tariffs.md §6).
--
-- tariff_id              the meter's tariff (from the quote, the cached meter, or the server's sale)
-- quoted_tariff_version  the version of the quote the cashier showed (offline without a quote:
--                        the version in force on this terminal when the sale was written)
-- sold_tariff_version    the version the sale was priced on
-- sold_tariff_source     'server': from the server's sale answer (the truth, printed on the receipt);
--                        'local': the version in force on this terminal when an offline
--                        ("token pending") sale was written — provisional until the sale syncs
--                        and the server's answer replaces it.
ALTER TABLE sales ADD COLUMN tariff_id TEXT;
ALTER TABLE sales ADD COLUMN quoted_tariff_version INTEGER;
ALTER TABLE sales ADD COLUMN sold_tariff_version INTEGER;
ALTER TABLE sales ADD COLUMN sold_tariff_source TEXT
    CHECK (sold_tariff_source IS NULL OR sold_tariff_source IN ('server', 'local'));

-- Sales written before this migration: the stored answers already carry the versions.
-- (Only UPDATE OF state fires the report trigger of 0011; these updates do not touch state.)
UPDATE sales
   SET tariff_id = json_extract(response, '$.tariff.id'),
       sold_tariff_version = json_extract(response, '$.tariff.version'),
       sold_tariff_source = 'server'
 WHERE response IS NOT NULL AND json_valid(response)
   AND typeof(json_extract(response, '$.tariff.version')) = 'integer';
UPDATE sales
   SET quoted_tariff_version = json_extract(quote, '$.tariff.version'),
       tariff_id = COALESCE(tariff_id, json_extract(quote, '$.tariff.id'))
 WHERE quote IS NOT NULL AND json_valid(quote)
   AND typeof(json_extract(quote, '$.tariff.version')) = 'integer';

-- The needs-attention queue (app/supervisor/attention.py, and its count in reports.py) asks
-- for `state = 'needs_attention' OR (state = 'rejected' AND offline = 1)` ORDER BY created_at.
-- Rejected offline sales are closed (not in the outbox), so without this index that query
-- scans every sale ever made. Partial: only the few rows in those states are in it, so the
-- write cost of a normal sale is nil. The query must repeat this WHERE term as written for
-- SQLite to use the index.
CREATE INDEX sales_attention ON sales (created_at)
    WHERE state = 'needs_attention' OR (state = 'rejected' AND offline = 1);
