"""The cashier's words for values that come from the core as English identifiers.

Roles ("cashier"), capabilities ("search") and the like are names in the core and on the
wire; the screens show these labels instead, each a literal the translators see (context
"Labels"), never the identifier itself.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from ui.translatable import QT_TRANSLATE_NOOP

#: what a disabled action says when the vending server does not offer it
NOT_OFFERED = QT_TRANSLATE_NOOP("Labels", "Not offered by this vending server.")


def not_offered() -> str:
    """'Not offered by this vending server.' in the cashier's language."""
    return QCoreApplication.translate("Labels", NOT_OFFERED)


def role_label(role: object) -> str:
    """An operator's role (`Role` or its value) as a person reads it."""
    value = str(getattr(role, "value", role))
    labels = {
        "cashier": QCoreApplication.translate("Labels", "cashier"),
        "supervisor": QCoreApplication.translate("Labels", "supervisor"),
        "admin": QCoreApplication.translate("Labels", "administrator"),
    }
    return labels.get(value, QCoreApplication.translate("Labels", "other role"))


def capability_label(name: str) -> str:
    """A capability of the vending server (`Capabilities` field name) as a person reads it."""
    labels = {
        "tariff_documents": QCoreApplication.translate("Labels", "Signed tariff documents"),
        "push_events": QCoreApplication.translate("Labels", "Server events"),
        "batch_upload": QCoreApplication.translate("Labels", "Batch upload of offline sales"),
        "search": QCoreApplication.translate("Labels", "Customer search"),
        "reversal": QCoreApplication.translate("Labels", "Sale reversal"),
        "z_upload": QCoreApplication.translate("Labels", "Z report reconciliation"),
        "engineering_tokens": QCoreApplication.translate("Labels", "Engineering tokens"),
        "sale_by_units": QCoreApplication.translate("Labels", "Sale by units"),
    }
    return labels.get(name, QCoreApplication.translate("Labels", "another service"))


def sale_state_tr(text: str) -> str:
    """Translate one of `ui.sale_states`' words (marked there under the context "SaleState")."""
    return QCoreApplication.translate("SaleState", text)
