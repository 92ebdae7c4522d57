"""The event stream's wire format: an incremental `text/event-stream` parser (no I/O)."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["SseEvent", "SseParser", "SseProtocolError"]

_EOL = re.compile(rb"\r\n|\r|\n")
_MAX_LINE = 1 << 20  # a line longer than 1 MiB is not a real event: reconnect


@dataclass(frozen=True)
class SseEvent:
    """One dispatched Server-Sent Event."""

    event: str
    data: str
    id: str | None


class SseProtocolError(Exception):
    """The stream broke the event-stream format (e.g. an endless line)."""


class SseParser:
    """Incremental `text/event-stream` parser (WHATWG rules: CR, LF or CRLF line ends)."""

    def __init__(self) -> None:
        self._buf = b""
        self._data: list[str] = []
        self._event = ""
        self._id: str | None = None
        self._first = True
        #: The last `retry:` value the server sent, in milliseconds.
        self.retry_ms: int | None = None
        #: Bytes seen so far (heartbeats count: they prove the stream is not buffered).
        self.bytes_seen = 0

    def feed(self, chunk: bytes) -> list[SseEvent]:
        """Add bytes; return the events completed by them."""
        self.bytes_seen += len(chunk)
        self._buf += chunk
        if self._first and len(self._buf) >= 3:
            if self._buf.startswith(b"\xef\xbb\xbf"):
                self._buf = self._buf[3:]
            self._first = False
        out: list[SseEvent] = []
        while True:
            m = _EOL.search(self._buf)
            if m is None:
                if len(self._buf) > _MAX_LINE:
                    raise SseProtocolError("event-stream line too long")
                break
            if m.group() == b"\r" and m.end() == len(self._buf):
                break  # maybe the first half of CRLF: wait for the next chunk
            line = self._buf[: m.start()].decode("utf-8", errors="replace")
            self._buf = self._buf[m.end():]
            event = self._line(line)
            if event is not None:
                out.append(event)
        return out

    def _line(self, line: str) -> SseEvent | None:
        if line == "":
            if not self._data:
                self._event = ""
                return None
            event = SseEvent(self._event or "message", "\n".join(self._data), self._id)
            self._data, self._event = [], ""
            return event
        if line.startswith(":"):
            return None  # comment (heartbeat)
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id" and "\x00" not in value:
            self._id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self.retry_ms = int(value)
        return None

