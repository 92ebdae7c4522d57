"""Supervisor services against the real reference server on loopback (real HTTP, real store)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import main
from app.api import Money
from app.supervisor import Approval, ScryptVerifier, SupervisorServices
from app.supervisor.approvals import OperatorCredential
from app.supervisor.context import TerminalContext
from app.supervisor.engineering import EngineeringRequest
from app.supervisor.server import ClientSupervisorApi
from common.errors import BusinessRuleError, PermissionDenied, UserFacingError
from tests.app.supervisor.helpers_supervisor import CASHIER, SUPERVISOR, Printed
from tests.reliability.harness import Core, build_core
from vendserver.testing import RunningServer, running_server


@dataclass
class Live:
    server: RunningServer
    core: Core
    sv: SupervisorServices
    printed: Printed


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    (tmp_path / "server").mkdir()
    with running_server(tmp_path / "server", demo=True) as server:
        term = server.activate("Counter 1")
        core = build_core(tmp_path / "client" / "vend.db", secrets.token_bytes(32),
                          server.base_url, term["credential"])
        try:
            records = core.client.operators()
            creds = [OperatorCredential(r.operator_id, r.name, r.role, r.active, r.pin_kdf,
                                        r.pin_hash) for r in records]
            printed = Printed()
            sv = SupervisorServices.build(
                core.store, ScryptVerifier(core.store, lambda: creds),
                TerminalContext.from_terminal_raw(core.client.terminal().raw),
                api=ClientSupervisorApi(core.client), printer=printed)
            yield Live(server, core, sv, printed)
        finally:
            core.close()


def _meter(live: Live, tag: str) -> str:
    return str(live.server.meter(tag)["meter_number"])


def test_reversal_engineering_and_z_reconcile_with_server(live: Live) -> None:
    meter = _meter(live, "normal")
    sold = [live.core.service.sell(meter, Money(amount, "ZAR"), "thandi")
            for amount in (10000, 5050)]
    assert all(s.state == "tokened" and s.sale is not None for s in sold)
    first = sold[0].sale
    assert first is not None
    approval = Approval("sipho", "4321")
    reversal = live.sv.reversals.reverse(CASHIER, first.receipt_no, "wrong meter", approval)
    assert reversal.reversal_no.startswith("RV") and reversal.amount_refunded.minor == 10000
    assert live.printed.items[-1].kind == "reversal"
    eng = live.sv.engineering.issue(SUPERVISOR, EngineeringRequest(meter, "clear_tamper"),
                                    approval)
    assert eng.reference.startswith("EN") and len(eng.tokens) == 1
    x = live.sv.day.x_report(SUPERVISOR)
    assert (x.sales.count, x.sales.amount_minor) == (2, 15050)
    assert (x.reversals.count, x.reversals.amount_minor) == (1, 10000)
    assert x.engineering == {"clear_tamper": 1}
    units = sum(int(s.sale.units.replace(".", "")) for s in sold if s.sale is not None)
    assert x.units_by_unit == {"kWh": units}
    issued = live.sv.day.issue_z(CASHIER, approval)
    rec = live.sv.day.upload_z(SUPERVISOR, issued.report.z_number or 0)
    assert rec.matched, rec.differences
    assert live.sv.day.list_z(SUPERVISOR)[0][2] == "matched"


def test_server_refusals_are_clear(live: Live) -> None:
    meter = _meter(live, "normal")
    with pytest.raises(PermissionDenied):  # wrong PIN refused locally before the server
        live.sv.engineering.issue(SUPERVISOR, EngineeringRequest(meter, "test"),
                                  Approval("sipho", "0000"))
    with pytest.raises(UserFacingError):
        live.sv.reversals.reverse(CASHIER, "VP99999999", "no such", Approval("sipho", "4321"))
    with pytest.raises(BusinessRuleError):  # an unknown meter: the server's 404
        live.sv.engineering.issue(SUPERVISOR, EngineeringRequest("01234567897", "test"),
                                  Approval("sipho", "4321"))


def test_main_verify_journal_on_demo_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                           ) -> None:
    from app.keystore import load_or_create_insecure_demo_key
    from offline_store import open_store
    from offline_store.journal import append

    key = load_or_create_insecure_demo_key(tmp_path / "store")
    store = open_store(tmp_path / "store" / "demo.db", key, create=True)
    store.call(lambda c: append(c, "test.entry", {"n": 1}))
    store.close()
    assert main.main(["--demo", "--data-dir", str(tmp_path), "--verify-journal"]) == 0
    assert "journal OK: 1 entries" in capsys.readouterr().out


def test_key_change_tid_rollover_moves_meter_to_2014(live: Live) -> None:
    meter = next(m for m in live.server.demo["meters"]
                 if "tid_rollover" in m["tags"] and not m.get("two_way"))
    assert meter["base_date"] == 1993
    result = live.sv.engineering.issue(
        SUPERVISOR, EngineeringRequest(str(meter["meter_number"]), "key_change",
                                       reason="TID rollover"), Approval("sipho", "4321"))
    assert result.meter["base_date"] == 2014
    kinds = [t.kind.value for t in result.tokens]
    assert kinds[:2] == ["key_change_1", "key_change_2"]
    slip = live.printed.items[-1]
    assert slip.kind == "engineering" and slip.meter.krn == str(result.meter["krn"])
    # the server now knows the new key: no key change is due any more
    again = live.core.client.meter(str(meter["meter_number"]))
    assert again.raw["key"]["base_date"] == 2014 and again.raw["key_change_due"] is None
