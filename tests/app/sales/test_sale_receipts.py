"""The core's sale → printers' receipt mapping, on real sales from the reference server
(stored in a real SQLCipher store): figures exact, tokens in entry order, key data after a key
change, the same receipt from the stored answer, and it renders."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from app.api import Money
from app.sales.cash import record_cash_tendered
from app.sales.documents import Documents, ReceiptContext
from app.sales.receipts import sale_receipt_data, stored_sale_receipt, token_receipt
from common.events import EventBus
from printers import model as pm
from printers.render import render_text
from printers.serialize import from_json
from tests.reliability.harness import Core, Env

ZAR = "ZAR"


@pytest.fixture
def core(env: Env) -> Iterator[Core]:
    c = env.core()
    yield c
    c.close()


def test_receipt_of_a_real_sale_is_exact_and_stored_the_same(env: Env, core: Core) -> None:
    meter = str(env.server.meter("normal")["meter_number"])
    outcome = core.service.sell(meter, Money(15050, ZAR), "thandi")
    sale = outcome.sale
    assert sale is not None
    data = sale_receipt_data(sale)
    raw = sale.raw
    assert data.receipt_no == sale.receipt_no and data.reference == raw["client_reference"]
    assert data.amount_tendered == pm.Money.from_decimal(Decimal("150.50"), ZAR)
    assert data.units_tenths == int(sale.units.replace(".", "")) > 0
    assert data.vat == pm.Money.from_decimal(Decimal(raw["vat"]["amount"]["amount"]), ZAR)
    assert data.vat_rate == raw["vat"]["rate"] == "15.00"
    total = sum((line.amount.amount for line in data.breakdown), Decimal(0)) + data.vat.amount
    assert total == data.amount_tendered.amount  # every cent accounted for
    assert data.issued_at.isoformat().replace("+00:00", "Z") == sale.sold_at
    assert data.issued_at.tzinfo is not None
    assert [t.digits for t in data.tokens] == [t.digits for t in sale.tokens]
    assert data.tokens[0].kind is pm.TokenKind.CREDIT
    assert data.utility.name == env.activation["utility"]["name"]
    assert data.utility.tax_id == env.activation["utility"]["vat_number"]
    assert data.pos.operator == "Thandi Nkosi" and data.pos.terminal_id == raw["terminal_id"]
    assert data.meter.number == meter and data.meter.tariff_version == str(sale.tariff_version)
    assert (data.meter.sgc, data.meter.krn) == (str(raw["meter"]["sgc"]),
                                                str(raw["meter"]["krn"]))
    assert data.customer.name == raw["customer"]["name"] != ""
    assert data.unit == "kWh"
    # The same receipt from the stored answer (reprints, late tokens); none for unknown keys.
    key = outcome.idempotency_key
    assert core.store.call(lambda c: stored_sale_receipt(c, key)) == data
    assert core.store.call(lambda c: stored_sale_receipt(c, "no-such-key")) is None
    text = render_text(token_receipt(sale), 42)
    assert sale.receipt_no in text and "150.50" in text
    assert sale.tokens[0].digits[:4] in text


def test_key_change_sale_prints_both_sections_first_and_the_new_key(env: Env,
                                                                    core: Core) -> None:
    meter = next(m for m in env.server.demo["meters"]
                 if "tid_rollover" in m["tags"] and not m.get("two_way"))
    sale = core.service.sell(str(meter["meter_number"]), Money(10000, ZAR), "thandi").sale
    assert sale is not None
    data = sale_receipt_data(sale)
    kinds = [t.kind for t in data.ordered_tokens()]
    assert kinds[:2] == [pm.TokenKind.KEY_CHANGE_1, pm.TokenKind.KEY_CHANGE_2]
    assert kinds[-1] is pm.TokenKind.CREDIT
    assert [t.digits for t in data.ordered_tokens()] == [t.digits for t in sale.tokens]
    assert data.meter.krn == str(sale.raw["meter"]["krn"]) != str(meter.get("krn", 1))


def test_receipt_prints_the_cash_tendered_the_change_and_vat_with_its_percent(
        env: Env, core: Core) -> None:
    # The receipt printed the sale amount as "Amount tendered", no change line, "VAT 15.00".
    meter = str(env.server.meter("normal")["meter_number"])
    outcome = core.service.sell(meter, Money(15050, ZAR), "thandi")
    sale = outcome.sale
    assert sale is not None
    key = outcome.idempotency_key
    plain = render_text(token_receipt(sale), 42)
    assert "Amount tendered" not in plain and "Change" not in plain
    assert "VAT 15%" in plain and "VAT 15.00" not in plain
    core.store.call(lambda c: record_cash_tendered(c, key, Money(20000, ZAR)))
    data = core.store.call(lambda c: stored_sale_receipt(c, key))
    assert data is not None and data.cash_tendered == Money(20000, ZAR)
    assert data.change == Money(4950, ZAR)
    text = render_text(pm.TokenReceipt(data), 42)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "Amount ZAR 150.50" in lines
    assert "Cash tendered ZAR 200.00" in lines and "Change ZAR 49.50" in lines
    assert any(line.startswith("VAT 15% ZAR") for line in lines)
    # A record that cannot be the tender (below the amount) prints the amount only.
    core.store.call(lambda c: record_cash_tendered(c, key, Money(100, ZAR)))
    short = core.store.call(lambda c: stored_sale_receipt(c, key))
    assert short is not None and short.cash_tendered is None and short.change is None


def test_a_late_token_receipt_carries_the_cash_recorded_with_the_sale(env: Env,
                                                                      core: Core) -> None:
    # The token receipt written in a sale's transaction (also a late one, through sync)
    # reads the cash recorded with that sale.
    meter = str(env.server.meter("normal")["meter_number"])
    outcome = core.service.sell(meter, Money(10000, ZAR), "thandi")
    sale = outcome.sale
    assert sale is not None
    key = outcome.idempotency_key
    documents = Documents(core.store, EventBus(), ReceiptContext(), printer_id=None)

    def record(conn: Any) -> Any:
        record_cash_tendered(conn, key, Money(12000, ZAR))
        return documents.record_token_receipt(conn, sale)

    receipt = from_json(core.store.call(record).payload)
    assert isinstance(receipt, pm.TokenReceipt)
    assert receipt.sale.cash_tendered == Money(12000, ZAR)
    assert receipt.sale.change == Money(2000, ZAR)
