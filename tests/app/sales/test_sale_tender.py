"""`SaleService.sell(..., tender=...)`: the tender is written with the sale, so the report
ledger's by-tender totals have it when the sale turns tokened (online, and offline at sync)."""

from __future__ import annotations

import pytest

from app.api import Money
from common.errors import InvalidInput
from tests.reliability.harness import Core, Env

ZAR = "ZAR"


def _ledger_tender(core: Core, receipt_no: str) -> str:
    row = core.store.call(lambda c: c.execute(
        "SELECT d.tender FROM report_ledger l JOIN report_dims d ON d.dim_id = l.dim_id "
        "WHERE l.ref = ?", (receipt_no,)).fetchone())
    assert row is not None, "the tokened sale is not in the report ledger"
    return str(row[0])


def test_tender_reaches_the_ledger_online_and_offline(env: Env, core: Core) -> None:
    meter = str(env.server.meter("normal")["meter_number"])
    core.service.confirm_customer(meter)
    card = core.service.sell(meter, Money(10000, ZAR), "thandi", tender="card")
    plain = core.service.sell(meter, Money(2000, ZAR), "thandi")
    assert card.sale is not None and plain.sale is not None
    assert _ledger_tender(core, card.sale.receipt_no) == "card"
    assert _ledger_tender(core, plain.sale.receipt_no) == "cash"  # nothing said: cash
    env.cut(core)
    pending = core.service.sell(meter, Money(3000, ZAR), "thandi", tender="eft")
    assert pending.state == "pending"
    env.proxy.up()
    report = core.sync.step()
    assert report.tokened == [pending.idempotency_key]
    receipt = core.store.call(lambda c: c.execute(
        "SELECT receipt_no FROM sales WHERE idem_key = ?", (pending.idempotency_key,)
    ).fetchone()[0])
    assert _ledger_tender(core, str(receipt)) == "eft"


def test_a_bad_tender_is_refused_before_anything_is_written(env: Env, core: Core) -> None:
    meter = str(env.server.meter("normal")["meter_number"])
    for bad in ("", "Card", "credit card", "x" * 33):
        with pytest.raises(InvalidInput, match="tender"):
            core.service.sell(meter, Money(2000, ZAR), "thandi", tender=bad)
    assert core.store.call(lambda c: c.execute("SELECT count(*) FROM sales").fetchone()[0]) == 0
    assert env.server_sales() == {}
