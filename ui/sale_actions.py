"""What the sale flow (`ui.sale_flow`) tells the screen to do, as plain data (Qt-free).

`Lookup`, `FetchQuote`, `CheckQuote` and `Sell` are core calls the Qt controller runs in `Op`
and answers back into the flow with the generation they were started in; the others say what
to show, where the focus goes and which signal to emit. `controls_for` derives what is enabled
from the step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum, StrEnum, auto

from app.till.results import Customer, Operator, PrintState, Quote, QuoteHandle, SaleResult
from common.money import Money
from ui.translatable import QT_TRANSLATE_NOOP


class Step(Enum):
    """Where the current customer's sale stands."""

    IDLE = auto()  # entering the meter number
    LOOKING_UP = auto()  # confirming the customer with the core
    CONFIRMED = auto()  # customer on screen, amount to type
    QUOTING = auto()
    QUOTED = auto()  # breakdown (or the offline notice) on screen, ready to sell
    PRICE_CHANGED = auto()  # a new price is on screen: the cashier must confirm it first
    SELLING = auto()
    DONE = auto()  # the outcome on screen: tokens, pending, not made
    #: the outcome of the sale is not known yet: only THIS sale may be retried (same key), or
    #: left to the sync worker by going to the next customer
    UNFINISHED = auto()


class Field(StrEnum):
    """The screen's input fields and the button focus may go to."""

    METER = "meter"
    AMOUNT = "amount"
    TENDERED = "tendered"
    NEXT = "next"


@dataclass(frozen=True)
class Lookup:
    """Start confirming the customer of `meter` (core call)."""

    generation: int
    meter: str


@dataclass(frozen=True)
class RefreshCustomer:
    """Look the customer of `meter` up again after a sale, so its panel shows what is true
    now (arrears paid, free units taken, the key change done) — core call."""

    generation: int
    meter: str


@dataclass(frozen=True)
class FetchUnitsQuote:
    """Ask the core what amount buys `units` on `meter` (a quote by units; core call)."""

    generation: int
    meter: str
    units: Decimal


@dataclass(frozen=True)
class AmountMode:
    """The amount field takes units (True, with the meter's unit) or money (False)."""

    units: bool
    unit: str = "kWh"


@dataclass(frozen=True)
class FetchQuote:
    """Start a quote for `amount` on `meter` (core call)."""

    generation: int
    meter: str
    amount: Money


@dataclass(frozen=True)
class CheckQuote:
    """A tariff came into force: ask the core whether `quote` still stands (core call)."""

    generation: int
    quote: Quote


@dataclass(frozen=True)
class Forget:
    """The quote with this handle left the screen: the till may let go of it (core call)."""

    handle: QuoteHandle


@dataclass(frozen=True)
class Sell:
    """Sell `amount` on `meter` for `operator`, on the till's held `quote` (core call)."""

    meter: str
    amount: Money
    operator: Operator
    quote: QuoteHandle | None = None
    #: the cash the customer handed over, for the receipt's tendered and change lines
    cash: Money | None = None


@dataclass(frozen=True)
class RetrySale:
    """Ask the core about THIS unfinished sale again (its idempotency key; core call)."""

    idempotency_key: str


@dataclass(frozen=True)
class FetchResult:
    """Read a sale's stored outcome (its token arrived later) to show its tokens."""

    idempotency_key: str


@dataclass(frozen=True)
class ClearTokens:
    """Empty the token side (nothing of the previous customer's sale stays on screen)."""


@dataclass(frozen=True)
class Sold:
    """A sale ended (tokened, pending): the shell refreshes the status bar."""

    result: SaleResult


@dataclass(frozen=True)
class Search:
    """F3: the shell opens the search dialog with this text."""

    text: str


@dataclass(frozen=True)
class ShowError:
    """A plain error dialog (`ui.errors.show_error`)."""

    error: BaseException


@dataclass(frozen=True)
class Focus:
    """Move the focus (and maybe select the field's text)."""

    field: Field
    select_all: bool = False


@dataclass(frozen=True)
class SetText:
    """Put `text` in a field (empty clears it)."""

    field: Field
    text: str


@dataclass(frozen=True)
class MeterMessage:
    """The line under the meter field (empty hides it)."""

    text: str


@dataclass(frozen=True)
class ChangeText:
    """The change / short-by label next to the tendered field."""

    text: str


