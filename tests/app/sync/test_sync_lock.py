"""The sync lock: one holder per data folder, and deleting the lock file does not bypass it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from app.sync import FileLock

ROOT = Path(__file__).parents[3]


def test_a_second_holder_is_refused_and_gets_it_after_release(tmp_path: Path) -> None:
    first, second = FileLock(tmp_path / "sync.lock"), FileLock(tmp_path / "sync.lock")
    assert first.acquire() and first.held
    assert not second.acquire() and not second.held
    first.release()
    assert second.acquire()
    second.release()


def test_deleting_the_lock_file_does_not_let_a_second_worker_in(tmp_path: Path) -> None:
    path = tmp_path / "sync.lock"
    holder = FileLock(path)
    assert holder.acquire()
    path.unlink()
    assert not FileLock(path).acquire()
    path.write_bytes(b"")  # a new file under the same name is no way in either
    assert not FileLock(path).acquire()
    assert holder.acquire()  # the holder still has it
    holder.release()


def test_deleting_the_lock_file_of_another_process_does_not_bypass_it(tmp_path: Path) -> None:
    path = tmp_path / "sync.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from pathlib import Path; from app.sync import FileLock\n"
         "l = FileLock(Path(sys.argv[1])); assert l.acquire(); print('HELD', flush=True)\n"
         "sys.stdin.readline()", str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=ROOT)
    assert holder.stdout is not None and holder.stdin is not None
    try:
        assert holder.stdout.readline().strip() == b"HELD"
        path.unlink()
        assert not FileLock(path).acquire()
    finally:
        holder.stdin.close()
        holder.wait(10)
    assert FileLock(path).acquire()  # the holder is gone: the lock is free


def test_separate_data_folders_do_not_share_a_lock(tmp_path: Path) -> None:
    one, two = FileLock(tmp_path / "a" / "sync.lock"), FileLock(tmp_path / "b" / "sync.lock")
    assert one.acquire() and two.acquire()
    one.release()
    two.release()


def test_a_replaced_folder_is_a_lost_lock(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    holder = FileLock(folder / "sync.lock")
    assert holder.acquire()
    folder.rename(tmp_path / "moved")
    folder.mkdir()
    # The holder's lock is on the moved folder: it takes the new one or reports lost.
    other = FileLock(folder / "sync.lock")
    assert other.acquire()
    assert not holder.acquire()
    other.release()
