"""The application shell: which screen is up, who is signed in, and the dialogs around a sale.

Wires the login and sale controllers, the status bar, the idle lock, the notification bar and
the core's events (through `QtEventBridge`). It receives the `Services` it needs; nothing here
reaches for globals.

This is the one place where the core's typed events (Qt-free `EventBus`, delivered on the GUI
thread by the bridge) become what the screens show:
- `SaleLateToken`: a pending or unanswered sale got its token (its receipt was written by the
  core): a notice, and TOKEN ARRIVED on the sale on screen;
- `SaleNeedsAttention`: a notice that stays until dismissed;
- `SaleVoid`: an unanswered sale never reached the server (NOT SOLD);
- `PrintJobDone` / `PrintJobFailed`: the sale on screen's slip;
- `TariffApplied` / `TariffInForce` / `TariffRejected` (signed tariffs): the tariff banner; a
  version coming into force makes the sale screen check its quote (re-quoted, shown and
  confirmed again only when its own tariff changed); `SaleDelivered`: the banner and the sale
  on screen (smart meter read-back); `SalePriceDiffers`: on the sale on screen, else as a
  notice;
- any event: refresh the status bar.

What the vending server does not offer (the till's status: `capabilities`) is shown as
unavailable: the action is disabled with "Not offered by this vending server".
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QWidget

from app.backend import Capabilities
from app.push.events import SaleDelivered
from app.sales.events import SaleLateToken, SaleNeedsAttention, SalePriceDiffers, SaleVoid
from app.sales.service import reference_for
from app.settings import Settings
from app.tariffs.events import TariffApplied, TariffInForce, TariffRejected
from app.till.results import Operator, PrintState, SaleRecord, SaleResult, Status
from common.errors import UserCancelled
from common.events import CoreEvent
from printers.events import PrintJobDone, PrintJobFailed
from ui.dialogs import AskSupervisor, SearchDialog, ask_supervisor
from ui.errors import show_error
from ui.idle import IdleWatcher
from ui.labels import capability_label, not_offered
from ui.login import LoginController, LoginView
from ui.main_window import MainWindow
from ui.ops import Op
from ui.ports import Services
from ui.qt_bridge import QtEventBridge
from ui.sale_controller import SaleController
from ui.sale_view import SaleView
from ui.sales_dialogs import ReprintDialog, SalesListDialog
from ui.settings_dialog import SettingsDialog
from ui.status_bar import StatusBarController
from ui.tariff_banner import TariffBanner
from ui.tariff_viewer import TariffViewer

log = logging.getLogger("vendpoint.ui.shell")


class _KeysOnButtons(QObject):
    """Digits typed while a button of the main window has the focus go to the sale screen's
    meter field (a scanner types a meter number wherever the focus happens to be)."""

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        self._shell = shell

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Only keys nothing else took reach the window: fields keep their own digits.
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and isinstance(QApplication.focusWidget(), QAbstractButton)
                and self._shell.window.current_screen() is self._shell.sale_view
                and self._shell.operator is not None):
            return self._shell.sale.typed_elsewhere(event)
        return False


class Shell(QObject):
    """Owns the screens and controllers of one main window."""

    #: the operator signed in (Operator) or None when locked
    operator_changed = Signal(object)

    def __init__(
        self,
        window: MainWindow,
        services: Services,
        *,
        settings: Settings,
        settings_path: Path | None = None,
        bridge: QtEventBridge | None = None,
        idle_ms: int | None = None,
        status_interval_ms: int = 5000,
        ask: AskSupervisor = ask_supervisor,
        on_settings_saved: Callable[[Settings], None] | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.services = services
        self.settings = settings
        self._settings_path = settings_path
        self._ask = ask
        self._on_settings_saved = on_settings_saved
        #: who is signed in; None while locked (the supervisor menu asks this too)
        self.operator: Operator | None = None
        self._last_operator: Operator | None = None  # kept over a lock, to resume the sale
        self.dialog: QDialog | None = None

        self.login_view = LoginView()
        self.login = LoginController(self.login_view, services.auth,
                                     suggested=services.suggested_operator,
                                     hint=services.login_hint)
        self.login.logged_in.connect(self._logged_in)

        self.sale_view = SaleView()
        self.sale = SaleController(self.sale_view, services.sales, examples=services.demo_meters,
                                   quick_amounts=services.quick_amounts,
                                   amount_format=services.amount_format)
        self.sale.action_requested.connect(self.action)
        self.sale.search_requested.connect(self.open_search)
        self.sale.sold.connect(self._sold)

        self.status = StatusBarController(window.status_view, services.status,
                                          status_interval_ms)
        #: what the vending server offers, from the last status (all on until it is known)
        self.capabilities = Capabilities()
        self.sale.set_units_offered(self.capabilities.sale_by_units)
        self.status.refreshed.connect(self._status_refreshed)
        minutes = int(settings["ui.idle_lock_minutes"])
        self.idle = IdleWatcher(minutes * 60_000 if idle_ms is None else idle_ms, self)
        self.idle.idle.connect(self._idle_lock)
        self.sale.busy_changed.connect(self.idle.hold)

        self._keys_on_buttons = _KeysOnButtons(self)
        window.installEventFilter(self._keys_on_buttons)

        self._bridge = bridge
        self.tariff_banner = TariffBanner(window)
        self.tariff_banner.view_requested.connect(self.open_tariffs)
        window.add_banner(self.tariff_banner)
        if bridge is not None:
            bridge.on(CoreEvent, self._core_event)

    def start(self) -> None:
        """Show the login screen and start the status bar."""
        self.window.set_screen(self.login_view)
        self.login.start()
        self.status.start()
        self.sale.load()

    def stop(self) -> None:
        """Stop timers and the idle filter (on shutdown)."""
        self.status.stop()
        self.idle.close()

    # -- sign in / lock -------------------------------------------------------------------
    def _logged_in(self, operator: Operator) -> None:
        last = self._last_operator
        if last is not None and last.id != operator.id:
            self.sale.new_customer()  # another person: do not show them the last customer
        self.operator = self._last_operator = operator
        self.sale.set_operator(operator)
        self.window.status_view.show_operator(operator)
        self.window.set_screen(self.sale_view)
        if self.sale.result is None:
            self.sale_view.meter.setFocus()
        self.idle.arm()
        self.operator_changed.emit(operator)

    def _idle_lock(self) -> None:
        self.lock(idle=True)

    def lock(self, *, idle: bool = False) -> None:
        """Idle or Ctrl+L: back to the login screen; the sale on screen is kept."""
        if self.operator is None:
            return
        log.info("till locked (operator %s)", self.operator.id)
        self.idle.disarm()
        if self.dialog is not None:
            self.dialog.reject()
        self.window.set_screen(self.login_view)
        self.login.start(locked=self.operator, idle=idle)
        self.operator = None
        self.window.status_view.show_operator(None)
        self.operator_changed.emit(None)

    # -- actions --------------------------------------------------------------------------
    def action(self, name: str) -> None:
        """F8 reprint, F9 pending, F10 today, F11 settings, Ctrl+L lock."""
        if name == "lock":
            self.lock()
            return
        if name == "tariffs":
            self.open_tariffs()
            return
        if self.operator is None:
            return
        dialog: QDialog
        if name == "reprint":
            reprint = ReprintDialog(self.services.sales, self.operator, self._ask, self.window,
                                    reversal_offered=self.capabilities.reversal)
            if self.sale.result is not None:
                reprint.query.setText(self.sale.result.meter_number)
            dialog = reprint
        elif name == "pending":
            listing = SalesListDialog(self.tr("Pending sales (no token yet)"),
                                      self.services.sales.pending, self.window)
            listing.load()
            dialog = listing
        elif name == "today":
            listing = SalesListDialog(self.tr("Today's sales"), self.services.sales.today,
                                      self.window)
            listing.load()
            dialog = listing
        elif name == "settings":
            if not self.operator.can_approve:
                self._settings_approved()
                return
            dialog = self._settings_dialog()
        else:
            log.warning("unknown action %s", name)
            return
        self._open(dialog)

    def _settings_dialog(self) -> SettingsDialog:
        return SettingsDialog(self.settings, save_to=self._settings_path,
                              terminal=self.services.terminal, printer=self.services.printer,
                              on_saved=self._settings_saved, parent=self.window)

    def _settings_approved(self) -> None:
        """A cashier asked for the settings (server, activation, printer): a supervisor
        approves with their PIN, checked by the core, before the dialog opens."""
        try:
            approval = self._ask(self.tr("change the till's settings"), self.window)
        except UserCancelled:
            return
        auth = self.services.auth
        Op(self.window, lambda: auth.check_supervisor(approval)).success(
            self._open_settings_for).failure(lambda exc: show_error(exc, self.window)).run()

    def _open_settings_for(self, supervisor: Operator) -> None:
        if self.operator is None or self.dialog is not None:
            return  # locked, or another dialog came up, while the PIN was checked
        log.info("settings opened with supervisor %s's approval", supervisor.id)
        self._open(self._settings_dialog())

    def open_search(self, text: str) -> None:
        """F3: find a customer; the chosen meter is looked up on the sale screen."""
        if not self.capabilities.search:
            self.window.notifications.notify(self.tr("Customer search: {why}").format(
                why=not_offered()), timeout_ms=8000)
            return
        dialog = SearchDialog(self.services.sales, text, self.services.demo_meters, self.window)
        dialog.accepted.connect(lambda: self._searched(dialog))
        self._open(dialog)
        if text:
            dialog.search()

    def _searched(self, dialog: SearchDialog) -> None:
        if dialog.chosen is not None:
            self.sale.use_meter(dialog.chosen.meter_number)

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(self._dialog_closed)
        dialog.open()

    def _dialog_closed(self, _code: int) -> None:
        closed = self.dialog
        self.dialog = None
        if closed is not None:
            closed.deleteLater()
        focus: QWidget = self.sale_view.meter
        if self.sale.result is not None:
            focus = self.sale_view.next_button
        focus.setFocus()

    def _settings_saved(self, settings: Settings) -> None:
        self.settings = settings
        self.idle.set_timeout(int(settings["ui.idle_lock_minutes"]) * 60_000)
        self.window.set_server_url(settings["server.url"])
        if self._on_settings_saved is not None:
            self._on_settings_saved(settings)

    # -- core events ----------------------------------------------------------------------
    def _sold(self, result: SaleResult) -> None:
        self.status.refresh()

    def _status_refreshed(self, status: Status) -> None:
        if status.capabilities != self.capabilities:
            self.capabilities = status.capabilities
            self._apply_capabilities()

    def _apply_capabilities(self) -> None:
        """Disable what the vending server does not offer, saying so."""
        offered = self.capabilities
        self.sale.set_units_offered(offered.sale_by_units)
        button = self.sale_view.search_button
        button.setEnabled(offered.search)
        button.setToolTip("" if offered.search else not_offered())
        self.window.status_view.show_missing([
            capability_label(name) for name in offered.missing()])

    def _core_event(self, event: CoreEvent) -> None:
        if isinstance(event, SaleLateToken):
            self._late_token(event)
        elif isinstance(event, SaleNeedsAttention):
            self._attention(event)
        elif isinstance(event, SaleVoid):
            if event.idempotency_key:
                reference = reference_for(event.idempotency_key)
                self.window.notifications.notify(self.tr(
                    "Sale {ref} did not go through: nothing was sold.").format(ref=reference))
                self.sale.not_sold(reference)
        elif isinstance(event, PrintJobDone):
            self.sale.print_update(event.job_id, PrintState.PRINTED, "",
                                   reference=event.sale_ref)
        elif isinstance(event, PrintJobFailed):
            self.sale.print_update(event.job_id, PrintState.FAILED, event.error,
                                   reference=event.sale_ref)
        elif isinstance(event, TariffApplied | TariffInForce | TariffRejected):
            self._tariff_event(event)
        elif isinstance(event, SalePriceDiffers):
            receipt, summary = event.receipt_no, event.summary
            if not self.sale.price_differs(receipt, summary):
                # A sale no longer on screen (e.g. a pending one synced later).
                self.window.notifications.notify(self.tr(
                    "Sale {receipt} was sold at a different price than quoted: {summary}"
                ).format(receipt=receipt, summary=summary))
        elif isinstance(event, SaleDelivered):
            self.tariff_banner.on_core_event(event)
            self.sale.delivered(event.receipt_no, event.accepted, event.balance, event.unit)
        self.status.refresh()

    def _attention(self, event: SaleNeedsAttention) -> None:
        key = event.idempotency_key
        reference = reference_for(key) if key else "?"
        reason = event.reason or self.tr("it needs a supervisor's decision")

        def notify(records: list[SaleRecord]) -> None:
            meter = records[0].meter_number if records else "?"
            self.window.notifications.notify(
                self.tr("ATTENTION: sale {ref} (meter {meter}): {reason} Tell a supervisor."
                        ).format(ref=reference, meter=meter, reason=reason.rstrip(".") + "."),
                timeout_ms=0)

        # The event names the sale only: its meter comes from the store, off the GUI thread.
        Op(self.window, lambda: list(self.services.sales.find(reference))).success(
            notify).failure(lambda _exc: notify([])).run()

    def _tariff_event(self, event: TariffApplied | TariffInForce | TariffRejected) -> None:
        first = isinstance(event, TariffApplied) and not event.previous_version
        if not first:
            # The first version a till learns of (its first start) is no news to anyone.
            self.tariff_banner.on_core_event(event)
        if isinstance(event, TariffInForce) or (isinstance(event, TariffApplied)
                                                and event.in_force and not first):
            self.sale.tariff_changed()  # a quote on screen was priced on the old version

    def open_tariffs(self) -> None:
        """F6 / the banner's button: the accepted tariffs, versions, blocks and refusals."""
        if self.services.tariffs is None:
            self.window.notifications.notify(self.tr("Signed tariffs: {why}").format(
                why=not_offered()), timeout_ms=8000)
            return
        self._open(TariffViewer(self.services.tariffs, self.window, bridge=self._bridge))

    def _late_token(self, event: SaleLateToken) -> None:
        if event.printed:
            message = self.tr(
                "Token arrived for pending sale {ref} (meter {meter}, {name}): receipt "
                "{receipt} is printing. Give it to the customer.")
        else:
            message = self.tr(
                "Token arrived for pending sale {ref} (meter {meter}, {name}): receipt "
                "{receipt} could not print: press F8 to reprint. Give it to the customer.")
        message = message.format(ref=event.reference, meter=event.meter_number,
                                 name=event.customer_name, receipt=event.receipt_no)
        self.window.notifications.notify(message)
        self.sale.pending_resolved(event.reference, event.receipt_no, event.job_id,
                                   event.idempotency_key)
