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


def printer_label(word: str) -> str:
    """The printer's state as the core names it (`Status.printer`: 'ready', 'paper low',
    'PAPER OUT', 'offline', 'unknown', 'not set up')."""
    labels = {
        "ready": QCoreApplication.translate("Labels", "ready"),
        "paper low": QCoreApplication.translate("Labels", "paper low"),
        "PAPER OUT": QCoreApplication.translate("Labels", "PAPER OUT"),
        "offline": QCoreApplication.translate("Labels", "offline"),
        "unknown": QCoreApplication.translate("Labels", "unknown"),
        "not set up": QCoreApplication.translate("Labels", "not set up"),
    }
    return labels.get(word, word)


def z_upload_label(state: str) -> str:
    """A Z report's upload state ('pending', 'failed', 'matched', 'differences')."""
    labels = {
        "pending": QCoreApplication.translate("Labels", "not uploaded yet"),
        "failed": QCoreApplication.translate("Labels", "upload failed"),
        "matched": QCoreApplication.translate("Labels", "uploaded, matches the server"),
        "differences": QCoreApplication.translate("Labels", "uploaded, differs from the server"),
    }
    return labels.get(state, QCoreApplication.translate("Labels", "upload state unknown"))


def engineering_type_label(kind: str) -> str:
    """An engineering token type (`app.supervisor.engineering.TYPES` key)."""
    labels = {
        "clear_tamper": QCoreApplication.translate("Labels", "Clear tamper"),
        "clear_credit": QCoreApplication.translate("Labels", "Clear credit"),
        "set_power_limit": QCoreApplication.translate("Labels", "Set maximum power limit"),
        "set_phase_unbalance": QCoreApplication.translate("Labels",
                                                          "Set phase unbalance limit"),
        "key_change": QCoreApplication.translate("Labels",
                                                 "Key change (TID rollover / tariff index)"),
        "test": QCoreApplication.translate("Labels", "Test / display"),
    }
    return labels.get(kind, QCoreApplication.translate("Labels", "another token type"))


def register_label(register: str) -> str:
    """The credit register an engineering token clears (`REGISTERS`)."""
    labels = {
        "electricity": QCoreApplication.translate("Labels", "electricity"),
        "water": QCoreApplication.translate("Labels", "water"),
        "gas": QCoreApplication.translate("Labels", "gas"),
        "all": QCoreApplication.translate("Labels", "all registers"),
    }
    return labels.get(register, register)


def service_label(service: str) -> str:
    """A utility service ('electricity', 'water', 'gas')."""
    labels = {
        "electricity": QCoreApplication.translate("Labels", "electricity"),
        "water": QCoreApplication.translate("Labels", "water"),
        "gas": QCoreApplication.translate("Labels", "gas"),
    }
    return labels.get(service, service)


def tariff_status_label(status: str) -> str:
    """A tariff version's status (`ui.tariff_viewer.version_status`)."""
    labels = {
        "in force": QCoreApplication.translate("Labels", "in force"),
        "expired": QCoreApplication.translate("Labels", "expired"),
        "scheduled": QCoreApplication.translate("Labels", "scheduled"),
        "superseded": QCoreApplication.translate("Labels", "superseded"),
    }
    return labels.get(status, status)
