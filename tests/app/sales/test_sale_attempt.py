"""The cashier's attempt: an unreadable answer or any unexpected error never leads to a new key.

Real server through the fault proxy. The POST gets a captive portal's HTML page with status
200 (before or after the server did the work) and the look-up of the key fails too: the
cashier gets `SaleNotCompleted` naming the SAME key, the sale stays open (outbox row), nothing
else is written, and `retry(key)` resolves that same sale: the server ends with exactly one
sale, under that key. An exception nobody expected inside the attempt is contained the same
way.
"""

from __future__ import annotations

from typing import Any

import pytest

from app.api import Money
from app.sales.outcomes import SaleNotCompleted, reference_for
from tests.reliability.faultproxy import Fault, FaultKind
from tests.reliability.harness import Core, Env

POST, LOOK_UP = b"POST /v1/sales ", b"GET /v1/sales/"
ZAR = "ZAR"


def _meter(env: Env) -> str:
    return str(next(m["meter_number"] for m in env.server.demo["meters"]
                    if m["tags"] == ["normal"]))


def _sales(core: Core) -> dict[str, tuple[str, bool]]:
    """idempotency key -> (state, has an outbox row) of every local sale."""
    rows = core.store.call(lambda c: c.execute(
        "SELECT s.idem_key, s.state, o.idem_key IS NOT NULL FROM sales s "
        "LEFT JOIN outbox o ON o.idem_key = s.idem_key").fetchall())
    return {str(k): (str(s), bool(q)) for k, s, q in rows}


def _assert_same_sale_resolved(env: Env, core: Core, exc: SaleNotCompleted,
                               meter: str) -> None:
    sales = _sales(core)
    assert list(sales) == [exc.idempotency_key], "one sale, under the key the cashier was given"
    state, queued = sales[exc.idempotency_key]
    assert state in ("sending", "unresolved", "needs_attention") and queued, sales
    assert exc.reference == reference_for(exc.idempotency_key)

    outcome = core.service.retry(exc.idempotency_key)
    assert outcome.state == "tokened" and outcome.idempotency_key == exc.idempotency_key
    assert outcome.sale is not None and outcome.sale.meter_number == meter
    server = env.server_sales()
    assert server == {exc.idempotency_key: outcome.sale.receipt_no}
    assert _sales(core) == {exc.idempotency_key: ("tokened", False)}


@pytest.mark.parametrize("server_did_it", [True, False], ids=["after-commit", "before"])
@pytest.mark.parametrize("look_up", [FaultKind.HTML_200, FaultKind.RESET_AFTER,
                                     FaultKind.ERROR_JSON])
def test_an_html_200_and_a_failed_look_up_keep_the_same_sale(
        env: Env, core: Core, server_did_it: bool, look_up: FaultKind) -> None:
    meter = _meter(env)
    core.service.confirm_customer(meter)
    env.proxy.inject(Fault(FaultKind.HTML_200, after_commit=server_did_it), POST)
    env.proxy.inject(Fault(look_up), LOOK_UP)
    with pytest.raises(SaleNotCompleted) as caught:
        core.service.sell(meter, Money(10000, ZAR), "thandi")
    assert env.proxy.wait_applied(look_up, LOOK_UP, timeout=0)
    assert list(env.server_sales()) == ([caught.value.idempotency_key] if server_did_it else [])
    _assert_same_sale_resolved(env, core, caught.value, meter)


@pytest.mark.parametrize("error", [RuntimeError("boom"), KeyError("tokens"),
                                   RecursionError("maximum recursion depth exceeded")])
def test_an_unexpected_exception_in_the_attempt_is_contained(
        env: Env, core: Core, monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    meter = _meter(env)
    core.service.confirm_customer(meter)
    real_sell = core.client.sell
    calls: list[str] = []

    def sell_then_fail(key: str, operator_id: str, request: dict[str, Any]) -> Any:
        calls.append(key)
        if len(calls) == 1:
            real_sell(key, operator_id, request)  # the server sells it ...
            raise error  # ... and reading its answer fails in a way nobody expected
        return real_sell(key, operator_id, request)

    monkeypatch.setattr(core.client, "sell", sell_then_fail)
    with pytest.raises(SaleNotCompleted) as caught:
        core.service.sell(meter, Money(10000, ZAR), "thandi")
    assert calls[0] == caught.value.idempotency_key
    assert type(caught.value.__cause__) is type(error)
    _assert_same_sale_resolved(env, core, caught.value, meter)
    assert calls == [caught.value.idempotency_key], "found by its key, never sent again"


def test_a_retry_of_a_sale_the_server_never_saw_sends_the_same_key(
        env: Env, core: Core, monkeypatch: pytest.MonkeyPatch) -> None:
    meter = _meter(env)
    core.service.confirm_customer(meter)
    real_sell = core.client.sell
    calls: list[str] = []

    def fail_first(key: str, operator_id: str, request: dict[str, Any]) -> Any:
        calls.append(key)
        if len(calls) == 1:
            raise ValueError("a bug before anything was sent")
        return real_sell(key, operator_id, request)

    monkeypatch.setattr(core.client, "sell", fail_first)
    with pytest.raises(SaleNotCompleted) as caught:
        core.service.sell(meter, Money(10000, ZAR), "thandi")
    assert env.server_sales() == {}
    _assert_same_sale_resolved(env, core, caught.value, meter)
    assert calls == [caught.value.idempotency_key] * 2
