"""Response shapes of quotes, sales, batch upload, sales history, reversals and engineering
tokens.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from vendserver.schemas.common import ErrorDetail, IdName, KeyOut, MoneyOut, Out, TariffRef


class BlockOut(Out):
    """The tariff block an energy line bought from: its number (from 1) and range in units
    ("to" null: no upper bound)."""

    number: int
    from_: str = Field(alias="from")
    to: str | None


class LineOut(Out):
    """One receipt line; the amounts of all lines add up to the amount tendered."""

    kind: Literal["energy", "fixed_charge", "debt_recovery", "vat", "fbe"]
    description: str
    units: str | None
    rate: str | None
    amount: MoneyOut
    vat: MoneyOut | None
    rate_includes_vat: bool | None = None
    block: BlockOut | None = None


class VatOut(Out):
    """VAT rate (percent) and total."""

    rate: str
    amount: MoneyOut


class KeyChangeQuote(Out):
    """The key change a sale would start with."""

    reason: Literal["TID_ROLLOVER", "TARIFF_INDEX_CHANGE"]
    new_key: KeyOut
    token_count: int


class TokenPreview(Out):
    """A token a sale would issue (no digits)."""

    seq: int
    kind: str
    description: str


class QuoteOut(Out):
    """POST /v1/quotes."""

    meter_number: str
    service: str
    unit: str
    priced_at: str
    tariff: TariffRef
    amount_tendered: MoneyOut
    units: str
    lines: list[LineOut]
    vat: VatOut
    month_to_date_units: str
    fbe_units: str
    key_change: KeyChangeQuote | None
    tokens_preview: list[TokenPreview]
    #: the units asked for in a quote by units (null in a quote by amount)
    requested_units: str | None = None


class TokenOut(Out):
    """A token in entry order."""

    seq: int
    kind: Literal["key_change", "credit", "fbe", "clear_tamper", "clear_credit",
                  "set_power_limit", "set_phase_unbalance", "test"]
    description: str
    token: str
    display: str
    units: str | None
    unit: str | None


class UtilityOnReceipt(Out):
    """The utility as printed on a receipt."""

    id: str
    name: str
    address: str
    vat_number: str


class CustomerOnReceipt(Out):
    """The customer as printed on a receipt."""

    name: str
    address: str
    account: str


class MeterOnReceipt(Out):
    """The meter and its key data after the sale."""

    meter_number: str
    service: str
    unit: str
    sgc: str
    krn: int
    ti: int
    ea: int
    base_date: int
    two_way: bool


class DeliveryOut(Out):
    """Whether the server will enter the tokens into a two-way meter."""

    two_way: bool
    status: Literal["pending", "not_applicable"]


class NotificationOut(Out):
    """A notification of the tokens to the customer."""

    channel: Literal["sms", "email"]
    to: str | None
    status: Literal["recorded", "queued", "no_contact"]


class SaleOut(Out):
    """POST /v1/sales, GET /v1/sales/{key}."""

    receipt_no: str
    idempotency_key: str
    terminal_id: str
    client_reference: str | None
    created_at: str
    sold_at: str
    offline: bool
    operator: IdName
    vendor: IdName
    utility: UtilityOnReceipt
    customer: CustomerOnReceipt
    meter: MeterOnReceipt
    tariff: TariffRef
    amount_tendered: MoneyOut
    units: str
    unit: str
    lines: list[LineOut]
    vat: VatOut
    tokens: list[TokenOut]
    vendor_credit: MoneyOut
    arrears_remaining: MoneyOut
    delivery: DeliveryOut
    notifications: list[NotificationOut]


class BatchResult(Out):
    """One item's outcome."""

    idempotency_key: str
    status: int
    sale: SaleOut | None
    error: ErrorDetail | None


class BatchOut(Out):
    """POST /v1/sales/batch."""

    results: list[BatchResult]


class SaleHistoryItem(Out):
    """A past sale with what happened to it since."""

    sale: SaleOut
    reversed: bool
    reversed_at: str | None
    delivered: bool
    balance: str | None


class SalesOut(Out):
    """GET /v1/sales?meter=."""

    sales: list[SaleHistoryItem]


class ReversalOut(Out):
    """POST /v1/sales/{receipt_no}/reversal."""

    receipt_no: str
    reversal_no: str
    reversed_at: str
    reason: str
    supervisor: IdName
    amount_refunded: MoneyOut
    vendor_credit: MoneyOut
    arrears_restored: MoneyOut


class EngineeringOut(Out):
    """POST /v1/engineering-tokens."""

    reference: str
    meter_number: str
    type: str
    issued_at: str
    supervisor: IdName
    tokens: list[TokenOut]
    meter: KeyOut
