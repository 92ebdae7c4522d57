"""Report arithmetic on a seeded store against hand-computed totals; Z numbering/immutability."""

from __future__ import annotations

import pytest

from app.supervisor import SupervisorServices, ranges
from app.supervisor import reports as rp
from app.supervisor.endofday import z_upload_body
from app.supervisor.reports import Totals
from offline_store import Store
from printers.model import ShiftReport
from tests.app.supervisor.helpers_supervisor import (
    CASHIER,
    SUP_OK,
    SUPERVISOR,
    FakeApi,
    Printed,
    Seeder,
)

RES = ("RES-IBT", "Residential")
BUS = ("BUS-FLAT", "Business flat")


def _seed_day(seed: Seeder) -> dict[str, str]:
    """Five sales, one pending, one rejected offline, one needing attention.

    Hand-computed totals (minor units / tenths):
      thandi  cash  RES  100.00 45.3 kWh vat 12.39 charges 45.00 debt 5.00  tokens 1
      thandi  card  RES  200.00 98.7 kWh vat 26.09 charges  0.00 debt 0.00  tokens 3
      sipho   cash  BUS   50.00 20.0 kWh vat  6.52 charges  0.00 debt 10.00 tokens 1 (offline)
      thandi  cash  BUS   25.50 10.1 kWh vat  3.33 charges  0.00 debt 0.00  tokens 1
      sipho   cash  RES   10.00  1.5 kL  vat  1.30 charges  0.00 debt 0.00  tokens 1 (water)
      sum                385.50 174.1 (kWh) + 1.5 (kL) vat 49.63 charges 45.00 debt 15.00 tok 7
    """
    keys = {
        "a": seed.tokened(amount=10000, units=453, vat=1239, charges=4500, debt=500,
                          sold_at="2026-11-25T06:10:00Z"),
        "b": seed.tokened(amount=20000, units=987, vat=2609, tokens=3, tender="card",
                          sold_at="2026-11-25T06:40:00Z"),
        "c": seed.tokened(amount=5000, units=200, vat=652, debt=1000, operator="sipho",
                          tariff=BUS, offline=True, sold_at="2026-11-25T08:05:00Z"),
        "d": seed.tokened(amount=2550, units=101, vat=333, tariff=BUS,
                          sold_at="2026-11-25T09:59:59Z"),
        "e": seed.tokened(amount=1000, units=15, vat=130, operator="sipho", unit="kL",
                          utility="Water Board", sold_at="2026-11-25T10:00:00Z"),
    }
    keys["pending"] = seed.insert(amount=3000, offline=True, state="pending")
    keys["rejected"] = seed.insert(amount=700, offline=True, state="pending")
    seed.set_state(keys["rejected"], "rejected", "BLOCKED_METER", "Meter blocked")
    keys["attention"] = seed.insert(amount=900)
    seed.set_state(keys["attention"], "needs_attention", "MALFORMED", "bad answer")
    return keys


def test_x_report_matches_hand_computed_totals(sv: SupervisorServices, seed: Seeder) -> None:
    _seed_day(seed)
    r = sv.day.x_report(CASHIER)
    assert r.kind == "X" and r.z_number is None and r.currency == "ZAR"
    assert r.sales == Totals(count=5, amount_minor=38550, units_tenths=1756, vat_minor=4963,
                             charges_minor=4500, debt_minor=1500, tokens=7, offline=1)
    assert r.units_by_unit == {"kWh": 1741, "kL": 15}
    assert {k: (t.count, t.amount_minor) for k, t in r.by_operator.items()} == {
        "thandi": (3, 32550), "sipho": (2, 6000)}
    assert {k: (t.count, t.amount_minor) for k, t in r.by_tender.items()} == {
        "cash": (4, 18550), "card": (1, 20000)}
    assert {k: (t.count, t.amount_minor, t.units_tenths) for k, t in r.by_tariff.items()} == {
        "RES-IBT Residential": (3, 31000, 1455), "BUS-FLAT Business flat": (2, 7550, 301)}
    assert {k: t.amount_minor for k, t in r.by_utility.items()} == {
        "City Power": 37550, "Water Board": 1000}
    assert (r.pending_offline_count, r.pending_offline_minor) == (1, 3000)
    assert r.attention_count == 2
    assert r.net_minor == 38550


