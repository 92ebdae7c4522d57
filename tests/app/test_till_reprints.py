"""Reprints through the till: the count lives on the sale, the policy is checked against it
(a supervisor beyond it), each reprint is journaled (who, which number, who approved) and
prints the sale's newest document. Real server, real SQLCipher, real TCP printer."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from app.api import Money
from app.sales.events import SaleLateToken
from app.supervisor.reprints import ReprintPolicy
from app.till import Approval, Operator, PrintState, Role, SaleState
from common.errors import BusinessRuleError, PermissionDenied
from printers.connections import NetworkConfig
from printers.testing import FakeTcpPrinter
from tests.reliability.harness import Core, Env, environment

CASHIER = Operator("thandi", "Thandi Nkosi", Role.CASHIER)
SUPERVISOR = Operator("sipho", "Sipho Dlamini", Role.SUPERVISOR)


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    with environment(tmp_path) as e:
        yield e


@pytest.fixture
def printer() -> Iterator[FakeTcpPrinter]:
    with FakeTcpPrinter() as p:
        yield p


@pytest.fixture
def core(env: Env, printer: FakeTcpPrinter) -> Iterator[Core]:
    c = env.core(printer=NetworkConfig("127.0.0.1", printer.port), start=True)
    yield c
    c.close()


def _count(core: Core, receipt_no: str) -> int:
    return int(core.store.call(lambda c: c.execute(
        "SELECT reprint_count FROM sales WHERE receipt_no = ?", (receipt_no,)).fetchone()[0]))


def _journal(core: Core) -> list[dict[str, object]]:
    rows = core.store.call(lambda c: c.execute(
        "SELECT body FROM journal WHERE kind = 'sale.reprint' ORDER BY seq").fetchall())
    return [json.loads(r[0]) for r in rows]


def test_count_policy_and_journal(env: Env, core: Core, printer: FakeTcpPrinter) -> None:
    meter = str(env.server.meter("normal")["meter_number"])
    sale = core.till.sell(meter, Money(10000, "ZAR"), CASHIER)
    printer.wait_for_jobs(1, timeout=20)
    free = ReprintPolicy().max_free_reprints
    for n in range(1, free + 1):
        done = core.till.reprint(sale.reference, CASHIER)
        assert (done.kind, done.reprint_no, done.approved_by) == ("token", n, "")
    assert _count(core, sale.reference) == free
    with pytest.raises(BusinessRuleError) as beyond:
        core.till.reprint(sale.reference, CASHIER)
    assert beyond.value.code == "SUPERVISOR_REQUIRED"
    with pytest.raises(PermissionDenied):
        core.till.reprint(sale.reference, CASHIER, Approval("sipho", "0000"))
    assert _count(core, sale.reference) == free  # refused: nothing counted or queued
    approved = core.till.reprint(sale.reference, CASHIER, Approval("sipho", "4321"))
    assert (approved.reprint_no, approved.approved_by) == (free + 1, "sipho")
    alone = core.till.reprint(sale.reference, SUPERVISOR)  # a supervisor needs no one else
    assert (alone.reprint_no, alone.approved_by) == (free + 2, "sipho")
    assert _count(core, sale.reference) == free + 2
    assert [r.reprints for r in core.till.find(sale.reference)] == [free + 2]
    assert _journal(core) == [
        {"operator_id": "thandi", "reprint_no": 1, "document": "token",
         "beyond_policy": False, "approved_by": "", "source": "local"},
        {"operator_id": "thandi", "reprint_no": 2, "document": "token",
         "beyond_policy": False, "approved_by": "", "source": "local"},
        {"operator_id": "thandi", "reprint_no": 3, "document": "token",
         "beyond_policy": True, "approved_by": "sipho", "source": "local"},
        {"operator_id": "sipho", "reprint_no": 4, "document": "token",
         "beyond_policy": True, "approved_by": "sipho", "source": "local"},
    ]
    refs = core.store.call(lambda c: {r[0] for r in c.execute(
        "SELECT ref FROM journal WHERE kind = 'sale.reprint'")})
    assert refs == {sale.reference}  # filed under the receipt number the counter uses
    printed = printer.wait_for_jobs(1 + free + 2, timeout=20)
    assert [b"Reprint no. %d" % n in job for n, job in enumerate(printed)] == \
        [False] + [True] * (free + 2)


def test_old_receipt_needs_a_supervisor(env: Env, core: Core) -> None:
    meter = str(env.server.meter("normal")["meter_number"])
    sale = core.till.sell(meter, Money(10000, "ZAR"), CASHIER)
    core.till.supervisor.reprints.policy = ReprintPolicy(max_age=timedelta(0))
    with pytest.raises(BusinessRuleError, match="too old"):
        core.till.reprint(sale.reference, CASHIER)
    assert core.till.reprint(sale.reference, CASHIER,
                             Approval("sipho", "4321")).approved_by == "sipho"


def test_pending_sale_reprints_its_slip_then_its_token_receipt(
        env: Env, core: Core, printer: FakeTcpPrinter) -> None:
    meter = str(env.server.meter("normal")["meter_number"])
    core.till.lookup(meter)
    env.cut(core)
    pending = core.till.sell(meter, Money(5000, "ZAR"), CASHIER)
    assert pending.state is SaleState.PENDING
    slip = core.till.reprint(pending.reference, CASHIER)
    assert slip.kind == "pending"
    jobs = printer.wait_for_jobs(2, timeout=20)
    assert all(b"NOT A TOKEN" in job for job in jobs) and b"REPRINT" in jobs[1]
    tokened = threading.Event()
    core.bus.subscribe(SaleLateToken, lambda _event: tokened.set())
    env.proxy.up()
    core.till.sync.wake()
    assert tokened.wait(20), "the sync engine did not token the sale"
    token = core.till.reprint(pending.reference, CASHIER)
    assert (token.kind, token.reprint_no) == ("token", 2)
    printed = printer.wait_for_jobs(4, timeout=20)  # the token receipt, then its reprint
    assert all(b"NOT A TOKEN" not in job for job in printed[2:])
    assert b"Reprint no. 2" in printed[3]


def test_without_a_printer_documents_are_recorded_and_reprintable(env: Env) -> None:
    core = env.core()  # no printer set up
    try:
        meter = str(env.server.meter("normal")["meter_number"])
        sale = core.till.sell(meter, Money(10000, "ZAR"), CASHIER)
        assert sale.print_state is PrintState.NO_PRINTER and sale.print_job
        done = core.till.reprint(sale.reference, CASHIER)
        assert done.print_state is PrintState.NO_PRINTER and done.kind == "token"
        statuses = core.store.call(lambda c: c.execute(
            "SELECT kind, status, last_error FROM print_jobs ORDER BY rowid").fetchall())
        assert [(k, s) for k, s, _ in statuses] == [("token", "cancelled"),
                                                    ("reprint", "cancelled")]
        assert all("no printer" in e for _, _, e in statuses)
    finally:
        core.close()


def test_migration_0013_counts_earlier_reprints(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A store written at schema 0012, with reprint jobs filed under a sale's slip
    reference, gets `reprint_count` backfilled from them (and 0 elsewhere)."""
    import secrets

    import offline_store.store as store_module
    from offline_store import open_store

    every = store_module._schema_files()
    assert [f[1] for f in every if f[0] == 13] == ["0013_sale_reprints.sql"]
    monkeypatch.setattr(store_module, "_schema_files", lambda: [f for f in every if f[0] <= 12])
    key, path = secrets.token_bytes(32), tmp_path / "old.db"
    old = open_store(path, key, create=True)

    def write(conn: Any) -> None:
        for idem, ref in (("k-1", "VP-AAAAAAAAAA"), ("k-2", "VP-BBBBBBBBBB")):
            conn.execute(
                "INSERT INTO sales (idem_key, created_at, updated_at, state, offline, "
                "meter_number, amount_minor, currency, operator_id, request) VALUES "
                "(?, '2026-11-25T03:00:00.000000Z', '2026-11-25T03:00:00.000000Z', 'pending', "
                "1, '14339800360', 10000, 'ZAR', 'thandi', ?)",
                (idem, json.dumps({"client_reference": ref})))
        for n, (job, original, reprint_no) in enumerate(
                (("j0", None, 0), ("j1", "j0", 1), ("j2", "j0", 2))):
            conn.execute(
                "INSERT INTO print_jobs (id, created_at, updated_at, printer_id, kind, "
                "sale_ref, payload, original_job_id, reprint_no) VALUES "
                "(?, ?, ?, 'main', ?, 'VP-AAAAAAAAAA', '{}', ?, ?)",
                (job, f"2026-11-25T03:00:0{n}.000000Z", f"2026-11-25T03:00:0{n}.000000Z",
                 "pending" if reprint_no == 0 else "reprint", original, reprint_no))

    old.call(write)
    old.close()
    monkeypatch.setattr(store_module, "_schema_files", lambda: every)
    store = open_store(path, key)
    try:
        counts = store.call(lambda c: dict(c.execute(
            "SELECT idem_key, reprint_count FROM sales").fetchall()))
    finally:
        store.close()
    assert counts == {"k-1": 2, "k-2": 0}


