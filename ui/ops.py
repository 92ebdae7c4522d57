"""`Op`: the one helper for background work, in the style of Anki's CollectionOp.

    Op(parent, lambda: service.quote(meter, amount)).success(show_quote).run()

The function runs on a worker thread and must never touch widgets. `success` and `failure`
callbacks run on the GUI thread. Without a failure callback, errors are shown by
`ui.errors.show_error`. Ops on the same `lane` run one after another, in order.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QWidget
from shiboken6 import Shiboken

from common.errors import UserCancelled

log = logging.getLogger("vendpoint.ui.ops")

T = TypeVar("T")

_POOL: QThreadPool | None = None
_RUNNING: set[Op[Any]] = set()
_RUNNING_LOCK = threading.Lock()


def thread_pool() -> QThreadPool:
    """The shared pool for ops (a few threads: network calls must not queue behind each other)."""
    global _POOL
    if _POOL is None:
        _POOL = QThreadPool()
        _POOL.setMaxThreadCount(4)
    return _POOL


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits these signals and Qt queues them across."""

    done = Signal(object)
    failed = Signal(object)


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # delivered to the GUI thread, never swallowed
            self._relay.failed.emit(exc)
        else:
            self._relay.done.emit(result)


class Op(Generic[T]):
    """A background operation with GUI-thread callbacks; build it, then `run()` it once."""

    def __init__(self, parent: QObject | None, fn: Callable[[], T]) -> None:
        self._parent = parent
        self._fn = fn
        self._success: Callable[[T], None] | None = None
        self._failure: Callable[[BaseException], None] | None = None
        self._finally: Callable[[], None] | None = None
        self._relay: _Relay | None = None

    def success(self, callback: Callable[[T], None]) -> Op[T]:
        """Call `callback(result)` on the GUI thread when `fn` returns."""
        self._success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Op[T]:
        """Call `callback(exc)` on the GUI thread when `fn` raises (instead of show_error)."""
        self._failure = callback
        return self

    def finally_(self, callback: Callable[[], None]) -> Op[T]:
        """Call `callback()` on the GUI thread after success or failure."""
        self._finally = callback
        return self

    def run(self) -> None:
        """Start `fn` on the pool. Must be called on the GUI thread."""
        relay = _Relay()
        relay.done.connect(self._on_done)
        relay.failed.connect(self._on_failed)
        self._relay = relay
        with _RUNNING_LOCK:
            _RUNNING.add(self)
        thread_pool().start(_Runnable(self._fn, relay))

    def _parent_gone(self) -> bool:
        # A dialog closed (and deleted) while its op ran: its callbacks would touch dead
        # widgets, so they are skipped; the result was only for that dialog.
        return self._parent is not None and not Shiboken.isValid(self._parent)

    def _on_done(self, result: Any) -> None:
        if self._parent_gone():
            log.debug("op finished after its parent was deleted; result dropped")
            self._finish(run_finally=False)
            return
        try:
            if self._success is not None:
                self._success(result)
        finally:
            self._finish()

    def _on_failed(self, exc: BaseException) -> None:
        if self._parent_gone():
            log.info("op failed after its parent was deleted: %s", type(exc).__name__)
            self._finish(run_finally=False)
            return
        try:
            if isinstance(exc, UserCancelled):
                return
            if self._failure is not None:
                self._failure(exc)
            else:
                from ui.errors import show_error

                parent = self._parent if isinstance(self._parent, QWidget) else None
                show_error(exc, parent)
        finally:
            self._finish()

    def _finish(self, *, run_finally: bool = True) -> None:
        try:
            if run_finally and self._finally is not None:
                self._finally()
        finally:
            with _RUNNING_LOCK:
                _RUNNING.discard(self)
            if self._relay is not None:
                # We are inside the relay's own signal emission: destroying it here would tear
                # its connections down mid-call (PySide then fails with an exception in the
                # event loop). Keep it until control is back in the event loop.
                _retire(self._relay)
            self._relay = None


_RETIRED: list[_Relay] = []


def _retire(relay: _Relay) -> None:
    _RETIRED.append(relay)
    if len(_RETIRED) == 1:
        QTimer.singleShot(0, _drain_retired)


def _drain_retired() -> None:
    _RETIRED.clear()


def running_ops() -> int:
    """How many ops have not yet delivered their result (for shutdown and tests)."""
    with _RUNNING_LOCK:
        return len(_RUNNING)