def test_reversal_reprint_engineering_and_refund_in_report(
        sv: SupervisorServices, seed: Seeder, store: Store, printed: Printed) -> None:
    keys = _seed_day(seed)
    receipt = store.call(lambda c: c.execute(
        "SELECT receipt_no FROM sales WHERE idem_key = ?", (keys["a"],)).fetchone()[0])
    sv.reversals.reverse(CASHIER, receipt, "wrong meter", SUP_OK)  # fake server refunds 50.00
    sv.attention.cash_refund(SUPERVISOR, keys["rejected"], note="paid back")
    from app.supervisor.engineering import EngineeringRequest
    sv.engineering.issue(SUPERVISOR, EngineeringRequest("14339800360", "clear_tamper"), SUP_OK)
    sv.engineering.issue(SUPERVISOR, EngineeringRequest("14339800360", "set_power_limit",
                                                        value=3000), SUP_OK)
    r = sv.day.x_report(SUPERVISOR)
    assert (r.reversals.count, r.reversals.amount_minor) == (1, 5000)
    assert (r.cash_refunds.count, r.cash_refunds.amount_minor) == (1, 700)
    assert r.engineering == {"clear_tamper": 1, "set_power_limit": 1}
    assert r.net_minor == 38550 - 5000 - 700
    assert r.attention_count == 1  # the refunded one left the queue
    kinds = [p.kind for p in printed.items]
    assert kinds == ["reversal", "engineering", "engineering"]


def test_z_numbering_and_periods(sv: SupervisorServices, seed: Seeder) -> None:
    seed.tokened(amount=10000, units=453)
    z1 = sv.day.issue_z(SUPERVISOR)
    assert z1.report.z_number == 1 and z1.report.sales.count == 1
    # after the Z: a new sale belongs to Z 2 only
    seed.tokened(amount=2000, units=90, sold_at="2026-11-25T12:00:00Z")
    assert sv.day.x_report(SUPERVISOR).sales.amount_minor == 2000
    z2 = sv.day.issue_z(SUPERVISOR)
    assert z2.report.z_number == 2 and z2.report.sales.amount_minor == 2000
    assert z2.report.period_start == z1.report.period_end
    z3 = sv.day.issue_z(SUPERVISOR)  # an empty day still gets its number
    assert z3.report.z_number == 3 and z3.report.sales.count == 0
    assert [n for n, _, _ in sv.day.list_z(SUPERVISOR)] == [3, 2, 1]
    # stored Z 1 is unchanged by later sales
    assert sv.day.get_z(SUPERVISOR, 1).report.sales.amount_minor == 10000


def test_z_is_immutable(sv: SupervisorServices, seed: Seeder, store: Store) -> None:
    seed.tokened(amount=10000, units=453)
    sv.day.issue_z(SUPERVISOR)
    for sql in ("UPDATE z_reports SET body = '{}' WHERE z_number = 1",
                "UPDATE z_reports SET z_number = 7 WHERE z_number = 1",
                "DELETE FROM z_reports WHERE z_number = 1",
                "UPDATE report_ledger SET amount_minor = 1",
                "DELETE FROM report_ledger"):
        with pytest.raises(Exception, match=r"cannot be|append-only"):
            store.call(lambda c, q=sql: c.execute(q))  # type: ignore[misc]
    assert sv.day.get_z(SUPERVISOR, 1).report.sales.amount_minor == 10000
    # an edit that bypasses the triggers is caught by the body hash
    def forge(c: object) -> None:
        c.execute("DROP TRIGGER z_reports_immutable")  # type: ignore[attr-defined]
        c.execute("UPDATE z_reports SET body = replace(body, '10000', '1') "  # type: ignore[attr-defined]
                  "WHERE z_number = 1")
    store.call(forge)
    with pytest.raises(rp.ZTampered):
        sv.day.get_z(SUPERVISOR, 1)


