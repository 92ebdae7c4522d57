"""Shifts: open with a counted float, cash drops, close with a counted amount.

Closing compares what was counted with what the drawer should hold:

    expected = opening float + cash taken for sales − cash paid back (reversals, refunds)
               − cash drops

Cash taken counts every cash sale of the shift whose money changed hands: tokened ones, those
still pending or unresolved (offline), those needing attention, and offline sales the server
rejected later (their refund, if any, is a separate cash refund). The counted amount is
recorded as typed, with over/short; the expected amount is never forced on the cashier.
Cashiers count blind: what the drawer should hold (`ShiftService.summary`) needs
VIEW_SHIFT_FIGURES; a cashier learns it from the close's result.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from app.api.models import Money
from app.supervisor.context import ReceiptSink, TerminalContext
from app.supervisor.ledger import iso_seconds
from app.supervisor.permissions import Actor, Permission, require
from common.amounts import DECIMAL_POINT, AmountFormat, parse_amount
from common.errors import BusinessRuleError, InvalidInput
from common.i18n import _, language
from offline_store import Connection, Store
from offline_store.journal import append
from printers import model as pm

log = logging.getLogger("vendpoint.supervisor.shifts")

#: States of a sale whose money was taken at the counter.
MONEY_TAKEN = "(s.state IN ('tokened', 'sending', 'pending', 'unresolved', " \
              "'needs_attention') OR (s.state = 'rejected' AND s.offline = 1))"

#: South African notes and coins, in minor units (the default counting sheet).
ZAR_DENOMINATIONS = (20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10)
#: The notes and coins of each market's currency, in minor units, largest first: a counting
#: sheet's rows (UGX has no coins below 50, LYD counts in dirhams of 1/1000 dinar).
DENOMINATIONS: dict[str, tuple[int, ...]] = {
    "ZAR": ZAR_DENOMINATIONS,
    "UGX": (50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50),
    "XOF": (10000, 5000, 2000, 1000, 500, 250, 200, 100, 50, 25, 10, 5),
    "LYD": (50000, 20000, 10000, 5000, 1000, 500, 250, 100, 50),
    "MZN": (100000, 50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50),
}


def denominations(currency: str) -> tuple[int, ...]:
    """The counting sheet's notes and coins for `currency` (minor units, largest first);
    empty for a currency without a table, whose cash is counted as one total."""
    return DENOMINATIONS.get(currency, ())


@dataclass(frozen=True)
class Shift:
    """A cashier shift as stored."""

    shift_id: str
    operator_id: str
    opened_at: str
    closed_at: str | None
    opening_float: Money
    state: str


@dataclass(frozen=True)
class CashSummary:
    """What the drawer should hold now."""

    shift: Shift
    sales_count: int
    cash_sales: Money
    refunds: Money
    drops: Money
    reversals_count: int
    reprints_count: int

    @property
    def expected(self) -> Money:
        """Float + cash sales − refunds − drops."""
        f = self.shift.opening_float
        return Money(f.minor + self.cash_sales.minor - self.refunds.minor - self.drops.minor,
                     f.currency)


@dataclass(frozen=True)
class ShiftClose:
    """The result of closing: expected vs counted, and the over/short (counted − expected)."""

    summary: CashSummary
    counted: Money
    closed_at: str
    denominations: dict[str, int]
    closed_by: str

    @property
    def over_short(self) -> Money:
        """Positive: over; negative: short."""
        return Money(self.counted.minor - self.summary.expected.minor, self.counted.currency)


def parse_money(text: str, currency: str, fmt: AmountFormat = DECIMAL_POINT, *,
                field: str = "amount") -> Money:
    """A float, drop or counted amount as typed ('150', '150.5', '1 200.00'), read by the
    one amount parser (`common.amounts`) in the terminal's format; zero is allowed, what is
    ambiguous or has more decimals than the currency is refused, never guessed."""
    return parse_amount(text, field, currency, fmt, allow_zero=True)


def count_denominations(counts: Mapping[int, int], currency: str) -> Money:
    """Total of a counting sheet {denomination minor: how many}; refuses negatives."""
    total = 0
    for value, n in counts.items():
        if value <= 0 or n < 0:
            raise InvalidInput(_("Counts and denominations must be positive whole numbers."))
        total += value * n
    return Money(total, currency)


def _shift(row: tuple[Any, ...]) -> Shift:
    return Shift(str(row[0]), str(row[1]), str(row[2]), row[3], Money(int(row[5]), str(row[4])),
                 str(row[6]))


_SHIFT_COLS = "shift_id, operator_id, opened_at, closed_at, currency, opening_float_minor, state"


def get_shift(conn: Connection, shift_id: str) -> Shift | None:
    """One shift by id."""
    row = conn.execute(f"SELECT {_SHIFT_COLS} FROM shifts WHERE shift_id = ?",  # noqa: S608
                       (shift_id,)).fetchone()
    return None if row is None else _shift(row)


def open_shift_of(conn: Connection, operator_id: str) -> Shift | None:
    """The operator's open shift, if any."""
    row = conn.execute(f"SELECT {_SHIFT_COLS} FROM shifts "  # noqa: S608
                       "WHERE operator_id = ? AND state = 'open' ORDER BY opened_at DESC",
                       (operator_id,)).fetchone()
    return None if row is None else _shift(row)


