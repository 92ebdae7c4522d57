"""A hypothesis state machine over the outbox against the real server.

Rules: sell, go offline, come back online, a sync step, a crash (before sending, or after the
server committed but before the answer was recorded) followed by a restart, and a lost answer.
The sync worker thread drains all the while. After every step: each acknowledged sale is
tokened (and on the server with the same receipt) or still in the outbox; the server holds no
sale the terminal does not know; no key twice; every tokened sale's stored and printed receipt
(receipt number, amount, units, token digits in entry order) is the server's record of it.
At the end the outbox drains and every acknowledged sale is on the server exactly once.
A client that stores the token digits reversed fails the machine.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)

from app.api import Money
from app.sales import repository as repo
from common.errors import BusinessRuleError, UserFacingError
from tests.reliability.faultproxy import FaultProxy
from tests.reliability.harness import Core, build_core, server_sales
from tests.reliability.records import client_records, content_problems, server_records
from tests.reliability.scenarios import wait_until
from vendserver.testing import RunningServer, running_server

#: The sync worker's grace before it looks up a sale still being sent (seconds).
GRACE = 2.0


class SimulatedCrash(BaseException):
    """The process 'dies' here: nothing after this point runs."""


_SERVER: dict[str, Any] = {}


@pytest.fixture(scope="module", autouse=True)
def shared_server() -> Iterator[RunningServer]:
    folder = Path(tempfile.mkdtemp(prefix="vp-sm-"))
    try:
        with running_server(folder, demo=True) as server:
            server.service.top_up("V001", 10**12)
            _SERVER["server"] = server
            yield server
    finally:
        _SERVER.clear()
        shutil.rmtree(folder, ignore_errors=True)


class OutboxMachine(RuleBasedStateMachine):
    """One terminal selling through a fault proxy, with crashes and restarts."""

    def __init__(self) -> None:
        super().__init__()
        self.server: RunningServer = _SERVER["server"]
        activation = self.server.activate("SM terminal")
        self.terminal_id = activation["terminal_id"]
        self.credential = activation["credential"]
        self.folder = Path(tempfile.mkdtemp(prefix="vp-sm-client-"))
        self.db = self.folder / "vend.db"
        self.key = secrets.token_bytes(32)
        self.proxy = FaultProxy(int(self.server.base_url.rsplit(":", 1)[1]))
        self.meters = [m["meter_number"] for m in self.server.demo["meters"]
                       if m["tags"] == ["normal"]][:2]
        self.core = self._start()
        assert self.core.sync.refresh_terminal()
        for meter in self.meters:
            self.core.service.confirm_customer(meter)
        self.acked: dict[str, str] = {}

    def _start(self) -> Core:
        # The sync worker runs while the rules sell (a grace longer than an attempt here,
        # where no answer is slow), and the rules ask for passes of their own too.
        return build_core(self.db, self.key, self.proxy.url, self.credential, create=True,
                          read_timeout=3.0, resolve_grace=GRACE, start=True)

    # -- rules ---------------------------------------------------------------------------------
    @rule(meter=st.integers(0, 1), rands=st.integers(100, 300))
    def sell(self, meter: int, rands: int) -> None:
        try:
            outcome = self.core.service.sell(self.meters[meter], Money(rands * 100, "ZAR"),
                                             "thandi")
        except (BusinessRuleError, UserFacingError):
            return
        self.acked[outcome.idempotency_key] = outcome.state

    @rule()
    def go_offline(self) -> None:
        self.proxy.down()
        self.core.session.close()

    @rule()
    def go_online(self) -> None:
        self.proxy.up()

    @rule()
    def sync_step(self) -> None:
        self.core.sync.step()

    @rule()
    def lost_answer(self) -> None:
        self.proxy.drop_responses(b"POST /v1/sales", 1)

    @rule(after_send=st.booleans(), meter=st.integers(0, 1))
    def crash_and_restart(self, after_send: bool, meter: int) -> None:
        service = self.core.service

        main = threading.current_thread()
        original_get_sale = self.core.client.get_sale

        def crash(*args: Any) -> Any:
            if threading.current_thread() is not main:
                return original_get_sale(*args)  # the sync worker is not the dying call
            raise SimulatedCrash

        if after_send:
            # The server commits, the answer is lost, and we die before asking about it.
            self.proxy.drop_responses(b"POST /v1/sales ", 1)
            self.core.client.get_sale = crash  # type: ignore[method-assign,assignment]
        else:
            service._after_write = crash  # dies right after the sale row is committed
        try:
            service.sell(self.meters[meter], Money(15000, "ZAR"), "thandi")
        except (SimulatedCrash, BusinessRuleError, UserFacingError):
            pass
        self.proxy.drop_responses(b"", 0)
        self.core.close()
        self.core = self._start()  # restart from the same file

    # -- invariants ----------------------------------------------------------------------------
    @invariant()
    def acknowledged_sales_are_never_lost_or_doubled(self) -> None:
        # One transaction for the client's view (the sync worker runs), then the server's.
        rows, outbox, client = self.core.store.call(lambda c: (
            {r[0]: (r[1], r[2]) for r in c.execute(
                "SELECT s.idem_key, s.state, r.receipt_no FROM sales s "
                "LEFT JOIN receipts r ON r.idem_key = s.idem_key")},
            {r[0] for r in c.execute("SELECT idem_key FROM outbox")},
            client_records(c)))
        server = server_sales(self.server.db_path, self.terminal_id)
        problems = content_problems(client, server_records(self.server.db_path,
                                                           self.terminal_id))
        assert not problems, f"sales differ from the server's record: {problems[:3]}"
        assert set(server) <= set(rows)
        for key in self.acked:
            state, receipt = rows[key]
            if state == "tokened":
                assert server[key] == receipt
            else:
                assert state in ("pending", "sending", "unresolved") and key in outbox
        for key, (state, receipt) in rows.items():
            if state == "tokened":
                assert server[key] == receipt
            if state == "void":
                assert key not in server

    def teardown(self) -> None:
        try:
            self.proxy.drop_responses(b"", 0)
            self.proxy.up()
            self.server.service.wait_idle(30)
            self.core.sync.wake()
            wait_until(lambda: self.core.store.call(repo.outbox_stats).count == 0,
                       GRACE + 15.0)
            final = self.core.store.call(lambda c: dict(c.execute(
                "SELECT idem_key, state FROM sales").fetchall()))
            server = server_sales(self.server.db_path, self.terminal_id)
            for key in self.acked:
                assert final[key] == "tokened" and key in server
            assert {k for k, s in final.items() if s == "tokened"} == set(server)
            assert self.core.store.call(repo.outbox_stats).count == 0
            problems = content_problems(self.core.store.call(client_records),
                                        server_records(self.server.db_path, self.terminal_id))
            assert not problems, f"sales differ from the server's record: {problems[:3]}"
        finally:
            self.core.close()
            self.proxy.close()
            shutil.rmtree(self.folder, ignore_errors=True)


OutboxMachine.TestCase.settings = settings(
    max_examples=8, stateful_step_count=12, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_outbox_state_machine = OutboxMachine.TestCase


def test_the_machine_fails_a_client_that_stores_tokens_reversed(
        monkeypatch: pytest.MonkeyPatch) -> None:
    original = repo.mark_tokened

    def reversed_digits(conn: Any, key: str, sale: Any) -> bool:
        changed = original(conn, key, sale)
        if changed:
            rows = conn.execute("SELECT position, digits FROM tokens WHERE idem_key = ?",
                                (key,)).fetchall()
            conn.executemany("UPDATE tokens SET digits = ? WHERE idem_key = ? AND position = ?",
                             [(d[::-1], key, p) for p, d in rows])
        return changed

    monkeypatch.setattr(repo, "mark_tokened", reversed_digits)
    with pytest.raises(AssertionError, match="differ from the server's record"):
        run_state_machine_as_test(OutboxMachine, settings=settings(
            max_examples=5, stateful_step_count=6, deadline=None, database=None,
            phases=[Phase.generate], suppress_health_check=list(HealthCheck)))
