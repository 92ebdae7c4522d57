"""What the till's methods return: frozen, Qt-free result types in the core's own vocabulary.

Money is `app.api.models.Money` (integer minor units + currency; `app.sales.money` turns it
into a Decimal for display). Units are decimal strings as the server sends them ("123.4").
Token digits are never in a `repr`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from app.api.models import Money
from app.backend import Capabilities
from app.supervisor.permissions import Permission, Role, allowed
from common.i18n import _


def can_approve(role: Role) -> bool:
    """Whether an operator of `role` may approve what a cashier may not do alone."""
    return allowed(role, Permission.APPROVE)


@dataclass(frozen=True)
class Operator:
    """A signed-in (or selectable) operator; `locked_until` while locked out (wrong PINs)."""

    id: str
    name: str
    role: Role = Role.CASHIER
    locked_until: datetime | None = None

    @property
    def can_approve(self) -> bool:
        """Supervisors and admins approve reversals and out-of-policy reprints."""
        return can_approve(self.role)


@dataclass(frozen=True)
class Customer:
    """The confirmed customer of a meter, shown before any money is taken.

    `warnings` are the server's (BLOCKED_METER is `blocked`, not a warning); `from_cache`
    when the server was unreachable and the terminal's cache answered.
    """

    meter_number: str
    name: str
    address: str
    account: str
    utility: str
    tariff: str
    arrears: Money
    unit: str = "kWh"
    days_since_last_purchase: int | None = None
    blocked: bool = False
    blocked_reason: str = ""
    key_change_due: bool = False
    warnings: tuple[str, ...] = ()
    from_cache: bool = False

    @property
    def can_sell(self) -> bool:
        """A blocked meter is shown, but no sale is started for it."""
        return not self.blocked


@dataclass(frozen=True)
class SearchHit:
    """One result of a customer search by name, account, address or meter prefix."""

    meter_number: str
    customer_name: str
    account: str
    address: str
    blocked: bool = False


@dataclass(frozen=True)
class QuoteHandle:
    """Names a quote the till holds; the UI passes it back to `sell` / `requote_if_stale`."""

    id: str


@dataclass(frozen=True)
class QuoteLine:
    """One breakdown line (energy block, fixed charge, debt recovery, FBE, VAT).

    `amount` is the server's: VAT-exclusive for energy and fixed charges, `vat` their VAT
    share. The customer pays VAT-inclusive prices, so the screen shows `amount_incl_vat`
    (what the line costs the customer) and the one VAT line as already included.
    """

    kind: str
    description: str
    amount: Money
    units: str | None = None
    rate: str | None = None
    vat: Money | None = None
    #: whether `rate` includes VAT (None: the server did not say)
    rate_includes_vat: bool | None = None
    #: the unit the rate is per (kWh, kL)
    unit: str = ""

    @property
    def amount_incl_vat(self) -> Money:
        """What this line costs the customer, VAT included (the VAT line itself: its VAT)."""
        return self.amount if self.vat is None else self.amount + self.vat

    @property
    def rate_text(self) -> str:
        """'ZAR 2.0000/kWh incl. VAT' (or 'excl. VAT'); '' when the line has no rate."""
        if not self.rate:
            return ""
        price = f"{self.amount.currency} {self.rate}"
        if self.unit:
            price = f"{price}/{self.unit}"
        if self.rate_includes_vat is None:
            return price
        if self.rate_includes_vat:
            return _("{rate} incl. VAT").format(rate=price)
        return _("{rate} excl. VAT").format(rate=price)


@dataclass(frozen=True)
class Quote:
    """A trial vend held by the till: the units an amount buys and the full breakdown."""

    handle: QuoteHandle
    meter_number: str
    amount: Money
    units: str
    unit: str
    tariff: str
    lines: tuple[QuoteLine, ...]
    vat: Money
    tokens_preview: tuple[str, ...] = ()
    key_change: bool = False
    #: the signed tariff and version the server priced it on
    tariff_id: str = ""
    tariff_version: int = 0
    #: a quote by units: the units asked for (`amount` is the least that buys them; `units`
    #: may be a little more, never less)
    requested_units: str | None = None


@dataclass(frozen=True)
class QuoteChange:
    """A new quote (held by the till) that prices differently from the one shown.

    `summary` is one sentence; `lines` the changed lines (description, old, new amount).
    """

    quote: Quote
    summary: str
    lines: tuple[tuple[str, str, str], ...] = ()


class SaleState(StrEnum):
    """Every state a stored sale can be in (`app.sales.repository`)."""

    SENDING = "sending"  # written, being sent; NOT sold yet
    PENDING = "pending"  # in the outbox, a pending slip was printed; NOT a token
    UNRESOLVED = "unresolved"  # no answer, not allowed offline: being checked; NOT sold yet
    NEEDS_ATTENTION = "needs_attention"  # a person must look at it (see the reason)
    TOKENED = "tokened"  # the server answered; the tokens are valid
    REJECTED = "rejected"  # the server refused it: nothing sold (refund an offline sale)
    VOID = "void"  # never reached the server and never will: nothing sold

    @property
    def is_open(self) -> bool:
        """Still needs the server (counts as not synced)."""
        return self in (SaleState.SENDING, SaleState.PENDING, SaleState.UNRESOLVED,
                        SaleState.NEEDS_ATTENTION)


class PrintState(StrEnum):
    """What happened to a document on its way to the printer."""

    QUEUED = "queued"
    PRINTED = "printed"
    FAILED = "failed"
    NO_PRINTER = "no_printer"  # recorded (reprintable later), nothing printed


@dataclass(frozen=True)
class Token:
    """One token of a sale, in entry order (`seq` starts at 1)."""

    seq: int
    kind: str
    description: str
    digits: str = field(repr=False)
    units: str | None = None

    @property
    def is_key_change(self) -> bool:
        """Key-change tokens go into the meter before the credit token."""
        return self.kind.startswith("key_change")


@dataclass(frozen=True)
class SaleResult:
    """The outcome of `Till.sell`: TOKENED with tokens, or PENDING with a slip reference."""

    state: SaleState
    reference: str  # receipt number (tokened) or slip reference (pending)
    meter_number: str
    customer_name: str
    amount: Money
    tokens: tuple[Token, ...] = ()
    units: str = ""
    unit: str = "kWh"
    print_state: PrintState = PrintState.QUEUED
    print_job: str = ""  # the document's print job id, to follow print events
    pending_reason: str = ""
    vendor_credit: Money | None = None
    resolved_after_lost_answer: bool = False

    def ordered_tokens(self) -> tuple[Token, ...]:
        """Tokens in entry order: key-change tokens first, then by `seq`."""
        return tuple(sorted(self.tokens, key=lambda t: (not t.is_key_change, t.seq)))


@dataclass(frozen=True)
class SaleRecord:
    """A stored sale in a list (today's sales, pending, find for reprint)."""

    reference: str  # receipt number, or slip reference while not tokened
    client_reference: str
    meter_number: str
    customer_name: str
    amount: Money
    created_at: datetime
    state: SaleState
    operator: str = ""
    units: str = ""
    reversed: bool = False
    reprints: int = 0
    reason: str = ""


@dataclass(frozen=True)
class ReprintResult:
    """A queued (or, without a printer, recorded) reprint of a sale's newest document."""

    reference: str
    kind: str  # the reprinted document: "token", "pending" or "reversal"
    reprint_no: int
    job_id: str
    print_state: PrintState
    approved_by: str = ""


@dataclass(frozen=True)
class TariffInForce:
    """A tariff version in force on this terminal (verified signed document)."""

    tariff_id: str
    version: int


@dataclass(frozen=True)
class Status:
    """Everything the status bar shows; `None` means not known yet."""

    online: bool
    offline_reason: str
    pending_count: int
    pending_value: Money
    needs_attention: int
    currency: str
    printer: str  # a plain word: ready, paper low, PAPER OUT, offline, unknown, not set up
    printer_ok: bool
    capabilities: Capabilities
    last_sync: datetime | None = None
    vendor_credit: Money | None = None
    tariffs: tuple[TariffInForce, ...] = ()
    clock_skew_seconds: int | None = None

    @property
    def tariff_label(self) -> str:
        """'T1 v3, T2 v1' for the status bar."""
        return ", ".join(f"{t.tariff_id} v{t.version}" for t in self.tariffs)
