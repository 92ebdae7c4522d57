"""What the cashier screens need from the client core, as narrow Protocols and plain view data.

Controllers depend only on these ports, never on the core's classes: unit tests drive them with
small fakes (`tests/ui/fakes.py`), and `ui/services.py` adapts the real core (API client, sale
service with its offline outbox, operator store, print queue) to them. Every port method may
block (network, database, printer), so controllers call them only through `ui.ops.Op`.

Money is `Decimal` with a currency code, never float; units are decimal strings as the server
sends them ("123.4").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from app.errors import BusinessRuleError
from app.settings import Settings

if TYPE_CHECKING:
    from ui.tariff_viewer import TariffCatalog


def format_money(amount: Decimal, currency: str) -> str:
    """'ZAR 1,234.50': two decimals, thousands grouped (display only)."""
    quantized = amount.quantize(Decimal("0.01"))
    sign = "-" if quantized < 0 else ""
    return f"{sign}{currency} {abs(quantized):,.2f}"


def group_token(digits: str) -> str:
    """'1234 5678 9012 3456 7890': the 4-4-4-4-4 grouping printed and shown everywhere."""
    compact = digits.replace(" ", "")
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


class Role(StrEnum):
    """What an operator may do: cashiers sell; supervisors also approve."""

    CASHIER = "cashier"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


@dataclass(frozen=True)
class Operator:
    """A signed-in (or selectable) operator."""

    id: str
    name: str
    role: Role = Role.CASHIER

    @property
    def can_approve(self) -> bool:
        """Supervisors and admins approve reversals and out-of-policy reprints."""
        return self.role in (Role.SUPERVISOR, Role.ADMIN)


@dataclass(frozen=True)
class Approval:
    """A supervisor's id and PIN, passed to the core for one approved action only."""

    operator_id: str
    pin: str = field(repr=False)


@dataclass(frozen=True)
class Customer:
    """The confirmed customer of a meter, shown before any money is taken."""

    meter_number: str
    name: str
    address: str
    account: str
    utility: str
    tariff: str
    unit: str = "kWh"
    days_since_last_purchase: int | None = None
    blocked: bool = False
    blocked_reason: str = ""
    arrears: Decimal = Decimal("0.00")
    currency: str = "ZAR"
    key_change_due: bool = False
    warnings: tuple[str, ...] = ()

    @property
    def can_sell(self) -> bool:
        """A blocked meter is shown, but no sale is started for it."""
        return not self.blocked


@dataclass(frozen=True)
class SearchHit:
    """One result of a search by name, account, address or meter prefix."""

    meter_number: str
    customer_name: str
    account: str
    address: str
    blocked: bool = False


@dataclass(frozen=True)
class QuoteLine:
    """One breakdown line (energy block, fixed charge, debt recovery, FBE, VAT)."""

    kind: str
    description: str
    amount: Decimal
    units: str | None = None
    rate: str | None = None


@dataclass(frozen=True)
class Quote:
    """A trial vend: the units an amount buys and the full breakdown."""

    meter_number: str
    amount: Decimal
    currency: str
    units: str
    unit: str
    tariff: str
    lines: tuple[QuoteLine, ...]
    vat: Decimal
    tokens_preview: tuple[str, ...] = ()
    key_change: bool = False
    #: the signed tariff and version the server priced it on (to tell whether it is stale)
    tariff_id: str = ""
    tariff_version: int = 0


@dataclass(frozen=True)
class QuoteChange:
    """A new quote that prices differently from the one the customer was shown.

    `summary` is one sentence ("The tariff changed from version 1 to 2: ZAR 100.00 now buys
    43.5 kWh instead of 48.0 kWh."); `lines` the changed lines (description, old, new amount).
    """

    quote: Quote
    summary: str
    lines: tuple[tuple[str, str, str], ...] = ()


class PriceChanged(BusinessRuleError):
    """The sale was refused because the tariff changed since the quote: nothing was sold.

    `change` carries the new quote to show (None when the server could not be asked: the sale
    can then only be made without the old quote).
    """

    title = "The price has changed"

    def __init__(self, message: str, *, change: QuoteChange | None, hint: str = "") -> None:
        super().__init__(message, code="TARIFF_CHANGED", hint=hint)
        self.change = change


@dataclass(frozen=True)
class Token:
    """One token of a sale, in entry order (`seq` starts at 1)."""

    seq: int
    kind: str
    description: str
    digits: str = field(repr=False)
    units: str | None = None

    @property
    def grouped(self) -> str:
        return group_token(self.digits)

    @property
    def is_key_change(self) -> bool:
        return self.kind.startswith("key_change")


class SaleState(StrEnum):
    """Where a sale stands, as the cashier must see it."""

    TOKENED = "tokened"  # the server answered; tokens are valid
    PENDING = "pending"  # kept in the outbox; a pending slip was printed; NOT a token
    UNRESOLVED = "unresolved"  # no answer and not allowed offline: being checked; NOT sold yet


class PrintState(StrEnum):
    """What happened to a slip on its way to the printer."""

    QUEUED = "queued"
    PRINTED = "printed"
    FAILED = "failed"
    NO_PRINTER = "no_printer"


