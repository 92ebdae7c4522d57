-- The cash the customer handed over for a sale (the sale amount is the server's
-- `amount_tendered`): the token receipt prints it with the change. Written in the sale's own
-- insert transaction; a sale without a row prints only its amount.
CREATE TABLE sale_cash_tendered (
    idem_key  TEXT PRIMARY KEY,
    minor     INTEGER NOT NULL CHECK (minor >= 0),
    currency  TEXT NOT NULL
);
