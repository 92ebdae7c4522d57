"""Sale listing queries on a real SQLCipher store filled by the real sale service and server:
a business day, the open (outbox) sales, a meter's sales, look-ups by receipt and reference,
and the query plans (indexes, no full scans)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.api import ApiRejected, Money
from app.sales import history
from app.sales.history import FAILED_STATES, SOLD_STATES, SaleHistory
from offline_store import Connection
from tests.reliability.harness import Core, Env

ZAR = "ZAR"


def _meter(env: Env, tag: str) -> str:
    return str(env.server.meter(tag)["meter_number"])


def test_lists_and_lookups_over_real_sales(env: Env, core: Core) -> None:
    a, b = _meter(env, "normal"), _meter(env, "two_way")
    core.service.confirm_customer(a)
    first = core.service.sell(a, Money(10000, ZAR), "thandi")
    second = core.service.sell(b, Money(10000, ZAR), "thandi")
    third = core.service.sell(a, Money(6000, ZAR), "thandi")
    with pytest.raises(ApiRejected):
        core.service.sell(_meter(env, "blocked"), Money(2000, ZAR), "thandi")
    env.cut(core)
    pending = core.service.sell(a, Money(1500, ZAR), "thandi")
    assert pending.state == "pending" and pending.slip is not None
    assert first.sale and second.sale and third.sale

    h = SaleHistory(core.store)
    opened = h.open()
    assert [r.idem_key for r in opened] == [pending.idempotency_key]
    rec = opened[0]
    assert rec.is_open and rec.state == "pending" and rec.offline
    assert rec.reference == pending.slip.reference == rec.client_reference
    assert rec.receipt_no is None and rec.units is None and rec.amount == Money(1500, ZAR)
    assert rec.customer_name == pending.slip.customer_name != ""

    now = datetime.now(UTC)
    today = h.today(now, "+02:00")
    assert [r.idem_key for r in today] == [pending.idempotency_key, third.idempotency_key,
                                           second.idempotency_key, first.idempotency_key]
    everything = h.today(now, "+02:00", states=SOLD_STATES + FAILED_STATES)
    assert len(everything) == 5 and everything[1].state == "rejected"
    assert everything[1].reason_code == "BLOCKED_METER"
    yesterday = history.business_day(now, "+02:00") - timedelta(days=1)
    start, end = history.day_window(yesterday, "+02:00")
    assert h.between(start, end) == []

    tokened = today[1]
    assert tokened.reference == tokened.receipt_no == third.sale.receipt_no
    assert (tokened.units, tokened.unit) == (third.sale.units, third.sale.unit)
    assert tokened.sold_at == third.sale.sold_at and tokened.sold_tariff_version == 1
    assert not tokened.is_open and not tokened.reversed
    assert third.sale.tokens[0].digits not in repr(tokened)

    assert [r.idem_key for r in h.for_meter(a)] == [
        pending.idempotency_key, third.idempotency_key, first.idempotency_key]
    assert h.for_meter(a, limit=1)[0].idem_key == pending.idempotency_key
    assert [r.idem_key for r in h.find(f" {a[:4]} {a[4:8]}-{a[8:]} ")] == \
        [r.idem_key for r in h.for_meter(a)]

    found = h.by_receipt(second.sale.receipt_no)
    assert found is not None and found.idem_key == second.idempotency_key
    assert h.by_receipt("VP99999999") is None
    by_ref = h.by_reference(pending.slip.reference.lower())
    assert by_ref is not None and by_ref.idem_key == pending.idempotency_key
    assert [r.idem_key for r in h.find(first.sale.receipt_no)] == [first.idempotency_key]
    assert h.by_reference("VP-0000000000") is None and h.find("nothing") == []

    # The supervisor's reversal service records reversals in this table.
    reversed_receipt = first.sale.receipt_no
    core.store.call(lambda c: c.execute(
        "INSERT INTO reversals (reversal_no, receipt_no, reversed_at, operator_id, "
        "supervisor_id, amount_minor, currency, reason, body) VALUES "
        "('RV00000001', ?, '2026-11-25T03:30:00Z', 'thandi', 'sipho', 2000, 'ZAR', 'r', '{}')",
        (reversed_receipt,)))
    again = h.by_receipt(reversed_receipt)
    assert again is not None and again.reversed


def test_business_day_window_in_utility_time() -> None:
    assert history.day_window(date(2026, 11, 25), "+02:00") == (
        "2026-11-24T22:00:00", "2026-11-25T22:00:00")
    assert history.day_window(date(2026, 11, 25), timedelta(hours=-5))[0] == \
        "2026-11-25T05:00:00"
    late = datetime(2026, 11, 24, 22, 30, tzinfo=UTC)  # 00:30 on the 25th in SAST
    assert history.business_day(late, "+02:00") == date(2026, 11, 25)
    # Stored times carry microseconds and Z: a sale at 22:00:00.5 UTC is inside the window,
    # one at 21:59:59.999999 is not.
    start, end = history.day_window(date(2026, 11, 25), "+02:00")
    assert start <= "2026-11-24T22:00:00.500000Z" < end
    assert not start <= "2026-11-24T21:59:59.999999Z"
    for bad in ("2", "+2:00", "Mars/Olympus", ""):
        with pytest.raises(ValueError, match="offset"):
            history.day_window(date(2026, 11, 25), bad)
    with pytest.raises(ValueError, match="time zone"):
        history.business_day(datetime(2026, 11, 25), "+02:00")


def test_business_day_in_the_utilitys_iana_zone_cuts_at_local_midnight() -> None:
    # Libya: UTC+2 all year. Lisbon (a test zone: the African demo zones have no DST):
    # the day the clocks go forward has 23 hours, the day they go back 25.
    tripoli = ZoneInfo("Africa/Tripoli")
    assert history.day_window(date(2026, 3, 29), tripoli) == (
        "2026-03-28T22:00:00", "2026-03-29T22:00:00")
    assert history.day_window(date(2026, 3, 29), "Europe/Lisbon") == (
        "2026-03-29T00:00:00", "2026-03-29T23:00:00")
    assert history.day_window(date(2026, 10, 25), "Europe/Lisbon") == (
        "2026-10-24T23:00:00", "2026-10-26T00:00:00")
    # 23:30 UTC on 28 March is 23:30 in Lisbon (winter); on 29 March it is 00:30 on the 30th.
    assert history.business_day(datetime(2026, 3, 28, 23, 30, tzinfo=UTC),
                                "Europe/Lisbon") == date(2026, 3, 28)
    assert history.business_day(datetime(2026, 3, 29, 23, 30, tzinfo=UTC),
                                "Europe/Lisbon") == date(2026, 3, 30)
    assert history.business_day(datetime(2026, 3, 29, 22, 30, tzinfo=UTC),
                                tripoli) == date(2026, 3, 30)


def _plan(conn: Connection, run: object) -> list[str]:
    """The query plan of every statement a listing runs."""
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        assert callable(run)
        run(conn)
    finally:
        conn.set_trace_callback(None)
    details: list[str] = []
    for sql in statements:
        if sql.lstrip().upper().startswith("SELECT"):
            details += [str(r[3]) for r in conn.execute("EXPLAIN QUERY PLAN " + sql)]
    return details


def test_listing_queries_use_indexes(env: Env, core: Core) -> None:
    meter = _meter(env, "normal")
    core.service.sell(meter, Money(10000, ZAR), "thandi")

    def plan(run: object) -> list[str]:
        return core.store.call(lambda c: _plan(c, run), transaction=False)

    # The hot one (polled for the status bar's list): the outbox, then sales by key.
    pending = plan(lambda c: history.open_sales(c))
    assert any(p.startswith("SCAN o") for p in pending), pending
    assert any("SEARCH s USING INDEX sqlite_autoindex_sales_1 (idem_key=?)" in p
               for p in pending), pending
    # Only the outbox is walked (plus `reversals`, which has no receipt index and is only
    # consulted for a sale that has a receipt: pending ones have none).
    assert [p for p in pending if p.startswith("SCAN")] == ["SCAN o", "SCAN r"], pending
    assert not any("TEMP B-TREE" in p for p in pending), pending  # seq order is the key order
    newest = plan(lambda c: history.open_sales(c, newest_first=True))
    assert not any("TEMP B-TREE" in p for p in newest), newest

    day = plan(lambda c: history.sales_between(c, "2026-01-01T00:00:00",
                                               "2099-01-01T00:00:00"))
    assert any("USING INDEX sales_created (created_at>? AND created_at<?)" in p
               for p in day), day
    assert not any(p.startswith("SCAN s") for p in day), day
    by_meter = plan(lambda c: history.sales_for_meter(c, meter))
    assert any("USING INDEX sales_meter (meter_number=?)" in p for p in by_meter), by_meter
    by_receipt = plan(lambda c: history.sale_by_receipt(c, "VP00000001"))
    assert any("USING INDEX sqlite_autoindex_receipts_" in p for p in by_receipt), by_receipt
    assert [p for p in by_receipt if p.startswith("SCAN")] == ["SCAN r"], by_receipt
    by_ref = plan(lambda c: history.sale_by_reference(c, "VP-ABCDEF1234"))
    assert any("sqlite_autoindex_sales_1 (idem_key>? AND idem_key<?)" in p
               for p in by_ref), by_ref


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="limit"):
        history._limit(0)
    with pytest.raises(ValueError, match="state"):
        history._states(["sold"])
