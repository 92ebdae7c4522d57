"""The demo markets and money by currency: sales priced in UGX, XOF, LYD and MZN (whole
shillings and francs, dirhams of 1/1000 dinar), request amounts with too many decimals
refused per currency, the terminal facts' time zone, language and locale, and local months
by the utility's IANA zone."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from common.money import CURRENCY_EXPONENTS, Money
from tests.vendserver.vs_helpers import assert_error
from vendserver import demo
from vendserver.db import SqliteStore
from vendserver.errors import ApiError
from vendserver.money import fmt_cents, parse_amount
from vendserver.pricing import AmountTooLow, MeterState, TariffTerms, price
from vendserver.service import VendingService
from vendserver.service.common import default_policy, sale_range
from vendserver.service.core import zone_name
from vendserver.testing import TEST_PIN_COST, RunningServer, running_server

OTHER_MARKETS = ("UGX", "XOF", "LYD", "MZN")


def _wire_re(currency: str) -> re.Pattern[str]:
    exp = CURRENCY_EXPONENTS[currency]
    return re.compile(r"-?[0-9]+" + (rf"\.[0-9]{{{exp}}}" if exp else ""))


def _minor(money: dict[str, str]) -> int:
    return Money.from_json(money).minor


class Counter:
    """An activated terminal of one market's server."""

    def __init__(self, srv: RunningServer) -> None:
        self.srv = srv
        activation = srv.activate("Counter 1")
        self.activation = activation
        self.currency = activation["utility"]["currency"]
        self.http = httpx.Client(base_url=srv.base_url, timeout=30,
                                 headers=srv.headers(activation["credential"], "thandi"))

    def money(self, amount: str) -> dict[str, str]:
        return {"amount": amount, "currency": self.currency}

    def quote(self, meter: str, amount: str) -> httpx.Response:
        return self.http.post("/v1/quotes", json={"meter_number": meter,
                                                   "amount": self.money(amount)})

    def sale(self, meter: str, amount: str) -> dict[str, Any]:
        r = self.http.post("/v1/sales", json={"meter_number": meter,
                                              "amount": self.money(amount)},
                           headers={"Idempotency-Key": str(uuid.uuid4())})
        assert r.status_code == 200, r.text
        sale: dict[str, Any] = r.json()
        return sale


def _check_lines(sale: dict[str, Any], currency: str) -> None:
    """Every amount is written with exactly the currency's decimals; the lines add up."""
    wire = _wire_re(currency)
    amounts = [sale["amount_tendered"], sale["vat"]["amount"], sale["vendor_credit"],
               sale["arrears_remaining"]]
    amounts += [line["amount"] for line in sale["lines"]]
    amounts += [line["vat"] for line in sale["lines"] if line["vat"] is not None]
    for money in amounts:
        assert money["currency"] == currency
        assert wire.fullmatch(money["amount"]), money
    assert sum(_minor(line["amount"]) for line in sale["lines"]) == \
        _minor(sale["amount_tendered"])


# (market, amount tendered, units bought, VAT) on the first sale of the month of an ordinary
# residential meter: worked out by hand from the market's tariff (docs/api.md §6).
FIRST_SALES = [
    # UGX: 3360 service fee; 50 kWh at 250 = 12500; 9140 left at 756.2/kWh = 12.087 -> 12.1
    # kWh (rounded up); VAT 18 % of 25000 = 3813.56 -> 3814 (whole shillings).
    ("UGX", "25000", "62.1", "3814"),
    # XOF: 1000 fixed; 50 kWh at 60 = 3000; 1000 left at 100 = 10.0 kWh; VAT 18/118 of 5000.
    ("XOF", "5000", "60.0", "763"),
    # LYD: 1.000 fixed; 50 kWh at 0.020 = 1.000; 300 kWh at 0.025 = 7.500; 1.000 left at
    # 0.035 = 28.57 -> 28.6 kWh; no VAT on electricity.
    ("LYD", "10.500", "378.6", "0.000"),
    # MZN: 30.00 fixed; 50 kWh at 1.07 = 53.50; 416.50 left at 6.78 = 61.43 -> 61.5 kWh;
    # VAT 16/116 of 500.00 = 68.9655 -> 68.97.
    ("MZN", "500.00", "111.5", "68.97"),
]


