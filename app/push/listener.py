"""The push listener: the server's event stream on its own thread, with resume, reconnect and
the polling fallback (no Qt).

`PushListener` reads `GET /v1/events` with requests (streamed, chunked; the read timeout is well
above the server's heartbeat interval, so a silent connection is noticed), and

* resumes from the last event id it handled (kept in the encrypted store, `position`);
* reconnects with capped exponential backoff and jitter; falls back to polling
  `GET /v1/events/poll` when the stream is blocked (a proxy that buffers it, or answers that are
  not an event stream) and tries the stream again later;
* after every (re)connect asks the `TariffService` to reconcile with the server's tariff list,
  so an event missed for any reason does no harm;
* drops events it has handled already and hands the others to `handlers` (tariff work to its
  worker thread, the rest to the `EventBus`), plus its own `push.connected` /
  `push.disconnected`;
* stops within a second: `stop()` shuts the open sockets down from the stopping thread
  (`sockets`).
"""

from __future__ import annotations

import json
import logging
import queue
import socket
import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import requests

from app.api.environment import settle_environment, tls_verify
from app.api.origin import CredentialNotForThisServer, guarded, pin_of
from app.push.config import PushConfig
from app.push.events import PushConnected, PushDisconnected
from app.push.handlers import WorkQueue, handle_event, run_tariff_worker
from app.push.position import read_last_id, write_last_id
from app.push.sockets import SPKI_MISMATCH, StoppableAdapter
from app.push.sse import SseEvent, SseParser, SseProtocolError
from app.tariffs import TariffService
from common.errors import ConfigError
from common.events import EventBus
from common.i18n import _
from offline_store import Store

log = logging.getLogger("vendpoint.push")

__all__ = ["PushListener"]

_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class _StreamBlocked(Exception):
    """The connection worked but no event stream came through (proxy buffering, wrong type)."""


class _Unauthorised(Exception):
    """The server refused the terminal credential."""


