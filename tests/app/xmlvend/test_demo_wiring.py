"""`--demo --backend xmlvend`: the composition root sells through the reference server's
XMLVend face, and the stored sale prints like any other."""

from __future__ import annotations

from pathlib import Path

from app.sales.receipts import stored_sale_receipt
from app.settings import Settings
from app.till.build import open_demo
from app.xmlvend.backend import XmlVendBackend
from common.events import EventBus
from common.money import Money


def test_demo_sells_through_xmlvend(tmp_path: Path) -> None:
    settings = Settings({})
    settings.set("server.backend", "xmlvend")
    settings.set("xmlvend.demo_personality", "conlog")
    opened = open_demo(settings, data_dir=tmp_path, bus=EventBus())
    till = opened.till
    try:
        backend = till.backend
        assert isinstance(backend, XmlVendBackend)
        assert backend.capabilities.offered() == ("reversal", "z_upload", "engineering_tokens")
        meter = opened.demo_meters[0].meter_number
        assert till.service.confirm_customer(meter).meter.customer_name
        outcome = till.service.sell(meter, Money.of("100.00", "ZAR"), opened.suggested_operator)
        assert outcome.state == "tokened" and outcome.sale is not None
        assert backend.last_response is not None
        assert backend.last_response.message == "creditVendResp"
        receipt = till.service.store.call(
            lambda c: stored_sale_receipt(c, outcome.idempotency_key))
        assert receipt is not None and receipt.receipt_no == outcome.sale.receipt_no
        assert [t.digits for t in receipt.tokens] == [t.digits for t in outcome.sale.tokens]
    finally:
        till.close()
