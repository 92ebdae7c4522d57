-- The sale state machine's guards (docs/client-core.md, "States").
--
-- `version` is bumped by every state change: a transition is a compare-and-set on the state
-- (and, where the actor read it, the version), so a slower actor can never overwrite a later
-- decision. `held_by` / `held_until` on the outbox row are the lease of the one actor that is
-- resolving the sale (the cashier's attempt, or the sync worker); it expires on its own, so a
-- crash never leaves a sale held.
ALTER TABLE sales ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN held_by TEXT;
ALTER TABLE outbox ADD COLUMN held_until TEXT;

-- The outbox row exists if and only if the sale still needs the server. The code keeps it so
-- in the transition's own transaction; these triggers make it true whatever writes the state.
-- A needs-attention item a supervisor closed or paid back (reason code CLOSED_BY_SUPERVISOR /
-- CASH_REFUNDED) needs nothing more from the server.
CREATE TRIGGER sales_outbox_closed AFTER UPDATE OF state, reason_code ON sales
WHEN NEW.state IN ('tokened', 'rejected', 'void')
  OR (NEW.state = 'needs_attention' AND NEW.reason_code IN ('CLOSED_BY_SUPERVISOR',
                                                           'CASH_REFUNDED'))
BEGIN
    DELETE FROM outbox WHERE idem_key = NEW.idem_key;
END;

CREATE TRIGGER sales_outbox_open AFTER UPDATE OF state, reason_code ON sales
WHEN (NEW.state IN ('sending', 'pending', 'unresolved')
      OR (NEW.state = 'needs_attention'
          AND COALESCE(NEW.reason_code, '') NOT IN ('CLOSED_BY_SUPERVISOR', 'CASH_REFUNDED')))
 AND NOT EXISTS (SELECT 1 FROM outbox WHERE idem_key = NEW.idem_key)
BEGIN
    INSERT INTO outbox (idem_key, queued_at, maybe_sent) VALUES (NEW.idem_key, NEW.updated_at, 1);
END;

-- Repair stores written before the guard: an open sale without its outbox row is queued again
-- (it is looked up by its key before anything is sent: maybe_sent), a closed one loses its row.
INSERT INTO outbox (idem_key, queued_at, maybe_sent)
SELECT idem_key, updated_at, 1 FROM sales
 WHERE (state IN ('sending', 'pending', 'unresolved')
        OR (state = 'needs_attention'
            AND COALESCE(reason_code, '') NOT IN ('CLOSED_BY_SUPERVISOR', 'CASH_REFUNDED')))
   AND idem_key NOT IN (SELECT idem_key FROM outbox);
DELETE FROM outbox WHERE idem_key IN (
    SELECT idem_key FROM sales
     WHERE state IN ('tokened', 'rejected', 'void')
        OR (state = 'needs_attention' AND reason_code IN ('CLOSED_BY_SUPERVISOR', 'CASH_REFUNDED')));