@dataclass(frozen=True)
class ShowCustomer:
    """The customer panel: `customer`, or the empty panel (with demo meters) when None;
    `looking_up` names a meter being looked up."""

    customer: Customer | None
    looking_up: str = ""


@dataclass(frozen=True)
class ShowQuote:
    """The quote panel: `quote`; or, when None, empty with `text`."""

    quote: Quote | None
    text: str = ""


@dataclass(frozen=True)
class ShowOffline:
    """No quote possible: what selling now means (a pending slip, NOT a token)."""

    amount: Money
    reason: str


@dataclass(frozen=True)
class ShowPriceChange:
    """Above the quote: what changed, and whether the cashier has confirmed it."""

    summary: str
    lines: tuple[tuple[str, str, str], ...]
    confirmed: bool = False


@dataclass(frozen=True)
class ShowSelling:
    """The token side says a sale is in flight."""


@dataclass(frozen=True)
class ShowResult:
    """The token side: tokens, pending notice, or NOT COMPLETE."""

    result: SaleResult


@dataclass(frozen=True)
class ShowDelivered:
    """A two-way meter's read-back under the sale's tokens."""

    accepted: bool
    balance: str
    unit: str


@dataclass(frozen=True)
class ShowPriceNote:
    """The server sold the sale on screen on another price than quoted."""

    summary: str


@dataclass(frozen=True)
class ShowTokenArrived:
    """The pending / unanswered sale on screen got its token."""

    reference: str
    receipt_no: str


@dataclass(frozen=True)
class ShowNotSold:
    """The unanswered sale on screen never reached the server."""

    reference: str


@dataclass(frozen=True)
class ShowPrintState:
    """Where the sale on screen's document is on its way to the printer."""

    state: PrintState
    detail: str = ""


Act = (Lookup | FetchQuote | CheckQuote | Forget | Sell | Sold | Search | ShowError | Focus
       | SetText | MeterMessage | ChangeText | ShowCustomer | ShowQuote | ShowOffline
       | ShowPriceChange | ShowSelling | ShowResult | ShowDelivered | ShowPriceNote
       | ShowTokenArrived | ShowNotSold | ShowPrintState | RetrySale | FetchResult
       | ClearTokens | RefreshCustomer | FetchUnitsQuote | AmountMode)


@dataclass(frozen=True)
class Controls:
    """What the screen enables in the current step (derived, never stored)."""

    meter_read_only: bool
    amount_enabled: bool
    amount_read_only: bool
    tendered_enabled: bool
    tendered_read_only: bool
    quick_amounts: bool
    quote: bool
    sell: bool
    sell_label: str
    next_customer: bool
    tokens_side: bool


def controls_for(step: Step, can_sell: bool, tr: Callable[[str], str], *,
                 by_units: bool = False) -> Controls:
    """What the screen enables in `step` (`can_sell`: a customer that is not blocked;
    `by_units`: the amount field takes units, so the money quick amounts are off)."""
    has_customer = step not in (Step.IDLE, Step.LOOKING_UP)
    editing = step in (Step.CONFIRMED, Step.QUOTING, Step.QUOTED, Step.PRICE_CHANGED)
    quoted = step in (Step.QUOTED, Step.PRICE_CHANGED)
    if step is Step.SELLING:
        label = tr(QT_TRANSLATE_NOOP("SaleFlow", "Selling…"))
    elif step is Step.UNFINISHED:
        label = tr(QT_TRANSLATE_NOOP("SaleFlow", "Ask again (Enter / F12)"))
    elif step is Step.PRICE_CHANGED:
        label = tr(QT_TRANSLATE_NOOP("SaleFlow", "Confirm (Enter)"))
    else:
        label = tr(QT_TRANSLATE_NOOP("SaleFlow", "Sell (Enter / F12)"))
    return Controls(
        meter_read_only=step is Step.SELLING,
        amount_enabled=has_customer and can_sell and step not in (Step.DONE, Step.UNFINISHED),
        amount_read_only=not editing,
        tendered_enabled=quoted or step in (Step.SELLING, Step.DONE, Step.UNFINISHED),
        tendered_read_only=not quoted,
        quick_amounts=editing and can_sell and not by_units, quote=editing and can_sell,
        sell=quoted or step is Step.UNFINISHED,
        sell_label=label, next_customer=step is not Step.SELLING,
        tokens_side=step in (Step.DONE, Step.UNFINISHED))
