"""The receipt model: typed, immutable data for every slip VendPoint prints.

The client core maps its own sale records to these dataclasses; nothing here knows the server's
JSON. Money is `common.money.Money` (integer minor units with an ISO 4217 currency, never a
float); energy is an integer count of 0.1 kWh (`units_tenths`). Every variant is a frozen
dataclass; `Receipt` is their union and `printers.serialize` turns any of them into JSON for
the print queue and back.

Variants:
- `TokenReceipt`    the sale receipt and tax invoice, with one or more tokens in entry order;
- `PendingSlip`     an offline sale: clearly NOT A TOKEN, with the reference and how the token
                    will reach the customer;
- `Reprint`         any other variant printed again, marked REPRINT with a print counter;
- `ReversalSlip`    a supervisor-approved reversal;
- `EngineeringSlip` an engineering (management) token such as clear tamper or key change;
- `ShiftReport`     X (running totals) and Z (end of day, numbered) reports;
- `ShiftCloseSlip`  the cash count at the end of a shift (over/short).

Every variant has `language`, the language its words print in ("en", "fr", "pt"), chosen when
the slip is made: the customer-facing language for what the customer takes away, the
operator's for reports and shift slips. "" (older print jobs) prints in the current language;
a `Reprint` without one prints in its original's. The model's own words (token labels, the
default instructions) are English; `printers.layout` prints them in the slip's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from common.errors import InvalidInput
from common.format import compact_token, group_token
from common.format import format_units as format_units  # re-exported for the layout and tests
from common.format import mask_token as mask_token
from common.i18n import N_
from common.money import Money as Money

# ASCII digits only (\d would take any script's digits); used with fullmatch.
_TOKEN = re.compile(r"[0-9]{20}")


class TokenKind(StrEnum):
    """What a token is for; decides its entry order and the label printed beside it."""

    KEY_CHANGE_1 = "key_change_1"
    KEY_CHANGE_2 = "key_change_2"
    CREDIT = "credit"
    FREE_BASIC = "free_basic"
    CLEAR_TAMPER = "clear_tamper"
    CLEAR_CREDIT = "clear_credit"
    SET_POWER_LIMIT = "set_power_limit"
    SET_PHASE_UNBALANCE = "set_phase_unbalance"
    TEST = "test"

    @property
    def default_label(self) -> str:
        return _TOKEN_LABELS[self]

    @property
    def is_key_change(self) -> bool:
        return self in (TokenKind.KEY_CHANGE_1, TokenKind.KEY_CHANGE_2)


# In English (the model's words); the layout prints them in the receipt's language.
_TOKEN_LABELS: dict[TokenKind, str] = {
    TokenKind.KEY_CHANGE_1: N_("Key change 1 of 2"),
    TokenKind.KEY_CHANGE_2: N_("Key change 2 of 2"),
    TokenKind.CREDIT: N_("Electricity credit"),
    TokenKind.FREE_BASIC: N_("Free basic electricity"),
    TokenKind.CLEAR_TAMPER: N_("Clear tamper"),
    TokenKind.CLEAR_CREDIT: N_("Clear credit"),
    TokenKind.SET_POWER_LIMIT: N_("Set maximum power limit"),
    TokenKind.SET_PHASE_UNBALANCE: N_("Set phase unbalance limit"),
    TokenKind.TEST: N_("Test / display"),
}

#: The default texts of the slips, in English: the layout prints a default in the receipt's
#: language; a text the server or the core supplied instead is printed as it is.
SALE_INSTRUCTIONS = N_(
    "Enter the tokens into your meter in the order printed, then press Enter (#).")
PENDING_DELIVERY = N_(
    "Your token will be printed here when the system is back online, and sent by SMS.")
ENGINEERING_INSTRUCTIONS = N_("Enter the tokens into the meter in the order printed.")


@dataclass(frozen=True)
class TokenLine:
    """One 20-digit STS token with what it is; `units_tenths` for credit and FBE tokens."""

    kind: TokenKind
    digits: str
    label: str = ""
    units_tenths: int | None = None

    def __post_init__(self) -> None:
        compact = compact_token(self.digits)
        if not _TOKEN.fullmatch(compact):
            # Never echo the digits: a token is cash.
            raise InvalidInput("A token must be exactly 20 digits.")
        object.__setattr__(self, "digits", compact)
        if not self.label:
            object.__setattr__(self, "label", self.kind.default_label)

    def grouped(self) -> str:
        """'1234 5678 9012 3456 7890'."""
        return group_token(self.digits)

    def masked(self) -> str:
        """'1234 **** **** **** 7890' — what a log or a preview may show."""
        return mask_token(self.digits)


def entry_order(tokens: tuple[TokenLine, ...]) -> tuple[TokenLine, ...]:
    """Key-change 1st section, then 2nd section, then the rest in the order received: a meter
    refuses a credit token made with the new key until both key-change tokens are in."""
    first = [t for t in tokens if t.kind is TokenKind.KEY_CHANGE_1]
    second = [t for t in tokens if t.kind is TokenKind.KEY_CHANGE_2]
    rest = [t for t in tokens if not t.kind.is_key_change]
    return (*first, *second, *rest)


@dataclass(frozen=True)
class Party:
    """A named organisation or person with an address (utility, vendor, customer)."""

    name: str
    address: tuple[str, ...] = ()
    tax_id: str = ""
    phone: str = ""


@dataclass(frozen=True)
class PointOfSale:
    """Who issued the slip: vendor, terminal and the signed-in operator."""

    vendor: Party
    vendor_id: str
    terminal_id: str
    operator: str


@dataclass(frozen=True)
class MeterInfo:
    """The meter and its key data as the receipt shows them."""

    number: str
    tariff_name: str = ""
    tariff_index: str = ""
    sgc: str = ""
    krn: str = ""
    tariff_version: str = ""
    account: str = ""


@dataclass(frozen=True)
class BreakdownLine:
    """One line of "where the money went": an energy block, a fixed charge, debt, VAT, FBE."""

    label: str
    amount: Money
    units_tenths: int | None = None
    detail: str = ""
    #: the API's kind of line and an energy line's tariff block (number, from, to in
    #: tenths; `block_to` None for the last block): the layout names the line in the
    #: receipt's language from these, and prints `label` (the server's text) otherwise
    kind: str = ""
    block_number: int | None = None
    block_from: int | None = None
    block_to: int | None = None


@dataclass(frozen=True)
class SaleReceiptData:
    """Everything the token receipt (tax invoice) of one completed sale prints."""

    utility: Party
    pos: PointOfSale
    receipt_no: str
    issued_at: datetime
    customer: Party
    meter: MeterInfo
    amount_tendered: Money
    tokens: tuple[TokenLine, ...]
    units_tenths: int
    breakdown: tuple[BreakdownLine, ...]
    vat: Money
    reference: str
    instructions: str = SALE_INSTRUCTIONS
    unit: str = "kWh"
    vat_rate: str = ""
    #: the cash the customer handed over (None: not known; only the amount is printed)
    cash_tendered: Money | None = None

    def __post_init__(self) -> None:
        if self.cash_tendered is not None and (
                self.cash_tendered.currency != self.amount_tendered.currency
                or self.cash_tendered < self.amount_tendered):
            raise InvalidInput("The cash tendered must cover the amount, in its currency.")
        if not self.tokens:
            raise InvalidInput("A token receipt needs at least one token.")
        if self.issued_at.tzinfo is None:
            raise InvalidInput("Receipt times must be timezone-aware.")

    def ordered_tokens(self) -> tuple[TokenLine, ...]:
        """Tokens in entry order (see `entry_order`)."""
        return entry_order(self.tokens)

    @property
    def change(self) -> Money | None:
        """Cash handed back: tendered − amount (None when the tendered cash is not known)."""
        return None if self.cash_tendered is None else self.cash_tendered - self.amount_tendered


@dataclass(frozen=True)
class TokenReceipt:
    """The sale receipt with its tokens; also the tax invoice."""

    sale: SaleReceiptData
    language: str = ""  # see the module doc
    kind: str = field(default="token", init=False)


@dataclass(frozen=True)
class PendingSlip:
    """An offline sale accepted into the outbox: NOT A TOKEN, with how the token will arrive."""

    utility: Party
    pos: PointOfSale
    reference: str
    issued_at: datetime
    customer: Party
    meter: MeterInfo
    amount: Money
    delivery: str = PENDING_DELIVERY
    valid_until: datetime | None = None
    #: the cash the customer handed over (None: not paid in cash, or not known); it is not
    #: printed (the slip shows the amount paid) but makes the slip a cash sale's document,
    #: which opens the cash drawer where one is configured (`printers.drawer`)
    cash_tendered: Money | None = None
    language: str = ""  # see the module doc
    kind: str = field(default="pending", init=False)


@dataclass(frozen=True)
class ReversalSlip:
    """A reversal approved by a supervisor; names the original receipt and the tokens voided."""

    utility: Party
    pos: PointOfSale
    reversal_no: str
    original_receipt_no: str
    issued_at: datetime
    customer: Party
    meter: MeterInfo
    amount: Money
    tokens: tuple[TokenLine, ...]
    reason: str
    supervisor: str
    language: str = ""  # see the module doc
    kind: str = field(default="reversal", init=False)


@dataclass(frozen=True)
class EngineeringSlip:
    """An engineering (management) token: clear tamper, power limit, key change, test."""

    utility: Party
    pos: PointOfSale
    receipt_no: str
    issued_at: datetime
    meter: MeterInfo
    tokens: tuple[TokenLine, ...]
    supervisor: str
    reason: str = ""
    customer: Party | None = None
    instructions: str = ENGINEERING_INSTRUCTIONS
    language: str = ""  # see the module doc
    kind: str = field(default="engineering", init=False)


@dataclass(frozen=True)
class TotalLine:
    """One labelled total of a report: a count, an amount and/or units."""

    label: str
    count: int | None = None
    amount: Money | None = None
    units_tenths: int | None = None


@dataclass(frozen=True)
class ReportSection:
    """A titled group of totals (by operator, by tender, by tariff...)."""

    title: str
    lines: tuple[TotalLine, ...]


@dataclass(frozen=True)
class ShiftReport:
    """X report (`z_number` None: running totals) or Z report (numbered, closes the day)."""

    pos: PointOfSale
    generated_at: datetime
    period_start: datetime
    period_end: datetime
    sections: tuple[ReportSection, ...]
    z_number: int | None = None
    utility: Party | None = None
    language: str = ""  # see the module doc
    kind: str = field(default="report", init=False)

    @property
    def title(self) -> str:
        """The title in English (the layout prints it in the receipt's language)."""
        return "X REPORT" if self.z_number is None else f"Z REPORT No. {self.z_number}"


@dataclass(frozen=True)
class ShiftCloseSlip:
    """The closing count of a shift; records over/short, never forces the expected amount."""

    pos: PointOfSale
    shift_id: str
    opened_at: datetime
    closed_at: datetime
    opening_float: Money
    cash_sales: Money
    cash_drops: Money
    expected: Money
    counted: Money
    sales_count: int
    reversals_count: int = 0
    reprints_count: int = 0
    supervisor: str = ""
    #: cash paid back to customers (reversals, cash refunds); not a drop to the safe.
    #: None on slips stored before it was kept apart (their drops included it)
    cash_paid_back: Money | None = None
    language: str = ""  # see the module doc
    kind: str = field(default="shift_close", init=False)

    @property
    def over_short(self) -> Money:
        return self.counted - self.expected


@dataclass(frozen=True)
class Reprint:
    """Any slip printed again: marked REPRINT with its counter (1 = first reprint)."""

    original: Original
    reprint_no: int
    reprinted_at: datetime
    operator: str = ""
    language: str = ""  # see the module doc
    kind: str = field(default="reprint", init=False)

    def __post_init__(self) -> None:
        if self.reprint_no < 1:
            raise InvalidInput("A reprint counter starts at 1.")


Original = (
    TokenReceipt
    | PendingSlip
    | ReversalSlip
    | EngineeringSlip
    | ShiftReport
    | ShiftCloseSlip
)
"""Everything that can be reprinted (a reprint of a reprint is a reprint of the original)."""

Receipt = Original | Reprint
"""Any printable slip."""


def sale_reference(receipt: Receipt) -> str:
    """The sale (or report) reference a print job is filed under."""
    if isinstance(receipt, Reprint):
        return sale_reference(receipt.original)
    if isinstance(receipt, TokenReceipt):
        return receipt.sale.reference
    if isinstance(receipt, PendingSlip):
        return receipt.reference
    if isinstance(receipt, ReversalSlip):
        return receipt.reversal_no
    if isinstance(receipt, EngineeringSlip):
        return receipt.receipt_no
    if isinstance(receipt, ShiftReport):
        return f"Z{receipt.z_number}" if receipt.z_number is not None else "X"
    return receipt.shift_id