@pytest.mark.parametrize(("code", "amount", "units", "vat"), FIRST_SALES)
def test_a_sale_in_each_market_is_priced_in_its_money(tmp_path: Path, code: str, amount: str,
                                                      units: str, vat: str) -> None:
    with running_server(tmp_path, market=code) as srv:
        counter = Counter(srv)
        assert counter.currency == code
        meter = srv.meter("normal")["meter_number"]
        sale = counter.sale(meter, amount)
        _check_lines(sale, code)
        assert sale["amount_tendered"] == {"amount": amount, "currency": code}
        assert sale["units"] == units
        assert sale["vat"]["amount"] == {"amount": vat, "currency": code}
        assert sale["utility"]["name"] == demo.MARKETS[code].utility["name"]
        kinds = [line["kind"] for line in sale["lines"]]
        assert "fixed_charge" in kinds and kinds[-1] == "vat"
        credit = demo.MARKETS[code].vendor_credit - Money.from_wire(amount, code).minor
        assert sale["vendor_credit"] == {"amount": fmt_cents(credit, code), "currency": code}


def test_lyd_debt_recovery_and_arrears_in_dirhams(tmp_path: Path) -> None:
    with running_server(tmp_path, market="LYD") as srv:
        counter = Counter(srv)
        sale = counter.sale(srv.meter("arrears")["meter_number"], "20.250")
        _check_lines(sale, "LYD")
        debt = next(line for line in sale["lines"] if line["kind"] == "debt_recovery")
        # 20 % of 20.250 = 4.050 (above the 0.500 minimum), taken from 75.000 owed.
        assert debt["amount"] == {"amount": "4.050", "currency": "LYD"}
        assert sale["arrears_remaining"] == {"amount": "70.950", "currency": "LYD"}


@pytest.mark.parametrize(("code", "good", "bad", "phrase"), [
    ("ZAR", ["150", "150.5", "150.50"], ["150.505", "150.5000"], "at most 2 decimals"),
    ("UGX", ["12500"], ["12500.5", "12500.0", "12500."], "UGX has no decimals"),
    ("XOF", ["5000"], ["5000.5", "5000.00"], "XOF has no decimals"),
    ("LYD", ["10", "10.5", "10.500"], ["10.5001", "10.5000"], "at most 3 decimals"),
    ("MZN", ["500", "500.50"], ["500.505"], "at most 2 decimals"),
])
def test_request_amounts_with_too_many_decimals_are_refused(
        tmp_path: Path, code: str, good: list[str], bad: list[str], phrase: str) -> None:
    with running_server(tmp_path, market=code) as srv:
        counter = Counter(srv)
        meter = srv.meter("normal")["meter_number"]
        for amount in good:
            r = counter.quote(meter, amount)
            assert r.status_code == 200, (amount, r.text)
            assert _wire_re(code).fullmatch(r.json()["amount_tendered"]["amount"])
        for amount in bad:
            err = assert_error(counter.quote(meter, amount), "VALIDATION_ERROR")
            assert phrase in err["message"] and code in err["message"], err
            assert err["details"]["errors"][0]["field"] == "amount.amount"


@pytest.mark.parametrize("code", [*OTHER_MARKETS])
def test_sale_limits_and_offline_policy_are_in_the_markets_money(tmp_path: Path,
                                                                  code: str) -> None:
    with running_server(tmp_path, market=code) as srv:
        counter = Counter(srv)
        terminal = counter.http.get("/v1/terminal").json()
        low, high = sale_range(code)
        assert terminal["sale_limits"] == {"minimum": {"amount": fmt_cents(low, code),
                                                       "currency": code},
                                           "maximum": {"amount": fmt_cents(high, code),
                                                       "currency": code}}
        policy = default_policy(code)
        assert _minor(terminal["offline_policy"]["max_sale"]) == policy["max_sale_cents"]
        assert _minor(terminal["vendor_credit"]) == demo.MARKETS[code].vendor_credit
        below = fmt_cents(low - 1, code)
        meter = srv.meter("normal")["meter_number"]
        assert_error(counter.quote(meter, below), "AMOUNT_OUT_OF_RANGE")


