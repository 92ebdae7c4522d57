"""Needs-attention actions and engineering tokens (validation, journal without digits, print)."""

from __future__ import annotations

import json

import pytest

from app.sales import repository as repo
from app.supervisor import SupervisorServices
from app.supervisor.engineering import EngineeringRequest
from common.errors import BusinessRuleError, InvalidInput
from offline_store import Store
from printers.render import render_text
from tests.app.supervisor.helpers_supervisor import SUP_OK, SUPERVISOR, FakeApi, Printed, Seeder

METER = "14339800360"


def test_attention_queue_and_actions(sv: SupervisorServices, seed: Seeder,
                                     store: Store) -> None:
    rejected = seed.insert(amount=700, offline=True, state="pending")
    seed.set_state(rejected, "rejected", "BLOCKED_METER", "The meter is blocked.")
    broken = seed.insert(amount=900)
    seed.set_state(broken, "needs_attention", "MALFORMED", "bad answer")
    online_rejected = seed.insert(amount=500)
    seed.set_state(online_rejected, "rejected")  # refused at the counter: no money taken
    items = sv.attention.items(SUPERVISOR)
    assert [(i.idem_key, i.reason_code) for i in items] == [
        (rejected, "BLOCKED_METER"), (broken, "MALFORMED")]
    assert items[0].reason == "The meter is blocked." and items[0].reference.startswith("VP-")
    # retry: back into the outbox with the SAME key
    sv.attention.retry(SUPERVISOR, rejected, note="meter unblocked")
    row = store.call(lambda c: repo.get_sale(c, rejected))
    assert row is not None and row.state == "pending"
    assert store.call(lambda c: c.execute("SELECT count(*) FROM outbox WHERE idem_key = ?",
                                          (rejected,)).fetchone()[0]) == 1
    sv.attention.retry(SUPERVISOR, broken)
    row = store.call(lambda c: repo.get_sale(c, broken))
    assert row is not None and row.state == "unresolved"  # ask the server first
    assert sv.attention.items(SUPERVISOR) == []
    # rejected again → back in the queue; close needs a note
    seed.set_state(rejected, "rejected", "BLOCKED_METER", "still blocked")
    with pytest.raises(InvalidInput):
        sv.attention.close(SUPERVISOR, rejected, "  ")
    sv.attention.close(SUPERVISOR, rejected, "customer took a refund voucher")
    with pytest.raises(BusinessRuleError):
        sv.attention.cash_refund(SUPERVISOR, rejected)
    actions = store.call(lambda c: [r[0] for r in c.execute(
        "SELECT kind FROM journal WHERE kind LIKE 'attention.%' ORDER BY seq")])
    assert actions == ["attention.retry", "attention.retry", "attention.close"]


@pytest.mark.parametrize("req, message", [
    (EngineeringRequest("1433980036", "clear_tamper"), "11 or 13 digits"),
    (EngineeringRequest("14339800361", "clear_tamper"), "check digit"),
    (EngineeringRequest(METER, "explode"), "Unknown"),
    (EngineeringRequest(METER, "set_power_limit"), "1 to 65535"),
    (EngineeringRequest(METER, "set_phase_unbalance", value=70000), "1 to 65535"),
    (EngineeringRequest(METER, "clear_tamper", value=5), "takes no value"),
    (EngineeringRequest(METER, "clear_credit", register="gas"), "electricity, water"),
    (EngineeringRequest(METER, "key_change", new_ti=100), "1 to 99"),
    (EngineeringRequest(METER, "test", new_ti=3), "Only a key change"),
    (EngineeringRequest(METER, "test", value=1 << 36), "36 bits"),
])
def test_engineering_validation(sv: SupervisorServices, api: FakeApi,
                                req: EngineeringRequest, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        sv.engineering.issue(SUPERVISOR, req, SUP_OK)
    assert api.calls == []


def test_engineering_key_change_issued_journaled_printed(
        sv: SupervisorServices, api: FakeApi, store: Store, printed: Printed) -> None:
    result = sv.engineering.issue(
        SUPERVISOR, EngineeringRequest("1433-9800-360", "key_change", new_ti=2,
                                       reason="TID rollover"), SUP_OK)
    assert api.calls == [("engineering", {"meter_number": METER, "type": "key_change",
                                          "value": None, "register": None, "new_ti": 2})]
    assert result.reference == "EN00000001" and result.tokens[0].digits == "1111222233334444" \
        "5555"
    journal = store.call(lambda c: c.execute(
        "SELECT body FROM journal WHERE kind = 'engineering.issued'").fetchone()[0])
    assert "11112222333344445555" not in journal  # digits never in the journal
    body = json.loads(journal)
    assert body["approved_by"] == "sipho" and body["new_ti"] == 2
    assert body["meter_after"]["krn"] == 2
    slip = printed.items[-1]
    assert slip.kind == "engineering"
    text = render_text(slip, 42)
    assert "1111 2222 3333" in text and "4444 5555" in text and "EN00000001" in text
    assert sv.engineering.history()[0][:4] == ("EN00000001", "2026-11-25T09:30:00Z", METER,
                                               "key_change")
    again = sv.engineering.reprint(SUPERVISOR, "EN00000001")
    assert "REPRINT" in render_text(again, 42) and again.reprint_no == 1
    assert sv.engineering.reprint(SUPERVISOR, "EN00000001").reprint_no == 2
    from common.errors import PermissionDenied
    from tests.app.supervisor.helpers_supervisor import CASHIER

    with pytest.raises(PermissionDenied):
        sv.engineering.reprint(CASHIER, "EN00000001")
