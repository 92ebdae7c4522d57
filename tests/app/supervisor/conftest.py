"""Fixtures for supervisor tests: a real SQLCipher store, seeded sales, the services."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.supervisor import ScryptVerifier, SupervisorServices
from app.supervisor.context import TerminalContext
from offline_store import Store, open_store
from tests.app.supervisor.helpers_supervisor import CREDENTIALS, FakeApi, Printed, Seeder


@pytest.fixture
def store_key() -> bytes:
    return secrets.token_bytes(32)


@pytest.fixture
def store(tmp_path: Path, store_key: bytes) -> Iterator[Store]:
    s = open_store(tmp_path / "store.db", store_key, create=True)
    yield s
    s.close()


@pytest.fixture
def seed(store: Store) -> Seeder:
    return Seeder(store)


@pytest.fixture
def api() -> FakeApi:
    return FakeApi()


@pytest.fixture
def printed() -> Printed:
    return Printed()


@pytest.fixture
def sv(store: Store, api: FakeApi, printed: Printed) -> SupervisorServices:
    verifier = ScryptVerifier(store, lambda: CREDENTIALS)
    terminal = TerminalContext("T0001", "V001", "Spaza", "City Power", "1 Main Rd", "4", "ZAR")
    return SupervisorServices.build(store, verifier, terminal, api=api, printer=printed)
