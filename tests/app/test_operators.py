"""Offline operator sign-in: cached PIN hashes from the real server, persisted lockout."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.errors import PermissionDenied
from app.operators import OperatorDirectory, OperatorLocked, WrongPin
from offline_store import open_store
from tests.reliability.harness import environment


def test_offline_sign_in_and_persisted_lockout(tmp_path: Path) -> None:
    now = [datetime(2026, 11, 25, 8, 0, tzinfo=UTC)]
    key = secrets.token_bytes(32)
    db = tmp_path / "ops.db"
    with environment(tmp_path) as env:
        core = env.core()
        directory = OperatorDirectory(core.store, core.client, clock=lambda: now[0])
        assert directory.refresh() >= 2
        core.close()
    # Server gone: sign in from the cache only (fresh store object, no client).
    store = open_store(env.db, env.key)
    directory = OperatorDirectory(store, None, clock=lambda: now[0])
    pins = {o["id"]: o["pin"] for o in env.server.demo["operators"]}
    signed = directory.sign_in("thandi", pins["thandi"])
    assert signed.role == "cashier"
    with pytest.raises(PermissionDenied):
        directory.sign_in("nobody", "1234")
    for left in (4, 3, 2):
        with pytest.raises(WrongPin) as info:
            directory.sign_in("thandi", "0000")
        assert info.value.attempts_left == left
    store.close()
    # Restart: the counter survives.
    store = open_store(env.db, env.key)
    directory = OperatorDirectory(store, None, clock=lambda: now[0])
    with pytest.raises(WrongPin):
        directory.sign_in("thandi", "0000")
    with pytest.raises(OperatorLocked):
        directory.sign_in("thandi", "0000")
    with pytest.raises(OperatorLocked):
        directory.sign_in("thandi", pins["thandi"])  # even the right PIN while locked
    store.close()
    store = open_store(env.db, env.key)
    directory = OperatorDirectory(store, None, clock=lambda: now[0])
    with pytest.raises(OperatorLocked):
        directory.sign_in("thandi", pins["thandi"])
    now[0] += timedelta(minutes=16)
    assert directory.sign_in("thandi", pins["thandi"]).operator_id == "thandi"
    rows = store.call(lambda c: c.execute("SELECT pin_hash FROM operators").fetchall())
    assert all(pins["thandi"] not in r[0] for r in rows)
    store.close()
    del key, db
