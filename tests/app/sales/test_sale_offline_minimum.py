"""The server's sale minimum (and maximum) holds for offline sales too: refused at the counter
with the minimum named, instead of accepted as "token pending" and rejected at sync."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.api import Money
from app.api.models import OfflinePolicy, parse_offline_policy
from app.push.events import PolicyPushed
from app.sales import OfflineRefused, check_offline_sale
from app.sales import repository as repo
from tests.reliability.harness import Core, Env

ZAR = "ZAR"


def test_offline_sale_below_the_servers_minimum_is_refused_at_the_counter(
        env: Env, core: Core) -> None:
    minimum = Money.parse(env.activation["sale_limits"]["minimum"]["amount"], ZAR)
    assert minimum == Money(500, ZAR)
    policy = core.store.call(repo.load_policy)
    assert policy is not None and policy.sale_minimum == minimum
    assert policy.sale_maximum == Money(500000, ZAR)
    meter = str(env.server.meter("normal")["meter_number"])
    core.service.confirm_customer(meter)
    env.cut(core)
    with pytest.raises(OfflineRefused) as info:
        core.service.sell(meter, Money(100, ZAR), "thandi")
    assert info.value.code == "OFFLINE_MIN_SALE"
    assert "ZAR 5.00" in str(info.value) and "ZAR 1.00" in str(info.value)
    assert "ZAR 5.00" in info.value.hint
    stats = core.store.call(repo.outbox_stats)
    assert stats.count == 0 and stats.pending_count == 0  # nothing waits to be rejected
    # Known offline (no timeout to wait for): the same refusal.
    core.connectivity.set(False, "down")
    with pytest.raises(OfflineRefused) as again:
        core.service.sell(meter, Money(499, ZAR), "thandi")
    assert again.value.code == "OFFLINE_MIN_SALE"
    assert core.service.sell(meter, minimum, "thandi").state == "pending"  # exactly R5.00


def test_a_pushed_policy_keeps_the_cached_sale_limits(core: Core) -> None:
    before = core.store.call(repo.load_policy)
    assert before is not None and before.sale_minimum is not None
    pushed = {k: v for k, v in before.to_json().items()
              if k not in ("sale_minimum", "sale_maximum")} | {"max_count": 3}
    core.bus.publish(PolicyPushed(event_id=5, terminal_id="T0001",
                                  offline_policy=parse_offline_policy(pushed)))
    after = core.store.call(repo.load_policy)
    assert after is not None and after.max_count == 3
    assert (after.sale_minimum, after.sale_maximum) == (before.sale_minimum,
                                                        before.sale_maximum)


def _policy(**changes: object) -> OfflinePolicy:
    data = {"offline_allowed": True, "max_sale": {"amount": "1000.00", "currency": ZAR},
            "max_total": {"amount": "10000.00", "currency": ZAR}, "max_count": 50,
            "warn_after_hours": 24, "refuse_after_hours": 72, "refuse": []}
    data.update(changes)
    return parse_offline_policy(data)


def test_policy_check_names_the_limits(core: Core, env: Env) -> None:
    meter = core.service.confirm_customer(str(env.server.meter("normal")["meter_number"])).meter
    stats = core.store.call(repo.outbox_stats)
    now = datetime.now(UTC)
    limits = _policy(sale_minimum={"amount": "5.00", "currency": ZAR},
                     sale_maximum={"amount": "500.00", "currency": ZAR},
                     max_sale={"amount": "900.00", "currency": ZAR})
    assert check_offline_sale(limits, meter, Money(500, ZAR), stats, now).warning == ""
    with pytest.raises(OfflineRefused) as above:
        check_offline_sale(limits, meter, Money(50001, ZAR), stats, now)
    assert above.value.code == "OFFLINE_ABOVE_MAXIMUM" and "ZAR 500.00" in str(above.value)
    # A policy cached before the limits were kept: only the offline caps apply.
    old = _policy()
    assert old.sale_minimum is None and "sale_minimum" not in old.to_json()
    assert check_offline_sale(old, meter, Money(100, ZAR), stats, now).warning == ""
