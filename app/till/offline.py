"""`offline_check`: would the offline policy let this sale through, asked BEFORE it is offered.

When the server cannot be reached for a quote, the sale screen may offer a pending sale
("Press Enter to sell pending"). It must not offer what the policy will refuse the moment the
cashier presses Enter (arrears, a key change due, the caps...), nor what the server will
refuse when the sale syncs (an amount the month's fixed charges swallow). This runs the same
policy the sale itself runs (`app.sales.policy.check_offline_sale`, on the cached meter, the
stored policy and the outbox) plus the fixed-charge rule from the signed tariff in force.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from app.api import models as api
from app.sales import repository as repo
from app.sales.policy import (
    OfflineDecision,
    check_fixed_charges,
    check_offline_sale,
    month_fixed_charges,
)
from app.tariffs import TariffService
from offline_store import Connection, Store

__all__ = ["OfflineDecision", "fixed_charges_due", "offline_check", "utc_now"]


def utc_now() -> datetime:
    """The time the policy judges at (the terminal's clock, UTC)."""
    return datetime.now(UTC)


def fixed_charges_due(tariffs: TariffService | None, tariff_id: str, at: datetime) -> int:
    """The month's fixed charges (VAT-inclusive minor units) of the tariff in force, 0 when
    no signed version of it is known here."""
    if tariffs is None or not tariff_id:
        return 0
    doc = tariffs.in_force(tariff_id, at)
    if doc is None:
        return 0
    return month_fixed_charges([c.amount_minor for c in doc.fixed_charges],
                               prices_include_vat=doc.prices_include_vat, vat_rate=doc.vat_rate)


def offline_check(store: Store, tariffs: TariffService | None, meter_number: str,
                  amount: api.Money, clock: Callable[[], datetime]) -> OfflineDecision:
    """The policy's decision for selling `amount` on `meter_number` pending, now; raises
    `OfflineRefused` (a `BusinessRuleError`) with the reason when it would be refused."""
    now = clock()

    def check(conn: Connection) -> tuple[OfflineDecision, str]:
        cached = repo.cached_meter(conn, meter_number)
        meter = None if cached is None else cached[0]
        decision = check_offline_sale(repo.load_policy(conn), meter, amount,
                                      repo.outbox_stats(conn), now)
        return decision, "" if meter is None else meter.tariff_id

    decision, tariff_id = store.call(check)
    check_fixed_charges(amount, fixed_charges_due(tariffs, tariff_id, now))
    return decision
