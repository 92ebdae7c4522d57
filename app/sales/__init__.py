"""The sale service (Qt-free): customer confirmation, quote, sale, offline "token pending"."""

from app.sales.connectivity import Connectivity
from app.sales.history import SaleHistory, SaleRecord
from app.sales.policy import OfflineRefused, check_offline_sale, refuse_offline_operation
from app.sales.service import (
    CustomerConfirmation,
    PendingSlip,
    QuoteStale,
    SaleNotCompleted,
    SaleOutcome,
    SaleService,
)

__all__ = [
    "Connectivity",
    "CustomerConfirmation",
    "OfflineRefused",
    "PendingSlip",
    "QuoteStale",
    "SaleHistory",
    "SaleNotCompleted",
    "SaleOutcome",
    "SaleRecord",
    "SaleService",
    "check_offline_sale",
    "refuse_offline_operation",
]
