"""Sale service against the real server on loopback: online, offline, lost answers, refusals."""

from __future__ import annotations

import pytest

from app.api import ApiRejected, Money
from app.sales import OfflineRefused, SaleNotCompleted
from app.sales import repository as repo
from app.sales.events import OutboxChanged
from common.errors import InvalidInput
from tests.reliability.harness import Core, Env

ZAR = "ZAR"


def _meter(env: Env, tag: str) -> str:
    return str(env.server.meter(tag)["meter_number"])


def _state(core: Core, key: str) -> str:
    row = core.store.call(lambda c: repo.get_sale(c, key))
    assert row is not None
    return row.state


def test_online_sale_confirm_quote_sell(env: Env, core: Core) -> None:
    meter = _meter(env, "normal")
    confirmation = core.service.confirm_customer(meter)
    assert not confirmation.from_cache and confirmation.meter.customer_name
    amount = Money(10000, ZAR)
    quote = core.service.quote(meter, amount)
    outcome = core.service.sell(meter, amount, "thandi", quote=quote)
    assert outcome.state == "tokened" and outcome.sale is not None
    assert outcome.sale.units == quote.units
    key = outcome.idempotency_key
    assert _state(core, key) == "tokened"
    tokens = core.store.call(lambda c: repo.sale_tokens(c, key))
    assert [t[2] for t in tokens] == [t.digits for t in outcome.sale.tokens]
    assert env.server_sales() == {key: outcome.sale.receipt_no}
    assert core.store.call(repo.outbox_stats).count == 0
    assert [e.data["idempotency_key"] for e in core.names("sale.tokened")] == [key]
    kinds = core.store.call(lambda c: [r[0] for r in c.execute(
        "SELECT kind FROM journal WHERE ref = ? ORDER BY seq", (key,))])
    assert kinds == ["sale.created", "sale.tokened"]


def test_row_and_key_are_committed_before_sending(env: Env, core: Core) -> None:
    seen: list[tuple[str, int]] = []

    def check(key: str) -> None:
        row = core.store.call(lambda c: repo.get_sale(c, key))
        assert row is not None
        seen.append((row.state, len(env.server_sales())))

    core.service._after_write = check
    core.service.sell(_meter(env, "normal"), Money(5000, ZAR), "thandi")
    assert seen == [("sending", 0)]


def test_server_rejection_is_recorded_and_raised(env: Env, core: Core) -> None:
    meter = _meter(env, "blocked")
    with pytest.raises(ApiRejected) as info:
        core.service.sell(meter, Money(5000, ZAR), "thandi")
    assert info.value.code == "BLOCKED_METER"
    rows = core.store.call(lambda c: c.execute("SELECT state, reason_code FROM sales").fetchall())
    assert rows == [("rejected", "BLOCKED_METER")]
    assert core.store.call(repo.outbox_stats).count == 0
    assert env.server_sales() == {}


def test_bad_meter_number_is_refused_before_anything_is_written(core: Core) -> None:
    with pytest.raises(InvalidInput):
        core.service.sell("1234", Money(5000, ZAR), "thandi")
    with pytest.raises(InvalidInput, match="check digit"):
        core.service.sell("04200000118", Money(5000, ZAR), "thandi")
    assert core.store.call(lambda c: c.execute("SELECT count(*) FROM sales").fetchone()[0]) == 0


def test_server_stopped_pending_then_tokened_exactly_once(env: Env, core: Core) -> None:
    meter = _meter(env, "normal")
    core.service.confirm_customer(meter)  # caches the customer
    env.proxy.down()
    outcome = core.service.sell(meter, Money(10000, ZAR), "thandi", notify=["sms"])
    assert outcome.state == "pending" and outcome.slip is not None
    slip = outcome.slip
    assert slip.reference.startswith("VP-") and slip.amount == Money(10000, ZAR)
    assert slip.customer_name and slip.meter_number == meter
    assert "printed at this counter" in slip.delivery  # the normal demo meter has no phone tag
    assert not core.connectivity.online
    assert [e.data["online"] for e in core.names("connectivity.changed")] == [False]
    outbox = core.names("outbox.changed")[-1]
    assert isinstance(outbox, OutboxChanged)
    assert outbox.count == 1 and outbox.value == Money(10000, ZAR) and outbox.pending == 1
    # A second sale while known offline goes straight to pending (no network wait).
    second = core.service.sell(meter, Money(5000, ZAR), "thandi")
    assert second.state == "pending"
    assert core.sync.step().unreachable
    assert env.server_sales() == {}
    env.proxy.up()
    report = core.sync.step()
    assert sorted(report.tokened) == sorted([outcome.idempotency_key, second.idempotency_key])
    assert core.sync.step().tokened == []  # nothing left, nothing sent twice
    sales = env.server_sales()
    assert set(sales) == {outcome.idempotency_key, second.idempotency_key}
    assert _state(core, outcome.idempotency_key) == "tokened"
    assert core.store.call(repo.outbox_stats).count == 0
    assert core.connectivity.online


