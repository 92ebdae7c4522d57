"""Request bodies of the vending API: strict pydantic models (exact JSON types, no extra fields)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SkipValidation


class Strict(BaseModel):
    """Base of request bodies: exact JSON types, unknown fields refused."""

    model_config = ConfigDict(extra="forbid", strict=True)


class MoneyIn(Strict):
    """`{"amount": "150.00", "currency": "ZAR"}`."""

    amount: str = Field(max_length=16)
    currency: str = Field(max_length=3)


class ActivateIn(Strict):
    """POST /v1/terminals/activate."""

    activation_code: str = Field(min_length=1, max_length=64)
    terminal_name: str = Field(min_length=1, max_length=64)
    #: a random id the terminal keeps across retries: the same code with the same fingerprint
    #: gets the same terminal and credential until the terminal first uses it
    terminal_fingerprint: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{16,64}$")


class LoginIn(Strict):
    """POST /v1/operators/login."""

    operator_id: str = Field(min_length=1, max_length=32, pattern=r"^[a-z0-9._-]+$")
    pin: str = Field(pattern=r"^[0-9]{4,12}$")


class QuoteIn(Strict):
    """POST /v1/quotes: exactly one of `amount` and `units` (checked by the service)."""

    meter_number: str = Field(max_length=32)
    amount: MoneyIn | None = None
    #: units to buy (0.1 resolution): the quote is for the least amount that buys them
    units: str | None = Field(default=None, max_length=16)


class SaleIn(Strict):
    """POST /v1/sales (and each batch item's request)."""

    meter_number: str = Field(max_length=32)
    amount: MoneyIn
    offline_created_at: str | None = Field(default=None, max_length=40)
    client_reference: str | None = Field(default=None, max_length=64)
    notify: list[Literal["sms", "email"]] = Field(default_factory=list, max_length=2)


class BatchItemIn(Strict):
    """One offline sale in a batch."""

    idempotency_key: str = Field(max_length=200)
    # Checked per item (OPERATOR_REQUIRED / OPERATOR_NOT_ALLOWED), not for the whole batch.
    operator_id: str = Field(max_length=32)
    # Documented as SaleIn but validated per item by the handler, so one malformed offline
    # sale gets its own 400 and never blocks the rest of the batch.
    request: SkipValidation[SaleIn]


class BatchIn(Strict):
    """POST /v1/sales/batch."""

    items: list[BatchItemIn] = Field(min_length=1, max_length=200)


class SupervisorIn(Strict):
    """A supervisor's approval: who, and their PIN."""

    operator_id: str = Field(min_length=1, max_length=32, pattern=r"^[a-z0-9._-]+$")
    pin: str = Field(pattern=r"^[0-9]{4,12}$")


class ReversalIn(Strict):
    """POST /v1/sales/{receipt_no}/reversal."""

    reason: str = Field(min_length=1, max_length=200)
    supervisor: SupervisorIn


class EngineeringIn(Strict):
    """POST /v1/engineering-tokens."""

    meter_number: str = Field(max_length=32)
    type: Literal["clear_tamper", "clear_credit", "set_power_limit", "set_phase_unbalance",
                  "key_change", "test"]
    value: int | None = Field(default=None, ge=0, le=(1 << 36) - 1)
    register_: Literal["electricity", "water", "all"] | None = Field(default=None,
                                                                      alias="register")
    new_ti: int | None = Field(default=None, ge=0, le=99)
    supervisor: SupervisorIn


class ZTotalsIn(Strict):
    """A terminal's Z totals."""

    sales_count: int = Field(ge=0, le=10**9)
    sales_amount: MoneyIn
    reversals_count: int = Field(ge=0, le=10**9)
    reversals_amount: MoneyIn
    units: str = Field(pattern=r"^[0-9]{1,12}(\.[0-9])?$")
    vat: MoneyIn
    offline_pending_count: int = Field(ge=0, le=10**9)


class ZReportIn(Strict):
    """POST /v1/shifts/{shift_id}/z-report."""

    z_number: int = Field(ge=1, le=10**9)
    opened_at: str = Field(max_length=40)
    closed_at: str = Field(max_length=40)
    totals: ZTotalsIn


def body_dict(model: BaseModel) -> dict[str, Any]:
    """The request body as sent (defaults not added), for fingerprints and the service."""
    return model.model_dump(mode="json", exclude_unset=True, by_alias=True)

