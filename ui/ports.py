"""Which of the till's operations each cashier screen uses, as narrow Protocols.

The screens speak the core's vocabulary: the till's result types (`app.till`: Customer,
Quote with its handle, SaleResult, SaleRecord with the full sale-state set, Status with the
backend's capabilities), `Role` and `Approval` from the supervisor services, `PriceChanged`
and `SaleNotCompleted` from the sale service. Nothing is re-declared here; these Protocols
only name the till methods a screen calls, so `app.till.Till` satisfies them as it is and
the unit tests drive the screens with the small fakes in `tests/ui/fakes.py`.

Every method may block (network, SQLCipher store, printer), so controllers call them only
through `ui.ops.Op`. Money is the core's `Money` (integer minor units + currency), shown
through `ui.money.format_money` only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from app.settings import Settings
from app.supervisor.approvals import Approval
from app.supervisor.permissions import Role
from app.supervisor.reversals import ReversalResult
from app.till.offline import OfflineDecision
from app.till.results import (
    Customer,
    Operator,
    Quote,
    QuoteChange,
    QuoteHandle,
    ReprintResult,
    SaleRecord,
    SaleResult,
    SearchHit,
    Status,
)
from common.amounts import DECIMAL_POINT, AmountFormat
from common.money import Money

if TYPE_CHECKING:
    from ui.tariff_viewer import TariffCatalog

#: the core's own names, for screens that import them from here
__all__ = ["Approval", "AuthPort", "Operator", "PrinterPort", "Role", "SalePort", "Services",
           "StatusPort", "TerminalPort"]


class AuthPort(Protocol):
    """Operator sign-in: online or from cached PIN hashes when the server is unreachable."""

    def operators(self) -> Sequence[Operator]:
        """Operators allowed on this terminal (names for the login list)."""
        ...

    def sign_in(self, operator_id: str, pin: str) -> Operator:
        """Check the PIN; raise PermissionDenied (wrong PIN, locked out)."""
        ...

    def check_supervisor(self, approval: Approval) -> Operator:
        """Check a supervisor's PIN; raise PermissionDenied if wrong or not a supervisor."""
        ...


class SalePort(Protocol):
    """Meter lookup, quote and sale (the till holds the quote), lists, reprint, reversal."""

    @property
    def currency(self) -> str:
        """The terminal's currency (ISO 4217)."""
        ...

    def lookup(self, meter_number: str) -> Customer: ...

    def search(self, text: str) -> Sequence[SearchHit]:
        """Customers by name, account, address or meter prefix (NotOffered without it)."""
        ...

    def quote(self, meter_number: str, amount: Money) -> Quote: ...

    def quote_units(self, meter_number: str, units: Decimal) -> Quote:
        """What `units` (0.1 resolution) cost, as a quote held like `quote`'s."""
        ...

    def offline_check(self, meter_number: str, amount: Money) -> OfflineDecision:
        """Would a pending sale pass the offline policy now? Raises `OfflineRefused`."""
        ...

    def forget_quote(self, handle: QuoteHandle) -> None:
        """The quote left the screen: the till lets go of it."""
        ...

    def requote_if_stale(self, handle: QuoteHandle) -> QuoteChange | None:
        """A new tariff version came in: the new quote when the held one is stale."""
        ...

    def sell(self, meter_number: str, amount: Money, operator: Operator, *,
             quote: QuoteHandle | None = None, tender: str = "cash",
             cash_tendered: Money | None = None) -> SaleResult:
        """TOKENED or PENDING; raises on refusal (`PriceChanged`, `SaleNotCompleted`...)."""
        ...

    def retry_sale(self, idempotency_key: str) -> SaleResult:
        """Ask about THIS unfinished sale again (same key); raises `SaleNotCompleted` or
        `SaleNotMade`."""
        ...

    def stored_result(self, idempotency_key: str) -> SaleResult | None:
        """A sale's stored outcome (tokened: with its tokens), None while it is open."""
        ...

    def pending(self) -> Sequence[SaleRecord]: ...

    def today(self) -> Sequence[SaleRecord]: ...

    def find(self, text: str) -> Sequence[SaleRecord]:
        """Sales by meter number, slip reference or receipt number, newest first."""
        ...

    def reprint(self, reference: str, operator: Operator,
                approval: Approval | None = None) -> ReprintResult:
        """Reprint the sale's newest document; PermissionDenied beyond the reprint policy
        without a supervisor's approval."""
        ...

    def request_reversal(self, reference: str, reason: str, operator: Operator,
                         approval: Approval) -> ReversalResult:
        """Ask the server to reverse a sale (NotOffered without the capability)."""
        ...


class StatusPort(Protocol):
    """A fresh snapshot for the status bar (the core also pushes changes as events)."""

    def status(self) -> Status: ...


class PrinterPort(Protocol):
    """The receipt printer as the settings dialog sees it."""

    def test_print(self, settings: Settings) -> None:
        """Print a test page with these (maybe not yet saved) printer settings."""
        ...


class TerminalPort(Protocol):
    """Terminal activation: an activation code becomes a credential kept in the keyring."""

    def is_activated(self) -> bool: ...

    def activate(self, server_url: str, code: str, terminal_name: str) -> str:
        """Activate and store the credential; returns the terminal id."""
        ...

    def server_changed(self, server_url: str) -> bool:
        """Clear a credential bound to another server; True if it was cleared."""
        ...


@dataclass(frozen=True)
class Services:
    """What one window needs, handed to controllers (not a global).

    In the app `auth`, `sales` and `status` are the same `app.till.Till`.
    """

    auth: AuthPort
    sales: SalePort
    status: StatusPort
    printer: PrinterPort | None = None
    terminal: TerminalPort | None = None
    quick_amounts: tuple[Decimal, ...] = ()
    amount_format: AmountFormat = DECIMAL_POINT  # how amounts are typed (`ui.locale`)
    demo_meters: tuple[SearchHit, ...] = ()
    suggested_operator: str = ""
    login_hint: str = ""  # demo mode: the demo operators and PINs (public demo data)
    tariffs: TariffCatalog | None = None  # accepted signed tariffs, for the tariff viewer
