"""The offline PIN lockout runs on the persisted run clock: moving the terminal's wall clock
forward does not end a lock, moving it back does not stretch one, and a restart resets
neither the count nor the lock. Real SQLCipher store files, the real PIN check."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.lockout import RunClock
from app.operators import OperatorDirectory, OperatorLocked, WrongPin
from app.supervisor import ScryptVerifier
from common.errors import BusinessRuleError, PermissionDenied
from offline_store import Store, open_store
from tests.app.supervisor.helpers_supervisor import CREDENTIALS, PINS

START = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


class Clocks:
    """The terminal's wall clock and one process's monotonic clock, both moved by the test."""

    def __init__(self) -> None:
        self.wall = START
        self.mono = 1000.0

    def now(self) -> datetime:
        return self.wall

    def monotonic(self) -> float:
        return self.mono


class Till:
    """A store file opened and closed like restarts of VendPoint (a new process each time)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.key = secrets.token_bytes(32)
        self.clocks = Clocks()
        self.store: Store = open_store(path, self.key, create=True)
        salt = bytes.fromhex("00112233445566778899aabbccddeeff")
        kdf = {"alg": "scrypt", "n": 1024, "r": 8, "p": 1, "dklen": 32, "salt": salt.hex()}
        digest = hashlib.scrypt(b"1234", salt=salt, n=1024, r=8, p=1, dklen=32).hex()
        self.store.call(lambda c: c.execute(
            "INSERT INTO operators (operator_id, name, role, pin_hash, active, fetched_at) "
            "VALUES ('thandi', 'Thandi', 'cashier', ?, 1, '2026-11-25T08:00:00Z')",
            (json.dumps({"kdf": kdf, "hash": digest}),)))

    def directory(self) -> OperatorDirectory:
        return OperatorDirectory(self.store, None, clock=self.clocks.now,
                                 run_clock=RunClock(self.clocks.monotonic))

    def restart(self) -> OperatorDirectory:
        """Close and reopen the store; the new process's monotonic clock reads anything."""
        self.store.close()
        self.store = open_store(self.path, self.key)
        self.clocks.mono = 7.0
        return self.directory()

    def lock(self, directory: OperatorDirectory) -> None:
        for _ in range(4):
            with pytest.raises(WrongPin):
                directory.sign_in("thandi", "0000")
        with pytest.raises(OperatorLocked):
            directory.sign_in("thandi", "0000")


@pytest.fixture
def till(tmp_path: Path) -> Iterator[Till]:
    t = Till(tmp_path / "till.db")
    yield t
    t.store.close()


def test_moving_the_clock_forward_does_not_end_the_lock(till: Till) -> None:
    directory = till.directory()
    till.lock(directory)
    till.clocks.wall += timedelta(days=1)  # the cashier sets the clock a day ahead
    with pytest.raises(OperatorLocked):
        directory.sign_in("thandi", "1234")
    till.clocks.mono += 14 * 60  # 14 of the 15 minutes really passed
    with pytest.raises(OperatorLocked):
        directory.sign_in("thandi", "1234")
    directory = till.restart()  # and a restart with the clock still a day ahead
    with pytest.raises(OperatorLocked):
        directory.sign_in("thandi", "1234")
    till.clocks.mono += 61
    assert directory.sign_in("thandi", "1234").operator_id == "thandi"


def test_moving_the_clock_back_does_not_stretch_the_lock(till: Till) -> None:
    directory = till.directory()
    till.lock(directory)
    till.clocks.wall -= timedelta(days=30)
    till.clocks.mono += 15 * 60 + 1
    assert directory.sign_in("thandi", "1234").operator_id == "thandi"


def test_the_count_survives_a_restart_and_a_clock_change(till: Till) -> None:
    directory = till.directory()
    for left in (4, 3):
        with pytest.raises(WrongPin) as info:
            directory.sign_in("thandi", "0000")
        assert info.value.attempts_left == left
    till.clocks.wall += timedelta(hours=3)
    directory = till.restart()
    with pytest.raises(WrongPin) as info:
        directory.sign_in("thandi", "0000")
    assert info.value.attempts_left == 2


def test_the_screen_says_about_until_when_from_the_run_clock(till: Till) -> None:
    directory = till.directory()
    till.lock(directory)
    till.clocks.mono += 5 * 60
    till.clocks.wall += timedelta(hours=2)  # set forward: the lock still has 10 minutes
    listed = {o.operator_id: o.locked_until for o in directory.list_operators()}
    assert listed["thandi"] == till.clocks.wall + timedelta(minutes=10)


def test_the_run_clock_never_goes_back_across_restarts(till: Till) -> None:
    clock = RunClock(till.clocks.monotonic)
    first = till.store.call(clock.read)
    till.clocks.mono += 90
    assert till.store.call(clock.read) == first + 90_000
    till.restart()  # the new process's monotonic clock reads less than before
    again = till.store.call(RunClock(till.clocks.monotonic).read)
    assert again == first + 90_000


def test_supervisor_approvals_lock_on_the_run_clock(tmp_path: Path) -> None:
    clocks = Clocks()
    key = secrets.token_bytes(32)
    store = open_store(tmp_path / "sv.db", key, create=True)
    try:
        verifier = ScryptVerifier(store, lambda: CREDENTIALS, clock=clocks.now,
                                  run_clock=RunClock(clocks.monotonic))
        for _ in range(5):
            with pytest.raises(PermissionDenied):
                verifier.verify("sipho", "1111")
        clocks.wall += timedelta(hours=1)
        with pytest.raises(BusinessRuleError) as info:
            verifier.verify("sipho", PINS["sipho"])
        assert info.value.code == "OPERATOR_LOCKED"
        clocks.mono += 15 * 60
        assert verifier.verify("sipho", PINS["sipho"]).id == "sipho"
    finally:
        store.close()
