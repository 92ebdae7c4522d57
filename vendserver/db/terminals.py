"""Queries of vendors, activation codes, attempt limits, counters, terminals and operators."""

from __future__ import annotations

from vendserver.db.base import Row, StoreBase


class TerminalQueries(StoreBase):
    """Vendors and their float, terminal activation and credentials, operators."""

    # -- vendors, activation, terminals --------------------------------------------------------
    def add_vendor(self, vendor_id: str, name: str, credit: int) -> None:
        self._exec("INSERT INTO vendors VALUES (?, ?, ?)", (vendor_id, name, credit))

    def vendor(self, vendor_id: str) -> Row | None:
        return self._one("SELECT * FROM vendors WHERE id=?", (vendor_id,))

    def set_vendor_credit(self, vendor_id: str, credit: int) -> None:
        self._exec("UPDATE vendors SET credit_cents=? WHERE id=?", (credit, vendor_id))

    def debit_vendor(self, vendor_id: str, cents: int) -> int | None:
        """Take `cents` from the vendor's float in one statement; the credit left, or None
        (nothing taken) when the float is too low. One statement, so two processes selling
        for the same vendor at once cannot both spend the same credit."""
        row = self._one("UPDATE vendors SET credit_cents=credit_cents-? WHERE id=? AND "
                        "credit_cents>=? RETURNING credit_cents", (cents, vendor_id, cents))
        return None if row is None else int(row["credit_cents"])

    def debit_vendor_numbered(self, vendor_id: str, cents: int,
                              counter: str) -> tuple[int, int] | None:
        """`debit_vendor`, then (only if it took the float) the next number of `counter`:
        (credit left, number), or None with nothing taken. An engine may do both in one
        round trip."""
        number = self._counter_expression(counter)
        if number is None:
            left = self.debit_vendor(vendor_id, cents)
            return None if left is None else (left, self.next_counter(counter))
        # RETURNING runs only for the row the debit changed: no number taken without it.
        # `number` is the engine's SQL for a known counter, never input: safe to format.
        sql = ("UPDATE vendors SET credit_cents=credit_cents-? WHERE id=? AND credit_cents>=? "  # noqa: S608
               f"RETURNING credit_cents, {number} AS number")
        row = self._one(sql, (cents, vendor_id, cents))
        return None if row is None else (int(row["credit_cents"]), int(row["number"]))

    def credit_vendor(self, vendor_id: str, cents: int) -> int | None:
        """Add `cents` to the vendor's float (top-up, reversal); the new credit, or None
        when there is no such vendor."""
        row = self._one("UPDATE vendors SET credit_cents=credit_cents+? WHERE id=? "
                        "RETURNING credit_cents", (cents, vendor_id))
        return None if row is None else int(row["credit_cents"])

    def add_activation_code(self, code: str, vendor_id: str, max_uses: int) -> None:
        self._exec("INSERT INTO activation_codes(code, vendor_id, max_uses) VALUES (?, ?, ?)",
                   (code, vendor_id, max_uses))

    def activation_code(self, code: str, *, lock: bool = False) -> Row | None:
        return self._one(self._locking("SELECT * FROM activation_codes WHERE code=?", lock),
                         (code,))

    def use_activation_code(self, code: str) -> None:
        self._exec("UPDATE activation_codes SET uses=uses+1 WHERE code=?", (code,))

    def count_attempts(self, scope: str, who: str, since: str) -> int:
        row = self._one("SELECT COUNT(*) AS n FROM attempts WHERE scope=? AND who=? AND at>=?",
                        (scope, who, since))
        return int(row["n"]) if row else 0

    def oldest_attempt(self, scope: str, who: str, since: str) -> str | None:
        row = self._one("SELECT MIN(at) AS at FROM attempts WHERE scope=? AND who=? AND at>=?",
                        (scope, who, since))
        return None if row is None or row["at"] is None else str(row["at"])

    def add_attempt(self, scope: str, who: str, at: str) -> None:
        self._exec("INSERT INTO attempts VALUES (?, ?, ?)", (scope, who, at))

    def add_terminal(self, terminal_id: str, name: str, vendor_id: str, credential_hash: str,
                     at: str, *, code: str | None = None, fingerprint: str | None = None,
                     pending_credential: str | None = None) -> None:
        self._exec("INSERT INTO terminals(id, name, vendor_id, credential_hash, created_at, "
                   "activation_code, fingerprint, pending_credential) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   (terminal_id, name, vendor_id, credential_hash, at, code, fingerprint,
                    pending_credential))

    def terminal_by_activation(self, code: str, fingerprint: str) -> Row | None:
        return self._one("SELECT * FROM terminals WHERE activation_code=? AND fingerprint=?",
                         (code, fingerprint))

    def confirm_terminal(self, terminal_id: str) -> None:
        """The terminal used its credential: it is no longer kept in clear."""
        self._exec("UPDATE terminals SET pending_credential=NULL WHERE id=?", (terminal_id,))
        self._changed(self.TERMINALS)

    def terminal_by_credential(self, credential_hash: str) -> Row | None:
        # Read on every request: cached where the engine invalidates across processes.
        row = self._cached(self.TERMINALS, credential_hash, lambda: self._one(
            "SELECT * FROM terminals WHERE credential_hash=?", (credential_hash,)))
        return None if row is None else dict(row)

    def terminal(self, terminal_id: str, *, lock: bool = False) -> Row | None:
        return self._one(self._locking("SELECT * FROM terminals WHERE id=?", lock), (terminal_id,))

    def set_terminal_policy(self, terminal_id: str, policy_json: str | None) -> None:
        self._exec("UPDATE terminals SET policy=? WHERE id=?", (policy_json, terminal_id))
        self._changed(self.TERMINALS)

    def set_terminal_disabled(self, terminal_id: str, disabled: bool) -> None:
        self._exec("UPDATE terminals SET disabled=? WHERE id=?", (int(disabled), terminal_id))
        self._changed(self.TERMINALS)

    # -- operators -------------------------------------------------------------
    def add_operator(self, row: Row) -> None:
        cols = ("id", "name", "role", "vendor_id", "pin_salt", "pin_hash", "kdf_n", "kdf_r",
                "kdf_p", "kdf_dklen", "active", "updated_at")
        self._insert("operators", cols, row)
        self._changed(self.OPERATORS)

    def restrict_operator(self, operator_id: str, terminal_id: str) -> None:
        self._exec("INSERT INTO operator_terminals VALUES (?, ?) ON CONFLICT DO NOTHING",
                   (operator_id, terminal_id))
        self._changed(self.OPERATORS)

    def operator(self, operator_id: str, *, lock: bool = False) -> Row | None:
        return self._one(self._locking("SELECT * FROM operators WHERE id=?", lock), (operator_id,))

    def operators_for_terminal(self, terminal_id: str, vendor_id: str) -> list[Row]:
        # Read on every sale: cached where the engine invalidates across processes.
        rows: list[Row] = self._cached(self.OPERATORS, (terminal_id, vendor_id), lambda: self._all(
            "SELECT o.* FROM operators o WHERE o.vendor_id=? AND (NOT EXISTS "
            "(SELECT 1 FROM operator_terminals t WHERE t.operator_id=o.id) OR EXISTS "
            "(SELECT 1 FROM operator_terminals t WHERE t.operator_id=o.id AND t.terminal_id=?)) "
            "ORDER BY o.id", (vendor_id, terminal_id)))
        return [dict(r) for r in rows]

    def set_operator_failures(self, operator_id: str, failed: int,
                              locked_until: str | None) -> None:
        self._exec("UPDATE operators SET failed=?, locked_until=? WHERE id=?",
                   (failed, locked_until, operator_id))
        self._changed(self.OPERATORS)
