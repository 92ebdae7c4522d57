"""The status bar: connection with its reason, pending sales, last sync, printer, vendor credit,
tariff version, operator, and a clock warning when this PC's clock differs from the server's.

`StatusBarController` refreshes the snapshot from `StatusPort` in the background (on a timer
and whenever the core publishes an event), never on the GUI thread.
"""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QStatusBar, QWidget

from app.till.results import Operator, Status
from common.format import format_time
from ui.labels import printer_label, role_label
from ui.money import format_money
from ui.ops import Op
from ui.ports import StatusPort
from ui.widgets import ElidingLabel, set_state

log = logging.getLogger("vendpoint.ui.status")

#: more than this many seconds between our clock and the server's is worth a warning
CLOCK_SKEW_WARN_SECONDS = 120


class StatusBarView(QWidget):
    """The labels, one per fact, in two rows across the window's QStatusBar (at 1024 px one
    row cannot hold them all with an offline reason)."""

    def __init__(self, bar: QStatusBar) -> None:
        super().__init__(bar)
        self.setObjectName("statusView")
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 0, 4, 0)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(0)
        self.connection = self._add(grid, "connection", 0, 0, 2)
        self.pending = self._add(grid, "pending", 0, 2)
        self.printer = self._add(grid, "printer", 0, 3)
        self.sync = self._add(grid, "sync", 1, 0)
        self.credit = self._add(grid, "credit", 1, 1)
        self.tariff = self._add(grid, "tariff", 1, 2, eliding=True)
        self.operator = self._add(grid, "operator", 1, 3)
        self.clock = self._add(grid, "clock", 0, 4, 1)
        #: what the vending server does not offer (disabled on the screens)
        self.missing = self._add(grid, "missing", 1, 4, 1)
        grid.setColumnStretch(4, 1)
        bar.addWidget(self, 1)
        self.clock.hide()
        self.missing.hide()
        self._operator: Operator | None = None
        self.operator.setText(self.tr("Not signed in"))
        self.connection.setText(self.tr("Connecting…"))
        self._connecting = self.connection.text()

    @staticmethod
    def _add(grid: QGridLayout, name: str, row: int, col: int, span: int = 1,
             eliding: bool = False) -> QLabel:
        # An eliding label for a list that grows (tariffs): the rest of the row keeps its room.
        label = ElidingLabel() if eliding else QLabel()
        label.setObjectName(f"status_{name}")
        grid.addWidget(label, row, col, 1, span)
        return label

    def show_status(self, status: Status, now: datetime | None = None) -> None:
        """Render one snapshot; each fact in plain words."""
        if status.online:
            self.connection.setText(self.tr("● Online"))
            set_state(self.connection, "ok")
        else:
            reason = status.offline_reason or self.tr("server not reachable")
            self.connection.setText(self.tr("● OFFLINE: {reason}").format(reason=reason))
            set_state(self.connection, "bad")
        if status.pending_count:
            text = self.tr("Pending: {count} ({value})").format(
                count=status.pending_count, value=format_money(status.pending_value))
            if status.needs_attention:
                text += self.tr(", {n} need attention").format(n=status.needs_attention)
            self.pending.setText(text)
            set_state(self.pending, "bad" if status.needs_attention else "warn")
        else:
            self.pending.setText(self.tr("Pending: 0"))
            set_state(self.pending, "ok")
        if status.last_sync is None:
            self.sync.setText(self.tr("Last sync: never"))
        else:
            self.sync.setText(self.tr("Last sync: {time}").format(
                time=format_time(status.last_sync, date=False)))
        self.printer.setText(self.tr("Printer: {state}").format(
            state=printer_label(status.printer) if status.printer else self.tr("not set up")))
        # No printer at all is a choice (tokens are read out), not a fault.
        set_state(self.printer, "ok" if status.printer_ok or status.printer == "not set up"
                  else "bad")
        if status.vendor_credit is None:
            self.credit.setText(self.tr("Credit: -"))
        else:
            self.credit.setText(self.tr("Credit: {money}").format(
                money=format_money(status.vendor_credit)))
        self.tariff.setText(self.tr("Tariff: {version}").format(
            version=status.tariff_label or "-"))
        skew = status.clock_skew_seconds
        if skew is not None and abs(skew) > CLOCK_SKEW_WARN_SECONDS:
            minutes = round(abs(skew) / 60)
            self.clock.setText(self.tr("⚠ Clock is {minutes} min {direction} the server: "
                                       "fix the PC's date and time").format(
                minutes=minutes,
                direction=self.tr("ahead of") if skew > 0 else self.tr("behind")))
            set_state(self.clock, "bad")
            self.clock.show()
        else:
            self.clock.hide()

    def show_missing(self, names: list[str]) -> None:
        """What the vending server does not offer (empty hides the line)."""
        # Short enough for a 1024-pixel status bar; the whole list is in the tooltip.
        shown = ", ".join(names[:2])
        if len(names) > 2:
            shown = self.tr("{names} and {n} more").format(names=shown, n=len(names) - 2)
        self.missing.setText(self.tr("Not offered by this server: {names}").format(
            names=shown))
        self.missing.setToolTip(self.tr("Not offered by this server, so disabled on this "
                                        "till: {names}.").format(names=", ".join(names)))
        self.missing.setVisible(bool(names))

    def changeEvent(self, event: QEvent) -> None:
        # The language can change before anyone signs in (the terminal's, once the core is
        # up): the words set at construction follow it.
        if event.type() == QEvent.Type.LanguageChange:
            self.show_operator(self._operator)
            if self.connection.text() == self._connecting:
                self.connection.setText(self.tr("Connecting…"))
            self._connecting = self.connection.text()
        super().changeEvent(event)

    def show_operator(self, operator: Operator | None) -> None:
        """Who is signed in (always visible)."""
        self._operator = operator
        if operator is None:
            self.operator.setText(self.tr("Not signed in"))
        else:
            self.operator.setText(self.tr("Operator: {name} ({role})").format(
                name=operator.name, role=role_label(operator.role)))


class StatusBarController(QObject):
    """Keeps the status bar fresh: polls every `interval_ms` and on `refresh()`."""

    #: a new snapshot arrived (the shell follows the backend's capabilities with it)
    refreshed = Signal(object)

    def __init__(self, view: StatusBarView, port: StatusPort, interval_ms: int = 5000) -> None:
        super().__init__(view)
        self._view = view
        self._port = port
        self._in_flight = False
        self._again = False
        self.last: Status | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.refresh)

    def start(self) -> None:
        """First refresh now, then on the timer."""
        self.refresh()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def refresh(self) -> None:
        """Fetch a new snapshot (coalesced: at most one fetch in flight)."""
        if self._in_flight:
            self._again = True
            return
        self._in_flight = True
        Op(self._view, self._port.status).success(self._loaded).failure(
            self._failed).finally_(self._done).run()

    def _loaded(self, status: Status) -> None:
        self.last = status
        self._view.show_status(status)
        self.refreshed.emit(status)

    def _failed(self, exc: BaseException) -> None:
        # The status bar must not pop up dialogs every few seconds; log it and say "unknown".
        log.warning("status refresh failed: %s", type(exc).__name__, exc_info=exc)
        self._view.connection.setText(self.tr("● Status unknown"))
        set_state(self._view.connection, "warn")

    def _done(self) -> None:
        self._in_flight = False
        if self._again:
            self._again = False
            self.refresh()
