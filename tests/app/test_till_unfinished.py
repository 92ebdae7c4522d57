"""One payment never becomes two sales, through the till, on the real server.

The sale's POST gets a captive portal's HTML page with status 200 after the server committed
the sale, and the look-up of the same key fails too. The cashier gets `SaleNotCompleted` with
the sale's key; a new sale on the same meter is refused (`UnfinishedSale`); `retry_sale` asks
about the SAME key and gets the server's tokens. The server ends with exactly one sale, whose
digits are the ones the till shows. Real server on loopback through the fault proxy, real
SQLCipher file.
"""

from __future__ import annotations

import httpx
import pytest

from app.api import Money
from app.sales.outcomes import SaleNotCompleted
from app.till import Operator, Role, SaleState
from app.till.unfinished import UnfinishedSale
from tests.reliability.faultproxy import Fault, FaultKind
from tests.reliability.harness import Env

CASHIER = Operator("thandi", "Thandi Nkosi", Role.CASHIER)


def _server_digits(env: Env, key: str) -> list[str]:
    answer = httpx.get(f"{env.server.base_url}/v1/sales/{key}",
                       headers=env.server.headers(env.credential), timeout=10).json()
    return [str(t["token"]) for t in answer["tokens"]]


def test_unreadable_answer_then_retry_resolves_the_same_sale(env: Env) -> None:
    core = env.core(start=False)
    try:
        meter = str(env.server.meter("normal")["meter_number"])
        core.till.lookup(meter)
        env.proxy.inject(Fault(FaultKind.HTML_200, after_commit=True), b"POST /v1/sales ")
        env.proxy.inject(Fault(FaultKind.HTML_200), b"GET /v1/sales/")
        with pytest.raises(SaleNotCompleted) as lost:
            core.till.sell(meter, Money(5000, "ZAR"), CASHIER)
        key = lost.value.idempotency_key
        assert key and list(env.server_sales()) == [key]  # the server did sell it
        # The same payment cannot become a second sale under a new key.
        with pytest.raises(UnfinishedSale) as refused:
            core.till.sell(meter, Money(5000, "ZAR"), CASHIER)
        assert refused.value.idempotency_key == key
        result = core.till.retry_sale(key)
        assert result.state is SaleState.TOKENED
        assert [t.digits for t in result.tokens] == _server_digits(env, key)
        assert list(env.server_sales()) == [key]  # exactly one sale on the server
        stored = core.store.call(lambda c: c.execute(
            "SELECT state FROM sales").fetchall())
        assert stored == [("tokened",)]
        # Its outcome known, the customer may buy again: a new sale, a new key.
        again = core.till.sell(meter, Money(5000, "ZAR"), CASHIER)
        assert again.state is SaleState.TOKENED and len(env.server_sales()) == 2
    finally:
        core.close()


def test_an_offline_cash_sales_slip_is_a_cash_document(env: Env) -> None:
    """The cash handed over is kept with the pending sale, so its slip opens the drawer."""
    from printers.drawer import is_cash_sale
    from printers.sql_job_store import SqlPrintJobStore

    core = env.core(start=False)
    try:
        meter = str(env.server.meter("normal")["meter_number"])
        core.till.lookup(meter)
        env.cut(core)
        result = core.till.sell(meter, Money(5000, "ZAR"), CASHIER,
                                cash_tendered=Money(10000, "ZAR"))
        assert result.state is SaleState.PENDING and result.print_job
        job = SqlPrintJobStore(core.store).get(result.print_job)
        assert job is not None and is_cash_sale(job.receipt())
    finally:
        core.close()