@pytest.mark.parametrize(("code", "zone", "language", "locale", "offset"), [
    ("ZAR", "Africa/Johannesburg", "en", "en_ZA", "+02:00"),
    ("UGX", "Africa/Kampala", "en", "en_UG", "+03:00"),
    ("XOF", "Africa/Abidjan", "fr", "fr_CI", "+00:00"),
    ("LYD", "Africa/Tripoli", "en", "en", "+02:00"),
    ("MZN", "Africa/Maputo", "pt", "pt_MZ", "+02:00"),
])
def test_terminal_facts_carry_time_zone_language_and_locale(
        tmp_path: Path, code: str, zone: str, language: str, locale: str, offset: str) -> None:
    with running_server(tmp_path, market=code) as srv:
        counter = Counter(srv)
        for facts in (counter.activation, counter.http.get("/v1/terminal").json()):
            utility = facts["utility"]
            assert utility["currency"] == code
            assert utility["time_zone"] == zone
            assert utility["language"] == language and utility["locale"] == locale
            assert utility["utc_offset"] == offset


def _service(tmp_path: Path, code: str, now: list[datetime]) -> VendingService:
    service = VendingService(SqliteStore(tmp_path / f"{code}.db"), clock=lambda: now[0],
                             pin_cost=TEST_PIN_COST)
    demo.seed(service, code)
    return service


def test_local_month_follows_the_zone_not_a_fixed_offset(tmp_path: Path) -> None:
    # 22:30 UTC on 31 January 2013: Libya was on UTC+1 that winter (23:30, still January),
    # South Africa on UTC+2 (00:30, February); in 2026 both are UTC+2.
    now = [datetime(2013, 1, 31, 22, 30, tzinfo=UTC)]
    tripoli, joburg, abidjan = (_service(tmp_path, c, now) for c in ("LYD", "ZAR", "XOF"))
    try:
        assert tripoli.local_month(now[0]) == "2013-01"
        assert joburg.local_month(now[0]) == "2013-02"
        assert tripoli.local_day(now[0]) == "2013-01-31"
        later = datetime(2026, 1, 31, 22, 30, tzinfo=UTC)
        assert tripoli.local_month(later) == joburg.local_month(later) == "2026-02"
        assert abidjan.local_month(later) == "2026-01"
        assert tripoli.utility_wire()["utc_offset"] == "+01:00"  # the offset then in force
    finally:
        for s in (tripoli, joburg, abidjan):
            s.store.close()


@pytest.mark.parametrize(("code", "rolls_over"), [("LYD", True), ("ZAR", True),
                                                  ("XOF", False)])
def test_fbe_and_fixed_charges_roll_over_at_local_midnight(tmp_path: Path, code: str,
                                                           rolls_over: bool) -> None:
    # Two sales two minutes apart around 22:00 UTC on 31 January: midnight in Tripoli and
    # Johannesburg (UTC+2), still the evening of the 31st in Abidjan (UTC+0).
    now = [datetime(2026, 1, 31, 21, 59, tzinfo=UTC)]
    with running_server(tmp_path, market=code, clock=lambda: now[0]) as srv:
        counter = Counter(srv)
        meter = next(m["meter_number"] for m in srv.demo["meters"] if m["tags"] == ["fbe"])
        amount = {"LYD": "5.000", "ZAR": "100.00", "XOF": "5000"}[code]
        first = counter.sale(meter, amount)
        now[0] += timedelta(minutes=2)
        second = counter.sale(meter, amount)
    kinds = [[line["kind"] for line in s["lines"]] for s in (first, second)]
    assert "fbe" in kinds[0] and "fixed_charge" in kinds[0]
    assert ("fbe" in kinds[1]) is rolls_over
    assert ("fixed_charge" in kinds[1]) is rolls_over


def test_a_database_without_a_time_zone_uses_its_offset(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "old.db")
    row = {k: v for k, v in demo.UTILITY.items() if k not in ("time_zone", "language", "locale")}
    store.set_utility(row)
    service = VendingService(store, pin_cost=TEST_PIN_COST)
    try:
        wire = service.utility_wire()
        assert wire["utc_offset"] == "+02:00" and wire["time_zone"] == "Etc/GMT-2"
        assert wire["language"] == "en" and wire["locale"] == "en"
        assert service.local_day(datetime(2026, 3, 1, 21, 59, tzinfo=UTC)) == "2026-03-01"
        assert service.local_day(datetime(2026, 3, 1, 22, 0, tzinfo=UTC)) == "2026-03-02"
    finally:
        store.close()
    assert zone_name({"utc_offset_minutes": 330}) is None  # no Etc/ zone for +05:30
    assert zone_name({"utc_offset_minutes": -300}) == "Etc/GMT+5"


