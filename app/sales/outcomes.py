"""What a sale step returns or raises: the outcome, the pending slip's data, the typed
refusals (`QuoteStale` and the till's `PriceChanged`, `SaleNotCompleted`), and the slip
reference and delivery sentence every document uses."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from app.api.models import MeterInfo, Money, Quote, Sale
from app.sales.price_difference import PriceDifference
from common.errors import BusinessRuleError, UserFacingError
from common.i18n import N_, _
from printers.job_store import PrintJob

#: What a `PriceChanged` carries: the till's `app.till.results.QuoteChange` (the sale package
#: does not import the till, which is built on it).
ChangeT = TypeVar("ChangeT")


class QuoteStale(BusinessRuleError):
    """The tariff changed since the quote the customer was shown: nothing was sold.

    `code` is "TARIFF_CHANGED". `new_quote` is the server's fresh quote (None when it could not
    be fetched because the server is unreachable) and `summary` the sentence to show, e.g.
    "The tariff changed from version 6 to 7: ZAR 100.00 now buys 43.5 kWh instead of 48.0
    kWh." `difference.lines` lists the changed lines (description, old amount, new amount).
    To go on, the cashier confirms the new price and the UI calls
    `sell(..., quote=exc.new_quote)`.
    """

    title = N_("The price has changed")

    def __init__(
        self, message: str, *, old_quote: Quote, new_quote: Quote | None,
        difference: PriceDifference | None, in_force_version: int | None, hint: str = "",
    ) -> None:
        super().__init__(message, code="TARIFF_CHANGED", hint=hint)
        self.old_quote = old_quote
        self.new_quote = new_quote
        self.difference = difference
        self.quoted_version = old_quote.tariff_version
        self.in_force_version = in_force_version
        #: One sentence for the confirmation dialog.
        self.summary = difference.summary() if difference is not None else message


class PriceChanged(QuoteStale, Generic[ChangeT]):
    """`QuoteStale` as the till raises it: the new quote is already held by the till, and
    `change` (a `app.till.results.QuoteChange`, None when the server could not be asked)
    carries it with its handle, so the cashier's confirmation sells exactly on it."""

    def __init__(self, stale: QuoteStale, change: ChangeT | None) -> None:
        super().__init__(stale.message, old_quote=stale.old_quote, new_quote=stale.new_quote,
                         difference=stale.difference, in_force_version=stale.in_force_version,
                         hint=stale.hint)
        self.summary = stale.summary
        self.change: ChangeT | None = change


class SaleNotCompleted(UserFacingError):
    """The sale's outcome is not known yet (no answer, an unreadable answer, a fault): it is
    NOT complete, and it is still open under its key.

    The cashier may only retry THIS sale (`idempotency_key`: the same key, asked about before
    anything is sent again) or leave it to the sync worker; a new sale for the customer needs
    the core's "not made" answer (`SaleNotMade`) first, so one payment never becomes two sales.
    """

    title = N_("Sale not completed")

    def __init__(self, message: str, *, reference: str, idempotency_key: str = "",
                 hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.reference = reference
        self.idempotency_key = idempotency_key


class SaleNotMade(UserFacingError):
    """The server confirmed that this sale was never made: nothing was sold under its key, and
    the customer may be sold to again (a new sale, a new key)."""

    title = N_("Sale not made")

    def __init__(self, message: str, *, reference: str, idempotency_key: str,
                 hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.reference = reference
        self.idempotency_key = idempotency_key


@dataclass(frozen=True)
class CustomerConfirmation:
    """The customer shown before taking money; `from_cache` when the server was unreachable."""

    meter: MeterInfo
    from_cache: bool
    fetched_at: str | None = None


@dataclass(frozen=True)
class PendingSlip:
    """What the pending (offline) slip says. It is NOT a token."""

    reference: str
    idempotency_key: str
    created_at: str
    amount: Money
    meter_number: str
    customer_name: str
    customer_address: str
    operator_id: str
    delivery: str
    warning: str = ""


@dataclass(frozen=True)
class SaleOutcome:
    """The result of `sell`: tokened (with the server's sale) or pending (with a slip)."""

    state: str
    idempotency_key: str
    sale: Sale | None = None
    slip: PendingSlip | None = None
    resolved_after_lost_answer: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    #: The document written with the state change (token receipt or pending slip), when
    #: the service records documents.
    job: PrintJob | None = None


def reference_for(key: str) -> str:
    """The short reference printed on slips and sent as `client_reference`."""
    return "VP-" + key.replace("-", "")[:10].upper()


_REFERENCE_RE = re.compile(r"^VP-([0-9A-Z]{10})$")
_TOP = "\U0010ffff"


def key_ranges(reference: str) -> list[tuple[str, str]]:
    """The primary-key ranges `[low, high)` of `sales` that can hold the sale of the slip
    reference `reference` (any case); empty if it is not one. The reference is made from
    the key (`reference_for`), so a sale is found by an index range, never by reading every
    sale's request: a UUID key "abcdefgh-12…" gives "VP-ABCDEFGH12"; other key shapes keep
    their 10 first characters."""
    match = _REFERENCE_RE.match(reference.strip().upper())
    if match is None:
        return []
    head = match.group(1)
    prefixes = {head[:8] + "-" + head[8:], head}
    prefixes |= {p.lower() for p in prefixes}
    return [(prefix, prefix + _TOP) for prefix in sorted(prefixes)]


def delivery_text(meter: MeterInfo | None, notify: Sequence[str]) -> str:
    """How a pending token will reach the customer."""
    if meter is not None and meter.two_way:
        return (_("The token will be delivered straight into the smart meter when the "
                "connection returns."))
    if meter is not None and "sms" in notify and meter.phone:
        return _("The token will be sent by SMS to {phone} when the connection returns."
                 ).format(phone=meter.phone)
    if meter is not None and "email" in notify and meter.email:
        return _("The token will be e-mailed to {email} when the connection returns."
                 ).format(email=meter.email)
    return (_("The token will be printed at this counter when the connection returns; bring this "
            "slip to collect it."))