def test_z_reprint_is_marked_and_counted(sv: SupervisorServices, seed: Seeder,
                                         printed: Printed) -> None:
    seed.tokened(amount=10000, units=453)
    sv.day.issue_z(SUPERVISOR)
    assert printed.items[-1].kind == "report" and printed.items[-1].z_number == 1
    first = sv.day.reprint_z(SUPERVISOR, 1)
    second = sv.day.reprint_z(SUPERVISOR, 1)
    assert first.kind == "reprint" and (first.reprint_no, second.reprint_no) == (1, 2)
    assert isinstance(first.original, ShiftReport)
    assert first.original.title == "Z REPORT No. 1"


def test_z_upload_matched_and_differences(sv: SupervisorServices, seed: Seeder,
                                          api: FakeApi) -> None:
    seed.tokened(amount=10000, units=453, vat=1239)
    seed.insert(amount=3000, offline=True, state="pending")
    sv.day.issue_z(SUPERVISOR)
    rec = sv.day.upload_z(SUPERVISOR, 1)
    assert rec.matched and rec.lines() == []
    body = api.calls[-1][1]
    assert body["z_number"] == 1
    assert body["totals"]["sales_amount"] == {"amount": "100.00", "currency": "ZAR"}
    assert body["totals"]["units"] == "45.3" and body["totals"]["offline_pending_count"] == 1
    assert body["totals"]["vat"] == {"amount": "12.39", "currency": "ZAR"}
    api.z_answer = {"z_number": 1, "matched": False, "server": {}, "terminal": {},
                    "differences": {"sales_count": 1, "sales_amount":
                                    {"amount": "-20.00", "currency": "ZAR"},
                                    "reversals_count": 0, "units": "0.0"}}
    rec = sv.day.upload_z(SUPERVISOR, 1)
    assert not rec.matched and rec.lines() == ["sales count: 1", "sales amount: -20.00"]
    stored = sv.day.reconciliation(SUPERVISOR, 1)
    assert stored is not None and stored.differences["sales_count"] == 1
    assert sv.day.list_z(SUPERVISOR)[0][2] == "differences"


def test_report_json_roundtrip_and_upload_body(seed: Seeder, store: Store) -> None:
    _seed_day(seed)
    r = store.call(lambda c: rp.running_report(c, currency="ZAR"))
    again = rp.Report.from_json(r.to_json())
    assert again == r
    assert z_upload_body(r)["totals"]["units"] == "175.6"


def test_range_report_filters_and_hourly(seed: Seeder, store: Store) -> None:
    _seed_day(seed)
    r = store.call(lambda c: ranges.range_report(c, "2026-11-25T06:00:00Z",
                                                 "2026-11-25T10:00:00Z", operator="thandi"))
    assert (r.sales.count, r.sales.amount_minor) == (3, 32550)
    assert set(r.by_operator) == {"thandi"}
    hours = store.call(lambda c: ranges.sales_per_hour(c, "2026-11-25T00:00:00Z",
                                                       "2026-11-26T00:00:00Z"))
    assert len(hours) == 24
    # UTC 06:xx -> 08:00 local (+02:00); 08:05 -> 10; 09:59:59 -> 11; 10:00 -> 12
    assert {h: (n, a) for h, n, a in hours if n} == {
        8: (2, 30000), 10: (1, 5000), 11: (1, 2550), 12: (1, 1000)}
    rows = list(store.call(lambda c: list(ranges.ledger_rows(c, "2026-11-25T00:00:00Z",
                                                             "2026-11-26T00:00:00Z"))))
    assert [x.amount_minor for x in rows] == [10000, 20000, 5000, 2550, 1000]
    assert store.call(ranges.operators_seen) == ["sipho", "thandi"]


