"""Roles and approvals enforced in the services: a cashier is refused at the service level."""

from __future__ import annotations

import json

import pytest

from app.api.models import Money
from app.supervisor import Approval, SupervisorServices
from app.supervisor.engineering import EngineeringRequest
from app.supervisor.permissions import Permission, Role, allowed
from common.errors import BusinessRuleError, PermissionDenied
from offline_store import Store
from tests.app.supervisor.helpers_supervisor import CASHIER, SUP_OK, SUPERVISOR, FakeApi, Seeder


def _journal(store: Store, kind: str) -> list[dict[str, object]]:
    return store.call(lambda c: [json.loads(r[0]) for r in c.execute(
        "SELECT body FROM journal WHERE kind = ? ORDER BY seq", (kind,))])


def test_role_table() -> None:
    assert allowed(Role.CASHIER, Permission.SELL)
    assert not allowed(Role.CASHIER, Permission.CLOSE_DAY)
    assert not allowed(Role.CASHIER, Permission.REVERSAL)
    assert allowed(Role.SUPERVISOR, Permission.CLOSE_DAY)
    assert all(allowed(Role.ADMIN, p) for p in Permission)


def test_cashier_cannot_close_day_without_approval(sv: SupervisorServices, store: Store) -> None:
    with pytest.raises(PermissionDenied):
        sv.day.issue_z(CASHIER)
    assert store.call(lambda c: c.execute("SELECT count(*) FROM z_reports").fetchone()[0]) == 0


def test_cashier_with_wrong_pin_is_refused_and_journaled(sv: SupervisorServices,
                                                         store: Store) -> None:
    with pytest.raises(PermissionDenied):
        sv.day.issue_z(CASHIER, Approval("sipho", "0000"))
    refused = _journal(store, "supervisor.approval_refused")
    assert refused and refused[-1]["for_operator"] == "thandi"
    assert refused[-1]["approved_by"] == "sipho" and refused[-1]["granted"] is False
    # the PIN never reaches the journal
    assert "0000" not in json.dumps(refused) and "4321" not in json.dumps(refused)
    assert store.call(lambda c: c.execute("SELECT count(*) FROM z_reports").fetchone()[0]) == 0


def test_cashier_cannot_approve_for_another_cashier(sv: SupervisorServices) -> None:
    with pytest.raises(PermissionDenied, match="not a supervisor"):
        sv.day.issue_z(CASHIER, Approval("lindiwe", "5555"))


def test_supervisor_pin_approves_and_is_journaled(sv: SupervisorServices, store: Store) -> None:
    issued = sv.day.issue_z(CASHIER, SUP_OK)
    assert issued.report.z_number == 1 and issued.approved_by == "sipho"
    granted = _journal(store, "supervisor.approval")
    assert granted[-1] == {"action": "close_day", "subject": "Z", "approved_by": "sipho",
                           "for_operator": "thandi", "granted": True}
    at = store.call(lambda c: c.execute(
        "SELECT at FROM journal WHERE kind = 'supervisor.approval'").fetchone()[0])
    assert at.endswith("Z")  # when


def test_cashier_refused_reversal_and_engineering_at_service_level(
        sv: SupervisorServices, api: FakeApi, seed: Seeder) -> None:
    seed.tokened(amount=5000, units=200)
    with pytest.raises(PermissionDenied):
        sv.reversals.reverse(CASHIER, "VP00000001", "wrong meter", Approval("thandi", "1234"))
    with pytest.raises(PermissionDenied):
        sv.engineering.issue(CASHIER, EngineeringRequest("14339800360", "clear_tamper"),
                             Approval("lindiwe", "5555"))
    assert api.calls == []  # nothing reached the server


def test_cashier_refused_journal_and_attention(sv: SupervisorServices, seed: Seeder) -> None:
    key = seed.insert(amount=1000, offline=True, state="pending")
    seed.set_state(key, "rejected")
    with pytest.raises(PermissionDenied):
        sv.attention.close(CASHIER, key, "customer left")
    with pytest.raises(PermissionDenied):
        sv.attention.cash_refund(CASHIER, key)
    sv.attention.close(CASHIER, key, "customer left", approval=SUP_OK)
    assert sv.attention.items(SUPERVISOR) == []


def test_lockout_after_five_wrong_pins(sv: SupervisorServices) -> None:
    for _ in range(5):
        with pytest.raises(PermissionDenied):
            sv.day.issue_z(CASHIER, Approval("sipho", "1111"))
    with pytest.raises(BusinessRuleError) as info:
        sv.day.issue_z(CASHIER, SUP_OK)  # right PIN, but locked now
    assert info.value.code == "OPERATOR_LOCKED"


def test_supervisor_alone_may_close_day(sv: SupervisorServices) -> None:
    assert sv.day.issue_z(SUPERVISOR).approved_by == "sipho"


def test_cash_drop_in_another_cashiers_shift_refused(sv: SupervisorServices) -> None:
    shift = sv.shifts.open_shift(CASHIER, Money(50000, "ZAR"))
    from tests.app.supervisor.helpers_supervisor import CASHIER2
    with pytest.raises(PermissionDenied):
        sv.shifts.cash_drop(CASHIER2, shift.shift_id, Money(100, "ZAR"))
    sv.shifts.cash_drop(SUPERVISOR, shift.shift_id, Money(100, "ZAR"))


def test_reprint_policy(sv: SupervisorServices, store: Store) -> None:
    from datetime import UTC, datetime, timedelta

    now = datetime.now(UTC)
    gate = sv.reprints
    assert gate.authorise(CASHIER, "VP1", reprints_so_far=0, issued_at=now).approved_by is None
    with pytest.raises(PermissionDenied):  # third reprint: beyond the count
        gate.authorise(CASHIER, "VP1", reprints_so_far=2, issued_at=now)
    with pytest.raises(PermissionDenied):  # two days old: beyond the age
        gate.authorise(CASHIER, "VP2", reprints_so_far=0, issued_at=now - timedelta(days=2))
    auth = gate.authorise(CASHIER, "VP1", reprints_so_far=2, issued_at=now, approval=SUP_OK)
    assert auth.approved_by is not None and auth.approved_by.id == "sipho"
    entries = _journal(store, "sale.reprint")
    assert entries == [
        {"operator_id": "thandi", "reprint_no": 1, "beyond_policy": False, "approved_by": ""},
        {"operator_id": "thandi", "reprint_no": 3, "beyond_policy": True, "approved_by": "sipho"}]
