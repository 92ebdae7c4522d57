"""Reversals through the server, approved by a supervisor, recorded and printed.

The server applies the policy (same day, not delivered, no key change) and credits the vendor
float; here the approval is checked and journaled, the reversal is stored with the cash paid
back (counted against the operator's open shift), and the reversal slip is printed. With
the core's `Documents` as the printer, the slip's print job is written in the same transaction
as the reversal's record (a crash leaves both or neither).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app.api.models import Money
from app.sales.token_lines import token_lines
from app.supervisor.approvals import Approval, ApprovalService
from app.supervisor.context import ReceiptSink, TerminalContext
from app.supervisor.documents import DocumentWriter
from app.supervisor.ledger import Dim, add_entry
from app.supervisor.permissions import Actor, Permission
from app.supervisor.server import SupervisorApi
from app.supervisor.shifts import open_shift_of
from common.errors import BusinessRuleError, InvalidInput
from common.i18n import _
from common.money import MoneyError
from offline_store import Connection, Store
from offline_store.journal import append
from printers import model as pm


def money_minor(value: Any, currency: str) -> int:
    """API money with exactly `currency`'s decimals, maybe negative, in minor units:
    "150.00" ZAR → 15000, "12500" UGX → 12500, "1.500" LYD → 1500 (MoneyError, a
    ValueError, for anything else)."""
    return Money.from_wire(str(value), currency).minor


def _vat_minor(sale: dict[str, Any]) -> int:
    """The VAT of a stored sale answer (0 when it has none readable)."""
    try:
        return Money.from_json((sale.get("vat") or {}).get("amount") or {}).minor
    except MoneyError:
        return 0


@dataclass(frozen=True)
class ReversalResult:
    """What the server reversed and what was paid back."""

    reversal_no: str
    receipt_no: str
    reversed_at: str
    amount_refunded: Money
    supervisor_id: str
    newly_recorded: bool
    raw: dict[str, Any]


class ReversalService:
    """Reverse a sale: approval → server → store + journal + ledger → slip."""

    def __init__(self, store: Store, api: SupervisorApi, approvals: ApprovalService,
                 terminal: TerminalContext, *, printer: ReceiptSink | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.store = store
        self.api = api
        self.approvals = approvals
        self.terminal = terminal
        self.printer = printer
        self._clock = clock

    def reverse(self, actor: Actor, receipt_no: str, reason: str,
                approval: Approval) -> ReversalResult:
        """Reverse `receipt_no`; always needs a supervisor PIN (the server checks it too)."""
        reason = reason.strip()
        if not receipt_no.strip() or not 1 <= len(reason) <= 200:
            raise InvalidInput(
                _("Give the receipt number and a reason (up to 200 characters)."))
        # A second reversal of the same receipt is refused before any PIN is checked or the
        # server asked: it would only repeat the first answer as if it had just happened.
        done = self.store.call(lambda c: c.execute(
            "SELECT reversal_no, reversed_at FROM reversals WHERE receipt_no = ? "
            "ORDER BY reversed_at LIMIT 1", (receipt_no.strip(),)).fetchone())
        if done is not None:
            raise BusinessRuleError(
                _("Receipt {receipt} was already reversed ({reversal}); nothing was reversed "
                  "again.").format(receipt=receipt_no.strip(), reversal=done[0]),
                code="ALREADY_REVERSED", hint=_("Its reversal slip can be reprinted (F8)."))
        self.approvals.authorise(actor, Permission.REVERSAL, approval, subject=receipt_no,
                                 details={"reason": reason})
        raw = self.api.reverse(receipt_no, actor.id, reason, approval.operator_id, approval.pin)
        refunded = raw.get("amount_refunded") or {}
        currency = str(refunded.get("currency") or self.terminal.currency)
        amount = Money(money_minor(refunded.get("amount"), currency), currency)
        result = ReversalResult(str(raw["reversal_no"]), str(raw["receipt_no"]),
                                str(raw["reversed_at"]), amount, approval.operator_id, False, raw)
        documents = self.printer if isinstance(self.printer, DocumentWriter) else None

        def write(conn: Connection) -> tuple[bool, Any]:
            newly = self._record(conn, actor, result, reason)
            if not newly or documents is None:
                return newly, None
            return True, documents.record(conn, self._slip(conn, actor, result, reason))

        newly, job = self.store.call(write)
        result = ReversalResult(result.reversal_no, result.receipt_no, result.reversed_at,
                                amount, result.supervisor_id, newly, raw)
        if documents is not None:
            documents.announce(job)
        elif newly and self.printer is not None:
            slip = self.store.call(lambda c: self._slip(c, actor, result, reason))
            self.printer.enqueue(slip)
        return result

    def _record(self, conn: Connection, actor: Actor, r: ReversalResult, reason: str) -> bool:
        # A repeated reversal returns the original answer: record (and refund) it only once.
        cur = conn.execute(
            "INSERT OR IGNORE INTO reversals (reversal_no, receipt_no, reversed_at, operator_id,"
            " supervisor_id, amount_minor, currency, reason, body) VALUES (?,?,?,?,?,?,?,?,?)",
            (r.reversal_no, r.receipt_no, r.reversed_at, actor.id, r.supervisor_id,
             r.amount_refunded.minor, r.amount_refunded.currency, reason, json.dumps(r.raw)))
        if cur.rowcount == 0:
            return False
        sale = conn.execute("SELECT response FROM sales WHERE receipt_no = ?",
                            (r.receipt_no,)).fetchone()
        units = tokens = vat = 0
        tariff = tariff_name = utility = unit = ""
        if sale is not None and sale[0]:
            data = json.loads(sale[0])
            units = int(str(data.get("units", "0.0")).replace(".", ""))
            tokens = len(data.get("tokens", []))
            tariff = str((data.get("tariff") or {}).get("id", ""))
            tariff_name = str((data.get("tariff") or {}).get("name", ""))
            utility = str((data.get("utility") or {}).get("name", ""))
            unit = str(data.get("unit", ""))
            # The sale's VAT goes back with it: the report's VAT is net of reversals.
            vat = _vat_minor(data)
        shift = open_shift_of(conn, actor.id)
        add_entry(conn, Dim("reversal", actor.id, "cash", tariff, tariff_name, utility, "",
                            unit, r.amount_refunded.currency),
                  at=r.reversed_at[:19] + "Z", ref=r.reversal_no,
                  shift_id=None if shift is None else shift.shift_id,
                  amount_minor=r.amount_refunded.minor, units_tenths=units, tokens=tokens,
                  vat_minor=vat)
        append(conn, "sale.reversed", {
            "receipt_no": r.receipt_no, "reversal_no": r.reversal_no,
            "amount": r.amount_refunded.amount_str(), "currency": r.amount_refunded.currency,
            "operator_id": actor.id, "approved_by": r.supervisor_id, "reason": reason,
        }, ref=r.receipt_no)
        return True

    def _slip(self, conn: Connection, actor: Actor, r: ReversalResult,
              reason: str) -> pm.ReversalSlip:
        sale = conn.execute("SELECT response FROM sales WHERE receipt_no = ?",
                            (r.receipt_no,)).fetchone()
        data: dict[str, Any] = json.loads(sale[0]) if sale is not None and sale[0] else {}
        customer = data.get("customer") or {}
        meter = data.get("meter") or {}
        tokens = token_lines(list(data.get("tokens", [])))
        return pm.ReversalSlip(
            utility=self.terminal.utility(), pos=self.terminal.pos(actor),
            reversal_no=r.reversal_no, original_receipt_no=r.receipt_no,
            issued_at=datetime.fromisoformat(r.reversed_at.replace("Z", "+00:00")),
            customer=pm.Party(str(customer.get("name", "")),
                              (str(customer.get("address", "")),)),
            meter=pm.MeterInfo(str(meter.get("meter_number", ""))),
            amount=pm.Money(r.amount_refunded.minor, r.amount_refunded.currency),
            tokens=tokens, reason=reason, supervisor=r.supervisor_id)
