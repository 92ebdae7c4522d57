"""What an online sale costs the store: two transactions, on the real server and store.

The sale is committed `sending` (with its attempt's lease, the unfinished-sale check and the
operator's shift read in that same transaction) before the request leaves, and its tokens,
receipt and print job are committed with the state change after the answer; nothing else
waits on the store owner in between (no separate check, lease release or outbox count).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from app.api import Money
from app.till import Operator, Role, SaleState
from tests.reliability.harness import Env

CASHIER = Operator("thandi", "Thandi Nkosi", Role.CASHIER)


def test_an_online_sale_commits_twice_and_leaves_no_lease(
        env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    core = env.core(start=False)
    try:
        meter = str(env.server.meter("normal")["meter_number"])
        core.till.lookup(meter)
        core.store.call(lambda c: None)  # the look-up's meter cache, queued, is written first
        states: list[list[str]] = []
        execute = core.store._execute

        def counted(fn: Callable[[Any], Any], transaction: bool) -> Any:
            result = execute(fn, transaction)
            if transaction:  # what each committed transaction left in the sales table
                states.append([row[0] for row in core.store._conn.execute(
                    "SELECT state FROM sales").fetchall()])
            return result

        monkeypatch.setattr(core.store, "_execute", counted)
        result = core.till.sell(meter, Money(5000, "ZAR"), CASHIER)
        monkeypatch.undo()
        assert result.state is SaleState.TOKENED
        assert states == [["sending"], ["tokened"]]
        leases = core.store.call(lambda c: c.execute(
            "SELECT count(*) FROM outbox").fetchone()[0])
        assert leases == 0  # tokened: its outbox row, and the lease on it, went with it
    finally:
        core.close()
