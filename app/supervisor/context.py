"""Who and where: the terminal/vendor/utility facts printed on supervisor slips."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from app.supervisor.permissions import Actor
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
    utc_offset: timedelta = timedelta(hours=2)

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
        offset = str(utility.get("utc_offset") or "+02:00")
        sign = -1 if offset.startswith("-") else 1
        hours, _, minutes = offset.lstrip("+-").partition(":")
        return cls(str(raw.get("terminal_id", "")), str(vendor.get("id", "")),
                   str(vendor.get("name", "")), str(utility.get("name", "")),
                   str(utility.get("address", "")), str(utility.get("vat_number", "")),
                   str(utility.get("currency", "ZAR")),
                   sign * timedelta(hours=int(hours or 0), minutes=int(minutes or 0)))


_API_KINDS = {"credit": pm.TokenKind.CREDIT, "fbe": pm.TokenKind.FREE_BASIC,
              "clear_tamper": pm.TokenKind.CLEAR_TAMPER,
              "clear_credit": pm.TokenKind.CLEAR_CREDIT,
              "set_power_limit": pm.TokenKind.SET_POWER_LIMIT,
              "set_phase_unbalance": pm.TokenKind.SET_PHASE_UNBALANCE,
              "test": pm.TokenKind.TEST}


def token_lines(tokens: list[dict[str, Any]]) -> tuple[pm.TokenLine, ...]:
    """API tokens (entry order) as printable lines.

    The first key-change section is KEY_CHANGE_1 and every later one KEY_CHANGE_2, so the
    printers' stable ordering keeps the server's entry order also for 4-section key changes.
    """
    out: list[pm.TokenLine] = []
    seen_key_change = False
    for t in tokens:
        api_kind = str(t.get("kind", ""))
        if api_kind == "key_change":
            kind = pm.TokenKind.KEY_CHANGE_2 if seen_key_change else pm.TokenKind.KEY_CHANGE_1
            seen_key_change = True
        else:
            kind = _API_KINDS.get(api_kind, pm.TokenKind.TEST)
        units = t.get("units")
        tenths = int(str(units).replace(".", "")) if units else None
        out.append(pm.TokenLine(kind, str(t["token"]), str(t.get("description", "")), tenths))
    return tuple(out)
