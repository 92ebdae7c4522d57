"""Needs-attention end to end: an offline sale the real server rejects during sync."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.api import Money
from app.supervisor import Approval, ScryptVerifier, SupervisorServices
from app.supervisor.approvals import OperatorCredential
from app.supervisor.context import TerminalContext
from app.supervisor.server import ClientSupervisorApi
from tests.app.supervisor.helpers_supervisor import CASHIER, SUPERVISOR, Printed
from tests.reliability.harness import Core, Env, environment


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    with environment(tmp_path) as e:
        yield e


@pytest.fixture
def core(env: Env) -> Iterator[Core]:
    c = env.core()
    assert c.sync.refresh_terminal()
    yield c
    c.close()


def test_rejected_offline_sale_is_queued_refunded_and_reported(env: Env, core: Core) -> None:
    creds = [OperatorCredential(r.operator_id, r.name, r.role, r.active, r.pin_kdf, r.pin_hash)
             for r in core.client.operators()]
    sv = SupervisorServices.build(core.store, ScryptVerifier(core.store, lambda: creds),
                                  TerminalContext.from_terminal_raw(core.client.terminal().raw),
                                  api=ClientSupervisorApi(core.client), printer=Printed())
    shift = sv.shifts.open_shift(CASHIER, Money(20000, "ZAR"))
    meter = str(env.server.meter("normal")["meter_number"])
    core.service.confirm_customer(meter)  # cached for offline
    env.proxy.down()
    # Above the sale minimum (the offline policy lets it through) but below this month's fixed
    # charges, which only the server knows when it prices the sale: the server refuses it.
    small = core.service.sell(meter, Money(1000, "ZAR"), "thandi", shift_id=shift.shift_id)
    good = core.service.sell(meter, Money(5000, "ZAR"), "thandi", shift_id=shift.shift_id)
    assert small.state == good.state == "pending"
    env.proxy.up()
    report = core.sync.step()
    assert report.rejected == [small.idempotency_key]
    assert report.tokened == [good.idempotency_key]
    items = sv.attention.items(SUPERVISOR)
    assert [(i.idem_key, i.reason_code) for i in items] == [
        (small.idempotency_key, "AMOUNT_OUT_OF_RANGE")]
    # the cashier's drawer holds both sales' cash until the refund is paid
    assert sv.shifts.summary(SUPERVISOR, shift.shift_id).cash_sales == Money(6000, "ZAR")
    x = sv.day.x_report(SUPERVISOR)
    assert (x.sales.count, x.sales.amount_minor, x.attention_count) == (1, 5000, 1)
    sv.attention.cash_refund(CASHIER, small.idempotency_key, approval=Approval("sipho", "4321"),
                             note="below the minimum; paid back")
    assert sv.attention.items(SUPERVISOR) == []
    x = sv.day.x_report(SUPERVISOR)
    assert (x.cash_refunds.count, x.cash_refunds.amount_minor, x.attention_count) == (1, 1000, 0)
    sv.shifts.close_shift(CASHIER, shift.shift_id, counted=Money(5000, "ZAR"))
    issued = sv.day.issue_z(SUPERVISOR)  # refused while the shift is open
    rec = sv.day.upload_z(SUPERVISOR, issued.report.z_number or 0)
    assert rec.matched, rec.differences
