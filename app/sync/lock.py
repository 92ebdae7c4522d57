"""A cross-process exclusive lock on a file (fcntl on POSIX, msvcrt on Windows).

Only the process holding it drains the outbox, so two VendPoint windows (or a window and a
command-line tool) never upload the same sale twice at the same moment. The OS releases the
lock when the process dies, so a crash never leaves it stuck.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import IO


class FileLock:
    """Non-blocking exclusive lock on `path`; `acquire()` returns False if someone holds it."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fh: IO[bytes] | None = None
        self._mutex = threading.Lock()

    @property
    def held(self) -> bool:
        """True while this object holds the lock."""
        return self._fh is not None

    def acquire(self) -> bool:
        """Try to take the lock without waiting."""
        with self._mutex:
            if self._fh is not None:
                return True
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fh = self.path.open("a+b")
            try:
                if os.name == "nt":  # pragma: no cover - exercised on Windows only
                    import msvcrt

                    fh.seek(0)
                    msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
                else:
                    import fcntl

                    fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                fh.close()
                return False
            self._fh = fh
            return True

    def release(self) -> None:
        """Give the lock up (idempotent)."""
        with self._mutex:
            fh, self._fh = self._fh, None
            if fh is None:
                return
            try:
                if os.name == "nt":  # pragma: no cover
                    import msvcrt

                    fh.seek(0)
                    msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
                else:
                    import fcntl

                    fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
            finally:
                fh.close()
