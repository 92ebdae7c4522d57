"""The till in XMLVend mode, over HTTP against the reference server's XMLVend face: a shift
opens and closes the server's batches, the Z ends the sales batch and is compared with it,
reprints come from the server's copy (the local record when the server is away), and each
tokened sale is confirmed by advice."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
import requests

from app.api.models import Money
from app.settings import Settings
from app.supervisor.permissions import Actor
from app.till.build import build_till
from app.xmlvend.backend import XmlVendBackend
from app.xmlvend.till import Confirmations
from common.events import EventBus
from tests.app.xmlvend.test_backend_http import Counter, _meter
from tests.reliability.faultproxy import Fault, FaultKind
from vendserver.xmlvend import PATH

CASHIER = Actor.of("thandi", "Thandi", "cashier")
SUPERVISOR = Actor.of("sipho", "Sipho", "supervisor")


@pytest.fixture
def till(counter: Counter) -> Iterator[Any]:
    facts = {k: counter.activation[k] for k in ("terminal_id", "vendor", "utility",
                                                "offline_policy", "sale_limits")}
    backend = XmlVendBackend(requests.Session(), replace(counter.config, confirm_advice=True),
                             counter.store, terminal_facts=facts)
    t = build_till(Settings({}), bus=EventBus(), store=counter.store, backend=backend,
                   data_dir=counter.tmp, printer=None, tariffs_on=False, start=False)
    yield t
    t.close()


def _journal(till: Any, kind: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = till.store.call(lambda c: [json.loads(r[0]) for r in c.execute(
        "SELECT body FROM journal WHERE kind = ? ORDER BY seq", (kind,))])
    return rows


def test_shift_and_z_are_the_servers_batches(till: Any, counter: Counter) -> None:
    counter.backend.batch("end", "sales")  # an earlier test's batch
    counter.backend.batch("end", "shift")
    shift = till.supervisor.shifts.open_shift(CASHIER, Money.of("100.00", "ZAR"))
    (opened,) = _journal(till, "shift.batch_opened")
    assert opened["ok"] and "already open" not in opened["note"]
    outcome = till.service.sell(_meter(counter.server), Money.of("100.00", "ZAR"), "thandi",
                                shift_id=shift.shift_id)
    assert outcome.state == "tokened"
    till.supervisor.shifts.close_shift(CASHIER, shift.shift_id,
                                       counted=Money.of("200.00", "ZAR"))
    (closed,) = _journal(till, "shift.batch_closed")
    assert closed["ok"] and "ended" in closed["note"] and "100.00" in closed["note"]
    day = till.supervisor.day.close_day(SUPERVISOR)
    assert day.upload_problem == "" and day.reconciliation is not None
    assert day.reconciliation.matched, day.reconciliation.differences


def test_reprint_from_the_servers_copy_else_local(till: Any, counter: Counter) -> None:
    outcome = till.service.sell(_meter(counter.server), Money.of("100.00", "ZAR"), "thandi")
    key = outcome.idempotency_key
    done = till.supervisor.reprints.reprint(CASHIER, key, till.documents)
    assert done.source == "server" and done.kind == "token"
    receipt = done.job.receipt()
    assert [t.digits for t in receipt.original.sale.tokens] == \
        [t.digits for t in outcome.sale.tokens]
    # The server cannot be reached: the till's own record is reprinted.
    counter.proxy.inject(Fault(FaultKind.RESET_BEFORE), match=f"POST {PATH} ".encode(),
                         count=1)
    again = till.supervisor.reprints.reprint(CASHIER, key, till.documents)
    assert again.source == "local" and again.reprint_no == 2


def test_each_tokened_sale_is_confirmed_by_advice(till: Any, counter: Counter) -> None:
    # The composition root subscribed a confirmation worker (stopped when the till closes).
    (confirmations,) = [c.__self__ for c in till._closers
                        if isinstance(getattr(c, "__self__", None), Confirmations)]
    confirmations.start()  # the till was built with start=False
    outcome = till.service.sell(_meter(counter.server), Money.of("100.00", "ZAR"), "thandi")
    key = outcome.idempotency_key
    with confirmations.done:
        assert confirmations.done.wait_for(lambda: key in confirmations.results, timeout=20)
    assert confirmations.results[key] is True
    face = counter.server.app.state.xmlvend  # type: ignore[union-attr]
    (attempt,) = counter.attempts(key)
    assert face.key(counter.config.client_ean, counter.config.terminal_id, attempt[1],
                    str(attempt[2])) in face.confirmed


def test_offline_sales_go_up_one_by_one_in_order_with_their_own_msgids(
        till: Any, counter: Counter) -> None:
    meter = _meter(counter.server)
    till.service.confirm_customer(meter)  # cached for the offline sales
    before = {r for _, r in counter.server_sales()}
    till.service.connectivity.set(False, "test: the network dropped")
    counter.proxy.down()
    keys = []
    for amount in ("100.00", "120.00"):
        outcome = till.service.sell(meter, Money.of(amount, "ZAR"), "thandi")
        assert outcome.state == "pending"
        keys.append(outcome.idempotency_key)
    assert {r for _, r in counter.server_sales()} == before  # nothing sent while offline
    counter.proxy.up()
    tokened: list[str] = []
    for _ in range(5):  # the worker's passes (the first may find a connection the drop cut)
        report = till.sync.step()
        tokened += report.tokened
        if report.remaining == 0:
            break
    assert tokened == keys, report  # in the order they were sold
    receipts = [till.store.call(lambda c, k=k: c.execute(
        "SELECT receipt_no FROM sales WHERE idem_key = ?", (k,)).fetchone()[0]) for k in keys]
    assert {r for _, r in counter.server_sales()} - before == set(receipts)
    for key, receipt in zip(keys, receipts, strict=True):
        stored = till.store.call(lambda c, k=key: [r[0] for r in c.execute(
            "SELECT digits FROM tokens WHERE idem_key = ? ORDER BY position", (k,))])
        assert sorted(stored) == sorted(counter.server_tokens(receipt))
    msgids = [counter.attempts(k) for k in keys]
    assert all(len(m) >= 1 for m in msgids)
    numbers = {(a[1], a[2]) for m in msgids for a in m}
    assert len(numbers) == sum(len(m) for m in msgids)  # each sale its own msgID
    assert till.sync.step().tokened == []  # exactly once: nothing sent again
