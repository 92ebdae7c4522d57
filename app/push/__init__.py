"""Server push on the terminal: the event stream, its listener and what is done with events.

`listener.PushListener` keeps `GET /v1/events` open on its own thread (resume, reconnect,
polling fallback, prompt stop); `sse` parses the stream; `handlers` routes each event (tariff
announcements to the tariff worker, the rest to the `EventBus`); `config` holds the settings
and backoff; `sockets` and `position` are the listener's stoppable sockets and stored
resumption point. See docs/tariffs.md.
"""

from app.push.config import Backoff, PushConfig
from app.push.listener import PushListener
from app.push.sse import SseEvent, SseParser, SseProtocolError

__all__ = ["Backoff", "PushConfig", "PushListener", "SseEvent", "SseParser", "SseProtocolError"]
