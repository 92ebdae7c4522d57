"""Fixtures for the printer tests: a real SQLCipher store, an event recorder, a fake printer."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from common.events import EventBus
from offline_store import Store, open_store
from printers.testing import EventRecorder, FakeTcpPrinter


@pytest.fixture
def bus() -> EventBus:
    return EventBus()


@pytest.fixture
def recorder(bus: EventBus) -> EventRecorder:
    # "print" matches both "printer.status" and "print.job_*".
    return EventRecorder(bus)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(tmp_path / "vend.db", secrets.token_bytes(32), create=True)
    yield s
    s.close()


@pytest.fixture
def fake_printer() -> Iterator[FakeTcpPrinter]:
    with FakeTcpPrinter() as printer:
        yield printer