def test_lost_answer_after_commit_gives_same_tokens_one_sale(env: Env, core: Core) -> None:
    meter = _meter(env, "normal")
    env.proxy.drop_responses(b"POST /v1/sales ", 1)
    outcome = core.service.sell(meter, Money(10000, ZAR), "thandi")
    assert env.proxy.dropped == 1
    assert outcome.state == "tokened" and outcome.resolved_after_lost_answer
    assert outcome.sale is not None
    sales = env.server_sales()
    assert list(sales) == [outcome.idempotency_key]
    # The tokens stored are the server's original ones.
    import httpx
    original = httpx.get(f"{env.server.base_url}/v1/sales/{outcome.idempotency_key}",
                         headers=env.server.headers(env.credential)).json()
    assert [t["token"] for t in original["tokens"]] == [t.digits for t in outcome.sale.tokens]


def test_lost_answer_while_server_goes_down_resolves_later(env: Env, core: Core) -> None:
    meter = _meter(env, "normal")
    core.service.confirm_customer(meter)
    env.proxy.drop_responses(b"POST /v1/sales ", 1)
    # Also lose the follow-up look-up: the server "disappears" right after committing.
    env.proxy.drop_responses(b"POST /v1/sales ", 1)

    def go_down(key: str) -> None:
        pass

    core.service._after_write = go_down
    outcome_key: list[str] = []
    original_get = core.client.get_sale

    def get_then_down(key: str, request: object = None) -> object:
        env.proxy.down()
        outcome_key.append(key)
        return original_get(key, request)  # type: ignore[arg-type]

    core.client.get_sale = get_then_down  # type: ignore[method-assign,assignment]
    outcome = core.service.sell(meter, Money(8000, ZAR), "thandi")
    core.client.get_sale = original_get  # type: ignore[method-assign]
    assert outcome.state == "pending"  # committed on the server, answer lost, now offline
    env.proxy.up()
    report = core.sync.step()
    assert report.tokened == [outcome.idempotency_key]
    assert list(env.server_sales()) == [outcome.idempotency_key]  # still exactly one sale


@pytest.mark.parametrize(
    ("tag", "code"),
    [("blocked", "OFFLINE_BLOCKED"), ("arrears", "OFFLINE_ARREARS"),
     ("key_change", "OFFLINE_KEY_CHANGE"), ("fbe", "OFFLINE_FBE")],
)
def test_offline_refusals(env: Env, core: Core, tag: str, code: str) -> None:
    meter = _meter(env, tag)
    core.service.confirm_customer(meter)
    env.cut(core)
    with pytest.raises(OfflineRefused) as info:
        core.service.sell(meter, Money(2000, ZAR), "thandi")
    assert info.value.code == code
    assert core.store.call(repo.outbox_stats).count == 0


def test_unknown_meter_offline_is_refused(env: Env, core: Core) -> None:
    env.cut(core)
    with pytest.raises(OfflineRefused) as info:
        core.service.confirm_customer(_meter(env, "normal"))
    assert info.value.code == "OFFLINE_UNKNOWN_METER"
    with pytest.raises(OfflineRefused) as info2:
        core.service.sell(_meter(env, "normal"), Money(2000, ZAR), "thandi")
    assert info2.value.code == "OFFLINE_UNKNOWN_METER"


def test_offline_caps(env: Env, core: Core) -> None:
    meter = _meter(env, "normal")
    core.service.confirm_customer(meter)
    env.cut(core)
    with pytest.raises(OfflineRefused) as info:
        core.service.sell(meter, Money(100001, ZAR), "thandi")  # over R1000 per sale
    assert info.value.code == "OFFLINE_MAX_SALE"
    for _ in range(10):
        assert core.service.sell(meter, Money(100000, ZAR), "thandi").state == "pending"
    with pytest.raises(OfflineRefused) as info:
        core.service.sell(meter, Money(500, ZAR), "thandi")  # R10 000 total reached
    assert info.value.code == "OFFLINE_MAX_TOTAL"
    stats = core.store.call(repo.outbox_stats)
    assert stats.pending_count == 10 and stats.pending_value_minor == 1_000_000


def test_not_offline_eligible_and_answer_lost_is_not_completed_then_resolved(
    env: Env, core: Core
) -> None:
    meter = _meter(env, "arrears")
    core.service.confirm_customer(meter)
    env.proxy.drop_responses(b"POST /v1/sales ", 1)
    original_get = core.client.get_sale

    def get_then_down(key: str, request: object = None) -> object:
        env.proxy.down()
        return original_get(key, request)  # type: ignore[arg-type]

    core.client.get_sale = get_then_down  # type: ignore[method-assign,assignment]
    with pytest.raises(SaleNotCompleted) as info:
        core.service.sell(meter, Money(20000, ZAR), "thandi")
    core.client.get_sale = original_get  # type: ignore[method-assign]
    assert "NOT complete" in str(info.value)
    assert "debt recovery)." in str(info.value) and ".)." not in str(info.value)  # wording
    (key,) = core.store.call(lambda c: [r[0] for r in c.execute("SELECT idem_key FROM sales")])
    assert _state(core, key) == "unresolved"
    env.proxy.up()
    report = core.sync.step()
    assert report.tokened == [key]  # it had been processed: tokened, flagged for reprint
    assert any(e.data.get("code") == "LATE_TOKEN" for e in core.names("sale.needs_attention"))
    assert list(env.server_sales()) == [key]