@dataclass(frozen=True)
class SaleResult:
    """The outcome of a sell request: tokens, or a pending reference when offline."""

    state: SaleState
    reference: str  # receipt number (tokened) or pending reference (offline)
    meter_number: str
    customer_name: str
    amount: Decimal
    currency: str
    tokens: tuple[Token, ...] = ()
    units: str = ""
    unit: str = "kWh"
    print_state: PrintState = PrintState.QUEUED
    pending_reason: str = ""
    vendor_credit: Decimal | None = None
    print_job: str = ""  # print-queue job id, to follow printer events

    def ordered_tokens(self) -> tuple[Token, ...]:
        """Tokens in entry order: key-change tokens first, then by `seq`."""
        return tuple(sorted(self.tokens, key=lambda t: (not t.is_key_change, t.seq)))


@dataclass(frozen=True)
class SaleRecord:
    """A sale in a list (today's sales, pending, reprint search)."""

    reference: str  # receipt number, or pending reference while offline
    meter_number: str
    customer_name: str
    amount: Decimal
    currency: str
    created_at: datetime
    state: SaleState
    operator: str = ""
    units: str = ""
    reversed: bool = False
    reprints: int = 0


@dataclass(frozen=True)
class Status:
    """Everything the status bar shows; `None` means not known yet."""

    online: bool = False
    offline_reason: str = ""
    pending_count: int = 0
    pending_value: Decimal = Decimal("0.00")
    currency: str = "ZAR"
    last_sync: datetime | None = None
    printer: str = ""  # a plain word: ready, paper out, offline, not set up
    printer_ok: bool = True
    vendor_credit: Decimal | None = None
    tariff_version: str = ""
    clock_skew_seconds: int | None = None


class AuthPort(Protocol):
    """Operator sign-in: online or from cached PIN hashes when the server is unreachable."""

    def operators(self) -> Sequence[Operator]:
        """Operators allowed on this terminal (names for the login list)."""
        ...

    def login(self, operator_id: str, pin: str) -> Operator:
        """Check the PIN; raise PermissionDenied (wrong PIN) or BusinessRuleError (locked)."""
        ...

    def check_supervisor(self, approval: Approval) -> Operator:
        """Check a supervisor's PIN; raise PermissionDenied if wrong or not a supervisor."""
        ...


class SalePort(Protocol):
    """Meter lookup, quote and sale; the sale survives being offline (outbox)."""

    def lookup(self, meter_number: str) -> Customer: ...

    def search(self, text: str) -> Sequence[SearchHit]: ...

    def quote(self, meter_number: str, amount: Decimal) -> Quote: ...

    def sell(self, meter_number: str, amount: Decimal, operator: Operator) -> SaleResult:
        """Sell; returns TOKENED, or PENDING (offline, slip printed); raises on refusal
        (`PriceChanged` when the tariff changed since the quote)."""
        ...

    def requote_if_stale(self, quote: Quote) -> QuoteChange | None:
        """A new tariff version came in: if `quote`'s version is no longer in force, quote
        again and say what changed; None when the quote still stands."""
        ...

    def pending(self) -> Sequence[SaleRecord]: ...

    def today(self) -> Sequence[SaleRecord]: ...

    def find(self, text: str) -> Sequence[SaleRecord]:
        """Sales by meter number or receipt number, newest first (for reprints)."""
        ...

    def reprint(self, reference: str, operator: Operator, approval: Approval | None) -> None:
        """Reprint; raises BusinessRuleError(code="SUPERVISOR_REQUIRED") beyond policy."""
        ...

    def request_reversal(
        self, reference: str, reason: str, operator: Operator, approval: Approval
    ) -> str:
        """Ask the server to reverse a sale; returns the reversal number."""
        ...

    def quick_amounts(self) -> Sequence[Decimal]: ...

    def currency(self) -> str: ...


class StatusPort(Protocol):
    """A fresh snapshot for the status bar (the core also pushes changes as events)."""

    def status(self) -> Status: ...


class PrinterPort(Protocol):
    """The receipt printer as the settings dialog sees it."""

    def test_print(self, settings: Settings) -> None:
        """Print a test slip with these (maybe not yet saved) printer settings."""
        ...


class TerminalPort(Protocol):
    """Terminal activation: an activation code becomes a credential kept in the keyring."""

    def is_activated(self) -> bool: ...

    def activate(self, server_url: str, code: str, terminal_name: str) -> str:
        """Activate and store the credential; returns the terminal id."""
        ...


@dataclass(frozen=True)
class Services:
    """The ports one window needs, handed to controllers (not a global)."""

    auth: AuthPort
    sales: SalePort
    status: StatusPort
    printer: PrinterPort | None = None
    terminal: TerminalPort | None = None
    demo_meters: tuple[SearchHit, ...] = ()
    suggested_operator: str = ""
    login_hint: str = ""  # demo mode: the demo operators and PINs (public demo data)
    tariffs: TariffCatalog | None = None  # accepted signed tariffs, for the tariff viewer
