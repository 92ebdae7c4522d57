"""Offline operator sign-in: cached PIN hashes from the real server, persisted lockout on
the persisted run clock (moving the wall clock neither ends nor stretches a lock)."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from app.backend import ClientBackend
from app.lockout import RunClock
from app.operators import OperatorDirectory, OperatorLocked, WrongPin
from common.errors import PermissionDenied
from offline_store import open_store
from tests.reliability.harness import environment


class Monotonic:
    """A process's monotonic clock, moved by the test (each restart is a new one at 0)."""

    def __init__(self) -> None:
        self.value = 0.0

    def __call__(self) -> float:
        return self.value


def test_offline_sign_in_and_persisted_lockout(tmp_path: Path) -> None:
    now = [datetime(2026, 11, 25, 8, 0, tzinfo=UTC)]
    mono = Monotonic()
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
    mono = Monotonic()  # a new process: its monotonic clock starts elsewhere
    mono.value = 5.0
    directory = OperatorDirectory(store, None, clock=lambda: now[0],
                                  run_clock=RunClock(mono))
    with pytest.raises(OperatorLocked):
        directory.sign_in("thandi", pins["thandi"])
    now[0] += timedelta(minutes=16)
    mono.value += 16 * 60
    assert directory.sign_in("thandi", pins["thandi"]).operator_id == "thandi"
    rows = store.call(lambda c: c.execute("SELECT pin_hash FROM operators").fetchall())
    assert all(pins["thandi"] not in r[0] for r in rows)
    store.close()
    del key, db


def test_login_screen_list_from_the_cache_without_hashes(tmp_path: Path) -> None:
    now = [datetime(2026, 11, 25, 8, 0, tzinfo=UTC)]
    mono = Monotonic()
    with environment(tmp_path) as env:
        # A former cashier the server still lists (inactive), so terminals drop her.
        env.server.service.store.add_operator({
            "id": "zanele", "name": "Zanele Former", "role": "cashier", "vendor_id": "V001",
            "pin_salt": b"\x00" * 16, "pin_hash": b"\x00" * 32, "kdf_n": 16384, "kdf_r": 8,
            "kdf_p": 1, "kdf_dklen": 32, "active": 0, "updated_at": "2026-11-25T00:00:00Z"})
        # The directory alone (the composition root would refresh it at once).
        fresh = open_store(env.db, env.key, create=True)
        client = ClientBackend(requests.Session(), env.proxy.url, lambda: env.credential)
        directory = OperatorDirectory(fresh, client, clock=lambda: now[0])
        assert directory.list_operators() == []  # nothing cached before the first refresh
        directory.refresh()
        fresh.close()
    store = open_store(env.db, env.key)  # offline: the cache only
    directory = OperatorDirectory(store, None, clock=lambda: now[0], run_clock=RunClock(mono))
    listed = directory.list_operators()
    demo = sorted(env.server.demo["operators"], key=lambda o: str(o["name"]).lower())
    assert [(o.operator_id, o.name, o.role) for o in listed] == \
        [(o["id"], o["name"], o["role"]) for o in demo]
    assert all(o.active and o.locked_until is None for o in listed)
    assert [o.can_approve for o in listed if o.operator_id == "sipho"] == [True]
    everyone = directory.list_operators(include_inactive=True)
    assert [o.operator_id for o in everyone if not o.active] == ["zanele"]
    fields = set(vars(listed[0]))
    assert fields == {"operator_id", "name", "role", "active", "locked_until"}
    hashes = store.call(lambda c: [json.loads(r[0])["hash"]
                                   for r in c.execute("SELECT pin_hash FROM operators")])
    assert len(hashes) == len(everyone) and not any(h[:16] in repr(everyone) for h in hashes)
    for _ in range(5):
        with pytest.raises((WrongPin, OperatorLocked)):
            directory.sign_in("thandi", "0000")
    locked = {o.operator_id: o.locked_until for o in directory.list_operators()}
    assert locked["thandi"] == now[0] + timedelta(minutes=15) and locked["sipho"] is None
    now[0] += timedelta(minutes=16)  # the lock has run out
    mono.value += 16 * 60
    assert all(o.locked_until is None for o in directory.list_operators())
    store.close()


def test_pin_messages_count_attempts_and_say_the_local_time() -> None:
    from datetime import UTC, datetime

    from app.operators import OperatorLocked, WrongPin

    assert WrongPin(1).hint == "1 attempt left before the operator is locked."
    assert WrongPin(3).hint == "3 attempts left before the operator is locked."
    # 15:05 UTC is 17:05 in the utility's zone (UTC+02:00 until the terminal says otherwise)
    locked = OperatorLocked(datetime(2026, 11, 25, 15, 5, tzinfo=UTC))
    assert "until 17:05." in str(locked) and "UTC" not in str(locked)
