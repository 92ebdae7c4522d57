"""One event-log reader per server process, fanning new events out to the open SSE streams.

Without it every open stream re-queried the event log on every commit and every 0.5 s; with
1,000 streams that was ~2,000 queries a second at idle and 1,000 queued queries per
publication. The hub reads the log ONCE (woken by a commit in this process, or every
`poll_seconds` for commits by other processes such as the CLI's publish-tariff; on PostgreSQL
also by the store's LISTEN/NOTIFY wake-up, so the other server processes' commits reach this
process's streams at once), filters each
row in memory by the stream's vendor and terminal, and puts it into each stream's in-memory
queue. A stream queries the log only at connect (catch-up from Last-Event-ID) and again only if
it fell so far behind that its queue overflowed.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import deque
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import anyio.to_thread

from vendserver.db import Row
from vendserver.service import iso

log = logging.getLogger(__name__)

READ_LIMIT = 500
CATCH_UP_LIMIT = 100
#: Streams woken per turn of the event loop when an event fans out.
FANOUT_SLICE = 100
QUEUE_LIMIT = 10_000  # rows held for one slow stream before it re-reads the log instead


def _frame(row: Row) -> str:
    return f"id: {row['id']}\nevent: {row['type']}\ndata: {row['data']}\n\n"


class Subscription:
    """One open stream's view of the hub: its filter and the frames pushed to it.

    The hub builds each event's frame once and hands the same text to every stream that may
    see it; a stream waits on one future, woken by the hub or by its heartbeat timer, with no
    queue or timeout object made per event (at 10,000 streams that per-stream work is the
    cost of a push).
    """

    def __init__(self, terminal_id: str, vendor_id: str) -> None:
        self.terminal_id = terminal_id
        self.vendor_id = vendor_id
        # (event id, frame) pushed and not yet sent; None: the server is stopping.
        self.pending: deque[tuple[int, str] | None] = deque()
        # Set when a row could not be queued: the stream then re-reads the log from its last id.
        self.lagged = False
        self.beat_due = False
        self._waiter: asyncio.Future[None] | None = None

    def wants(self, row: Row) -> bool:
        """Whether this stream may see `row` (same visibility as `Store.events_after`)."""
        return (row["vendor_id"] is None or row["vendor_id"] == self.vendor_id) and \
            (row["terminal_id"] is None or row["terminal_id"] == self.terminal_id)

    def offer(self, item: tuple[int, str] | None) -> None:
        if item is not None and len(self.pending) >= QUEUE_LIMIT:
            self.lagged = True
        else:
            self.pending.append(item)
        self.wake()

    def wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def beat(self) -> None:
        """The heartbeat timer fired."""
        self.beat_due = True
        self.wake()

    async def wait(self) -> None:
        """Until a frame is pending, the stream lagged or a heartbeat is due."""
        if self.pending or self.lagged or self.beat_due:
            return
        self._waiter = asyncio.get_running_loop().create_future()
        try:
            await self._waiter
        finally:
            self._waiter = None


class EventHub:
    """Reads the event log once per process and pushes each new row to the subscribed streams.

    `start()` and `stop()` run on the server's event loop (the app's lifespan); streams
    subscribe from the same loop. `stop` (set before the server stops) ends every stream.
    """

    def __init__(self, service: Any, stop: threading.Event, *,
                 poll_seconds: float = 0.5) -> None:
        self._service = service
        self._stop = stop
        self._poll = poll_seconds
        self._subs: set[Subscription] = set()
        self._last = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._unlisten: Callable[[], None] | None = None
        self.reads = 0  # log reads by the hub (tests check streams add none)

    @property
    def subscribers(self) -> int:
        """How many streams are subscribed now."""
        return len(self._subs)

    async def start(self) -> None:
        """Begin reading from the log's current end; call on the server's loop."""
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self._last = await anyio.to_thread.run_sync(self._service.store.max_event_id)
        self._service.add_listener(self._notified)
        # Commits of other processes (PostgreSQL NOTIFY); a no-op on SQLite, which polls.
        self._unlisten = await anyio.to_thread.run_sync(self._service.store.listen,
                                                        self._notified)
        self._task = self._loop.create_task(self._run(), name="event-hub")

    async def stop(self) -> None:
        """End the reader and every open stream."""
        self._service.remove_listener(self._notified)
        if self._unlisten is not None:
            await anyio.to_thread.run_sync(self._unlisten)
            self._unlisten = None
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
        self._end_streams()

    def _notified(self) -> None:
        # Called from whichever thread committed; hop to the loop.
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None and not loop.is_closed():
            loop.call_soon_threadsafe(wake.set)

    def _end_streams(self) -> None:
        for sub in list(self._subs):
            sub.offer(None)

    def _read(self) -> list[Row]:
        rows: list[Row] = self._service.store.events_since(self._last, READ_LIMIT)
        return rows

    async def _run(self) -> None:
        assert self._wake is not None
        while not self._stop.is_set():
            self._wake.clear()
            try:
                rows = await anyio.to_thread.run_sync(self._read)
            except Exception:  # a busy or failing database must not end the pushes
                log.warning("event hub: reading the event log failed; retrying",
                            exc_info=True)
                rows = []
            self.reads += 1
            for row in rows:
                self._last = int(row["id"])
                item = (self._last, _frame(row))  # one frame for every stream
                subs = [sub for sub in self._subs if sub.wants(row)]
                for start in range(0, len(subs), FANOUT_SLICE):
                    if start:
                        # Between slices the loop serves the other connections: the
                        # terminals that already have the event fetch its tariff now,
                        # not after the last stream of this process was written.
                        await asyncio.sleep(0)
                    for sub in subs[start:start + FANOUT_SLICE]:
                        sub.offer(item)
            if len(rows) == READ_LIMIT:
                continue
            try:  # a commit in this process wakes us; other processes' commits are polled
                async with asyncio.timeout(self._poll):
                    await self._wake.wait()
            except TimeoutError:
                pass
        self._end_streams()

    async def stream(self, terminal: Row, after: int, heartbeat: float) -> AsyncIterator[str]:
        """The SSE text of one stream: events after `after` visible to `terminal`, heartbeats."""
        loop = asyncio.get_running_loop()
        sub = Subscription(terminal["id"], terminal["vendor_id"])
        # Subscribe BEFORE the catch-up query: a row committed after it is read by the hub
        # after it too, so it is queued; one the query also returns is skipped by its id.
        self._subs.add(sub)
        beat = loop.call_at(loop.time() + heartbeat, sub.beat)
        try:
            yield "retry: 3000\n\n"
            catch_up = True
            while not self._stop.is_set():
                if catch_up or sub.lagged:
                    if sub.lagged:  # queue overflowed: drop it and re-read the log instead
                        sub.lagged = False
                        while sub.pending:
                            if sub.pending.popleft() is None:
                                return
                    catch_up = False
                    while True:
                        rows = await anyio.to_thread.run_sync(
                            self._service.events_after, terminal, after, CATCH_UP_LIMIT)
                        for r in rows:
                            yield _frame(r)
                            after = int(r["id"])
                        if len(rows) < CATCH_UP_LIMIT:
                            break
                    continue
                await sub.wait()
                while sub.pending and not sub.lagged:
                    item = sub.pending.popleft()
                    if item is None:  # the server is stopping
                        return
                    event_id, frame = item
                    if event_id > after:
                        yield frame
                        after = event_id
                if sub.beat_due:
                    sub.beat_due = False
                    yield f": heartbeat {iso(datetime.now(UTC))}\n\n"
                    beat = loop.call_at(loop.time() + heartbeat, sub.beat)
        finally:
            beat.cancel()
            self._subs.discard(sub)
