"""The till's wiring between the sale screen's core adapter and the supervisor features,
against the real server, store and printer: a sale lands in the open shift with its tender,
and a routine reprint is journaled."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.api.models import Money
from app.supervisor.permissions import Actor
from app.till import SaleState
from common.errors import InvalidInput
from tests.e2e.harness import Till, open_till

pytestmark = [pytest.mark.e2e, pytest.mark.qt_log_ignore(r"^This plugin does not support")]


@pytest.fixture
def till(qtbot, tmp_path: Path) -> Iterator[Till]:
    with open_till(tmp_path) as opened:
        qtbot.addWidget(opened.window)
        yield opened


def test_sale_in_an_open_shift_counts_in_its_cash_with_the_tender(till: Till) -> None:
    adapter, supervisor = till.core.till, till.core.supervisor
    cashier = adapter.sign_in("thandi", "1234")
    shift = supervisor.shifts.open_shift(Actor.of(cashier.id, cashier.name, "cashier"),
                                         Money(500_00, "ZAR"))
    meter = till.server.meter("normal")["meter_number"]
    sale = adapter.sell(meter, Money(10000, "ZAR"), cashier)
    assert sale.state is SaleState.TOKENED

    summary = supervisor.shifts.summary(Actor.of("sipho", "Sipho", "supervisor"), shift.shift_id)
    assert summary.sales_count == 1
    assert summary.expected == Money(600_00, "ZAR")  # float + the cash sale
    key, shift_id, tender, ledger_tender, ledger_shift = till.core.store.call(
        lambda c: c.execute(
            "SELECT s.idem_key, s.shift_id, t.tender, d.tender, l.shift_id FROM sales s "
            "LEFT JOIN sale_tenders t ON t.idem_key = s.idem_key "
            "JOIN report_ledger l ON l.ref = s.receipt_no "
            "JOIN report_dims d ON d.dim_id = l.dim_id AND d.kind = 'sale' "
            "WHERE s.receipt_no = ?", (sale.reference,)).fetchone())
    assert key
    assert shift_id == shift.shift_id  # the sale carries the shift, not only its window
    assert tender == "cash"  # recorded before the sale turned tokened...
    assert ledger_tender == "cash"  # ...so the report ledger has it too
    assert ledger_shift == shift.shift_id


def test_pending_sale_records_its_cash_tender(till: Till) -> None:
    """An offline (pending) sale is written with its tender too, in its insert transaction."""
    adapter = till.core.till
    cashier = adapter.sign_in("thandi", "1234")
    meter = till.server.meter("normal")["meter_number"]
    adapter.lookup(meter)  # cached for the offline sale
    till.proxy.down()
    pending = adapter.sell(meter, Money(4000, "ZAR"), cashier)
    assert pending.state is SaleState.PENDING
    rows = till.core.store.call(lambda c: c.execute(
        "SELECT s.state, t.tender FROM sales s "
        "LEFT JOIN sale_tenders t ON t.idem_key = s.idem_key").fetchall())
    assert rows == [("pending", "cash")]


def test_sale_without_an_open_shift_has_no_shift(till: Till) -> None:
    adapter = till.core.till
    cashier = adapter.sign_in("thandi", "1234")
    sale = adapter.sell(till.server.meter("normal")["meter_number"], Money(10000, "ZAR"), cashier)
    row = till.core.store.call(lambda c: c.execute(
        "SELECT shift_id FROM sales WHERE receipt_no = ?", (sale.reference,)).fetchone())
    assert row == (None,)


def test_routine_reprint_is_journaled(till: Till) -> None:
    adapter = till.core.till
    cashier = adapter.sign_in("thandi", "1234")
    sale = adapter.sell(till.server.meter("normal")["meter_number"], Money(5000, "ZAR"), cashier)
    till.printer.wait_for_jobs(1, timeout=20)
    adapter.reprint(sale.reference, cashier, None)  # routine: no supervisor
    jobs = till.printer.wait_for_jobs(2, timeout=20)
    assert b"REPRINT" in jobs[1]
    entries = till.core.store.call(lambda c: c.execute(
        "SELECT kind, ref, body FROM journal WHERE kind = 'sale.reprint'").fetchall())
    assert len(entries) == 1
    _kind, ref, body = entries[0]
    assert ref == sale.reference
    assert '"operator_id":"thandi"' in body.replace(" ", "")
    assert '"beyond_policy":false' in body.replace(" ", "")


def test_search_goes_through_the_client(till: Till) -> None:
    adapter = till.core.till
    normal = till.server.meter("normal")
    hits = adapter.search(str(normal["customer_name"]).split()[0])
    assert normal["meter_number"] in [h.meter_number for h in hits]
    with pytest.raises(InvalidInput, match="characters"):
        adapter.search("x")  # checked by the client before anything is sent


def test_lists_come_from_the_core_listing_queries(till: Till) -> None:
    adapter = till.core.till
    cashier = adapter.sign_in("thandi", "1234")
    meter = till.server.meter("normal")["meter_number"]
    adapter.lookup(meter)  # cached for the offline sale
    sold = adapter.sell(meter, Money(10000, "ZAR"), cashier)
    till.proxy.down()
    pending = adapter.sell(meter, Money(6000, "ZAR"), cashier)
    assert pending.state is SaleState.PENDING
    assert [r.reference for r in adapter.pending()] == [pending.reference]
    today = adapter.today()
    assert [r.reference for r in today] == [pending.reference, sold.reference]  # newest first
    assert [r.state for r in today] == [SaleState.PENDING, SaleState.TOKENED]
    assert today[1].units and today[1].operator == "thandi"
    assert [r.reference for r in adapter.find(pending.reference.lower())] == [pending.reference]
    assert [r.reference for r in adapter.find(sold.reference)] == [sold.reference]
    assert [r.reference for r in adapter.find(meter)] == [pending.reference, sold.reference]
