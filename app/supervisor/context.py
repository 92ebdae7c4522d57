"""Who and where: the terminal/vendor/utility facts printed on supervisor slips, and the
utility's time zone, which decides its business day and the hours of its reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import Any, Protocol

from app.supervisor.permissions import Actor
from common.amounts import DECIMAL_POINT, AmountFormat
from common.format import UTILITY_ZONE_DEFAULT, terminal_zone
from printers import model as pm


class ReceiptSink(Protocol):
    """Where printable slips go: the printers package's `PrintQueue` (its `enqueue`)."""

    def enqueue(self, receipt: pm.Receipt) -> Any: ...


@dataclass(frozen=True)
class TerminalContext:
    """The terminal's identity as slips and reports show it."""

    terminal_id: str = ""
    vendor_id: str = ""
    vendor_name: str = ""
    utility_name: str = ""
    utility_address: str = ""
    vat_number: str = ""
    currency: str = "ZAR"
    #: the utility's zone (its IANA `time_zone`, else its `utc_offset`): local days and hours
    zone: tzinfo = UTILITY_ZONE_DEFAULT
    #: how amounts are typed at this terminal (the `ui.locale` setting)
    amount_format: AmountFormat = DECIMAL_POINT

    def pos(self, actor: Actor | None) -> pm.PointOfSale:
        """The printers' `PointOfSale` for a slip printed by `actor`."""
        return pm.PointOfSale(pm.Party(self.vendor_name or self.vendor_id), self.vendor_id,
                              self.terminal_id, actor.name if actor else "")

    def utility(self) -> pm.Party:
        """The utility as a printed party."""
        address = tuple(p.strip() for p in self.utility_address.split(",") if p.strip())
        return pm.Party(self.utility_name, address, self.vat_number)

    @classmethod
    def from_terminal_raw(cls, raw: dict[str, Any]) -> TerminalContext:
        """From the `GET /v1/terminal` JSON the core caches in settings."""
        utility = raw.get("utility") or {}
        vendor = raw.get("vendor") or {}
        return cls(str(raw.get("terminal_id", "")), str(vendor.get("id", "")),
                   str(vendor.get("name", "")), str(utility.get("name", "")),
                   str(utility.get("address", "")), str(utility.get("vat_number", "")),
                   str(utility.get("currency", "ZAR")), terminal_zone(raw))


