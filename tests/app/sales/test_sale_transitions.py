"""The sale state machine's guard, over random interleavings of two actors (hypothesis).

Two actors (the cashier's attempt and the sync worker) each read a sale's state and version,
and later act on what they read: a guarded transition (`transitions.transition`, with or
without the version they read) or recording the server's token (`repository.mark_tokened`),
in any order, on a real SQLCipher store with migration 0014's triggers. After every step:

* the outbox row exists if and only if the state is open;
* a write happens only if the sale is still in the state the actor read (and at the version,
  when given): a slower actor never overwrites a later decision;
* a closed state is never left, except void -> tokened (the server's answer proves the sale);
* every accepted change bumps the version once and journals `sale.<state>` once; a refused
  one writes nothing.
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.api import Money
from app.api.models import parse_sale
from app.sales import repository as repo
from app.sales import transitions as tr
from offline_store import Connection, Store, open_store
from tests.reliability.api_samples import request as sample_request
from tests.reliability.api_samples import sale as sample_sale

STATES = (*tr.OPEN_STATES, *tr.CLOSED_STATES)
_numbers = itertools.count(1)

Read = tuple[str, int]
#: ("read",) | ("move", to, with_version) | ("tokened",), by actor 0 or 1.
Op = tuple[int, tuple[Any, ...]]
ops = st.lists(st.tuples(st.integers(0, 1), st.one_of(
    st.just(("read",)),
    st.tuples(st.just("move"), st.sampled_from(STATES), st.booleans()),
    st.just(("tokened",)))), min_size=1, max_size=10)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    s = open_store(Path(tmp_path_factory.mktemp("guard")) / "vend.db",
                   secrets.token_bytes(32), create=True)
    yield s
    s.close()


def _new_sale(conn: Connection) -> str:
    key = f"guard-{next(_numbers):06d}"
    repo.insert_sale(conn, key=key, state="sending", offline=False, meter_number="14339800360",
                     amount=Money(10000, "ZAR"), operator_id="thandi", customer={},
                     request=sample_request(), quote=None, maybe_sent=True)
    return key


def _facts(conn: Connection, key: str) -> tuple[str, int, bool, int]:
    state, version = conn.execute("SELECT state, version FROM sales WHERE idem_key = ?",
                                  (key,)).fetchone()
    queued = conn.execute("SELECT count(*) FROM outbox WHERE idem_key = ?", (key,)).fetchone()
    entries = conn.execute("SELECT count(*) FROM journal WHERE ref = ? AND kind LIKE 'sale.%'",
                           (key,)).fetchone()
    return str(state), int(version), bool(queued[0]), int(entries[0])


def _act(conn: Connection, key: str, op: tuple[Any, ...], seen: Read) -> bool:
    """One actor's write on what it read; whether it happened."""
    if op[0] == "tokened":
        raw = sample_sale(key)
        raw["receipt_no"] = f"VP{next(_numbers):08d}"
        return repo.mark_tokened(conn, key, parse_sale(raw))
    _, to, with_version = op
    if seen[0] not in tr.OPEN_STATES or to not in tr.ALLOWED[seen[0]]:
        return False  # an actor only decides about a sale it read open, along the machine
    return tr.transition(conn, key, to, expect=(seen[0],),
                         version=seen[1] if with_version else None,
                         reason_code="TEST", reason="two actors")


def _run(conn: Connection, steps: list[Op]) -> None:
    key = _new_sale(conn)
    reads: list[Read] = [("sending", 0), ("sending", 0)]
    history = ["sending"]
    for actor, op in steps:
        before = _facts(conn, key)
        if op[0] == "read":
            reads[actor] = before[:2]
            continue
        seen = reads[actor]
        changed = _act(conn, key, op, seen)
        state, version, queued, entries = _facts(conn, key)
        assert queued == (state in tr.OPEN_STATES), (state, queued)
        if not changed:
            assert (state, version, entries) == (before[0], before[1], before[3])
            continue
        assert version == before[1] + 1 and entries == before[3] + 1
        if op[0] == "tokened":
            assert before[0] in (*tr.OPEN_STATES, "void") and state == "tokened"
        else:
            # The compare-and-set: only on the state (and version) the actor read.
            assert before[0] == seen[0] and state == op[1]
            if op[2]:
                assert before[1] == seen[1]
        history.append(state)
    for a, b in itertools.pairwise(history):
        if a in tr.CLOSED_STATES:
            assert (a, b) == ("void", "tokened"), history


@settings(max_examples=120, deadline=None)
@given(steps=ops)
def test_two_actors_never_break_the_machine(store: Store, steps: list[Op]) -> None:
    store.call(lambda c: _run(c, steps))


def test_a_slower_actor_is_refused(store: Store) -> None:
    def race(conn: Connection) -> tuple[bool, bool, str]:
        key = _new_sale(conn)
        # Both read (sending, 0); sync decides first, the attempt comes later.
        first = tr.transition(conn, key, "void", expect=("sending",), version=0,
                              reason_code="NOT_PROCESSED")
        late = tr.transition(conn, key, "pending", expect=("sending",), version=0)
        return first, late, _facts(conn, key)[0]

    assert store.call(race) == (True, False, "void")


def test_the_triggers_keep_the_outbox_whatever_writes_the_state(store: Store) -> None:
    def raw_writes(conn: Connection) -> list[bool]:
        key = _new_sale(conn)
        seen = []
        for state in ("void", "pending", "tokened", "needs_attention"):
            conn.execute("UPDATE sales SET state = ? WHERE idem_key = ?", (state, key))
            seen.append(_facts(conn, key)[2])
        return seen

    assert store.call(raw_writes) == [False, True, False, True]
