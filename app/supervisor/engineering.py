"""Engineering (management) tokens through the server: supervisor only, journaled, printed.

Types (docs/api.md `POST /v1/engineering-tokens`): clear tamper, clear credit (a register),
set maximum power limit and phase unbalance limit (watts, 1..65535), key change (the pending
TID rollover to base date 2014 and/or a tariff-index change; `new_ti` asks for one now), and
the class-1 test/display token (36 control bits, default all). The token digits are kept in the
encrypted store for reprints; the journal records everything but the digits.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from app.sales.token_lines import token_lines
from app.supervisor.approvals import Approval, ApprovalService
from app.supervisor.context import ReceiptSink, TerminalContext
from app.supervisor.documents import DocumentWriter
from app.supervisor.ledger import Dim, add_entry
from app.supervisor.permissions import Actor, Permission, require
from common.errors import InvalidInput
from common.i18n import N_, _
from offline_store import Connection, Store
from offline_store.journal import append
from printers import model as pm
from sts.errors import MeterNumberError
from sts.meter_number import parse_meter_number

#: The engineering token types and their names (English; shown with `_()`).
TYPES: dict[str, str] = {
    "clear_tamper": N_("Clear tamper"),
    "clear_credit": N_("Clear credit"),
    "set_power_limit": N_("Set maximum power limit"),
    "set_phase_unbalance": N_("Set phase unbalance limit"),
    "key_change": N_("Key change (TID rollover / tariff index)"),
    "test": N_("Test / display"),
}
REGISTERS = ("electricity", "water", "all")
TEST_ALL_BITS = (1 << 36) - 1


@dataclass(frozen=True)
class EngineeringRequest:
    """What the supervisor asked for; `validated()` checks it before anything is sent."""

    meter_number: str
    type: str
    value: int | None = None
    register: str | None = None
    new_ti: int | None = None
    reason: str = ""

    def validated(self) -> EngineeringRequest:
        """A cleaned copy, or InvalidInput with a specific message."""
        try:  # the one meter-number rule (length, digits, check digit; a PAN gives its DRN)
            meter = parse_meter_number(self.meter_number).drn
        except MeterNumberError as exc:
            raise InvalidInput(str(exc)) from None
        if self.type not in TYPES:
            raise InvalidInput(_("Unknown engineering token type {type!r}.").format(
                type=self.type))
        value, register, new_ti = self.value, self.register, self.new_ti
        if self.type in ("set_power_limit", "set_phase_unbalance"):
            if value is None or not 1 <= value <= 65535:
                raise InvalidInput(_("The limit must be a whole number of watts from 1 to 65535."))
        elif self.type == "test":
            if value is not None and not 0 <= value <= TEST_ALL_BITS:
                raise InvalidInput(_("Test control bits must fit in 36 bits."))
        elif value is not None:
            raise InvalidInput(_("{type} takes no value.").format(type=_(TYPES[self.type])))
        if self.type == "clear_credit":
            if register is not None and register not in REGISTERS:
                raise InvalidInput(_("The register is electricity, water or all."))
        elif register is not None:
            raise InvalidInput(_("Only clear credit takes a register."))
        if self.type == "key_change":
            if new_ti is not None and not 1 <= new_ti <= 99:
                raise InvalidInput(_("The new tariff index is from 1 to 99."))
        elif new_ti is not None:
            raise InvalidInput(_("Only a key change takes a new tariff index."))
        return EngineeringRequest(meter, self.type, value, register, new_ti,
                                  self.reason.strip()[:200])

    def body(self, approval: Approval) -> dict[str, Any]:
        """The request body (with the supervisor's PIN: never logged)."""
        return {"meter_number": self.meter_number, "type": self.type, "value": self.value,
                "register": self.register, "new_ti": self.new_ti,
                "supervisor": {"operator_id": approval.operator_id, "pin": approval.pin}}


@dataclass(frozen=True)
class EngineeringResult:
    """The server's answer; `tokens` hold digits (cash: never log)."""

    reference: str
    meter_number: str
    type: str
    issued_at: str
    supervisor_id: str
    tokens: tuple[pm.TokenLine, ...] = field(repr=False)
    meter: dict[str, Any]
    raw: dict[str, Any] = field(repr=False)


class EngineeringService:
    """Issue engineering tokens: approval → server → store + journal + ledger → slip."""

    def __init__(self, store: Store, api: Any, approvals: ApprovalService,
                 terminal: TerminalContext, *, printer: ReceiptSink | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 key_factory: Callable[[], str] = lambda: str(uuid.uuid4())) -> None:
        self.store = store
        self.api = api
        self.approvals = approvals
        self.terminal = terminal
        self.printer = printer
        self._clock = clock
        self._key_factory = key_factory

    def issue(self, actor: Actor, request: EngineeringRequest,
              approval: Approval) -> EngineeringResult:
        """Issue one engineering token set (always with a supervisor PIN)."""
        req = request.validated()
        self.approvals.authorise(actor, Permission.ENGINEERING_TOKEN, approval,
                                 subject=req.meter_number,
                                 details={"type": req.type, "value": req.value,
                                          "new_ti": req.new_ti})
        raw = self.api.engineering_token(actor.id, req.body(approval), self._key_factory())
        supervisor = (raw.get("supervisor") or {}).get("id", approval.operator_id)
        result = EngineeringResult(
            str(raw["reference"]), str(raw.get("meter_number", req.meter_number)),
            str(raw["type"]), str(raw["issued_at"]), str(supervisor),
            token_lines(list(raw["tokens"])), dict(raw.get("meter") or {}), raw)
        documents = self.printer if isinstance(self.printer, DocumentWriter) else None

        def write(conn: Connection) -> Any:
            self._record(conn, actor, req, result)
            # With the core's documents, the slip's job is written with the record.
            return None if documents is None else \
                documents.record(conn, self.slip(result, actor, req.reason))

        job = self.store.call(write)
        if documents is not None:
            documents.announce(job)
        elif self.printer is not None:
            self.printer.enqueue(self.slip(result, actor, req.reason))
        return result

    def _record(self, conn: Connection, actor: Actor, req: EngineeringRequest,
                r: EngineeringResult) -> None:
        cur = conn.execute(
            "INSERT OR IGNORE INTO engineering_tokens (reference, issued_at, meter_number, type,"
            " operator_id, supervisor_id, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (r.reference, r.issued_at, r.meter_number, r.type, actor.id, r.supervisor_id,
             json.dumps(r.raw)))
        if cur.rowcount == 0:
            return
        add_entry(conn, Dim("engineering", actor.id, detail=r.type), at=r.issued_at[:19] + "Z",
                  ref=r.reference, tokens=len(r.tokens))
        append(conn, "engineering.issued", {
            "reference": r.reference, "meter_number": r.meter_number, "type": r.type,
            "value": req.value, "register": req.register, "new_ti": req.new_ti,
            "tokens": len(r.tokens), "operator_id": actor.id, "approved_by": r.supervisor_id,
            "reason": req.reason, "meter_after": {k: r.meter.get(k) for k in
                                                  ("krn", "ti", "base_date", "sgc")},
        }, ref=r.reference)

    def slip(self, r: EngineeringResult, actor: Actor | None,
             reason: str = "") -> pm.EngineeringSlip:
        """The printable engineering slip."""
        m = r.meter
        return pm.EngineeringSlip(
            utility=self.terminal.utility(), pos=self.terminal.pos(actor),
            receipt_no=r.reference,
            issued_at=datetime.fromisoformat(r.issued_at.replace("Z", "+00:00")),
            meter=pm.MeterInfo(r.meter_number, tariff_index=str(m.get("ti", "")),
                               sgc=str(m.get("sgc", "")), krn=str(m.get("krn", ""))),
            tokens=r.tokens, supervisor=r.supervisor_id,
            reason=reason or TYPES.get(r.type, r.type))

    def history(self, limit: int = 100) -> list[tuple[str, str, str, str, str]]:
        """(reference, issued_at, meter, type, supervisor) newest first (no digits)."""
        return self.store.call(lambda c: [
            (str(a), str(b), str(m), str(t), str(s)) for a, b, m, t, s in c.execute(
                "SELECT reference, issued_at, meter_number, type, supervisor_id "
                "FROM engineering_tokens ORDER BY issued_at DESC LIMIT ?", (limit,))])

    def reprint(self, actor: Actor, reference: str) -> pm.Reprint:
        """A REPRINT of a stored engineering slip (supervisor only; journaled and counted)."""
        require(actor, Permission.ENGINEERING_TOKEN)
        row = self.store.call(lambda c: c.execute(
            "SELECT body FROM engineering_tokens WHERE reference = ?", (reference,)).fetchone())
        if row is None:
            raise InvalidInput(_("There is no engineering token {reference}.").format(
                reference=reference))
        raw = json.loads(row[0])
        result = EngineeringResult(
            str(raw["reference"]), str(raw.get("meter_number", "")), str(raw["type"]),
            str(raw["issued_at"]), str((raw.get("supervisor") or {}).get("id", "")),
            token_lines(list(raw["tokens"])), dict(raw.get("meter") or {}), raw)
        documents = self.printer if isinstance(self.printer, DocumentWriter) else None
        at = self._clock()

        def count(conn: Connection) -> tuple[pm.Reprint, Any]:
            number = 1 + int(conn.execute(
                "SELECT count(*) FROM journal WHERE kind = 'engineering.reprinted' AND ref = ?",
                (reference,)).fetchone()[0])
            append(conn, "engineering.reprinted", {"operator_id": actor.id,
                                                   "reprint_no": number}, ref=reference)
            reprint = pm.Reprint(self.slip(result, actor), number, at, actor.name)
            # With the core's documents, the reprint's job is written with its count.
            return reprint, None if documents is None else documents.record(conn, reprint)

        reprint, job = self.store.call(count)
        if documents is not None:
            documents.announce(job)
        elif self.printer is not None:
            self.printer.enqueue(reprint)
        return reprint
