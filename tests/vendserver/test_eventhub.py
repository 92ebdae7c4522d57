"""The event hub: one event-log reader per server, streams fed from in-memory queues."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import vendserver.eventhub as eventhub
from tests.vendserver.vs_helpers import Api, SseReader
from vendserver.eventhub import EventHub


def open_stream(srv: Any, api: Api, last_id: int | None = None) -> SseReader:
    headers = srv.headers(api.credential)
    if last_id is not None:
        headers["Last-Event-ID"] = str(last_id)
    return SseReader(f"{srv.base_url}/v1/events", headers)


def next_heartbeat(stream: SseReader) -> None:
    while True:
        item = stream.items.get(timeout=30)
        assert item is not None, "stream ended"
        if "comment" in item and item["comment"].startswith("heartbeat"):
            return


def test_streams_query_the_log_once_then_only_take_pushed_rows(srv, monkeypatch):
    calls: list[int] = []
    lock = threading.Lock()
    real = srv.service.events_after

    def counting(terminal: Any, after: int, limit: int) -> Any:
        with lock:
            calls.append(after)
        return real(terminal, after, limit)

    monkeypatch.setattr(srv.service, "events_after", counting)
    apis = [Api(srv) for _ in range(3)]
    streams = [open_stream(srv, a) for a in apis]
    try:
        for s in streams:  # each has done its catch-up and is waiting on its queue
            next_heartbeat(s)
        assert srv.app is not None
        hub = srv.app.state.event_hub
        assert hub.subscribers == 3
        for n in range(3):
            srv.service.top_up("V001", 100 + n)
            got = [s.next_event() for s in streams]
            assert {e["id"] for e in got} == {srv.service.store.max_event_id()}
            assert all(e["data"]["reason"] == "top_up" for e in got)
        for s in streams:  # several heartbeats more: none of them touches the log
            next_heartbeat(s)
            next_heartbeat(s)
        with lock:
            assert len(calls) == 3  # one catch-up per stream, nothing since
    finally:
        for s in streams:
            s.close()
        for a in apis:
            a.close()


def test_other_vendors_events_are_filtered_out(srv, api):
    srv.service.store.add_vendor("V002", "Other vendor", 0)
    stream = open_stream(srv, api)
    try:
        srv.service.top_up("V002", 500)
        srv.service.top_up("V001", 700)
        event = stream.next_event()
        assert event["data"]["vendor_id"] == "V001"
        assert event["event"] == "vendor.credit"
    finally:
        stream.close()


def test_long_catch_up_then_live_rows_in_order_without_duplicates(srv, api):
    start = srv.service.store.max_event_id()
    for _ in range(eventhub.CATCH_UP_LIMIT * 2 + 7):
        srv.service.top_up("V001", 1)
    stream = open_stream(srv, api, start)
    try:
        srv.service.top_up("V001", 2)  # committed while the stream catches up, or after
        ids = [stream.next_event()["id"] for _ in range(eventhub.CATCH_UP_LIMIT * 2 + 8)]
        assert ids == list(range(start + 1, start + len(ids) + 1))
        srv.service.top_up("V001", 3)
        assert stream.next_event()["id"] == ids[-1] + 1
    finally:
        stream.close()


def test_a_stream_whose_queue_overflowed_rereads_the_log(srv, api, monkeypatch):
    """A stream that cannot keep up loses no event: it re-reads the log from its last id."""
    monkeypatch.setattr(eventhub, "QUEUE_LIMIT", 2)
    service = srv.service
    terminal = service.store.terminal(api.activation["terminal_id"])
    stop = threading.Event()

    async def scenario() -> list[str]:
        hub = EventHub(service, stop, poll_seconds=0.05)
        await hub.start()
        try:
            start = service.store.max_event_id()
            frames = hub.stream(terminal, start, 0.05)
            assert await anext(frames) == "retry: 3000\n\n"
            assert (await anext(frames)).startswith(": heartbeat")  # caught up, waiting
            for n in range(5):  # the generator is suspended: its queue takes 2, then overflows
                await asyncio.to_thread(service.top_up, "V001", n + 1)
            async with asyncio.timeout(30):
                while not any(s.lagged for s in hub._subs):
                    await asyncio.sleep(0.01)
            got: list[str] = []
            async with asyncio.timeout(30):
                while len(got) < 5:
                    frame = await anext(frames)
                    if frame.startswith("id: "):
                        got.append(frame)
            await frames.aclose()  # type: ignore[attr-defined]
            return got
        finally:
            stop.set()
            await hub.stop()

    frames = asyncio.run(scenario())
    ids = [int(f.split("\n")[0][4:]) for f in frames]
    assert ids == sorted(set(ids)) and len(ids) == 5


class _OneEventStore:
    """The hub's view of a store: one new event, then nothing."""

    def __init__(self) -> None:
        self.rows = [{"id": 1, "type": "tariff.published", "data": "{}", "vendor_id": None,
                      "terminal_id": None}]

    def max_event_id(self) -> int:
        return 0

    def events_since(self, last: int, limit: int) -> list[dict[str, Any]]:
        rows, self.rows = self.rows, []
        return rows

    def listen(self, callback: Any) -> Any:
        return lambda: None


class _Service:
    def __init__(self) -> None:
        self.store = _OneEventStore()

    def add_listener(self, fn: Any) -> None:
        pass

    def remove_listener(self, fn: Any) -> None:
        pass


def test_a_large_fan_out_lets_the_loop_serve_other_connections_between_slices(monkeypatch):
    # Terminals that already have the event fetch its tariff; that fetch must not wait until
    # the last of this process's thousands of streams was written.
    monkeypatch.setattr(eventhub, "FANOUT_SLICE", 3)
    seen: list[str] = []

    class Recorded(eventhub.Subscription):
        def offer(self, item: Any) -> None:
            if item is not None:
                seen.append(f"offer {self.terminal_id}")
            super().offer(item)

    async def run() -> None:
        stop = threading.Event()
        hub = EventHub(_Service(), stop, poll_seconds=30)
        subs = [Recorded(f"T{n:02d}", "V001") for n in range(10)]
        hub._subs.update(subs)
        probing = True

        async def other_connection() -> None:
            while probing:
                seen.append("other")
                await asyncio.sleep(0)

        probe = asyncio.get_running_loop().create_task(other_connection())
        await hub.start()
        while sum(1 for s in subs if s.pending) < len(subs):
            await asyncio.sleep(0)
        probing = False
        await probe
        stop.set()
        await hub.stop()

    asyncio.run(run())
    offers = [i for i, what in enumerate(seen) if what.startswith("offer")]
    assert len(offers) == 10  # every stream got the event once
    between = seen[offers[0]:offers[-1]]
    assert between.count("other") >= 3, seen  # 10 streams in slices of 3: 3 turns between