def test_grouped_aggregate_equals_raw_sum(seed: Seeder, store: Store) -> None:
    _seed_day(seed)
    grouped = store.call(lambda c: rp.aggregate_z(c, 1))
    total = Totals()
    for _, t in grouped:
        total.add(t)
    raw = store.call(lambda c: rp.raw_aggregate(c, 1))
    assert tuple(total.to_json().values()) == raw


def test_print_queue_reprints_are_counted(store: Store, sv: SupervisorServices) -> None:
    from datetime import UTC, datetime

    from printers import model as pm
    from printers.job_store import new_job
    from printers.sql_job_store import SqlPrintJobStore

    jobs = SqlPrintJobStore(store)
    now = datetime.now(UTC)
    slip = pm.ShiftCloseSlip(
        pos=pm.PointOfSale(pm.Party("V"), "V1", "T1", "Thandi"), shift_id="S-1",
        opened_at=now, closed_at=now, opening_float=pm.Money.of("0", "ZAR"),
        cash_sales=pm.Money.of("0", "ZAR"), cash_drops=pm.Money.of("0", "ZAR"),
        expected=pm.Money.of("0", "ZAR"), counted=pm.Money.of("0", "ZAR"), sales_count=0)
    original = jobs.add(new_job(slip, "p1", now))
    jobs.add_reprint(original.id, now, "Thandi")
    jobs.add_reprint(original.id, now, "Sipho")
    r = sv.day.x_report(SUPERVISOR)
    assert r.reprints == 2
    rows = store.call(lambda c: c.execute(
        "SELECT d.operator_id, l.ref FROM report_ledger l JOIN report_dims d "
        "ON d.dim_id = l.dim_id WHERE d.kind = 'reprint' ORDER BY l.seq").fetchall())
    assert [tuple(x) for x in rows] == [("Thandi", "S-1"), ("Sipho", "S-1")]


def test_units_of_different_kinds_are_never_added(seed: Seeder, store: Store) -> None:
    _seed_day(seed)  # kWh and kL sales, one operator selling both
    r = store.call(lambda c: rp.running_report(c, currency="ZAR"))
    sections = {s.title: s for s in r.sections()}
    sipho = next(x for x in sections["By operator"].lines if x.label == "sipho")
    assert sipho.units_tenths is None  # 20.0 kWh + 1.5 kL is no number
    water = next(x for x in sections["By utility"].lines if x.label == "Water Board")
    assert (water.units_tenths, water.unit) == (15, "kL")
    from app.supervisor.context import TerminalContext
    from app.supervisor.endofday import to_shift_report
    from printers.render import render_text

    text = render_text(to_shift_report(r, TerminalContext(), None), 42)
    assert "Water Board 1.5 kL (1)" in text and "1.5 kWh" not in text


def test_offline_sale_synced_after_its_day_is_explained(
        sv: SupervisorServices, seed: Seeder, store: Store, api: FakeApi) -> None:
    from app.api.models import parse_sale
    from app.sales import repository as repo
    from tests.app.supervisor.helpers_supervisor import sale_body

    key = seed.insert(amount=3000, offline=True, state="pending")
    z1 = sv.day.issue_z(SUPERVISOR)
    assert (z1.report.pending_offline_count, z1.report.pending_offline_minor) == (1, 3000)
    taken = "2026-01-01T10:00:00Z"  # before Z 2's period: the server puts it on that day
    sale = parse_sale(sale_body(key, "VP00000077", amount=3000, units=120, vat=391, charges=0,
                                debt=0, operator="thandi", tariff=RES, sold_at=taken,
                                offline=True))
    assert store.call(lambda c: repo.mark_tokened(c, key, sale))
    z2 = sv.day.issue_z(SUPERVISOR)
    assert z2.report.sales.count == 1 and z2.report.sales.offline == 1
    api.z_answer = {"z_number": 2, "matched": False, "server": {}, "terminal": {},
                    "differences": {"sales_count": 1,
                                    "sales_amount": {"amount": "30.00", "currency": "ZAR"}}}
    rec = sv.day.upload_z(SUPERVISOR, 2)
    assert (rec.late_offline_count, rec.late_offline_minor) == (1, 3000)
    assert rec.lines()[-1].startswith("1 offline sale of an earlier day (ZAR 30.00)")


