"""The PostgreSQL store's caches: rows read on every request are cached only while the process
LISTENs, and a change committed by another process (another store over the same database)
reaches them by NOTIFY; a change inside a transaction is read uncached and never kept if it
is rolled back."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from vendserver.db import Row
from vendserver.db.postgres import PostgresStore
from vendserver.demo import ACTIVATION_CODE, TARIFFS, seed
from vendserver.errors import ApiError
from vendserver.service import VendingService
from vendserver.testing import TEST_PIN_COST


def _until(check: Callable[[], bool], timeout: float = 20.0) -> None:
    """Until `check()` holds: the other process's NOTIFY arrives on the listener's thread."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.01)  # polling the store's answer, the behaviour under test


@pytest.fixture
def two(pg_url: str) -> Iterator[tuple[VendingService, VendingService, Row]]:
    """Two services over one database (as two server processes); the first one listens."""
    a = VendingService(PostgresStore(pg_url), pin_cost=TEST_PIN_COST)
    seed(a)
    b = VendingService(PostgresStore(pg_url), pin_cost=TEST_PIN_COST)
    cred = a.activate(ACTIVATION_CODE, "caches", "127.0.0.1")["credential"]
    terminal = a.authenticate(cred)
    unlisten = a.store.listen(lambda: None)
    _until(a.store.caching)
    yield a, b, terminal
    unlisten()
    a.store.close()
    b.store.close()


def _statements(store: PostgresStore, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    sent: list[str] = []
    real = store._run

    def counting(conn: Any, sql: str, args: tuple[Any, ...]) -> Any:
        sent.append(sql)
        return real(conn, sql, args)

    monkeypatch.setattr(store, "_run", counting)
    return sent


def test_cached_reads_send_no_statement(two, monkeypatch) -> None:
    a, _, terminal = two
    a.store.terminal_by_credential(terminal["credential_hash"])
    a.store.operators_for_terminal(terminal["id"], terminal["vendor_id"])
    a.store.version_in_force("RES-IBT", "2099-01-01T00:00:00Z")
    a.store.utility()
    sent = _statements(a.store, monkeypatch)
    assert a.store.terminal_by_credential(terminal["credential_hash"]) == terminal
    assert [o["id"] for o in a.store.operators_for_terminal(terminal["id"],
                                                            terminal["vendor_id"])]
    assert a.store.version_in_force("RES-IBT", "2099-01-01T00:00:00Z") is not None
    assert a.store.utility() is not None
    assert sent == []


def test_a_terminal_disabled_by_another_process_is_refused(two) -> None:
    a, b, terminal = two
    assert a.store.terminal_by_credential(terminal["credential_hash"]) is not None  # cached
    b.store.set_terminal_disabled(terminal["id"], True)
    _until(lambda: bool(a.store.terminal_by_credential(terminal["credential_hash"])["disabled"]))


def test_operators_changed_by_another_process_are_read_again(two) -> None:
    a, b, terminal = two
    assert a._operator(terminal, "thandi")["id"] == "thandi"  # cached now
    b.store.restrict_operator("thandi", "T9999")  # only on another terminal from now on

    def refused() -> bool:
        try:
            a._operator(terminal, "thandi")
        except ApiError as exc:
            return exc.code == "OPERATOR_NOT_ALLOWED"
        return False

    _until(refused)


def test_a_tariff_published_by_another_process_is_in_force_here(two) -> None:
    a, b, _ = two
    now = "2099-01-01T00:00:00Z"
    before = a.store.version_in_force("RES-IBT", now)
    assert before is not None
    signed = b.publish_tariff(dict(TARIFFS[0], effective_from="2020-01-01T00:00:00Z"))
    _until(lambda: (a.store.version_in_force("RES-IBT", now) or {}).get("version")
           == signed["version"])
    assert signed["version"] == before["version"] + 1


def test_the_utility_changed_by_another_process_is_read_again(two) -> None:
    a, b, _ = two
    assert a.utility_wire()["name"] != "Renamed utility"
    row = b.store.utility()
    assert row is not None
    b.store.set_utility({**row, "name": "Renamed utility"})
    _until(lambda: a.utility_wire()["name"] == "Renamed utility")


def test_a_change_rolled_back_is_never_cached(two) -> None:
    a, _, terminal = two
    digest = terminal["credential_hash"]

    class Undo(Exception):
        pass

    with pytest.raises(Undo), a.store.transaction():
        a.store.set_terminal_disabled(terminal["id"], True)
        found = a.store.terminal_by_credential(digest)  # the transaction's own view
        assert found is not None and found["disabled"]
        raise Undo
    found = a.store.terminal_by_credential(digest)
    assert found is not None and not found["disabled"]


def test_without_listening_nothing_is_cached(pg_url: str) -> None:
    store = PostgresStore(pg_url)
    try:
        assert not store.caching()
        assert store._cached(store.UTILITY, None, lambda: {"loaded": 1}) == {"loaded": 1}
        assert store._cached(store.UTILITY, None, lambda: {"loaded": 2}) == {"loaded": 2}
    finally:
        store.close()
