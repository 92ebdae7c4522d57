"""The till's offline check, asked before a pending sale is offered: the same policy the sale
runs (cached meter, stored policy, outbox), plus the month's fixed charges from the signed
tariff. Real server, real SQLCipher store."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, cast

import pytest

from app.api import Money
from app.sales.policy import OfflineRefused, check_fixed_charges, month_fixed_charges
from app.tariffs import TariffService
from app.tariffs.document import FixedCharge
from app.till.offline import offline_check, utc_now
from tests.reliability.harness import Core, Env


def test_arrears_and_unknown_meters_are_refused_before_pending_is_offered(
        env: Env, core: Core) -> None:
    arrears = str(env.server.meter("arrears")["meter_number"])
    normal = str(env.server.meter("normal")["meter_number"])
    core.till.lookup(arrears)  # both customers were confirmed (cached) while online
    core.till.lookup(normal)
    with pytest.raises(OfflineRefused, match="arrears") as refused:
        core.till.offline_check(arrears, Money(5000, "ZAR"))
    assert refused.value.code == "OFFLINE_ARREARS"
    assert core.till.offline_check(normal, Money(5000, "ZAR")).warning == ""
    with pytest.raises(OfflineRefused) as unknown:
        core.till.offline_check("01234567897", Money(5000, "ZAR"))
    assert unknown.value.code == "OFFLINE_UNKNOWN_METER"
    # asking sells nothing and queues nothing
    assert core.store.call(lambda c: c.execute("SELECT count(*) FROM sales").fetchone()[0]) == 0


def _tariffs(charges: list[int], include_vat: bool) -> TariffService:
    doc = SimpleNamespace(fixed_charges=tuple(FixedCharge("NET", "Network", c) for c in charges),
                          prices_include_vat=include_vat, vat_rate=Decimal("15.00"))

    def in_force(tariff_id: str, at: datetime | None = None) -> Any:
        return doc if tariff_id == "COM-FLAT" else None

    return cast(TariffService, SimpleNamespace(in_force=in_force))


def test_an_offline_sale_the_fixed_charges_swallow_is_refused_at_the_counter(
        env: Env, core: Core) -> None:
    commercial = str(env.server.meter("commercial")["meter_number"])
    core.till.lookup(commercial)
    tariffs = _tariffs([25000], include_vat=False)  # ZAR 250.00 + 15 % VAT = ZAR 287.50
    with pytest.raises(OfflineRefused, match=r"ZAR 287\.50.*ZAR 287\.51") as refused:
        offline_check(core.store, tariffs, commercial, Money(20000, "ZAR"), utc_now)
    assert refused.value.code == "OFFLINE_BELOW_FIXED_CHARGES"
    with pytest.raises(OfflineRefused):
        offline_check(core.store, tariffs, commercial, Money(28750, "ZAR"), utc_now)
    assert offline_check(core.store, tariffs, commercial, Money(28751, "ZAR"),
                         utc_now).warning == ""
    # no signed tariff known here: nothing to judge by, the server decides
    assert offline_check(core.store, None, commercial, Money(1000, "ZAR"), utc_now).warning == ""


def test_fixed_charges_as_the_server_takes_them() -> None:
    assert month_fixed_charges([4500], prices_include_vat=True, vat_rate=Decimal(15)) == 4500
    assert month_fixed_charges([25000, 1], prices_include_vat=False,
                               vat_rate=Decimal("15.00")) == 28750 + 1
    check_fixed_charges(Money(4501, "ZAR"), 4500)
    check_fixed_charges(Money(100, "ZAR"), 0)
    with pytest.raises(OfflineRefused, match=r"smallest offline sale for this meter is ZAR 45\.01"):
        check_fixed_charges(Money(4500, "ZAR"), 4500)