def test_reversal_slip_is_written_with_the_reversal(env: Env, core: Core,
                                                     printer: FakeTcpPrinter) -> None:
    meter = str(env.server.meter("normal")["meter_number"])
    sale = core.till.sell(meter, Money(10000, "ZAR"), CASHIER)
    printer.wait_for_jobs(1, timeout=20)
    result = core.till.request_reversal(sale.reference, "wrong meter", CASHIER,
                                        Approval("sipho", "4321"))
    assert result.newly_recorded and result.receipt_no == sale.reference
    rows = core.store.call(lambda c: c.execute(
        "SELECT (SELECT count(*) FROM reversals WHERE reversal_no = p.sale_ref), p.kind "
        "FROM print_jobs p WHERE p.kind = 'reversal'").fetchall())
    assert rows == [(1, "reversal")]  # the slip's job, filed under the recorded reversal
    slip = printer.wait_for_jobs(2, timeout=20)[1]
    assert result.reversal_no.encode() in slip and sale.reference.encode() in slip
    assert [r.reversed for r in core.till.find(sale.reference)] == [True]
    # A reversed sale's tokens were paid back: its reprint is the reversal slip, never the
    # token receipt.
    again = core.till.reprint(sale.reference, CASHIER)
    assert again.kind == "reversal"
    reprint = printer.wait_for_jobs(3, timeout=20)[2]
    assert b"REPRINT" in reprint and result.reversal_no.encode() in reprint
    # The token is marked VOID and masked: never its whole digits, grouped or not.
    digits = sale.tokens[0].digits
    assert b"VOID" in reprint and b"TOKENS CANCELLED" in reprint
    grouped = " ".join(digits[i:i + 4] for i in range(0, 20, 4))
    assert digits.encode() not in reprint and grouped.encode() not in reprint
    copied = core.store.call(lambda c: c.execute(
        "SELECT o.kind FROM print_jobs r JOIN print_jobs o ON o.id = r.original_job_id "
        "WHERE r.id = ?", (again.job_id,)).fetchone())
    assert copied == ("reversal",)
    # A second reversal of the same receipt says so; nothing is reversed, paid or printed.
    with pytest.raises(BusinessRuleError, match="already reversed") as caught:
        core.till.request_reversal(sale.reference, "again", CASHIER, Approval("sipho", "4321"))
    assert caught.value.code == "ALREADY_REVERSED" and result.reversal_no in str(caught.value)
    assert core.store.call(lambda c: c.execute("SELECT count(*) FROM reversals").fetchone()) \
        == (1,)
