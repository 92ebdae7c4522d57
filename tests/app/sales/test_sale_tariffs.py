"""Every sale records its tariff; stale quotes are refused (QuoteStale); a sale priced
differently from its quote is audited. Real server on loopback, real SQLCipher files."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.api import Money
from app.api.tariff_source import ClientTariffSource
from app.sales import QuoteStale
from app.sales import repository as repo
from app.tariffs import TariffService
from common.errors import BusinessRuleError
from tests.reliability.harness import Core, Env
from vendserver.testing import RunningServer, running_server

ZAR = "ZAR"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RunningServer]:
    """These tests publish tariff versions: a server of their own each (not the module's)."""
    with running_server(tmp_path / "server", demo=True) as srv:
        yield srv


def _tariffs(env: Env, core: Core) -> TariffService:
    """The tariff service over the core's own client, with the server's versions accepted."""
    tariffs = TariffService(core.store, ClientTariffSource(core.client), core.bus)
    tariffs.provision_keys(env.activation["tariff_signing_keys"])
    tariffs.reconcile()
    core.service.tariffs = tariffs
    return tariffs


def _normal(env: Env) -> tuple[str, str]:
    m = env.server.meter("normal")
    return str(m["meter_number"]), str(m["tariff_id"])


def _republish(env: Env, tariff_id: str, rate: str) -> int:
    """A new version of `tariff_id`, in force now, with another first-block rate."""
    doc = dict(env.server.service.tariff_version(tariff_id, 1)["document"])
    doc.pop("effective_from", None)
    doc.pop("expires_at", None)
    doc["blocks"] = [dict(b) for b in doc["blocks"]]
    doc["blocks"][0]["rate"] = rate
    return int(env.server.service.publish_tariff(doc)["version"])


def _row(core: Core, key: str) -> repo.SaleRow:
    row = core.store.call(lambda c: repo.get_sale(c, key))
    assert row is not None
    return row


def _journal(core: Core, key: str) -> list[tuple[str, dict[str, Any]]]:
    return core.store.call(lambda c: [(r[0], json.loads(r[1])) for r in c.execute(
        "SELECT kind, body FROM journal WHERE ref = ? ORDER BY seq", (key,))])


def _sales(core: Core) -> int:
    return int(core.store.call(lambda c: c.execute("SELECT count(*) FROM sales").fetchone()[0]))


def test_online_sale_records_quoted_and_sold_version(env: Env, core: Core) -> None:
    _tariffs(env, core)
    meter, tariff_id = _normal(env)
    quote = core.service.quote(meter, Money(10000, ZAR))
    outcome = core.service.sell(meter, Money(10000, ZAR), "thandi", quote=quote)
    assert outcome.sale is not None
    row = _row(core, outcome.idempotency_key)
    assert (row.tariff_id, row.quoted_tariff_version, row.sold_tariff_version,
            row.sold_tariff_source) == (tariff_id, quote.tariff_version,
                                        outcome.sale.tariff_version, "server")
    assert outcome.sale.raw["tariff"]["version"] == row.sold_tariff_version
    journal = dict(_journal(core, outcome.idempotency_key))
    assert journal["sale.created"]["tariff"]["quoted_version"] == quote.tariff_version
    assert journal["sale.tokened"]["tariff"] == {"id": tariff_id,
                                                 "version": row.sold_tariff_version}
    assert core.names("sale.price_differs") == []


def test_offline_sale_records_the_local_version_then_the_servers(env: Env, core: Core) -> None:
    tariffs = _tariffs(env, core)
    meter, tariff_id = _normal(env)
    local = tariffs.in_force(tariff_id)
    assert local is not None
    core.service.confirm_customer(meter)
    env.cut(core)
    core.connectivity.set(False)
    outcome = core.service.sell(meter, Money(5000, ZAR), "thandi")
    assert outcome.state == "pending"
    row = _row(core, outcome.idempotency_key)
    assert (row.tariff_id, row.quoted_tariff_version, row.sold_tariff_version,
            row.sold_tariff_source) == (tariff_id, local.version, local.version, "local")
    created = dict(_journal(core, outcome.idempotency_key))["sale.created"]
    assert created["tariff"] == {"id": tariff_id, "quoted_version": local.version,
                                 "sold_version": local.version, "source": "local"}
    env.proxy.up()
    assert core.sync.step().tokened == [outcome.idempotency_key]
    row = _row(core, outcome.idempotency_key)
    response = core.store.call(lambda c: repo.sale_response(c, outcome.idempotency_key))
    assert response is not None
    assert row.sold_tariff_source == "server"
    assert row.sold_tariff_version == response["tariff"]["version"]
    assert row.quoted_tariff_version == local.version  # what the terminal believed stays


def test_online_attempt_that_goes_pending_records_the_local_version(env: Env,
                                                                    core: Core) -> None:
    tariffs = _tariffs(env, core)
    meter, tariff_id = _normal(env)
    core.service.confirm_customer(meter)
    env.proxy.down()  # refused: surely not sent, the policy allows it offline
    outcome = core.service.sell(meter, Money(5000, ZAR), "thandi")
    assert outcome.state == "pending"
    local = tariffs.in_force(tariff_id)
    assert local is not None
    row = _row(core, outcome.idempotency_key)
    assert (row.tariff_id, row.quoted_tariff_version, row.sold_tariff_version,
            row.sold_tariff_source) == (tariff_id, local.version, local.version, "local")


def test_offline_sale_without_a_tariff_service_records_the_tariff_only(env: Env,
                                                                       core: Core) -> None:
    meter, tariff_id = _normal(env)
    core.service.confirm_customer(meter)
    env.cut(core)
    core.connectivity.set(False)
    outcome = core.service.sell(meter, Money(5000, ZAR), "thandi")
    row = _row(core, outcome.idempotency_key)
    assert (row.tariff_id, row.quoted_tariff_version, row.sold_tariff_version,
            row.sold_tariff_source) == (tariff_id, None, None, None)


def test_stale_quote_is_refused_with_the_new_quote_then_sold_on_it(env: Env,
                                                                   core: Core) -> None:
    tariffs = _tariffs(env, core)
    meter, tariff_id = _normal(env)
    amount = Money(10000, ZAR)
    old = core.service.quote(meter, amount)
    new_version = _republish(env, tariff_id, "2.2000")
    tariffs.reconcile()
    assert tariffs.check_quote(tariff_id, old.tariff_version).stale
    with pytest.raises(QuoteStale) as info:
        core.service.sell(meter, amount, "thandi", quote=old)
    exc = info.value
    assert isinstance(exc, BusinessRuleError) and exc.code == "TARIFF_CHANGED"
    assert exc.new_quote is not None and exc.new_quote.tariff_version == new_version
    assert exc.quoted_version == old.tariff_version and exc.in_force_version == new_version
    assert exc.summary.startswith(
        f"The tariff changed from version {old.tariff_version} to {new_version}: ZAR 100.00 "
        f"now buys {exc.new_quote.units} kWh instead of {old.units} kWh")
    assert exc.new_quote.units != old.units and exc.difference is not None
    assert (exc.difference.old_units, exc.difference.new_units) == (old.units,
                                                                    exc.new_quote.units)
    assert _sales(core) == 0 and env.server_sales() == {}  # nothing written, nothing sold
    # The cashier confirmed the new price.
    outcome = core.service.sell(meter, amount, "thandi", quote=exc.new_quote)
    assert outcome.sale is not None and outcome.sale.units == exc.new_quote.units
    row = _row(core, outcome.idempotency_key)
    assert (row.quoted_tariff_version, row.sold_tariff_version) == (new_version, new_version)
    assert core.names("sale.price_differs") == []


def test_stale_quote_while_offline_is_refused_without_waiting(env: Env, core: Core) -> None:
    tariffs = _tariffs(env, core)
    meter, tariff_id = _normal(env)
    core.service.confirm_customer(meter)
    old = core.service.quote(meter, Money(5000, ZAR))
    _republish(env, tariff_id, "2.3000")
    tariffs.reconcile()
    env.cut(core)
    core.connectivity.set(False)
    with pytest.raises(QuoteStale) as info:
        core.service.sell(meter, Money(5000, ZAR), "thandi", quote=old)
    assert info.value.new_quote is None and info.value.difference is None
    assert "cannot be fetched" in info.value.summary
    assert _sales(core) == 0
    # Selling without the old quote is the way on: pending, on the local version.
    outcome = core.service.sell(meter, Money(5000, ZAR), "thandi")
    assert outcome.state == "pending"
    assert _row(core, outcome.idempotency_key).sold_tariff_version == \
        tariffs.in_force(tariff_id).version  # type: ignore[union-attr]


def test_current_quote_is_not_requoted(env: Env, core: Core) -> None:
    _tariffs(env, core)
    meter, _ = _normal(env)
    quote = core.service.quote(meter, Money(5000, ZAR))
    calls: list[str] = []
    original = core.client.quote

    def counting(meter_number: str, amount: Money) -> Any:
        calls.append(meter_number)
        return original(meter_number, amount)

    core.client.quote = counting  # type: ignore[method-assign]
    assert core.service.sell(meter, Money(5000, ZAR), "thandi", quote=quote).state == "tokened"
    assert calls == []


def test_without_a_tariff_service_a_different_price_is_audited(env: Env, core: Core) -> None:
    meter, tariff_id = _normal(env)
    old = core.service.quote(meter, Money(10000, ZAR))
    new_version = _republish(env, tariff_id, "2.4000")
    outcome = core.service.sell(meter, Money(10000, ZAR), "thandi", quote=old)
    assert outcome.sale is not None and outcome.sale.tariff_version == new_version
    row = _row(core, outcome.idempotency_key)
    assert (row.quoted_tariff_version, row.sold_tariff_version) == (old.tariff_version,
                                                                    new_version)
    (event,) = core.names("sale.price_differs")
    assert event.data["idempotency_key"] == outcome.idempotency_key
    assert event.data["summary"].startswith(
        f"The tariff changed from version {old.tariff_version} to {new_version}")
    kinds = [k for k, _ in _journal(core, outcome.idempotency_key)]
    assert kinds == ["sale.created", "sale.tokened", "sale.price_differs"]