def test_publish_refuses_another_currency_and_signs_exact_decimals(tmp_path: Path) -> None:
    with running_server(tmp_path, market="LYD") as srv:
        doc = json.loads(json.dumps(demo.MARKETS["LYD"].tariffs[0]))
        doc["fixed_charges"][0]["amount"] = "1.5"
        doc["debt_recovery"]["minimum"] = "2"
        signed = srv.service.publish_tariff(doc)
        payload = json.loads(json.dumps(signed))
        text = json.dumps(payload)
        assert '"1.500"' in text and '"2.000"' in text
        zar = json.loads(json.dumps(demo.TARIFFS[0]))
        with pytest.raises(ValueError, match="priced in LYD, not ZAR"):
            srv.service.publish_tariff(zar)
        doc["fixed_charges"][0]["amount"] = "1.5005"
        with pytest.raises(ValueError, match="at most 3 decimals"):
            srv.service.publish_tariff(doc)


# -- demo-info ---------------------------------------------------------------------------------
#: The ZAR demo data as it was before markets (UTILITY without its time zone, language and
#: locale; demo-info without "market"/"markets"): many tests depend on it staying the same.
ZAR_DATA_SHA256 = "37e9e13ec700cdec65c3d8d24d5fa02a9b23b04d9f4ffa95ce3eb73a359c782c"


def test_zar_demo_data_is_unchanged() -> None:
    utility = {k: v for k, v in demo.UTILITY.items()
               if k not in ("time_zone", "language", "locale")}
    info = {k: v for k, v in demo.demo_info().items() if k not in ("market", "markets")}
    blob = json.dumps([utility, demo.TARIFFS, demo.METERS, demo.OPERATORS, demo.VENDOR_NAME,
                       demo.VENDOR_CREDIT, demo.ACTIVATION_CODE, demo.meter_records(), info],
                      ensure_ascii=False, sort_keys=True)
    assert hashlib.sha256(blob.encode()).hexdigest() == ZAR_DATA_SHA256
    assert demo.meter_records("ZAR") == demo.meter_records()


def test_every_market_tells_the_same_stories_with_the_same_meters() -> None:
    zar = demo.demo_info()
    assert [m["code"] for m in zar["markets"]] == ["ZAR", *OTHER_MARKETS]
    for code in OTHER_MARKETS:
        info = demo.demo_info(code=code)
        assert info["market"] == code and info["utility"]["currency"] == code
        assert set(info) == set(zar)
        assert [m["meter_number"] for m in info["meters"]] == \
            [m["meter_number"] for m in zar["meters"]]
        assert [m["tags"] for m in info["meters"]] == [m["tags"] for m in zar["meters"]]
        assert [(o["id"], o["role"], o["pin"]) for o in info["operators"]] == \
            [(o["id"], o["role"], o["pin"]) for o in zar["operators"]]
        names = {m["customer_name"] for m in info["meters"]}
        assert not names & {m["customer_name"] for m in zar["meters"]} - {"Chen Wei"}
        for m, z in zip(info["meters"], zar["meters"], strict=True):
            assert m["arrears"]["currency"] == code
            assert (_minor(m["arrears"]) > 0) == (_minor(z["arrears"]) > 0)
        assert [t["id"] for t in info["tariffs"]] == [t["id"] for t in zar["tariffs"]]
        for doc in demo.MARKETS[code].tariffs:
            assert doc["currency"] == code
            TariffTerms.from_document({**doc, "version": 1})


def test_unknown_market_is_refused() -> None:
    with pytest.raises(KeyError, match="known: ZAR, UGX, XOF, LYD, MZN"):
        demo.market("EUR")


# -- pricing in every currency (hypothesis) -----------------------------------------------------
def _terms(code: str) -> list[TariffTerms]:
    return [TariffTerms.from_document({**doc, "version": 1})
            for doc in demo.MARKETS[code].tariffs]


