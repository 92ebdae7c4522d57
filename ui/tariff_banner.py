"""The tariff banner: one line across the sale screen when a tariff changes.

"Residential IBT updated to version 7, effective 00:00" when a signed version is accepted;
"… version 7 is now in force" when its time comes; a warning when an update was refused; and
the balance a two-way smart meter read back after accepting a sale's token (`SaleDelivered`).
It only shows what the core published on the bus (through `QtEventBridge`, so on the GUI
thread); it decides nothing. Wire it with `install_tariff_banner(bridge, parent)`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from app.push.events import SaleDelivered
from app.tariffs.events import TariffApplied, TariffInForce, TariffRejected
from common.events import CoreEvent
from common.format import display_zone, format_time, utility_zone
from ui.qt_bridge import QtEventBridge
from ui.translatable import QT_TRANSLATE_NOOP
from ui.widgets import set_state

_REFUSAL_WORDS = {
    "UNSIGNED": QT_TRANSLATE_NOOP("TariffBanner", "it was not signed"),
    "UNKNOWN_KEY": QT_TRANSLATE_NOOP("TariffBanner", "it was signed with an unknown key"),
    "BAD_SIGNATURE": QT_TRANSLATE_NOOP("TariffBanner", "its signature is not valid"),
    "ROLLBACK": QT_TRANSLATE_NOOP("TariffBanner", "it was older than the tariff in use"),
    "CONFLICT": QT_TRANSLATE_NOOP("TariffBanner", "it contradicts the tariff in use"),
    "REPLAY": QT_TRANSLATE_NOOP("TariffBanner", "it was a copy of an earlier update"),
    "EXPIRED": QT_TRANSLATE_NOOP("TariffBanner", "it had expired"),
}


def _name(event: TariffApplied | TariffInForce) -> str:
    return event.tariff_name or event.tariff_id or QCoreApplication.translate(
        "TariffBanner", "Tariff")


def _tr(text: str) -> str:
    return QCoreApplication.translate("TariffBanner", text)


def local_when(value: str, zone: str | timedelta | tzinfo | None, now: datetime) -> str:
    """A contract time as the cashier reads it, in the utility's zone (an IANA name, an
    offset, or the display zone when `zone` is None): "00:00" today, else the one displayed
    time "2026-11-26 00:00" (no month names: they would be English in every language);
    "today" is the utility's local day, DST included."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    where = display_zone() if zone is None else utility_zone(zone)
    local, today = moment.astimezone(where), now.astimezone(where)
    if local.date() == today.date():
        return local.strftime("%H:%M")
    return format_time(moment, where)


#: The events the banner shows.
BANNER_EVENTS = (TariffApplied, TariffInForce, TariffRejected, SaleDelivered)


def banner_text(event: CoreEvent, zone: str | timedelta | tzinfo | None,
                now: datetime) -> tuple[str, str] | None:
    """(text, state) for a core event, or None if the banner does not show it."""
    if isinstance(event, TariffApplied):
        when = local_when(event.effective_from, zone, now)
        name = _name(event)
        if event.in_force and " " in when:
            # in force since an earlier day: the date would only confuse
            return (QCoreApplication.translate(
                "TariffBanner", "{name} updated to version {version}, effective now").format(
                name=name, version=event.version), "ok")
        return (QCoreApplication.translate(
            "TariffBanner", "{name} updated to version {version}, effective {when}").format(
            name=name, version=event.version, when=when), "ok")
    if isinstance(event, TariffInForce):
        return (QCoreApplication.translate(
            "TariffBanner", "{name} version {version} is now in force").format(
            name=_name(event), version=event.version),
            "ok")
    if isinstance(event, TariffRejected):
        why = _tr(_REFUSAL_WORDS.get(event.reason, QT_TRANSLATE_NOOP(
            "TariffBanner", "it failed the checks")))
        return (QCoreApplication.translate(
            "TariffBanner", "A tariff update ({tariff} version {version}) was refused: {why}. "
            "The tariff in use is unchanged; tell your supervisor if this repeats.").format(
            tariff=event.tariff_id or "?", version=event.version, why=why), "bad")
    if isinstance(event, SaleDelivered):
        meter, receipt = event.meter_number or "?", event.receipt_no or "?"
        if event.accepted:
            return (QCoreApplication.translate(
                "TariffBanner",
                "Meter {meter} accepted the token of receipt {receipt}: balance {balance} {unit}"
            ).format(meter=meter, receipt=receipt, balance=event.balance or "?",
                     unit=event.unit).rstrip(), "ok")
        return (QCoreApplication.translate(
            "TariffBanner", "Meter {meter} did NOT accept the token of receipt {receipt}: ask "
            "the customer to enter it by hand").format(meter=meter, receipt=receipt), "warn")
    return None


class TariffBanner(QFrame):
    """A dismissable one-line message with a "View tariffs" button (hidden until needed)."""

    #: The cashier asked to see the tariffs (the shell opens `TariffViewer`).
    view_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *,
                 zone: str | timedelta | tzinfo | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        super().__init__(parent)
        self.setObjectName("tariffBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        #: the utility's zone; None: the display zone as it is when a message comes
        self._zone = zone
        self._clock = clock
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.message = QLabel()
        self.message.setObjectName("tariffBannerText")
        self.message.setWordWrap(True)
        self.view_button = QPushButton(self.tr("View tariffs"))
        self.view_button.setObjectName("tariffBannerView")
        self.close_button = QPushButton(self.tr("Dismiss"))
        self.close_button.setObjectName("tariffBannerDismiss")
        layout.addWidget(self.message, 1)
        layout.addWidget(self.view_button)
        layout.addWidget(self.close_button)
        self.view_button.clicked.connect(self.view_requested)
        self.close_button.clicked.connect(self.dismiss)
        self.setAccessibleName(self.tr("Tariff news"))
        self.hide()

    def on_core_event(self, event: CoreEvent) -> None:
        """Show the message for a core event (GUI thread; connected through the bridge)."""
        shown = banner_text(event, self._zone, self._clock())
        if shown is None:
            return
        text, state = shown
        self.message.setText(text)
        self.message.setAccessibleDescription(text)
        set_state(self.message, state)
        self.view_button.setVisible(not isinstance(event, SaleDelivered))
        self.show()

    def dismiss(self) -> None:
        """Hide until the next message."""
        self.hide()


def install_tariff_banner(bridge: QtEventBridge, parent: QWidget, *,
                          zone: str | timedelta | tzinfo | None = None) -> TariffBanner:
    """Create the banner under `parent` and feed it tariff and delivery events.

    The caller places it in a layout (e.g. above the sale screen) and connects
    `view_requested` to opening `ui.tariff_viewer.TariffViewer`.
    """
    banner = TariffBanner(parent, zone=zone)
    bridge.on(BANNER_EVENTS, banner.on_core_event)
    return banner