def cash_summary(conn: Connection, shift: Shift, *, until: str | None = None) -> CashSummary:
    """Float, cash sales, refunds and drops of a shift (up to `until`, default now/close)."""
    end = until or shift.closed_at or "9999"
    cur = shift.opening_float.currency
    count, taken = conn.execute(
        "SELECT count(*), COALESCE(sum(s.amount_minor), 0) FROM sales s "  # noqa: S608
        "LEFT JOIN sale_tenders t ON t.idem_key = s.idem_key "
        f"WHERE COALESCE(t.tender, 'cash') = 'cash' AND {MONEY_TAKEN} AND s.currency = ? AND ("
        "s.shift_id = ? OR (s.shift_id IS NULL AND s.operator_id = ? AND s.created_at >= ? "
        "AND s.created_at < ?))",
        (cur, shift.shift_id, shift.operator_id, shift.opened_at, end)).fetchone()
    refunds, reversals = conn.execute(
        "SELECT COALESCE(sum(l.amount_minor), 0), "
        "COALESCE(sum(CASE WHEN d.kind = 'reversal' THEN 1 ELSE 0 END), 0) "
        "FROM report_ledger l JOIN report_dims d ON d.dim_id = l.dim_id "
        "WHERE l.shift_id = ? AND d.kind IN ('reversal', 'cash_refund')",
        (shift.shift_id,)).fetchone()
    reprints = conn.execute(
        "SELECT count(*) FROM report_ledger l JOIN report_dims d ON d.dim_id = l.dim_id "
        "WHERE d.kind = 'reprint' AND d.operator_id <> '' AND l.at >= ? AND l.at < ?",
        (shift.opened_at[:19] + "Z", end)).fetchone()[0]
    drops = conn.execute("SELECT COALESCE(sum(amount_minor), 0) FROM cash_drops "
                         "WHERE shift_id = ?", (shift.shift_id,)).fetchone()[0]
    return CashSummary(shift, int(count), Money(int(taken), cur), Money(int(refunds), cur),
                       Money(int(drops), cur), int(reversals), int(reprints))


class ShiftBatches(Protocol):
    """What the vending server is told when shifts open and close (XMLVend's shift and
    sales batches); each returns a short note for the journal. Called after the shift's own
    transaction: a failure is journaled, never undoes or blocks the shift."""

    def shift_opened(self, operator_id: str) -> str: ...

    def shift_closed(self, operator_id: str, others_open: bool) -> str: ...


