"""The vending server's business operations, independent of HTTP.

`VendingService` implements each endpoint of docs/api.md as a method taking plain values and
returning the response dict (or the stored response text for idempotent replays), raising
`ApiError` with the contract's codes. It owns the background workers: delivery of tokens into
virtual two-way meters (`sale.delivered`) and the notification sender. All SQL goes through
`Store`; all token work through `engine`.

The operations live in one module per resource, each a class over `ServiceCore` (the store,
clock, workers and event log); `VendingService` puts them together:

- `terminals`: activation, authentication, terminal info and policy, vendor float, operators
- `meters`: meter look-up and search; `quotes`: pricing and POST /v1/quotes
- `tokens`: token records and key change tokens; `sales`: idempotent sales, sales of a meter
- `batch`: offline batch upload; `reversals`; `engineering`: engineering tokens
- `tariffs`: tariffs, signed versions, publishing, events; `reports`: Z reports
"""

from __future__ import annotations

from vendserver.service.batch import BatchOps
from vendserver.service.common import (
    ACTIVATION_MAX_FAILURES,
    ACTIVATION_WINDOW,
    DEFAULT_POLICY,
    IDEM_RE,
    KDF,
    OFFLINE_MAX_AGE,
    OFFLINE_MAX_FUTURE,
    OPERATOR_RE,
    PIN_LOCK,
    PIN_MAX_FAILURES,
    PIN_RE,
    POLICY_REFUSE_KINDS,
    SALE_MAX,
    SALE_MIN,
    SHIFT_RE,
    SQL_INT_MAX,
    TIME_MAX,
    TIME_MIN,
    check_policy,
    fingerprint,
    fold,
    hash_pin,
    iso,
    mask_email,
    mask_phone,
    parse_time,
)
from vendserver.service.core import ServiceCore
from vendserver.service.engineering import EngineeringOps
from vendserver.service.reports import ReportOps
from vendserver.service.reversals import ReversalOps
from vendserver.service.tariffs import TariffOps

__all__ = [
    "ACTIVATION_MAX_FAILURES", "ACTIVATION_WINDOW", "DEFAULT_POLICY", "IDEM_RE", "KDF",
    "OFFLINE_MAX_AGE", "OFFLINE_MAX_FUTURE", "OPERATOR_RE", "PIN_LOCK", "PIN_MAX_FAILURES",
    "PIN_RE", "POLICY_REFUSE_KINDS", "SALE_MAX", "SALE_MIN", "SHIFT_RE", "SQL_INT_MAX",
    "TIME_MAX", "TIME_MIN", "ServiceCore", "VendingService", "check_policy", "fingerprint",
    "fold", "hash_pin", "iso", "mask_email", "mask_phone", "parse_time",
]


class VendingService(BatchOps, ReversalOps, EngineeringOps, TariffOps, ReportOps):
    """Every operation of the vending API, over one `Store`."""
