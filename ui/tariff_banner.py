"""The tariff banner: one line across the sale screen when a tariff changes.

"Residential IBT updated to version 7, effective 00:00" when a signed version is accepted;
"… version 7 is now in force" when its time comes; a warning when an update was refused; and
the balance a two-way smart meter read back after accepting a sale's token (`sale.delivered`).
It only shows what the core published on the bus (through `QtEventBridge`, so on the GUI
thread); it decides nothing. Wire it with `install_tariff_banner(bridge, parent)`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from ui.qt_bridge import QtEventBridge
from ui.widgets import set_state

#: The utility's fixed offset (SAST, docs/api.md §1) unless the caller passes another.
UTILITY_OFFSET = timedelta(hours=2)

_REFUSAL_WORDS = {
    "UNSIGNED": "it was not signed",
    "UNKNOWN_KEY": "it was signed with an unknown key",
    "BAD_SIGNATURE": "its signature is not valid",
    "ROLLBACK": "it was older than the tariff in use",
    "CONFLICT": "it contradicts the tariff in use",
    "REPLAY": "it was a copy of an earlier update",
    "EXPIRED": "it had expired",
}


def local_when(value: str, offset: timedelta, now: datetime) -> str:
    """A contract time as the cashier reads it: "00:00" today, else "26 Nov 00:00"."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    zone = timezone(offset)
    local, today = moment.astimezone(zone), now.astimezone(zone)
    if local.date() == today.date():
        return local.strftime("%H:%M")
    if local.year == today.year:
        return f"{local.day} {local.strftime('%b %H:%M')}"
    return f"{local.day} {local.strftime('%b %Y %H:%M')}"


def banner_text(name: str, data: dict[str, Any], offset: timedelta,
                now: datetime) -> tuple[str, str] | None:
    """(text, state) for a core event, or None if the banner does not show it."""
    tariff = str(data.get("tariff_name") or data.get("tariff_id") or "Tariff")
    version = data.get("version")
    if name == "tariff.applied":
        when = local_when(str(data.get("effective_from", "")), offset, now)
        if data.get("in_force") and " " in when:
            when = "now"  # in force since an earlier day: the date would only confuse
        return f"{tariff} updated to version {version}, effective {when}", "ok"
    if name == "tariff.in_force":
        return f"{tariff} version {version} is now in force", "ok"
    if name == "tariff.rejected":
        why = _REFUSAL_WORDS.get(str(data.get("reason")), "it failed the checks")
        return (f"A tariff update ({data.get('tariff_id', '?')} version {version}) was refused: "
                f"{why}. The tariff in use is unchanged; tell your supervisor if this repeats.",
                "bad")
    if name == "sale.delivered":
        meter, receipt = data.get("meter_number", "?"), data.get("receipt_no", "?")
        if data.get("accepted"):
            return (f"Meter {meter} accepted the token of receipt {receipt}: balance "
                    f"{data.get('balance', '?')} {data.get('unit', '')}".rstrip(), "ok")
        return (f"Meter {meter} did NOT accept the token of receipt {receipt}: ask the "
                "customer to enter it by hand", "warn")
    return None


class TariffBanner(QFrame):
    """A dismissable one-line message with a "View tariffs" button (hidden until needed)."""

    #: The cashier asked to see the tariffs (the shell opens `TariffViewer`).
    view_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, utc_offset: timedelta = UTILITY_OFFSET,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        super().__init__(parent)
        self.setObjectName("tariffBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._offset = utc_offset
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

    def on_core_event(self, name: str, data: dict[str, Any]) -> None:
        """Show the message for a core event (GUI thread; connected through the bridge)."""
        shown = banner_text(name, data, self._offset, self._clock())
        if shown is None:
            return
        text, state = shown
        self.message.setText(text)
        self.message.setAccessibleDescription(text)
        set_state(self.message, state)
        self.view_button.setVisible(name.startswith("tariff."))
        self.show()

    def dismiss(self) -> None:
        """Hide until the next message."""
        self.hide()


def install_tariff_banner(bridge: QtEventBridge, parent: QWidget, *,
                          utc_offset: timedelta = UTILITY_OFFSET) -> TariffBanner:
    """Create the banner under `parent` and feed it tariff and delivery events.

    The caller places it in a layout (e.g. above the sale screen) and connects
    `view_requested` to opening `ui.tariff_viewer.TariffViewer`.
    """
    banner = TariffBanner(parent, utc_offset=utc_offset)
    bridge.on("tariff.", banner.on_core_event)
    bridge.on("sale.delivered", banner.on_core_event)
    return banner
