"""Terminals, activation and operators: credentials, policy, vendor float, PIN checks."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from typing import Any

from vendserver.db import Row
from vendserver.errors import ApiError
from vendserver.money import money
from vendserver.service.common import (
    ACTIVATION_MAX_FAILURES,
    ACTIVATION_WINDOW,
    DEFAULT_POLICY,
    OPERATOR_RE,
    PIN_LOCK,
    PIN_MAX_FAILURES,
    check_policy,
    iso,
    parse_time,
    pin_material,
)
from vendserver.service.core import ServiceCore


class TerminalOps(ServiceCore):
    """Terminal activation and authentication, operators and supervisor approval."""

    def authenticate(self, credential: str | None) -> Row:
        """The terminal owning `credential`, or 401/403."""
        if not credential:
            raise ApiError("TERMINAL_UNAUTHENTICATED",
                           "This request needs the terminal credential (Authorization: Bearer).")
        digest = hashlib.sha256(credential.encode("utf-8", "replace")).hexdigest()
        terminal = self.store.terminal_by_credential(digest)
        if terminal is None:
            raise ApiError("TERMINAL_UNAUTHENTICATED", "The terminal credential is not valid.")
        if terminal["disabled"]:
            raise ApiError("TERMINAL_DISABLED", "This terminal has been disabled by the utility.")
        if terminal["pending_credential"] is not None:
            # The terminal kept its credential: a repeated activation no longer returns it.
            with self.store.transaction():
                self.store.confirm_terminal(terminal["id"])
        return terminal

    def activate(self, code: str, name: str, client: str, *,
                 fingerprint: str | None = None) -> dict[str, Any]:
        """Exchange an activation code for a terminal credential.

        Safe to retry: the same code with the same terminal `fingerprint` returns the
        terminal and credential it created (without using the code again) until the
        terminal first authenticates with that credential; a till whose keyring failed
        after the code was counted activates again with the same code.
        """
        now = self.now()
        since = iso(now - ACTIVATION_WINDOW)
        if fingerprint is not None:
            with self.store.transaction():
                earlier = self.store.terminal_by_activation(code, fingerprint)
                if earlier is not None and earlier["pending_credential"] is not None:
                    return self._activation_answer(earlier, str(earlier["pending_credential"]))
        with self.store.transaction():
            if self.store.count_attempts("activation", client, since) >= ACTIVATION_MAX_FAILURES:
                oldest = self.store.oldest_attempt("activation", client, since) or iso(now)
                wait = int((parse_time(oldest, "at") + ACTIVATION_WINDOW - now).total_seconds())
                wait = max(wait, 1)
                raise ApiError("TOO_MANY_ATTEMPTS",
                               "Too many wrong activation codes; wait before trying again.",
                               {"retry_after_seconds": wait}, headers={"Retry-After": str(wait)})
            row = self.store.activation_code(code)
            valid = row is not None and row["uses"] < row["max_uses"]
            if not valid:
                self.store.add_attempt("activation", client, iso(now))
        if not valid or row is None:
            raise ApiError("ACTIVATION_CODE_INVALID",
                           "That activation code is not valid (unknown or already used).")
        with self.store.transaction():
            # Again, locked: a parallel activation (in any server process) may have won.
            row = self.store.activation_code(code, lock=True)
            if row is None or row["uses"] >= row["max_uses"]:
                raise ApiError("ACTIVATION_CODE_INVALID", "That activation code is not valid "
                               "(unknown or already used).")
            terminal_id = f"T{self.store.next_counter('terminal'):04d}"
            credential = "vpt_" + secrets.token_urlsafe(32)
            digest = hashlib.sha256(credential.encode()).hexdigest()
            self.store.add_terminal(terminal_id, name, row["vendor_id"], digest, iso(now),
                                    code=code if fingerprint is not None else None,
                                    fingerprint=fingerprint,
                                    pending_credential=credential
                                    if fingerprint is not None else None)
            self.store.use_activation_code(code)
            terminal = self.store.terminal(terminal_id)
            assert terminal is not None
            return self._activation_answer(terminal, credential)

    def _activation_answer(self, terminal: Row, credential: str) -> dict[str, Any]:
        vendor = self.store.vendor(terminal["vendor_id"])
        assert vendor is not None
        return {
            "terminal_id": terminal["id"],
            "credential": credential,
            "vendor": {"id": vendor["id"], "name": vendor["name"]},
            "utility": self.utility_wire(),
            "tariff_signing_keys": self.signing_keys_wire(),
            "offline_policy": self.policy(terminal),
            "sale_limits": self.sale_limits(),
            "server_time": iso(self.now()),
        }

    def terminal_info(self, terminal: Row) -> dict[str, Any]:
        """GET /v1/terminal."""
        vendor = self.store.vendor(terminal["vendor_id"])
        assert vendor is not None
        return {
            "terminal_id": terminal["id"],
            "name": terminal["name"],
            "server_time": iso(self.now()),
            "vendor": {"id": vendor["id"], "name": vendor["name"]},
            "vendor_credit": money(int(vendor["credit_cents"]), self._currency()),
            "utility": self.utility_wire(),
            "offline_policy": self.policy(terminal),
            "sale_limits": self.sale_limits(),
            "tariff_signing_keys": self.signing_keys_wire(),
        }

    def set_policy(self, terminal_id: str, changes: dict[str, Any]) -> None:
        """Change a terminal's offline policy and tell it (terminal.policy)."""
        with self.store.transaction():
            terminal = self.store.terminal(terminal_id, lock=True)
            if terminal is None:
                raise KeyError(terminal_id)
            current = json.loads(terminal["policy"]) if terminal["policy"] else {}
            current.update(changes)
            check_policy({**DEFAULT_POLICY, **current})
            self.store.set_terminal_policy(terminal_id, json.dumps(current))
            terminal = self.store.terminal(terminal_id)
            assert terminal is not None
            self._event("terminal.policy", {"terminal_id": terminal_id,
                                            "offline_policy": self.policy(terminal)},
                        terminal_id=terminal_id)
        self._notify()

    def top_up(self, vendor_id: str, cents: int) -> int:
        """Add to a vendor's float (vendor.credit); returns the new credit."""
        with self.store.transaction():
            added = self.store.credit_vendor(vendor_id, cents)
            if added is None:
                raise KeyError(vendor_id)
            credit = added
            self._event("vendor.credit", {"vendor_id": vendor_id,
                                          "vendor_credit": money(credit, self._currency()),
                                          "reason": "top_up"}, vendor_id=vendor_id)
        self._notify()
        return credit

    def _operator(self, terminal: Row, operator_id: str | None, *, active: bool = True) -> Row:
        if not operator_id:
            raise ApiError("OPERATOR_REQUIRED", "This request needs the X-Operator-Id header.")
        allowed = {o["id"]: o for o in self.store.operators_for_terminal(
            terminal["id"], terminal["vendor_id"])}
        op = allowed.get(operator_id)
        if op is None or (active and not op["active"]):
            raise ApiError("OPERATOR_NOT_ALLOWED",
                           "That operator may not work on this terminal.",
                           {"operator_id": operator_id
                            if OPERATOR_RE.fullmatch(operator_id) else ""})
        return op

    def operators(self, terminal: Row) -> dict[str, Any]:
        """GET /v1/operators: the operators assigned to this terminal, each with PIN
        verification material for this terminal only (argon2id over the scrypt hash, never
        the scrypt hash itself)."""
        ops = self.store.operators_for_terminal(terminal["id"], terminal["vendor_id"])
        out = []
        for o in ops:
            salt, material = self._material(terminal["id"], o)
            out.append({
                "id": o["id"], "name": o["name"], "role": o["role"], "active": bool(o["active"]),
                "pin_kdf": {"alg": "scrypt+argon2id", "n": o["kdf_n"], "r": o["kdf_r"],
                            "p": o["kdf_p"], "dklen": o["kdf_dklen"],
                            "salt": bytes(o["pin_salt"]).hex(),
                            "argon2id": {**self.pin_cost, "salt": salt.hex()}},
                "pin_hash": material.hex(), "updated_at": o["updated_at"],
            })
        return {"operators": out}

    def _material(self, terminal_id: str, op: Row) -> tuple[bytes, bytes]:
        key = (terminal_id, str(op["id"]), bytes(op["pin_hash"]))
        found = self._pin_material.get(key)
        if found is None:
            found = pin_material(bytes(op["pin_hash"]), terminal_id, bytes(op["pin_salt"]),
                                 self.pin_cost)
            self._pin_material[key] = found
        return found

    def verify_pin(self, terminal: Row, operator_id: str, pin: str) -> Row:
        """Check an operator's PIN with the attempt limit; returns the operator."""
        op = self._operator(terminal, operator_id)
        now = self.now()
        if op["locked_until"] and op["locked_until"] > iso(now):
            raise ApiError("OPERATOR_LOCKED", "This operator is locked after too many wrong "
                           "PINs; try again later.", {"locked_until": op["locked_until"]})
        digest = hashlib.scrypt(pin.encode("utf-8"), salt=bytes(op["pin_salt"]),
                                n=op["kdf_n"], r=op["kdf_r"], p=op["kdf_p"],
                                dklen=op["kdf_dklen"])
        with self.store.transaction():
            fresh = self.store.operator(operator_id, lock=True)
            assert fresh is not None
            if hmac.compare_digest(digest, bytes(op["pin_hash"])):
                if fresh["failed"] or fresh["locked_until"]:
                    self.store.set_operator_failures(operator_id, 0, None)
                return op
            failed = int(fresh["failed"]) + 1
            if failed >= PIN_MAX_FAILURES:
                self.store.set_operator_failures(operator_id, 0, iso(now + PIN_LOCK))
            else:
                self.store.set_operator_failures(operator_id, failed, None)
        raise ApiError("PIN_INVALID", "The PIN is wrong.",
                       {"attempts_left": max(PIN_MAX_FAILURES - failed, 0)})

    def login(self, terminal: Row, operator_id: str, pin: str) -> dict[str, Any]:
        """POST /v1/operators/login."""
        op = self.verify_pin(terminal, operator_id, pin)
        return {"operator": {"id": op["id"], "name": op["name"], "role": op["role"]}}

    def _supervisor(self, terminal: Row, supervisor: dict[str, Any]) -> Row:
        op = self.verify_pin(terminal, supervisor["operator_id"], supervisor["pin"])
        if op["role"] not in ("supervisor", "admin"):
            raise ApiError("SUPERVISOR_REQUIRED", "This needs a supervisor's approval.")
        return op
