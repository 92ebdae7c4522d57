"""Global exception hooks: log every uncaught exception and show it on the GUI thread.

Exceptions in worker threads are marshalled to the GUI thread through a queued signal, so the
crash dialog is never built off the GUI thread. The crash report is the traceback formatted here
and masked (`app.logging_setup.masked_traceback`) before any handler sees it, so a token or a
credential inside an exception is never written, whatever handlers are installed.
"""

from __future__ import annotations

import logging
import sys
import threading
from types import TracebackType

from PySide6.QtCore import QObject, Signal

from app.logging_setup import masked_traceback

log = logging.getLogger("vendpoint.crash")


class CrashHandler(QObject):
    """Installs `sys.excepthook` and `threading.excepthook`; shows errors via `show_error`."""

    crashed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.crashed.connect(self._show)
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook

    def install(self) -> None:
        """Route uncaught exceptions from every thread here."""
        sys.excepthook = self._hook
        threading.excepthook = self._thread_hook

    def uninstall(self) -> None:
        """Restore the hooks that were in place before `install`."""
        sys.excepthook = self._previous_hook
        threading.excepthook = self._previous_thread_hook

    def _hook(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            self._previous_hook(kind, exc, tb)
            return
        log.critical("uncaught exception\n%s", masked_traceback(exc.with_traceback(tb)))
        self.crashed.emit(exc)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        log.critical(
            "uncaught exception in thread %s\n%s",
            args.thread.name if args.thread else "?",
            masked_traceback(args.exc_value.with_traceback(args.exc_traceback)),
        )
        self.crashed.emit(args.exc_value)

    def _show(self, exc: BaseException) -> None:
        from ui.errors import show_error

        show_error(exc)
