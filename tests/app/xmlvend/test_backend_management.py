"""The rest of the flow through the XMLVend backend, over HTTP against the reference server's
XMLVend face with each personality: engineering tokens (meter-specific, the test token,
update meter key, an explicit key change), reversal advice where the server supports it,
confirmation advice, reprint copies from the server, batches as shift and Z, and what
XMLVend does not offer refused as NotOffered."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
import requests

from app.api.errors import ApiRejected
from app.api.models import Money, ZReportUpload
from app.backend import NotOffered
from app.settings import Settings
from app.till.build import build_till
from app.xmlvend.backend import XmlVendBackend
from common.errors import BusinessRuleError
from common.events import EventBus
from tests.app.xmlvend.test_backend_http import Counter, _meter


def _with(c: Counter, **changes: Any) -> XmlVendBackend:
    facts = {k: c.activation[k] for k in ("terminal_id", "vendor", "utility",
                                          "offline_policy", "sale_limits")}
    return XmlVendBackend(requests.Session(), replace(c.config, **changes), c.store,
                          terminal_facts=facts)


def _eng(backend: XmlVendBackend, meter: str, type_: str, **kw: Any) -> Any:
    return backend.engineering_token("thandi", meter_number=meter, type=type_,
                                     supervisor_id="sipho", supervisor_pin="4321", **kw)


def test_capabilities_say_what_this_server_offers(counter: Counter) -> None:
    caps = counter.backend.capabilities
    assert caps.engineering_tokens and caps.z_upload
    assert not (caps.search or caps.tariff_documents or caps.push_events or caps.batch_upload)
    assert not caps.reversal  # only where the server supports reversal advice
    assert _with(counter, reversal_advice=True).capabilities.reversal
    with pytest.raises(NotOffered, match="Sale reversal is not offered"):
        counter.backend.reverse("R1", "thandi", reason="x", supervisor_id="sipho",
                                supervisor_pin="4321")


@pytest.mark.parametrize(("type_", "value", "kind"), [
    ("clear_tamper", None, "clear_tamper"), ("clear_credit", None, "clear_credit"),
    ("set_power_limit", 2500, "set_power_limit"),
    ("set_phase_unbalance", 3000, "set_phase_unbalance"), ("test", None, "test")])
def test_engineering_tokens_through_xmlvend(counter: Counter, type_: str, value: int | None,
                                            kind: str) -> None:
    meter = _meter(counter.server, "normal")
    result = _eng(counter.backend, meter, type_, value=value)
    assert result.type == type_ and result.meter_number == meter
    assert [t.kind for t in result.tokens] == [kind]
    assert len(result.tokens[0].digits) == 20
    assert result.supervisor_id == "sipho" and result.reference.startswith("XV")
    # A meter-specific answer's clientStatus gives the vendor's float; the test token's
    # answer is a plain BaseResp without one.
    assert (counter.backend.terminal().vendor_credit is None) == (type_ == "test")


def test_update_meter_key_and_an_explicit_key_change(counter: Counter) -> None:
    meter = _meter(counter.server, "key_change")
    result = _eng(counter.backend, meter, "key_change")
    kinds = [t.kind for t in result.tokens]
    assert kinds and set(kinds) == {"key_change"} and len(kinds) % 2 == 0
    assert result.raw["xmlvend"]["kct"]["to_krn"] == str(result.meter["krn"])
    # Nothing pending any more: the server says the key is already current.
    with pytest.raises(ApiRejected) as same:
        _eng(counter.backend, meter, "key_change")
    assert same.value.code == "KEY_ALREADY_CURRENT"
    # A key change to another tariff index: EngKCTReq with explicit from/to data.
    ti = int(result.meter["ti"])
    moved = _eng(counter.backend, meter, "key_change", new_ti=ti % 99 + 1)
    assert str(moved.meter["ti"]) == str(ti % 99 + 1)
    assert moved.raw["xmlvend"]["kct"]["from_ti"] == str(ti)


def test_what_xmlvend_cannot_express_is_not_offered(counter: Counter) -> None:
    meter = _meter(counter.server)
    with pytest.raises(NotOffered):
        _eng(counter.backend, meter, "clear_credit", register="all")
    with pytest.raises(NotOffered):
        _eng(counter.backend, meter, "test", value=5)


def test_a_cashier_as_operator_is_refused_for_engineering(counter: Counter) -> None:
    from app.api.errors import TerminalNotAuthorised

    with pytest.raises(TerminalNotAuthorised):
        counter.backend.engineering_token("thandi", meter_number=_meter(counter.server),
                                          type="clear_tamper", supervisor_id="thandi",
                                          supervisor_pin="1234")


def _sold(counter: Counter, backend: XmlVendBackend | None = None,
          meter: str | None = None) -> tuple[str, Any]:
    """A sale made through the sale service (stored as at the counter)."""
    till = build_till(Settings({}), bus=EventBus(), store=counter.store,
                      backend=backend or counter.backend, data_dir=counter.tmp, printer=None,
                      tariffs_on=False, start=False)
    try:
        outcome = till.service.sell(meter or _meter(counter.server), Money.of("100.00", "ZAR"),
                                    "thandi")
    finally:
        till.close()
    assert outcome.state == "tokened" and outcome.sale is not None
    return outcome.idempotency_key, outcome.sale


def test_reversal_advice_where_the_server_supports_it(counter: Counter,
                                                      personality: str) -> None:
    backend = _with(counter, reversal_advice=True)
    _, sale = _sold(counter, backend)
    if personality == "hexing":  # answers UseCaseSupportEx: shown as not offered
        with pytest.raises(NotOffered):
            backend.reverse(sale.receipt_no, "thandi", reason="wrong meter",
                            supervisor_id="sipho", supervisor_pin="4321")
        return
    done = backend.reverse(sale.receipt_no, "thandi", reason="wrong meter",
                           supervisor_id="sipho", supervisor_pin="4321")
    assert done.receipt_no == sale.receipt_no and done.amount_refunded == sale.amount_tendered
    row = counter.server.service.store.sale(sale.receipt_no)
    assert row is not None and row["reversal"]  # the server reversed it
    # A key-change sale is outside the server's policy: txReversed=false, a refusal.
    _, kc_sale = _sold(counter, backend, _meter(counter.server, "tid_rollover"))
    with pytest.raises(BusinessRuleError) as refused:
        backend.reverse(kc_sale.receipt_no, "thandi", reason="x", supervisor_id="sipho",
                        supervisor_pin="4321")
    assert refused.value.code == "REVERSAL_NOT_ALLOWED"


def test_confirmation_advice_names_the_sales_msgid(counter: Counter) -> None:
    key, _ = _sold(counter)
    assert counter.backend.confirm(key) is True
    face = counter.server.app.state.xmlvend  # type: ignore[union-attr]
    (attempt,) = counter.attempts(key)
    assert face.confirmed[-1] == face.key(counter.config.client_ean, counter.config.terminal_id,
                                          attempt[1], str(attempt[2]))
    assert counter.backend.confirm("no-such-sale") is None


def test_reprint_copy_comes_from_the_server(counter: Counter) -> None:
    _, sale = _sold(counter)
    copy = counter.backend.reprint_copy(sale.meter_number, sale.receipt_no, "thandi")
    assert copy is not None and copy.receipt_no == sale.receipt_no
    assert [t.digits for t in copy.tokens] == [t.digits for t in sale.tokens]
    assert copy.amount_tendered == sale.amount_tendered
    assert counter.backend.reprint_copy(sale.meter_number, "UNKNOWN1") is None
    assert _with(counter, server_reprint=False).reprint_copy(
        sale.meter_number, sale.receipt_no) is None


def _upload(z: int, sale: Any, count: int = 1) -> ZReportUpload:
    cur = sale.amount_tendered.currency
    vat = next(ln.amount for ln in sale.lines if ln.kind == "vat")
    return ZReportUpload.from_json({
        "z_number": z, "opened_at": "2026-01-01T00:00:00Z", "closed_at": "2026-01-02T00:00:00Z",
        "totals": {"sales_count": count,
                   "sales_amount": Money(sale.amount_tendered.minor * count, cur).to_json(),
                   "reversals_count": 0, "reversals_amount": Money(0, cur).to_json(),
                   "units": sale.units, "vat": Money(vat.minor * count, cur).to_json(),
                   "offline_pending_count": 0}})


def test_shift_and_sales_batches_and_the_z(counter: Counter) -> None:
    b = counter.backend
    b.batch("end", "sales")  # whatever an earlier test left open
    assert b.batch("end", "sales") is None  # none open: EndBatchEx, not an error
    started = b.batch("start", "sales")
    assert started is not None and started.kind == "sales" and started.seq_no
    assert b.batch("start", "sales") is None  # already open: StartBatchEx
    shift = b.batch("start", "shift")
    assert shift is not None and shift.kind == "shift"
    _, sale = _sold(counter)
    x = b.batch("total", "sales")
    assert x is not None and x.tx_totals["CreditVendTx"][0] == 1
    assert x.total == sale.amount_tendered.minor / 100
    z = b.z_report("T-Z000001", "sipho", _upload(1, sale))
    assert z.matched, z.raw["differences"]
    assert z.raw["xmlvend"]["batch_no"] == started.seq_no
    # The next sales batch was started at once; a Z that disagrees shows the difference.
    _, sale2 = _sold(counter)
    z2 = b.z_report("T-Z000002", "sipho", _upload(2, sale2, count=2))
    assert not z2.matched and z2.differences.sales_count == 1
    ended = b.batch("end", "shift")
    assert ended is not None and ended.ended


def test_a_z_without_an_open_sales_batch_says_so_and_opens_one(counter: Counter) -> None:
    b = counter.backend
    b.batch("end", "sales")
    _, sale = _sold(counter)
    with pytest.raises(BusinessRuleError) as no_batch:
        b.z_report("T-Z000009", "sipho", _upload(9, sale))
    assert no_batch.value.code == "NO_OPEN_BATCH"
    assert b.batch("start", "sales") is None  # it was opened for the next Z


def test_vendor_credit_from_client_status(counter: Counter) -> None:
    _, sale = _sold(counter)
    assert counter.backend.terminal().vendor_credit == sale.vendor_credit
    _eng(counter.backend, _meter(counter.server), "clear_tamper")
    # Engineering moves no money: the float stays what the server said.
    assert counter.backend.terminal().vendor_credit == sale.vendor_credit
