"""The typed core event bus: delivery by type, unsubscribe, failing handlers, threads; and every
declared event is a frozen dataclass with a unique name."""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import threading
from dataclasses import dataclass
from typing import ClassVar

import pytest

import app
import printers
from app.sales.events import SaleTokened
from common.events import CoreEvent, EventBus
from printers.events import PrinterStatusChanged


@dataclass(frozen=True)
class _Ping(CoreEvent):
    name: ClassVar[str] = "test.ping"
    n: int


@dataclass(frozen=True)
class _LoudPing(_Ping):
    name: ClassVar[str] = "test.loud_ping"


@dataclass(frozen=True)
class _Pong(CoreEvent):
    name: ClassVar[str] = "test.pong"


def test_handlers_get_the_events_of_their_types_subclasses_included() -> None:
    bus = EventBus()
    pings: list[_Ping] = []
    pongs: list[CoreEvent] = []
    everything: list[CoreEvent] = []
    bus.subscribe(_Ping, pings.append)
    bus.subscribe((_Pong, _LoudPing), pongs.append)
    bus.subscribe_all(everything.append)
    bus.publish(_Ping(1))
    bus.publish(_LoudPing(2))
    bus.publish(_Pong())
    assert [p.n for p in pings] == [1, 2]
    assert [e.name for e in pongs] == ["test.loud_ping", "test.pong"]
    assert len(everything) == 3


def test_unsubscribe_stops_delivery() -> None:
    bus = EventBus()
    seen: list[CoreEvent] = []
    stop = bus.subscribe_all(seen.append)
    bus.publish(_Pong())
    stop()
    bus.publish(_Pong())
    stop()  # twice is harmless
    assert len(seen) == 1


def test_a_failing_handler_does_not_stop_the_others() -> None:
    bus = EventBus()
    seen: list[str] = []

    def broken(_event: CoreEvent) -> None:
        raise RuntimeError("boom")

    bus.subscribe_all(broken)
    bus.subscribe(_Ping, lambda e: seen.append(e.name))
    assert bus.publish(_Ping(3)).n == 3
    assert seen == ["test.ping"]


def test_publishing_from_many_threads_loses_nothing() -> None:
    bus = EventBus()
    lock = threading.Lock()
    got: list[int] = []

    def handler(event: _Ping) -> None:
        with lock:
            got.append(event.n)

    bus.subscribe(_Ping, handler)
    threads = [threading.Thread(target=lambda i=i: [bus.publish(_Ping(i * 100 + k))
                                                    for k in range(100)]) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert sorted(got) == list(range(800))


def test_data_is_a_plain_dict_of_the_fields() -> None:
    event = PrinterStatusChanged(printer_id="p1", state="online", detail="", queued=2)
    assert event.data == {"printer_id": "p1", "state": "online", "detail": "", "queued": 2}
    assert event.name == "printer.status"
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.queued = 3  # type: ignore[misc]


def _declared_events() -> list[type[CoreEvent]]:
    for package in (app, printers):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if info.name.endswith(".events"):
                importlib.import_module(info.name)
    found: list[type[CoreEvent]] = []
    todo = list(CoreEvent.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if not cls.__module__.startswith("tests."):
            found.append(cls)
    return found


def test_every_event_is_a_frozen_dataclass_with_a_unique_name() -> None:
    events = _declared_events()
    assert SaleTokened in events and PrinterStatusChanged in events
    assert len(events) >= 23
    names = [cls.name for cls in events]
    assert len(names) == len(set(names)), sorted(names)
    for cls in events:
        assert dataclasses.is_dataclass(cls), cls
        assert cls.__dataclass_params__.frozen, cls  # type: ignore[attr-defined]
        assert "name" in cls.__dict__ and "." in cls.name, cls
        assert cls.__doc__ and cls.__doc__ != CoreEvent.__doc__, cls
        assert cls.__module__.endswith(".events"), cls
