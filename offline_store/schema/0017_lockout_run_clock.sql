-- The offline PIN lockout on a clock the terminal's wall clock cannot move (app/lockout.py).
-- `run_clock` is VendPoint's run time in ms: advanced only by the process's monotonic clock,
-- written back at every reading, never moved backwards. A lock ends when the run clock
-- reaches `unlock_at_run_ms`; `locked_until` is only the wall-clock estimate for the screen.
CREATE TABLE run_clock (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    elapsed_ms  INTEGER NOT NULL CHECK (elapsed_ms >= 0)
);
INSERT INTO run_clock (id, elapsed_ms) VALUES (1, 0);
ALTER TABLE operator_lockout ADD COLUMN unlock_at_run_ms INTEGER;
-- A lock in force at the upgrade runs its full 15 minutes on the new clock.
UPDATE operator_lockout SET unlock_at_run_ms = 900000 WHERE locked_until IS NOT NULL;