def test_z_numbers_stay_sequential_across_two_stores_on_one_file(
        store: Store, store_key: bytes, seed: Seeder) -> None:
    """Two windows (two connections) closing the day at once: distinct, gapless numbers."""
    import threading

    from offline_store import open_store

    other = open_store(store.path, store_key)
    try:
        seed.tokened(amount=1000, units=40)
        start = threading.Barrier(2)
        numbers: list[int] = []
        errors: list[BaseException] = []

        def close_day(s: Store) -> None:
            try:
                start.wait(timeout=10)
                for _ in range(5):
                    numbers.append(s.call(lambda c: rp.issue_z(
                        c, issued_by="a", approved_by="b", currency="ZAR")).report.z_number or 0)
            except BaseException as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=close_day, args=(s,)) for s in (store, other)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert errors == [] and sorted(numbers) == list(range(1, 11))
        # the one sale is in exactly one Z
        counts = [store.call(lambda c, n=n: rp.load_z(c, n)).report.sales.count  # type: ignore[union-attr, misc]
                  for n in range(1, 11)]
        assert sum(counts) == 1
    finally:
        other.close()


def test_z_is_refused_while_a_shift_is_open(sv: SupervisorServices, store: Store) -> None:
    from app.api.models import Money
    from common.errors import BusinessRuleError

    shift = sv.shifts.open_shift(CASHIER, Money(0, "ZAR"))
    ready = sv.day.z_readiness(SUPERVISOR)
    assert [s.operator_id for s in ready.open_shifts] == ["thandi"]
    assert ready.report.open_shifts == 1 and not ready.has_activity
    with pytest.raises(BusinessRuleError, match="1 shift is still open: thandi") as refused:
        sv.day.issue_z(SUPERVISOR)
    assert refused.value.code == "SHIFTS_OPEN"
    with pytest.raises(BusinessRuleError, match="still open"):
        sv.day.close_day(SUPERVISOR)
    assert sv.day.list_z(SUPERVISOR) == []  # nothing issued, no number taken
    # X (and the screen's range report) count it
    exceptions = {x.label: x.count for x in sv.day.x_report(SUPERVISOR).sections()[-1].lines}
    assert exceptions["Shifts still open"] == 1
    sv.shifts.close_shift(CASHIER, shift.shift_id, counted=Money(0, "ZAR"))
    issued = sv.day.issue_z(SUPERVISOR)
    assert issued.report.z_number == 1 and issued.report.open_shifts == 0
    ready = sv.day.z_readiness(SUPERVISOR)
    assert ready.last_z_number == 1 and not ready.has_activity


def test_range_report_screen_pdf_csv_count_open_shifts(sv: SupervisorServices,
                                                       seed: Seeder) -> None:
    from app.api.models import Money
    from app.supervisor.exports import report_csv, report_html

    _seed_day(seed)
    sv.shifts.open_shift(CASHIER, Money(0, "ZAR"))
    r = sv.reports.range_report(SUPERVISOR, "2026-11-25T00:00:00Z", "2999-01-01T00:00:00Z")
    assert r.open_shifts == 1
    assert "Exceptions,Shifts still open,1," in report_csv(r)
    assert "Shifts still open</td><td class='n'>1<" in report_html(r).replace("\n", "")
    # another operator's filter: that cashier's shift is not theirs
    r = sv.reports.range_report(SUPERVISOR, "2026-11-25T00:00:00Z", "2999-01-01T00:00:00Z",
                                operator="sipho")
    assert r.open_shifts == 0


