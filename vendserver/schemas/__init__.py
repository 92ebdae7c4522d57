"""Response shapes of the vending API, for the OpenAPI document and for contract tests.

The routes build their JSON directly (stored sale responses are replayed byte for byte), so
these models document the responses rather than produce them; `extra="forbid"` lets the
tests validate real responses against them and catch any field the contract does not list.
The models live in one module per resource (`terminals`, `meters`, `sales`, `tariffs`,
`reports`) over the shared shapes in `common`; every one is importable from here.
"""

from __future__ import annotations

from vendserver.schemas.common import (
    ErrorDetail,
    ErrorOut,
    HealthOut,
    IdName,
    KeyOut,
    MoneyOut,
    Out,
    SigningKeyOut,
    TariffRef,
    UtilityOut,
)
from vendserver.schemas.meters import (
    CustomerInfo,
    KeyChangeDue,
    MeterOut,
    SearchHit,
    SearchOut,
    Warning,
)
from vendserver.schemas.reports import ZReportOut, ZTotalsOut
from vendserver.schemas.sales import (
    BatchOut,
    BatchResult,
    CustomerOnReceipt,
    DeliveryOut,
    EngineeringOut,
    KeyChangeQuote,
    LineOut,
    MeterOnReceipt,
    NotificationOut,
    QuoteOut,
    ReversalOut,
    SaleHistoryItem,
    SaleOut,
    SalesOut,
    TokenOut,
    TokenPreview,
    UtilityOnReceipt,
    VatOut,
)
from vendserver.schemas.tariffs import (
    EventOut,
    PollOut,
    SignedTariffOut,
    TariffListItem,
    TariffsOut,
)
from vendserver.schemas.terminals import (
    ActivationOut,
    LoginOut,
    OfflinePolicyOut,
    OperatorOut,
    OperatorRef,
    OperatorsOut,
    PinKdfOut,
    SaleLimitsOut,
    TerminalOut,
)

__all__ = [
    "ActivationOut",
    "BatchOut",
    "BatchResult",
    "CustomerInfo",
    "CustomerOnReceipt",
    "DeliveryOut",
    "EngineeringOut",
    "ErrorDetail",
    "ErrorOut",
    "EventOut",
    "HealthOut",
    "IdName",
    "KeyChangeDue",
    "KeyChangeQuote",
    "KeyOut",
    "LineOut",
    "LoginOut",
    "MeterOnReceipt",
    "MeterOut",
    "MoneyOut",
    "NotificationOut",
    "OfflinePolicyOut",
    "OperatorOut",
    "OperatorRef",
    "OperatorsOut",
    "Out",
    "PinKdfOut",
    "PollOut",
    "QuoteOut",
    "ReversalOut",
    "SaleHistoryItem",
    "SaleLimitsOut",
    "SaleOut",
    "SalesOut",
    "SearchHit",
    "SearchOut",
    "SignedTariffOut",
    "SigningKeyOut",
    "TariffListItem",
    "TariffRef",
    "TariffsOut",
    "TerminalOut",
    "TokenOut",
    "TokenPreview",
    "UtilityOnReceipt",
    "UtilityOut",
    "VatOut",
    "Warning",
    "ZReportOut",
    "ZTotalsOut",
]
