"""Every key the cashier app answers to, in one table: key -> action, where, what it does.

The sale controller, the shell, the start-up screen and the dialogs make their shortcuts from
this table, the sale screen's hint line is built from it, and the keys table in docs/ui.md is
checked against it by a test, so a key cannot do one thing and be documented as another.

Qt-free: keys are written as `QKeySequence` understands them ("F2", "Ctrl+L", "Esc"). The
hints are marked for pyside6-lupdate under the context "keymap" and translated where shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ui.translatable import QT_TRANSLATE_NOOP


class Action(StrEnum):
    """What a key asks for; the names are also the shell's action names."""

    METER_ENTER = "meter_enter"
    AMOUNT_ENTER = "amount_enter"
    SELL = "sell"
    QUICK_AMOUNT = "quick_amount"
    NEXT_CUSTOMER = "next_customer"
    SEARCH = "search"
    QUOTE = "quote"
    TARIFFS = "tariffs"
    REPRINT = "reprint"
    REVERSAL = "reversal"
    PENDING = "pending"
    TODAY = "today"
    SETTINGS = "settings"
    BACK = "back"
    LOCK = "lock"
    RETRY = "retry"
    UNITS = "units"
    NEXT_FIELD = "next_field"
    SUPERVISOR_MENU = "supervisor_menu"


class Where(StrEnum):
    """The screen or dialog a key works on."""

    METER = "meter field"
    AMOUNT = "amount"
    TENDERED_OR_SALE = "tendered / anywhere on the sale screen"
    SALE = "sale screen"
    SALE_OR_REPRINT = "sale screen / reprint dialog"
    REPRINT = "reprint dialog"
    SALE_OR_START = "sale screen, start-up screen"
    START = "start-up screen"
    EVERYWHERE = "everywhere"
    WINDOW = "main window"


@dataclass(frozen=True)
class Binding:
    """One row of the key map.

    `keys` as shown to people ("Enter / F12"); `sequences` the shortcuts the app makes for it
    on `where` (none when the key is a field's own Enter or a button mnemonic); `hint` the
    short label on the sale screen's hint line (empty: not listed there).
    """

    keys: str
    action: Action
    where: Where
    does: str
    sequences: tuple[str, ...] = ()
    hint: str = ""


KEYMAP: tuple[Binding, ...] = (
    Binding("Enter", Action.METER_ENTER, Where.METER,
            "check digit, then look the customer up"),
    Binding("Enter", Action.AMOUNT_ENTER, Where.AMOUNT,
            "quote (or sell, if this amount is already quoted)"),
    Binding("Enter / F12", Action.SELL, Where.TENDERED_OR_SALE, "sell what is quoted",
            ("F12",), QT_TRANSLATE_NOOP("keymap", "Enter/F12 Sell")),
    Binding("Alt+1…9", Action.QUICK_AMOUNT, Where.SALE, "quick amount, then quote"),
    Binding("F2", Action.NEXT_CUSTOMER, Where.SALE, "next customer", ("F2",),
            QT_TRANSLATE_NOOP("keymap", "F2 New customer")),
    Binding("F3", Action.SEARCH, Where.SALE, "search customers", ("F3",),
            QT_TRANSLATE_NOOP("keymap", "F3 Search")),
    Binding("F5", Action.QUOTE, Where.SALE, "quote again", ("F5",),
            QT_TRANSLATE_NOOP("keymap", "F5 Quote")),
    Binding("F7", Action.UNITS, Where.SALE,
            "sell by units (kWh, kL) instead of an amount, and back; where the server "
            "offers it", ("F7",), QT_TRANSLATE_NOOP("keymap", "F7 Units")),
    Binding("F6", Action.TARIFFS, Where.SALE,
            "tariffs: accepted signed versions, blocks, charges, refused updates", ("F6",),
            QT_TRANSLATE_NOOP("keymap", "F6 Tariffs")),
    Binding("F8", Action.REPRINT, Where.SALE_OR_REPRINT,
            "reprint dialog / reprint the selected sale", ("F8",),
            QT_TRANSLATE_NOOP("keymap", "F8 Reprint")),
    Binding("F7", Action.REVERSAL, Where.REPRINT, "request a reversal (supervisor)", ("F7",)),
    Binding("F9", Action.PENDING, Where.SALE, "pending sales", ("F9",),
            QT_TRANSLATE_NOOP("keymap", "F9 Pending")),
    Binding("F10", Action.TODAY, Where.SALE, "today's sales", ("F10",),
            QT_TRANSLATE_NOOP("keymap", "F10 Today")),
    Binding("F11", Action.SETTINGS, Where.SALE_OR_START, "settings", ("F11",),
            QT_TRANSLATE_NOOP("keymap", "F11 Settings")),
    Binding("F5", Action.RETRY, Where.START, "try again to start the till", ("F5",)),
    Binding("Esc", Action.BACK, Where.SALE,
            "one step back (quote → amount → meter; after a sale: next customer); "
            "closes dialogs", ("Esc",), QT_TRANSLATE_NOOP("keymap", "Esc Back")),
    Binding("Ctrl+L", Action.LOCK, Where.SALE, "lock the till", ("Ctrl+L",),
            QT_TRANSLATE_NOOP("keymap", "Ctrl+L Lock")),
    Binding("Alt+S", Action.SUPERVISOR_MENU, Where.WINDOW,
            "supervisor menu (Ctrl+Shift+S shift, R reports, E engineering, A needs "
            "attention, J journal)"),
    Binding("Tab", Action.NEXT_FIELD, Where.EVERYWHERE, "meter → amount → tendered → sell → next"),
)


def bindings(where: Where | None = None) -> tuple[Binding, ...]:
    """The rows for one screen (every row when `where` is None)."""
    return tuple(b for b in KEYMAP if where is None or b.where is where)


def shortcuts(*wheres: Where) -> dict[str, Action]:
    """Key sequence -> action for the shortcuts made on these screens."""
    return {seq: b.action for b in KEYMAP if b.where in wheres for seq in b.sequences}


def sequence(action: Action, where: Where) -> str:
    """The first key sequence of `action` on `where` (a KeyError names a missing row)."""
    for b in KEYMAP:
        if b.action is action and b.where is where and b.sequences:
            return b.sequences[0]
    raise KeyError(f"no key for {action} on {where}")


#: the hint line's order: the steps of a sale first, then the rest
HINT_ORDER = (Action.NEXT_CUSTOMER, Action.SEARCH, Action.QUOTE, Action.SELL, Action.UNITS,
              Action.TARIFFS,
              Action.REPRINT, Action.PENDING, Action.TODAY, Action.SETTINGS, Action.BACK,
              Action.LOCK)


def hints() -> tuple[str, ...]:
    """The sale screen's bottom line, one short label per key."""
    by_action = {b.action: b.hint for b in KEYMAP if b.hint}
    return tuple(by_action[a] for a in HINT_ORDER if a in by_action)


def hint_line() -> str:
    """The sale screen's bottom line as one string."""
    return " · ".join(hints())


def markdown_table() -> str:
    """The keys table as docs/ui.md shows it."""
    rows = ["| key | where | does |", "| --- | --- | --- |"]
    rows += [f"| {b.keys} | {b.where} | {b.does} |" for b in KEYMAP]
    return "\n".join(rows)
