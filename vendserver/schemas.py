"""Response shapes of the vending API, for the OpenAPI document and for contract tests.

The routes build their JSON directly (stored sale responses are replayed byte for byte), so
these models document the responses rather than produce them; `extra="forbid"` lets the
tests validate real responses against them and catch any field the contract does not list.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


class Out(BaseModel):
    """Base of response models: every field documented, nothing extra."""

    model_config = ConfigDict(extra="forbid")


class MoneyOut(Out):
    """An amount: `{"amount": "150.00", "currency": "ZAR"}`."""

    amount: str
    currency: str


class ErrorDetail(Out):
    """The inside of every error body."""

    code: str
    message: str
    retryable: bool
    details: dict[str, Any]


class ErrorOut(Out):
    """`{"error": {...}}` — the body of every 4xx/5xx answer."""

    error: ErrorDetail


class HealthOut(Out):
    """GET /health."""

    status: str
    time: str
    api_version: str


class IdName(Out):
    """An id and a display name."""

    id: str
    name: str


class UtilityOut(Out):
    """The utility as terminals see it."""

    id: str
    name: str
    address: str
    vat_number: str
    currency: str
    utc_offset: str


class SigningKeyOut(Out):
    """A tariff-signing public key."""

    key_id: str
    alg: Literal["Ed25519"]
    public_key: str


class OfflinePolicyOut(Out):
    """What a terminal may do while the server is unreachable."""

    offline_allowed: bool
    max_sale: MoneyOut
    max_total: MoneyOut
    max_count: int
    warn_after_hours: int
    refuse_after_hours: int
    refuse: list[str]


class SaleLimitsOut(Out):
    """Per-sale minimum and maximum."""

    minimum: MoneyOut
    maximum: MoneyOut


class ActivationOut(Out):
    """POST /v1/terminals/activate."""

    terminal_id: str
    credential: str
    vendor: IdName
    utility: UtilityOut
    tariff_signing_keys: list[SigningKeyOut]
    offline_policy: OfflinePolicyOut
    sale_limits: SaleLimitsOut
    server_time: str


class TerminalOut(Out):
    """GET /v1/terminal."""

    terminal_id: str
    name: str
    server_time: str
    vendor: IdName
    vendor_credit: MoneyOut
    utility: UtilityOut
    offline_policy: OfflinePolicyOut
    sale_limits: SaleLimitsOut
    tariff_signing_keys: list[SigningKeyOut]


class PinKdfOut(Out):
    """scrypt parameters of one operator's PIN hash."""

    alg: Literal["scrypt"]
    n: int
    r: int
    p: int
    dklen: int
    salt: str


class OperatorOut(Out):
    """One operator for offline login."""

    id: str
    name: str
    role: Literal["cashier", "supervisor", "admin"]
    active: bool
    pin_kdf: PinKdfOut
    pin_hash: str
    updated_at: str


class OperatorsOut(Out):
    """GET /v1/operators."""

    operators: list[OperatorOut]


class OperatorRef(Out):
    """An operator's id, name and role."""

    id: str
    name: str
    role: str


class LoginOut(Out):
    """POST /v1/operators/login."""

    operator: OperatorRef


class KeyOut(Out):
    """A meter's key data."""

    sgc: str
    krn: int
    ti: int
    ea: int
    kt: int
    base_date: int
    dkga: int


class KeyChangeDue(Out):
    """Why key change tokens will be issued, and the key the meter moves to."""

    reason: Literal["TID_ROLLOVER", "TARIFF_INDEX_CHANGE"]
    new_key: KeyOut


class CustomerInfo(Out):
    """The customer behind a meter (contacts masked)."""

    name: str
    address: str
    account: str
    phone: str | None
    email: str | None


class Warning(Out):
    """Something the cashier must see before taking money."""

    code: Literal["BLOCKED_METER", "ARREARS", "KEY_CHANGE_DUE", "FBE_DUE"]
    message: str


class TariffRef(Out):
    """A tariff version reference."""

    id: str
    name: str
    version: int


class MeterOut(Out):
    """GET /v1/meters/{meter_number}."""

    meter_number: str
    service: Literal["electricity", "water"]
    unit: Literal["kWh", "kL"]
    customer: CustomerInfo
    utility: IdName
    tariff: TariffRef
    key: KeyOut
    two_way: bool
    blocked: bool
    blocked_reason: str | None
    arrears: MoneyOut
    fbe_due: bool
    fbe_units: str
    month_to_date_units: str
    last_purchase_at: str | None
    days_since_last_purchase: int | None
    key_change_due: KeyChangeDue | None
    warnings: list[Warning]


class SearchHit(Out):
    """One meter found by a search."""

    meter_number: str
    service: str
    customer_name: str
    account: str
    address: str
    blocked: bool


class SearchOut(Out):
    """GET /v1/meters?q=."""

    results: list[SearchHit]


class LineOut(Out):
    """One receipt line; the amounts of all lines add up to the amount tendered."""

    kind: Literal["energy", "fixed_charge", "debt_recovery", "vat", "fbe"]
    description: str
    units: str | None
    rate: str | None
    amount: MoneyOut
    vat: MoneyOut | None


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


class TariffListItem(Out):
    """A tariff and its versions."""

    id: str
    name: str
    service: str
    unit: str
    current_version: int
    versions: list[int]


class TariffsOut(Out):
    """GET /v1/tariffs."""

    tariffs: list[TariffListItem]


class SignedTariffOut(Out):
    """GET /v1/tariffs/{id}/versions/{n}."""

    tariff_id: str
    version: int
    alg: Literal["Ed25519"]
    key_id: str
    payload: str
    signature: str
    document: dict[str, Any]


class ZTotalsOut(Out):
    """Totals of a shift (terminal's, server's, or their differences)."""

    model_config = ConfigDict(extra="allow")  # the terminal's copy is echoed as sent

    sales_count: int
    sales_amount: MoneyOut
    reversals_count: int
    reversals_amount: MoneyOut
    units: str
    vat: MoneyOut


class ZReportOut(Out):
    """POST /v1/shifts/{shift_id}/z-report."""

    shift_id: str
    z_number: int
    received_at: str
    terminal: ZTotalsOut
    server: ZTotalsOut
    differences: ZTotalsOut
    matched: bool


class EventOut(Out):
    """One event from the log."""

    id: int
    event: Literal["tariff.published", "sale.delivered", "terminal.policy", "vendor.credit"]
    data: dict[str, Any]


class PollOut(Out):
    """GET /v1/events/poll."""

    events: list[EventOut]
    last_id: int
