"""The terminal: its activation, `GET /v1/terminal` and the offline policy in it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from app.api.models.money import Money
from app.api.models.validators import (
    Invalid,
    boolean,
    identifier,
    integer,
    money,
    obj,
    opt_money,
    req,
    string,
    time_str,
)

__all__ = [
    "Activation",
    "OfflinePolicy",
    "TerminalInfo",
    "parse_activation",
    "parse_offline_policy",
    "parse_terminal",
]


@dataclass(frozen=True)
class OfflinePolicy:
    """The server's limits on selling while offline.

    `sale_minimum` / `sale_maximum` are the terminal's `sale_limits` (every sale, online or
    offline, must lie between them). They are not part of the API's OfflinePolicy object:
    `parse_terminal` attaches them from `GET /v1/terminal` (and activation), so the cached
    policy carries them and an offline sale the server would refuse at sync is refused at the
    counter. A pushed policy (`terminal.policy`) has none: `repo.save_policy` keeps the cached
    ones. None means not known yet (a policy cached by an older version).
    """

    offline_allowed: bool
    max_sale: Money
    max_total: Money
    max_count: int
    warn_after_hours: int
    refuse_after_hours: int
    refuse: frozenset[str]
    sale_minimum: Money | None = None
    sale_maximum: Money | None = None

    def to_json(self) -> dict[str, Any]:
        """Back to the API's JSON shape (for caching in settings), plus the sale limits."""
        out: dict[str, Any] = {
            "offline_allowed": self.offline_allowed,
            "max_sale": self.max_sale.to_json(),
            "max_total": self.max_total.to_json(),
            "max_count": self.max_count,
            "warn_after_hours": self.warn_after_hours,
            "refuse_after_hours": self.refuse_after_hours,
            "refuse": sorted(self.refuse),
        }
        if self.sale_minimum is not None:
            out["sale_minimum"] = self.sale_minimum.to_json()
        if self.sale_maximum is not None:
            out["sale_maximum"] = self.sale_maximum.to_json()
        return out


def parse_offline_policy(value: Any, where: str = "offline_policy") -> OfflinePolicy:
    """Parse an OfflinePolicy."""
    data = obj(value, where)
    refuse = req(data, "refuse", where)
    if not isinstance(refuse, list) or not all(isinstance(r, str) for r in refuse):
        raise Invalid(f"{where}.refuse is not a list of strings")
    policy = OfflinePolicy(
        boolean(data, "offline_allowed", where),
        money(req(data, "max_sale", where), f"{where}.max_sale"),
        money(req(data, "max_total", where), f"{where}.max_total"),
        integer(data, "max_count", where),
        integer(data, "warn_after_hours", where),
        integer(data, "refuse_after_hours", where),
        frozenset(refuse),
        opt_money(data, "sale_minimum", where),
        opt_money(data, "sale_maximum", where),
    )
    if policy.max_count < 0 or policy.refuse_after_hours < 0 or policy.warn_after_hours < 0:
        raise Invalid(f"{where} has a negative limit")
    return policy


@dataclass(frozen=True)
class TerminalInfo:
    """`GET /v1/terminal` (and the useful part of the activation answer)."""

    terminal_id: str
    server_time: str
    vendor_credit: Money | None
    offline_policy: OfflinePolicy
    sale_minimum: Money
    sale_maximum: Money
    currency: str
    raw: dict[str, Any] = field(repr=False)
    #: the utility's IANA time zone ("Africa/Kampala"); None from a server without it, where
    #: `raw["utility"]["utc_offset"]` is all there is (`common.format.terminal_zone` reads both)
    time_zone: str | None = None
    #: the utility's customer-facing language ("en", "fr", "pt"): the receipts' default
    language: str | None = None
    #: the utility's counter locale ("en_UG", "fr_CI", "pt_MZ", "en_ZA", "en"): the
    #: display and typing defaults
    locale: str | None = None


def _opt_text(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) and value else None


def parse_terminal(value: Any, where: str = "terminal") -> TerminalInfo:
    """Parse `GET /v1/terminal` or an activation answer."""
    data = obj(value, where)
    limits = obj(req(data, "sale_limits", where), f"{where}.sale_limits")
    utility = obj(req(data, "utility", where), f"{where}.utility")
    credit = data.get("vendor_credit")
    minimum = money(req(limits, "minimum", "sale_limits"), "sale_limits.minimum")
    maximum = money(req(limits, "maximum", "sale_limits"), "sale_limits.maximum")
    if minimum.currency != maximum.currency or minimum.minor > maximum.minor:
        raise Invalid(f"{where}.sale_limits minimum is above the maximum or in another currency")
    policy = parse_offline_policy(req(data, "offline_policy", where), f"{where}.offline_policy")
    return TerminalInfo(
        identifier(data, "terminal_id", where),
        time_str(data, "server_time", where) or "",
        None if credit is None else money(credit, f"{where}.vendor_credit"),
        replace(policy, sale_minimum=minimum, sale_maximum=maximum),
        minimum,
        maximum,
        string(utility, "currency", f"{where}.utility"),
        data,
        _opt_text(utility, "time_zone"),
        _opt_text(utility, "language"),
        _opt_text(utility, "locale"),
    )


@dataclass(frozen=True)
class Activation:
    """`POST /v1/terminals/activate`: the credential (a secret: never log it) and terminal info."""

    credential: str = field(repr=False)
    terminal: TerminalInfo


def parse_activation(value: Any) -> Activation:
    """Parse the activation answer."""
    data = obj(value, "activation")
    credential = string(data, "credential", "activation")
    return Activation(credential, parse_terminal(data, "activation"))
