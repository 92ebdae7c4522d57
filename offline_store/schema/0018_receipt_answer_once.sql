-- The server's answer to a sale is kept once, in `sales.response`, written by the same
-- statement that makes the sale tokened (and so the receipt row, in the same transaction).
-- `receipts.body` was a second copy nobody read: it doubled a sale's size on disk (and in every
-- backup) and added its pages to the sale's commit. The receipt row keeps its number and time.
ALTER TABLE receipts DROP COLUMN body;
