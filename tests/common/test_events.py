from __future__ import annotations

import threading

from common.events import Event, EventBus


def test_subscribers_receive_matching_events_only() -> None:
    bus = EventBus()
    seen: list[Event] = []
    bus.subscribe("sale.", seen.append)
    bus.publish("sale.tokened", reference="R1")
    bus.publish("printer.status", state="online")
    assert [e.name for e in seen] == ["sale.tokened"]
    assert seen[0].data == {"reference": "R1"}


def test_unsubscribe_stops_delivery() -> None:
    bus = EventBus()
    seen: list[Event] = []
    stop = bus.subscribe("", seen.append)
    bus.publish("a")
    stop()
    bus.publish("b")
    assert [e.name for e in seen] == ["a"]


def test_failing_handler_does_not_stop_others(caplog) -> None:
    bus = EventBus()
    seen: list[str] = []

    def broken(event: Event) -> None:
        raise RuntimeError("boom")

    bus.subscribe("", broken)
    bus.subscribe("", lambda e: seen.append(e.name))
    bus.publish("sync.progress")
    assert seen == ["sync.progress"]
    assert "event handler failed" in caplog.text


def test_publish_from_many_threads_delivers_all() -> None:
    bus = EventBus()
    seen: list[int] = []
    lock = threading.Lock()

    def handler(event: Event) -> None:
        with lock:
            seen.append(event.data["n"])

    bus.subscribe("n", handler)
    threads = [
        threading.Thread(target=lambda i=i: [bus.publish("n", n=i * 100 + k) for k in range(100)])
        for i in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert sorted(seen) == list(range(800))
