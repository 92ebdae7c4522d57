"""Real sales through the server, checked the way a utility, a vendor and a customer would.

Random amounts over every sellable demo meter, with a controlled clock: several sales in the
same minute, and month boundaries in utility-local time. For every sale: the quote just before
equals the sale; the lines add up to the amount; VAT is round-half-up of 15/115 of the taxable
money; units are rounded in the customer's favour; the month-to-date block position is the
sum of the month's earlier sales; the fixed charge is taken on the first sale of the month
and FBE once a month; key-change tokens come first; and every token is accepted by a
virtual meter built only from the meter's initial key data (key change, TID rollover to base
2014, TIDs of sales in the same minute). VENDPOINT_QA_ROUNDS=N for a longer run.
"""

from __future__ import annotations

import json
import os
import random
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import httpx

from vendserver import engine
from vendserver.engine import MeterKey
from vendserver.money import round_half_up
from vendserver.testing import running_server

ROUNDS = int(os.environ.get("VENDPOINT_QA_ROUNDS", "2"))


def _cents(m: dict[str, str]) -> int:
    return int(Decimal(m["amount"]) * 100)


def _tenths(text: str) -> int:
    return int(Decimal(text) * 10)


def test_sales_sequence_money_units_and_tokens(tmp_path: Path, db_url: str | None) -> None:
    now = [datetime(2026, 11, 10, 8, 0, 5, tzinfo=UTC)]
    rng = random.Random(20261125)
    with running_server(tmp_path, demo=True, clock=lambda: now[0], db=db_url) as srv:
        srv.service.top_up(srv.demo["vendor"]["id"], 10**11)
        cred = srv.activate()["credential"]
        http = httpx.Client(base_url=srv.base_url, timeout=30,
                            headers=srv.headers(cred, "thandi"))
        store = srv.service.store
        meters = [m for m in srv.demo["meters"] if not m["blocked"]]
        vms = {}
        for m in meters:
            row = store.meter(m["meter_number"])
            assert row is not None
            key = MeterKey.from_row(json.loads(row["initial_key"]))
            sg = store.supply_group(key.sgc)
            assert sg is not None
            vms[m["meter_number"]] = engine.new_virtual_meter(
                m["meter_number"], row["service"], key, bytes(sg["vk160"]), bytes(sg["vk64"]))
        sales = tokens = 0
        months = [datetime(2026, 11, 30, 22, 30, tzinfo=UTC),  # 1 Dec 00:30 local
                  datetime(2027, 1, 1, 0, 5, tzinfo=UTC)]
        for month in range(len(months) + 1):
            mtd = dict.fromkeys(vms, 0)
            count = dict.fromkeys(vms, 0)
            fbe_given = dict.fromkeys(vms, False)
            for _ in range(ROUNDS):
                for m in meters:
                    drn = m["meter_number"]
                    amount = rng.choice(["60.00", "99.99", "150.00", "333.33", "1000.00",
                                         "5000.00", f"{rng.randint(6000, 500000) / 100:.2f}"])
                    body = {"meter_number": drn,
                            "amount": {"amount": amount, "currency": "ZAR"}}
                    q = http.post("/v1/quotes", json=body)
                    if q.status_code == 422:  # too small for this month's charges
                        assert q.json()["error"]["code"] == "AMOUNT_OUT_OF_RANGE"
                        continue
                    assert q.status_code == 200, q.text
                    quote = q.json()
                    assert _tenths(quote["month_to_date_units"]) == mtd[drn]
                    r = http.post("/v1/sales", json=body,
                                  headers={"Idempotency-Key": str(uuid.uuid4())})
                    assert r.status_code == 200, r.text
                    sale = r.json()
                    sales += 1
                    _check_money(quote, sale, m)
                    lines = sale["lines"]
                    kinds = [ln["kind"] for ln in lines]
                    has_fixed = sale["tariff"]["id"] in ("RES-IBT", "COM-FLAT")
                    assert ("fixed_charge" in kinds) == (count[drn] == 0 and has_fixed), drn
                    assert ("fbe" in kinds) == (bool(m["fbe"]) and not fbe_given[drn]), drn
                    fbe_given[drn] |= "fbe" in kinds
                    tk = [t["kind"] for t in sale["tokens"]]
                    n_kc = tk.count("key_change")
                    assert tk[:n_kc] == ["key_change"] * n_kc
                    assert n_kc in (0, 2, 4)
                    vm = vms[drn]
                    for t in sale["tokens"]:
                        tokens += 1
                        answer = vm.enter(t["token"])
                        assert answer.accepted, (drn, t["kind"], answer.reason)
                    assert (vm.key.krn, vm.key.ti, vm.key.base_date) == (
                        sale["meter"]["krn"], sale["meter"]["ti"], sale["meter"]["base_date"])
                    mtd[drn] += _tenths(sale["units"])
                    count[drn] += 1
                    now[0] += timedelta(seconds=rng.choice([0, 0, 1, 20, 61, 3600]))
            if month < len(months):
                now[0] = months[month]
        assert sales >= 3 * ROUNDS * (len(meters) - 3)
        assert tokens > sales


def _check_money(quote: dict[str, Any], sale: dict[str, Any], m: dict[str, Any]) -> None:
    for k in ("units", "lines", "vat", "amount_tendered", "tariff"):
        assert quote[k] == sale[k], (k, m["meter_number"])
    lines = sale["lines"]
    tendered = _cents(sale["amount_tendered"])
    assert sum(_cents(ln["amount"]) for ln in lines) == tendered
    debt = sum(_cents(ln["amount"]) for ln in lines if ln["kind"] == "debt_recovery")
    vat = _cents(sale["vat"]["amount"])
    assert vat == round_half_up(Fraction((tendered - debt) * 15, 115))
    assert sum(_cents(ln["vat"]) for ln in lines if ln["vat"] is not None) == vat
    energy = [ln for ln in lines if ln["kind"] == "energy"]
    assert sum(_tenths(ln["units"]) for ln in energy) == _tenths(sale["units"])
    for ln in energy:
        rate = Fraction(Decimal(ln["rate"]))
        if sale["tariff"]["id"] == "COM-FLAT":  # priced excluding VAT
            rate *= Fraction(115, 100)
        paid = Fraction(_cents(ln["amount"]) + _cents(ln["vat"]), 100)
        units = Fraction(Decimal(ln["units"]))
        cent = Fraction(1, 100)
        assert units * rate >= paid - cent, ln
        assert (units - Fraction(1, 10)) * rate < paid + cent, ln
