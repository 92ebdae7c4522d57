"""Response shapes of meter look-up and search."""

from __future__ import annotations

from typing import Literal

from vendserver.schemas.common import IdName, KeyOut, MoneyOut, Out, TariffRef


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
