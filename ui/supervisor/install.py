"""Adds the supervisor screens to the application: a "Supervisor" menu and a console window.

    from ui.supervisor.install import install_supervisor
    menu = install_supervisor(main_window, supervisor_services, lambda: shell_actor())

Each menu entry opens the supervisor console on its tab. `actor` returns the signed-in
operator as an `app.supervisor.Actor` (or None when locked); `actor_from_ui_operator` converts
the shell's `ui.ports.Operator`. Cashiers see the menu too: what they may not do is refused by
the services (or approved by a supervisor's PIN), not merely hidden.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QMainWindow,
    QMenu,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.supervisor.permissions import Actor
from app.supervisor.services import SupervisorServices
from app.till.results import Customer
from ui.supervisor.approval_dialog import AskApproval, ask_approval
from ui.supervisor.attention_view import AttentionView
from ui.supervisor.common import ScreenContext
from ui.supervisor.engineering_view import EngineeringView
from ui.supervisor.journal_view import JournalView
from ui.supervisor.reports_view import ReportsView
from ui.supervisor.shift_view import ShiftView
from ui.widgets import fit_to_screen

TABS = ("shift", "reports", "engineering", "attention", "journal")


def actor_from_ui_operator(operator: object | None) -> Actor | None:
    """The shell's `ui.ports.Operator` (id, name, role) as an `Actor`."""
    if operator is None:
        return None
    role = getattr(operator, "role", "cashier")
    return Actor.of(str(getattr(operator, "id", "")), str(getattr(operator, "name", "")),
                    str(getattr(role, "value", role)))


class SupervisorConsole(QDialog):
    """One window with a tab per supervisor screen."""

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Supervisor"))
        fit_to_screen(self, 1000, 680)
        self.ctx = ctx
        self.tabs = QTabWidget()
        self.shift = ShiftView(ctx)
        self.reports = ReportsView(ctx)
        self.engineering = EngineeringView(ctx)
        self.attention = AttentionView(ctx)
        self.journal = JournalView(ctx)
        for widget, title in ((self.shift, self.tr("Shift")),
                              (self.reports, self.tr("Reports")),
                              (self.engineering, self.tr("Engineering tokens")),
                              (self.attention, self.tr("Needs attention")),
                              (self.journal, self.tr("Journal"))):
            self.tabs.addTab(widget, title)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.tabs.currentChanged.connect(self._load_current)
        # Enter in a field does that field's action; in a dialog every button would
        # otherwise be an "auto default" one, and Enter would also press the first of them
        # (e.g. "Open shift" after Enter in the counted cash).
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)

    def show_tab(self, name: str) -> None:
        """Bring tab `name` (one of TABS) forward and load it."""
        index = TABS.index(name)
        if self.tabs.currentIndex() == index:
            self._load_current(index)
        self.tabs.setCurrentIndex(index)

    def _load_current(self, index: int) -> None:
        from ui.supervisor.common import guarded

        loaders: list[Callable[[], None]] = [self.shift.load, self.reports.refresh,
                                             self.engineering.load, self.attention.load,
                                             self.journal.load]
        guarded(self, loaders[index])()


class SupervisorMenu:
    """The installed menu and the (lazily created) console."""

    def __init__(self, window: QMainWindow, ctx: ScreenContext) -> None:
        self.window = window
        self.ctx = ctx
        self.console: SupervisorConsole | None = None
        self.menu = QMenu(QCoreApplication.translate("SupervisorMenu", "&Supervisor"), window)
        self.actions: dict[str, QAction] = {}
        #: entries that stay disabled whoever signs in (not offered by the vending server)
        self.unavailable: set[str] = set()
        entries = (
            ("shift", QCoreApplication.translate("SupervisorMenu", "&Shift (open, drop, close)"),
             "Ctrl+Shift+S"),
            ("reports", QCoreApplication.translate("SupervisorMenu", "&Reports, X and Z"),
             "Ctrl+Shift+R"),
            ("engineering", QCoreApplication.translate("SupervisorMenu", "&Engineering tokens"),
             "Ctrl+Shift+E"),
            ("attention", QCoreApplication.translate("SupervisorMenu", "&Needs attention"),
             "Ctrl+Shift+A"),
            ("journal", QCoreApplication.translate("SupervisorMenu", "&Journal"),
             "Ctrl+Shift+J"),
        )
        for name, title, key in entries:
            action = QAction(title, window)
            action.setShortcut(QKeySequence(key))
            action.triggered.connect(lambda _c=False, n=name: self.open(n))
            self.menu.addAction(action)
            self.actions[name] = action
        window.menuBar().addMenu(self.menu)

    def operator_changed(self, operator: object | None) -> None:
        """Someone signed in (the menu works) or the till locked (None: the menu, its keys
        and an open console are put away until the next sign-in)."""
        signed_in = operator is not None
        self.menu.menuAction().setEnabled(signed_in)
        for name, action in self.actions.items():
            action.setEnabled(signed_in and name not in self.unavailable)
        if not signed_in and self.console is not None:
            self.console.reject()

    def open(self, tab: str) -> SupervisorConsole:
        """Show the console on `tab`."""
        if self.console is None:
            self.console = SupervisorConsole(self.ctx, self.window)
        self.console.show_tab(tab)
        self.console.show()
        self.console.raise_()
        return self.console


def install_supervisor(window: QMainWindow, services: SupervisorServices,
                       actor: Callable[[], Actor | None], *,
                       ask: AskApproval = ask_approval,
                       lookup: Callable[[str], Customer] | None = None) -> SupervisorMenu:
    """Add the Supervisor menu to `window`; returns it (keep a reference). `lookup` is the
    till's customer look-up (the engineering screen names the meter's customer)."""
    return SupervisorMenu(window, ScreenContext(services, actor, ask, lookup=lookup))


__all__ = ["TABS", "SupervisorConsole", "SupervisorMenu", "actor_from_ui_operator",
           "install_supervisor"]