def test_vat_is_net_of_reversals_like_net(sv: SupervisorServices, seed: Seeder,
                                          store: Store) -> None:
    keys = _seed_day(seed)
    receipt = store.call(lambda c: c.execute(
        "SELECT receipt_no FROM sales WHERE idem_key = ?", (keys["a"],)).fetchone()[0])
    sv.reversals.reverse(CASHIER, receipt, "wrong meter", SUP_OK)  # sale a: VAT 12.39
    r = sv.day.x_report(SUPERVISOR)
    assert r.reversals.vat_minor == 1239 and r.net_vat_minor == 4963 - 1239
    summary = {x.label: x.amount_minor for x in r.sections()[0].lines}
    assert summary["VAT (net of reversals)"] == 4963 - 1239
    assert summary["Net"] == 38550 - 5000
    # units stay per unit in every summary line (kWh and kL are never one figure)
    units = {x.label: (x.units_tenths, x.unit) for x in r.sections()[0].lines if x.unit}
    assert units == {"Units (kL)": (15, "kL"), "Units (kWh)": (1741, "kWh")}
    # the server compares the gross VAT of the sales it made: the upload keeps it gross
    assert z_upload_body(r)["totals"]["vat"] == {"amount": "49.63", "currency": "ZAR"}


def test_z_reprint_counter_when_not_printed_at_issue(sv: SupervisorServices) -> None:
    sv.day.issue_z(SUPERVISOR, print_it=False)
    assert [sv.day.reprint_z(SUPERVISOR, 1).reprint_no for _ in range(3)] == [1, 2, 3]


def test_report_days_cut_at_the_utilitys_local_midnight_over_dst() -> None:
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    lisbon = ZoneInfo("Europe/Lisbon")  # a DST test zone: the African demo zones have none

    def hours(first: date, last: date, zone: ZoneInfo) -> float:
        start, end = ranges.day_range(first, last, zone)
        span = datetime.fromisoformat(end) - datetime.fromisoformat(start)
        return span.total_seconds() / 3600

    assert hours(date(2026, 3, 29), date(2026, 3, 29), lisbon) == 23
    assert hours(date(2026, 10, 25), date(2026, 10, 25), lisbon) == 25
    assert hours(date(2026, 3, 28), date(2026, 3, 30), lisbon) == 71
    assert ranges.day_range(date(2026, 3, 29), date(2026, 3, 29), ZoneInfo("Africa/Tripoli")) \
        == ("2026-03-28T22:00:00Z", "2026-03-29T22:00:00Z")


def test_the_terminal_context_takes_the_utilitys_iana_zone() -> None:
    from datetime import timedelta

    from app.supervisor.context import TerminalContext

    facts = {"utility": {"time_zone": "Africa/Tripoli", "utc_offset": "+02:00"}}
    assert str(TerminalContext.from_terminal_raw(facts).zone) == "Africa/Tripoli"
    offset_only = TerminalContext.from_terminal_raw({"utility": {"utc_offset": "+01:00"}})
    assert offset_only.zone.utcoffset(None) == timedelta(hours=1)
    assert TerminalContext().zone.utcoffset(None) == timedelta(hours=2)


def test_sales_per_hour_in_a_dst_zone(seed: Seeder, store: Store) -> None:
    from zoneinfo import ZoneInfo

    _seed_day(seed)  # 25 November: Lisbon is on UTC+0 then
    hours = store.call(lambda c: ranges.sales_per_hour(c, "2026-11-25T00:00:00Z",
                                                       "2026-11-26T00:00:00Z",
                                                       zone=ZoneInfo("Europe/Lisbon")))
    assert {h: (n, a) for h, n, a in hours if n} == {
        6: (2, 30000), 8: (1, 5000), 9: (1, 2550), 10: (1, 1000)}