# -- the listener ---------------------------------------------------------------------------------
class PushListener:
    """Keeps the event stream open on a thread; see the module docstring."""

    def __init__(self, config: PushConfig, bus: EventBus, tariffs: TariffService | None,
                 store: Store | None = None, *,
                 session_factory: Callable[[], requests.Session] = requests.Session) -> None:
        parts = urlsplit(config.base_url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ConfigError(_("The server address {base_url!r} is not an http(s) URL.")
                .format(base_url=config.base_url))
        if parts.scheme == "http" and parts.hostname not in _LOOPBACK:
            raise ConfigError(_("The server address must use https (plain http is only allowed "
                              "on this computer)."))
        if config.read_timeout <= 0 or config.connect_timeout <= 0:
            raise ConfigError(_("Push timeouts must be positive."))
        self.config = config
        # A credential bound at activation is only given for its own server's origin, and
        # over https only after the server presented the public key recorded with it.
        self._credential = guarded(config.credential, config.base_url)
        self._spki = pin_of(config.credential) if parts.scheme == "https" else None
        self._warned: set[str] = set()
        self.bus = bus
        self.tariffs = tariffs
        self.store = store
        self._base = config.base_url.rstrip("/")
        self._verify = tls_verify(config.verify)
        self._session_factory = session_factory
        self._stop = threading.Event()
        self._sockets: set[socket.socket] = set()
        self._sock_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._work: WorkQueue = queue.Queue()
        self._worker: threading.Thread | None = None
        self._last_id = 0
        self._persisted_id = 0
        self.mode = "stopped"
        #: True while events flow (stream open, or polling answering).
        self.connected = False
        self.reconnects = 0

    # -- lifecycle -------------------------------------------------------------------------------
    @property
    def last_event_id(self) -> int:
        """The id of the last event handled (resumption point)."""
        return self._last_id

    def start(self) -> None:
        """Start the listener and its tariff worker (idempotent)."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._worker = threading.Thread(target=self._work_loop, name="push-tariff-worker",
                                        daemon=True)
        self._worker.start()
        self._thread = threading.Thread(target=self._run, name="push-listener", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 1.0) -> bool:
        """Stop both threads; returns True if they ended within `timeout` seconds.

        The open socket is shut down from here, because a blocked read does not return on its
        own. A thread still inside a TCP connect ends when the connect timeout passes; it is a
        daemon and publishes nothing after `stop`.
        """
        deadline = time.monotonic() + timeout
        self._stop.set()
        self._shutdown_sockets()
        self._work.put(None)
        ended = True
        for thread in (self._thread, self._worker):
            if thread is not None:
                thread.join(max(0.0, deadline - time.monotonic()))
                ended = ended and not thread.is_alive()
        self._thread = self._worker = None
        self._persist_last_id(wait=False)
        self.mode = "stopped"
        return ended

    def _track(self, sock: socket.socket) -> None:
        with self._sock_lock:
            # Forget sockets already closed by finished requests (a long-lived listener
            # reconnects many times).
            self._sockets = {s for s in self._sockets if s.fileno() != -1}
            self._sockets.add(sock)
        if self._stop.is_set():
            self._shutdown_sockets()

    def _shutdown_sockets(self) -> None:
        with self._sock_lock:
            socks, self._sockets = list(self._sockets), set()
        for sock in socks:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed
            try:
                sock.close()
            except OSError:
                pass

    def _new_session(self) -> requests.Session:
        session = self._session_factory()
        settle_environment(session, self._base)  # proxies once; never ~/.netrc's login
        adapter = StoppableAdapter(self._track, self.config.pin_sha256, spki_sha256=self._spki)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        return session

    # -- main loop -------------------------------------------------------------------------------
    def _run(self) -> None:
        # Read the resumption point here, not in start(): start() may run on the GUI thread,
        # which must never wait for the disk.
        try:
            self._last_id = self._persisted_id = max(self._load_last_id(), self._last_id)
        except Exception:
            log.exception("could not read the event stream position; resuming from memory")
        session = self._new_session()
        backoff = self.config.backoff
        failures = 0
        blocked = 0
        poll_until = 0.0
        try:
            while not self._stop.is_set():
                try:
                    failures, blocked, poll_until = self._round(session, failures, blocked,
                                                                poll_until)
                except CredentialNotForThisServer:
                    # Nothing was sent; it stays so until the till is activated again.
                    self._warn_once("origin", "event stream: the terminal credential was issued "
                                    "by another server address, so it is not sent to %s; "
                                    "activate the till again", self._base)
                    failures += 1
                    self._stop.wait(backoff.cap)
                except Exception:
                    # A bug must not end the listener for good: log it and retry later.
                    log.exception("push listener round failed")
                    failures += 1
                    self._stop.wait(backoff.delay(failures - 1))
        finally:
            self.connected = False
            session.close()

    def _round(self, session: requests.Session, failures: int, blocked: int,
               poll_until: float) -> tuple[int, int, float]:
        """One stream connection or one poll, then the wait before the next; new counters."""
        backoff = self.config.backoff
        if time.monotonic() < poll_until:
            if self._poll_once(session):
                self._stop.wait(self.config.poll_interval)
                return 0, blocked, poll_until
            if not self._stop.is_set():
                self._set_disconnected("the server did not answer the poll")
            self._stop.wait(backoff.delay(failures))
            return failures + 1, blocked, poll_until
        if self.mode == "polling":
            self._set_disconnected("trying the event stream again")
        reason, got_bytes = self._stream_once(session)
        if self._stop.is_set():
            return failures, blocked, poll_until
        self._set_disconnected(reason)
        if reason == "blocked":
            blocked += 1
            failures += 1
        elif got_bytes:
            blocked = failures = 0  # the stream worked for a while: start afresh
        else:
            failures += 1
        if blocked >= self.config.blocked_before_fallback:
            log.warning("event stream blocked; polling every %.0f s", self.config.poll_interval)
            return failures, 0, time.monotonic() + self.config.stream_retry_after
        wait = backoff.cap if reason == "unauthorised" else backoff.delay(max(failures - 1, 0))
        self._stop.wait(wait)
        return failures, blocked, poll_until

    def _headers(self, accept: str) -> dict[str, str]:
        headers = {"Accept": accept, "Authorization": f"Bearer {self._credential()}",
                   "Cache-Control": "no-cache"}
        if self._last_id:
            headers["Last-Event-ID"] = str(self._last_id)
        return headers

    def _stream_once(self, session: requests.Session) -> tuple[str, bool]:
        """One connection; returns (why it ended, whether any byte arrived)."""
        parser = SseParser()
        response: requests.Response | None = None
        try:
            response = session.get(
                self._base + "/v1/events", stream=True, allow_redirects=False,
                headers=self._headers("text/event-stream"),
                timeout=(self.config.connect_timeout, self.config.read_timeout),
                verify=self._verify)
            if response.status_code in (401, 403):
                raise _Unauthorised(str(response.status_code))
            ctype = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if response.status_code != 200 or ctype != "text/event-stream":
                raise _StreamBlocked(f"HTTP {response.status_code} {ctype or '-'}")
            self._on_connected("stream")
            for chunk in response.iter_content(chunk_size=None):
                if self._stop.is_set():
                    return "stopped", True
                for event in parser.feed(chunk):
                    self._dispatch(event)
            return "the server closed the stream", parser.bytes_seen > 0
        except _Unauthorised:
            log.warning("event stream: terminal credential refused")
            return "unauthorised", False
        except _StreamBlocked as exc:
            log.warning("event stream not available (%s)", exc)
            return "blocked", False
        except (requests.RequestException, SseProtocolError, OSError) as exc:
            if self._stop.is_set():
                return "stopped", parser.bytes_seen > 0
            if SPKI_MISMATCH in str(exc):
                self._warn_once("spki", "event stream: %s (%s); the credential was not sent",
                                SPKI_MISMATCH, self._base)
                return "the server's public key changed", False
            timed_out = "timed out" in str(exc).lower() or isinstance(exc, requests.Timeout)
            if timed_out and parser.bytes_seen == 0 and response is not None:
                # Connected, 200, yet not even the retry line in a heartbeat-and-a-half:
                # something between us buffers the stream.
                return "blocked", False
            log.info("event stream ended: %s", type(exc).__name__)
            return f"connection lost ({type(exc).__name__})", parser.bytes_seen > 0
        finally:
            if response is not None:
                response.close()

    def _poll_once(self, session: requests.Session) -> bool:
        """One round of the polling fallback; False if the server did not answer properly."""
        try:
            while not self._stop.is_set():
                r = session.get(
                    self._base + "/v1/events/poll", allow_redirects=False,
                    params={"after": self._last_id, "limit": self.config.poll_limit},
                    headers=self._headers("application/json"),
                    timeout=(self.config.connect_timeout, self.config.read_timeout),
                    verify=self._verify)
                body = r.json() if r.status_code == 200 else None
                events = body.get("events") if isinstance(body, dict) else None
                if not isinstance(events, list):
                    log.info("event poll failed: HTTP %s", r.status_code)
                    return False
                if self.mode != "polling" or not self.connected:
                    self._on_connected("polling")
                for item in events:
                    if not isinstance(item, dict) or not isinstance(item.get("id"), int):
                        continue
                    self._dispatch(SseEvent(str(item.get("event", "")),
                                            json.dumps(item.get("data")), str(item["id"])))
                if len(events) < self.config.poll_limit:
                    return True
            return True
        except (requests.RequestException, ValueError) as exc:
            if not self._stop.is_set():
                log.info("event poll failed: %s", type(exc).__name__)
            return False

    def _warn_once(self, key: str, message: str, *args: object) -> None:
        """One clear line for a refusal that every retry would repeat (later ones: debug)."""
        if key in self._warned:
            log.debug(message, *args)
            return
        self._warned.add(key)
        log.warning(message, *args)

    def _on_connected(self, mode: str) -> None:
        self._warned.clear()  # a later refusal is news again
        self.mode = mode
        self.connected = True
        self.reconnects += 1
        log.info("push connected (%s), resuming after event %d", mode, self._last_id)
        self.bus.publish(PushConnected(mode=mode, last_event_id=self._last_id))
        self._work.put(("reconcile", None))

    def _set_disconnected(self, reason: str) -> None:
        if self.connected:
            self.connected = False
            self.bus.publish(PushDisconnected(reason=reason, mode=self.mode))
        self.mode = "disconnected"

    # -- events ----------------------------------------------------------------------------------
    def _dispatch(self, event: SseEvent) -> None:
        if self._stop.is_set():
            return
        try:
            event_id = int(event.id) if event.id is not None else None
        except ValueError:
            event_id = None
        if event_id is not None and event_id <= self._last_id:
            return  # already handled (a resumed stream or a poll overlapping the stream)
        handle_event(event, event_id, self.bus, self._work)
        if event_id is not None:
            self._last_id = event_id
            self._persist_last_id(wait=False)

    # -- tariff worker ---------------------------------------------------------------------------
    def _work_loop(self) -> None:
        run_tariff_worker(self._work, lambda: self.tariffs, self._stop,
                          self.config.tariff_retry_after)

    # -- resumption point --------------------------------------------------------------------------
    def _load_last_id(self) -> int:
        if self.store is None:
            return self._last_id
        return self.store.call(read_last_id)

    def _persist_last_id(self, *, wait: bool) -> None:
        if self.store is None or self.store.closed:
            return
        value = self._last_id
        if value <= self._persisted_id:
            return
        self._persisted_id = value

        try:
            future = self.store.submit(lambda c: write_last_id(c, value))
            if wait:
                future.result(timeout=10)
        except Exception:
            log.warning("could not save the event stream position", exc_info=True)
