"""The till: the counter's operations as one Qt-free facade with typed results.

`Till` (app/till/facade.py) is what a UI drives; `build_till` (app/till/build.py) is the one
composition root that wires it on an open store and a backend; the result types live in
app/till/results.py.
"""

from app.sales.service import PriceChanged, QuoteStale, SaleNotCompleted
from app.supervisor.approvals import Approval
from app.supervisor.permissions import Role
from app.till.facade import Till
from app.till.results import (
    Customer,
    Operator,
    PrintState,
    Quote,
    QuoteChange,
    QuoteHandle,
    QuoteLine,
    ReprintResult,
    SaleRecord,
    SaleResult,
    SaleState,
    SearchHit,
    Status,
    TariffInForce,
    Token,
    can_approve,
)

__all__ = [
    "Approval",
    "Customer",
    "Operator",
    "PriceChanged",
    "PrintState",
    "Quote",
    "QuoteChange",
    "QuoteHandle",
    "QuoteLine",
    "QuoteStale",
    "ReprintResult",
    "Role",
    "SaleNotCompleted",
    "SaleRecord",
    "SaleResult",
    "SaleState",
    "SearchHit",
    "Status",
    "TariffInForce",
    "Till",
    "Token",
    "can_approve",
]