class ShiftService:
    """Open, drop cash, close; each step journaled; the close slip printed."""

    def __init__(self, store: Store, terminal: TerminalContext, *,
                 printer: ReceiptSink | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 batches: ShiftBatches | None = None) -> None:
        self.store = store
        self.terminal = terminal
        self.printer = printer
        self._clock = clock
        self.batches = batches

    def _tell_server(self, shift_id: str, what: str, call: Callable[[], str]) -> None:
        """Tell the server's batches about a shift; journal the outcome (never raise)."""
        try:
            note, ok = call(), True
        except Exception as exc:  # the shift stands whatever the server says
            log.warning("server batch for shift %s (%s) failed: %s", shift_id, what,
                        type(exc).__name__)
            note, ok = str(exc) or type(exc).__name__, False
        self.store.call(lambda c: append(c, f"shift.batch_{what}", {"ok": ok, "note": note},
                                         ref=shift_id))

    def current(self, operator_id: str) -> Shift | None:
        """The operator's open shift, if any."""
        return self.store.call(lambda c: open_shift_of(c, operator_id))

    def open_shift(self, actor: Actor, opening_float: Money) -> Shift:
        """Open a shift for `actor` with the counted float (refused if one is open)."""
        require(actor, Permission.OPEN_SHIFT)
        if opening_float.minor < 0:
            raise InvalidInput(_("The opening float cannot be negative."))
        shift_id = f"S-{uuid.uuid4().hex[:16]}"
        now = _micro(self._clock())

        def write(conn: Connection) -> Shift:
            if open_shift_of(conn, actor.id) is not None:
                raise BusinessRuleError(
                    _("{operator} already has an open shift.").format(
                        operator=actor.name or actor.id),
                    code="SHIFT_ALREADY_OPEN", hint=_("Close it before opening a new one."))
            conn.execute(
                "INSERT INTO shifts (shift_id, operator_id, opened_at, currency, "
                "opening_float_minor, state) VALUES (?, ?, ?, ?, ?, 'open')",
                (shift_id, actor.id, now, opening_float.currency, opening_float.minor))
            append(conn, "shift.opened", {"operator_id": actor.id,
                                          "opening_float": opening_float.amount_str(),
                                          "currency": opening_float.currency}, ref=shift_id)
            shift = get_shift(conn, shift_id)
            assert shift is not None
            return shift

        shift = self.store.call(write)
        if self.batches is not None:
            batches = self.batches
            self._tell_server(shift.shift_id, "opened", lambda: batches.shift_opened(actor.id))
        return shift

    def cash_drop(self, actor: Actor, shift_id: str, amount: Money, note: str = "") -> None:
        """Record cash taken out of the drawer to the safe."""
        require(actor, Permission.CASH_DROP)
        if amount.minor <= 0:
            raise InvalidInput(_("A cash drop must be more than zero."))

        def write(conn: Connection) -> None:
            shift = self._own_open_shift(conn, actor, shift_id)
            if amount.currency != shift.opening_float.currency:
                raise InvalidInput(_("The cash drop is in another currency than the shift."))
            conn.execute("INSERT INTO cash_drops (shift_id, at, amount_minor, currency, "
                         "operator_id, note) VALUES (?, ?, ?, ?, ?, ?)",
                         (shift_id, iso_seconds(self._clock()), amount.minor, amount.currency,
                          actor.id, note[:200]))
            append(conn, "shift.cash_drop", {"operator_id": actor.id,
                                             "amount": amount.amount_str(), "note": note[:200]},
                   ref=shift_id)

        self.store.call(write)

    def summary(self, actor: Actor, shift_id: str) -> CashSummary:
        """Expected cash so far (VIEW_SHIFT_FIGURES: cashiers count blind)."""
        require(actor, Permission.VIEW_SHIFT_FIGURES)

        def read(conn: Connection) -> CashSummary:
            shift = get_shift(conn, shift_id)
            if shift is None:
                raise InvalidInput(_("There is no shift {shift}.").format(shift=shift_id))
            return cash_summary(conn, shift, until=None if shift.closed_at else
                                _micro(self._clock()))
        return self.store.call(read)

    def close_shift(
        self, actor: Actor, shift_id: str, *, counted: Money | None = None,
        denominations: Mapping[int, int] | None = None, note: str = "",
    ) -> ShiftClose:
        """Close with the counted cash (typed, or from a counting sheet); records over/short."""
        require(actor, Permission.CLOSE_SHIFT)
        now = _micro(self._clock())

        def write(conn: Connection) -> ShiftClose:
            shift = self._own_open_shift(conn, actor, shift_id)
            cur = shift.opening_float.currency
            sheet = dict(denominations or {})
            total = counted
            if sheet:
                from_sheet = count_denominations(sheet, cur)
                if total is not None and total != from_sheet:
                    raise InvalidInput(
                        _("The counted total {total} does not match the counting sheet "
                          "({sheet}).").format(total=total, sheet=from_sheet),
                        hint=_("Check the counts or clear one of them."))
                total = from_sheet
            if total is None:
                raise InvalidInput(_("Type the counted cash (or fill in the counting sheet)."))
            if total.currency != cur or total.minor < 0:
                raise InvalidInput(_("The counted cash must be a positive amount in "
                                     "{currency}.").format(currency=cur))
            summary = cash_summary(conn, shift, until=now)
            result = ShiftClose(summary, total, now, {str(k): v for k, v in sheet.items()},
                                actor.id)
            conn.execute("UPDATE shifts SET closed_at = ?, closing_count_minor = ?, "
                         "state = 'closed' WHERE shift_id = ?", (now, total.minor, shift_id))
            body = {"opening_float": shift.opening_float.amount_str(),
                    "cash_sales": summary.cash_sales.amount_str(),
                    "refunds": summary.refunds.amount_str(),
                    "drops": summary.drops.amount_str(),
                    "expected": summary.expected.amount_str(),
                    "counted": total.amount_str(), "over_short": result.over_short.amount_str(),
                    "currency": cur, "sales_count": summary.sales_count,
                    "closed_by": actor.id, "note": note[:200]}
            conn.execute(
                "INSERT INTO shift_closes (shift_id, closed_by, counted_minor, expected_minor, "
                "over_short_minor, denominations, body, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (shift_id, actor.id, total.minor, summary.expected.minor,
                 result.over_short.minor, json.dumps(result.denominations), json.dumps(body),
                 note[:200]))
            append(conn, "shift.closed", body, ref=shift_id)
            return result

        result = self.store.call(write)
        if self.batches is not None:
            batches = self.batches
            others = self.store.call(lambda c: c.execute(
                "SELECT count(*) FROM shifts WHERE state = 'open'").fetchone()[0])
            self._tell_server(shift_id, "closed",
                              lambda: batches.shift_closed(actor.id, bool(others)))
        if self.printer is not None:
            self.printer.enqueue(self.close_slip(result, actor))
        return result

    def close_slip(self, result: ShiftClose, actor: Actor | None) -> pm.ShiftCloseSlip:
        """The printable shift report (cash count) of a closed shift."""
        s = result.summary
        cur = s.shift.opening_float.currency

        def money(m: Money) -> pm.Money:
            return pm.Money(m.minor, cur)

        return pm.ShiftCloseSlip(
            pos=self.terminal.pos(actor), shift_id=s.shift.shift_id,
            opened_at=_dt(s.shift.opened_at), closed_at=_dt(result.closed_at),
            opening_float=money(s.shift.opening_float), cash_sales=money(s.cash_sales),
            cash_drops=money(s.drops), cash_paid_back=money(s.refunds),
            expected=money(s.expected), counted=money(result.counted),
            sales_count=s.sales_count, reversals_count=s.reversals_count,
            reprints_count=s.reprints_count, language=language())

    def reprint_close(self, actor: Actor, shift_id: str) -> pm.Reprint:
        """The stored shift report printed again, marked REPRINT; journaled.

        Anyone may reprint the report of their own shift; another operator's needs
        VIEW_SHIFT_FIGURES.
        """
        require(actor, Permission.X_REPORT)

        def read(conn: Connection) -> tuple[Shift, dict[str, Any], int]:
            shift = get_shift(conn, shift_id)
            if shift is not None and shift.operator_id != actor.id:
                require(actor, Permission.VIEW_SHIFT_FIGURES)
            row = conn.execute("SELECT body FROM shift_closes WHERE shift_id = ?",
                               (shift_id,)).fetchone()
            if shift is None or row is None:
                raise InvalidInput(_("Shift {shift} has not been closed.").format(shift=shift_id))
            append(conn, "shift.report_reprinted", {"operator_id": actor.id}, ref=shift_id)
            count = int(conn.execute(
                "SELECT count(*) FROM journal WHERE kind = 'shift.report_reprinted' "
                "AND ref = ?", (shift_id,)).fetchone()[0])
            return shift, json.loads(row[0]), count

        shift, body, count = self.store.call(read)
        cur = str(body["currency"])

        def money(text: str) -> pm.Money:
            return pm.Money.of(text, cur)

        slip = pm.ShiftCloseSlip(
            pos=self.terminal.pos(actor), shift_id=shift_id, opened_at=_dt(shift.opened_at),
            closed_at=_dt(shift.closed_at or shift.opened_at),
            opening_float=money(body["opening_float"]), cash_sales=money(body["cash_sales"]),
            cash_drops=money(str(body["drops"])), cash_paid_back=money(str(body["refunds"])),
            expected=money(body["expected"]), counted=money(body["counted"]),
            sales_count=int(body["sales_count"]), language=language())
        reprint = pm.Reprint(slip, count, self._clock(), actor.name)
        if self.printer is not None:
            self.printer.enqueue(reprint)
        return reprint

    def _own_open_shift(self, conn: Connection, actor: Actor, shift_id: str) -> Shift:
        shift = get_shift(conn, shift_id)
        if shift is None:
            raise InvalidInput(_("There is no shift {shift}.").format(shift=shift_id))
        if shift.state != "open":
            raise BusinessRuleError(_("Shift {shift} is already closed.").format(shift=shift_id),
                                    code="SHIFT_CLOSED")
        if shift.operator_id != actor.id:
            require(actor, Permission.APPROVE)  # only a supervisor handles another's drawer
        return shift


def _micro(moment: datetime) -> str:
    # The sales table's time format (offline_store.journal.utc_now): text order = time order.
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _dt(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
