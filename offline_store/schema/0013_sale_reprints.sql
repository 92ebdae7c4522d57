-- How many times a sale's receipt was reprinted (docs/client-core.md, "Documents and reprints").
-- The reprint policy is checked against this count; it is incremented in the transaction that
-- inserts the reprint's print job, and each reprint is journaled (`sale.reprint`).
ALTER TABLE sales ADD COLUMN reprint_count INTEGER NOT NULL DEFAULT 0
    CHECK (reprint_count >= 0);

-- Sales reprinted before this migration: their reprint jobs are filed under the sale's slip
-- reference (the `client_reference` of its request).
UPDATE sales
   SET reprint_count = (SELECT count(*) FROM print_jobs p
                         WHERE p.reprint_no > 0
                           AND p.sale_ref = json_extract(sales.request, '$.client_reference'))
 WHERE json_valid(request)
   AND EXISTS (SELECT 1 FROM print_jobs p
                WHERE p.reprint_no > 0
                  AND p.sale_ref = json_extract(sales.request, '$.client_reference'));
