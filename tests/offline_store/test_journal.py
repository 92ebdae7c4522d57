"""Tests of the hash-chained, append-only journal."""

from __future__ import annotations

import itertools

import pytest
import sqlcipher3

from offline_store import Store
from offline_store.journal import GENESIS, append, verify_chain


def _fill(store: Store, n: int) -> None:
    for i in range(n):
        def add(c: sqlcipher3.Connection, i: int = i) -> str:
            return append(c, "test.event", {"i": i, "amount": "1.00"}, ref=f"r{i}")
        store.call(add)


def test_chain_links_each_entry_to_the_previous(store: Store) -> None:
    _fill(store, 5)
    rows = store.call(lambda c: c.execute(
        "SELECT seq, prev_hash, hash FROM journal ORDER BY seq").fetchall())
    assert rows[0][1] == GENESIS
    for prev, cur in itertools.pairwise(rows):
        assert cur[1] == prev[2]
    report = store.call(verify_chain)
    assert report.ok and report.entries == 5


def test_journal_refuses_update_and_delete(store: Store) -> None:
    _fill(store, 2)
    with pytest.raises(sqlcipher3.IntegrityError, match="append-only"):
        store.call(lambda c: c.execute("UPDATE journal SET body = '{}' WHERE seq = 1"))
    with pytest.raises(sqlcipher3.IntegrityError, match="append-only"):
        store.call(lambda c: c.execute("DELETE FROM journal WHERE seq = 2"))


def _tamper(store: Store, sql: str) -> None:
    def run(c: sqlcipher3.Connection) -> None:
        c.execute("DROP TRIGGER journal_no_update")
        c.execute("DROP TRIGGER journal_no_delete")
        c.execute(sql)
    store.call(run)


@pytest.mark.parametrize(
    ("sql", "bad_seq", "problem"),
    [
        ("UPDATE journal SET body = '{\"amount\":\"9.00\",\"i\":2}' WHERE seq = 3", 3, "edited"),
        ("DELETE FROM journal WHERE seq = 2", 3, "missing"),
        ("UPDATE journal SET seq = CASE seq WHEN 2 THEN 3 ELSE 2 END WHERE seq IN (2, 3)"
         .replace("SET seq", "SET seq"), 2, "broken"),
    ],
)
def test_verify_detects_edit_deletion_and_reordering(
    store: Store, sql: str, bad_seq: int, problem: str
) -> None:
    _fill(store, 5)
    if "CASE" in sql:
        # Swap the content of entries 2 and 3 (reordering) via a temporary seq.
        sql = ("UPDATE journal SET seq = 100 WHERE seq = 2;"
               "UPDATE journal SET seq = 2 WHERE seq = 3;"
               "UPDATE journal SET seq = 3 WHERE seq = 100")
        def run(c: sqlcipher3.Connection) -> None:
            c.execute("DROP TRIGGER journal_no_update")
            for part in sql.split(";"):
                c.execute(part)
        store.call(run)
    else:
        _tamper(store, sql)
    report = store.call(verify_chain)
    assert not report.ok
    assert report.first_bad_seq == bad_seq
    assert problem in report.problem