MARKET_TERMS = {code: _terms(code) for code in demo.MARKETS}


@st.composite
def market_sales(draw: st.DrawFn) -> tuple[str, TariffTerms, MeterState, int]:
    code = draw(st.sampled_from(sorted(demo.MARKETS)))
    terms = draw(st.sampled_from(MARKET_TERMS[code]))
    low, high = sale_range(code)
    state = MeterState(month_to_date=draw(st.integers(0, 8000)),
                       first_of_month=draw(st.booleans()),
                       arrears=draw(st.sampled_from([0, 1, low, high * 3])),
                       fbe_due=draw(st.booleans()))
    return code, terms, state, draw(st.integers(low, high))


@settings(max_examples=300, deadline=None)
@given(market_sales())
def test_priced_lines_sum_exactly_to_the_amount_in_every_currency(
        sale: tuple[str, TariffTerms, MeterState, int]) -> None:
    code, terms, state, amount = sale
    try:
        priced = price(terms, state, amount)
    except AmountTooLow:
        return
    assert sum(line.amount for line in priced.lines) == amount
    assert sum(line.vat or 0 for line in priced.lines) == priced.vat
    wire = [line.wire(code) for line in priced.lines]
    assert sum(Money.from_json(w["amount"]).minor for w in wire) == amount
    taxable = priced.fixed + priced.energy
    exact = Decimal(taxable * terms.vat_bp) / Decimal(10000 + terms.vat_bp)
    assert abs(Decimal(priced.vat) - exact) <= Decimal("0.5")


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(CURRENCY_EXPONENTS)),
       st.from_regex(r"[0-9]{1,9}(\.[0-9]{0,5})?", fullmatch=True))
def test_request_amounts_parse_as_the_clients_money_does(currency: str, text: str) -> None:
    try:
        expected: int | None = Money.parse(text, currency).minor
    except ValueError:
        expected = None
    try:
        got: int | None = parse_amount(text, "amount", currency)
    except ApiError as exc:
        assert exc.code == "VALIDATION_ERROR"
        got = None
    assert got == expected
    if got is not None:
        assert Money.from_wire(fmt_cents(got, currency), currency).minor == got


# -- the command line ------------------------------------------------------------------------
ROOT = Path(__file__).resolve().parents[2]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "vendserver", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)


def test_demo_info_lists_the_markets_and_describes_one() -> None:
    done = _cli("demo-info")
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)
    assert info["utility"]["currency"] == "ZAR" and info["market"] == "ZAR"
    assert [(m["code"], m["currency"], m["time_zone"], m["language"], m["locale"])
            for m in info["markets"]] == [
        ("ZAR", "ZAR", "Africa/Johannesburg", "en", "en_ZA"),
        ("UGX", "UGX", "Africa/Kampala", "en", "en_UG"),
        ("XOF", "XOF", "Africa/Abidjan", "fr", "fr_CI"),
        ("LYD", "LYD", "Africa/Tripoli", "en", "en"),
        ("MZN", "MZN", "Africa/Maputo", "pt", "pt_MZ"),
    ]
    assert all(m["utility"] for m in info["markets"])
    xof = json.loads(_cli("demo-info", "--market", "xof").stdout)
    assert xof["utility"]["currency"] == "XOF"
    assert xof["vendor"]["credit"] == {"amount": "20000000", "currency": "XOF"}
    refused = _cli("demo-info", "--market", "EUR")
    assert refused.returncode == 2 and "no demo market" in refused.stderr


def test_demo_info_of_a_database_describes_its_market(tmp_path: Path) -> None:
    now = [datetime(2026, 3, 1, tzinfo=UTC)]
    _service(tmp_path, "MZN", now).store.close()
    info = json.loads(_cli("demo-info", "--db", str(tmp_path / "MZN.db")).stdout)
    assert info["market"] == "MZN" and info["tariff_signing_key"] is not None
    assert info["meters"][2]["arrears"] == {"amount": "5000.00", "currency": "MZN"}
    topped = _cli("vendor-topup", "--db", str(tmp_path / "MZN.db"), "--vendor", "V001",
                  "--amount", "0.5")
    assert topped.returncode == 0 and "500000.50" in topped.stdout, topped.stderr
