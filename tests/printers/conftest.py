"""Fixtures for the printer tests: a real SQLCipher store, an event recorder, a fake printer."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.events import Event, EventBus
from offline_store import Store, open_store
from printers.testing import FakeTcpPrinter


class EventRecorder:
    """Records bus events and lets a test wait for one that matches."""

    def __init__(self, bus: EventBus) -> None:
        self.events: list[Event] = []
        self._cond = threading.Condition()
        bus.subscribe("print", self._on)

    def _on(self, event: Event) -> None:
        with self._cond:
            self.events.append(event)
            self._cond.notify_all()

    def named(self, name: str) -> list[Event]:
        with self._cond:
            return [e for e in self.events if e.name == name]

    def wait_for(self, pred: Callable[[Event], bool], timeout: float = 10.0) -> Event:
        with self._cond:
            found: list[Event] = []

            def check() -> bool:
                found[:] = [e for e in self.events if pred(e)]
                return bool(found)

            if not self._cond.wait_for(check, timeout=timeout):
                names = [(e.name, e.data.get("state")) for e in self.events]
                raise TimeoutError(f"no matching event; got {names}")
            return found[0]


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
