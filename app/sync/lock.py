"""A cross-process exclusive lock for one data folder's sync worker.

Only the process holding it drains the outbox, so two VendPoint windows (or a window and a
command-line tool) never upload the same sale twice at the same moment. The OS releases the
lock when the process dies, so a crash never leaves it stuck.

A lock on the file alone could be bypassed by deleting it: the next process creates a new file
(a new inode) and locks that one while the first still drains. So on POSIX the lock is taken on
the folder that holds the lock file (an `flock` on a directory descriptor); a folder that
holds the store cannot be deleted, and the descriptor is checked against the folder's inode
after locking and at every later `acquire()` (a folder renamed or replaced under the holder is
a lost lock). On Windows an open file cannot be deleted, so the file itself is locked there.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import IO


def _same_inode(fd: int, path: Path) -> bool:
    """Whether `path` still names the file or folder open as `fd`."""
    try:
        now = os.stat(path)
    except OSError:
        return False
    held = os.fstat(fd)
    return (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino)


class FileLock:
    """Non-blocking exclusive lock for `path`'s folder; `acquire()` returns False if another
    holder has it. The lock file itself is still created (it marks the folder as a data
    folder and is what Windows locks)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fh: IO[bytes] | None = None
        self._dir_fd: int | None = None
        self._mutex = threading.Lock()

    @property
    def held(self) -> bool:
        """True while this object holds the lock."""
        return self._fh is not None or self._dir_fd is not None

    def acquire(self) -> bool:
        """Try to take the lock without waiting; while held, check it is still the same one."""
        with self._mutex:
            if os.name == "nt":  # pragma: no cover - exercised on Windows only
                return self._acquire_windows()
            if self._dir_fd is not None:
                if _same_inode(self._dir_fd, self.path.parent):
                    return True
                # The folder was renamed or replaced under us: that lock guards nothing now.
                self._release_posix()
            return self._acquire_posix()

    def _acquire_posix(self) -> bool:
        import fcntl

        folder = self.path.parent
        folder.mkdir(parents=True, exist_ok=True)
        self.path.touch(exist_ok=True)
        for _ in range(3):  # the folder may be replaced between open and lock: try again
            fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                return False
            if _same_inode(fd, folder):
                self._dir_fd = fd
                return True
            os.close(fd)
        return False

    def _release_posix(self) -> None:
        import fcntl

        fd, self._dir_fd = self._dir_fd, None
        if fd is None:
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def _acquire_windows(self) -> bool:  # pragma: no cover - exercised on Windows only
        import msvcrt

        if self._fh is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = self.path.open("a+b")
        try:
            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            fh.close()
            return False
        self._fh = fh
        return True

    def release(self) -> None:
        """Give the lock up (idempotent)."""
        with self._mutex:
            if os.name != "nt":
                self._release_posix()
                return
            fh, self._fh = self._fh, None  # pragma: no cover - Windows only
            if fh is None:  # pragma: no cover
                return
            try:  # pragma: no cover
                import msvcrt

                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
            finally:  # pragma: no cover
                fh.close()
