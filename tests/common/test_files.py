"""`replace_file` on a target another process holds (Windows' sharing violation, faked at
os.replace): it retries with growing pauses, then succeeds with the real move; a hold that
never ends raises the last PermissionError. Real files in tmp_path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from common.files import RETRY_PAUSES, replace_file


class HeldTarget:
    """os.replace as Windows behaves while another process has the target open `times`."""

    def __init__(self, times: int) -> None:
        self.left = times
        self.calls = 0

    def __call__(self, source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        self.calls += 1
        if self.left:
            self.left -= 1
            raise PermissionError(13, "The process cannot access the file", str(target))
        os.replace(source, target)


def test_retries_while_the_target_is_held_then_replaces(tmp_path: Path) -> None:
    target, part = tmp_path / "settings.toml", tmp_path / ".settings.toml.tmp"
    target.write_text("old")
    part.write_text("new")
    pauses: list[float] = []
    held = HeldTarget(times=3)
    assert replace_file(part, target, sleep=pauses.append, replace=held) == target
    assert target.read_text() == "new" and not part.exists()
    assert held.calls == 4 and pauses == list(RETRY_PAUSES[:3])


def test_a_hold_that_never_ends_raises_and_keeps_both_files(tmp_path: Path) -> None:
    target, part = tmp_path / "key.json", tmp_path / ".key.json.tmp"
    target.write_text("old")
    part.write_text("new")
    pauses: list[float] = []
    with pytest.raises(PermissionError):
        replace_file(part, target, sleep=pauses.append, replace=HeldTarget(times=99))
    assert target.read_text() == "old" and part.read_text() == "new"
    assert pauses == list(RETRY_PAUSES)


def test_plain_replace_on_this_os(tmp_path: Path) -> None:
    (tmp_path / "a").write_text("x")
    replace_file(tmp_path / "a", tmp_path / "b")
    assert (tmp_path / "b").read_text() == "x"
