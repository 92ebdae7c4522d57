"""STA table files (sts.sta): a broken file is a StaTableError with a plain reason, CLI exit 2.

Found by CLI fuzzing: a deeply nested JSON file escaped as a RecursionError traceback, and a
file that is not UTF-8 surfaced as a raw codec message (a UnicodeDecodeError, not the
documented StaTableError).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sts.sta import StaTableError, StaTables


@pytest.fixture
def deep(tmp_path: Path) -> Path:
    path = tmp_path / "deep.json"
    path.write_text("[" * 200_000 + "]" * 200_000)
    return path


@pytest.fixture
def binary(tmp_path: Path) -> Path:
    path = tmp_path / "binary.json"
    path.write_bytes(b"\xff\xfe\x00garbage")
    return path


def test_deeply_nested_file_is_a_table_error(deep: Path) -> None:
    with pytest.raises(StaTableError, match="not valid JSON"):
        StaTables.from_json_file(deep)


def test_non_utf8_file_is_a_table_error(binary: Path) -> None:
    with pytest.raises(StaTableError, match="UTF-8"):
        StaTables.from_json_file(binary)


@pytest.mark.parametrize("which", ["deep", "binary"])
def test_cli_reports_a_broken_table_file_in_one_line(which: str, request: pytest.FixtureRequest
                                                     ) -> None:
    path = request.getfixturevalue(which)
    r = subprocess.run(
        [sys.executable, "-m", "sts", "encrypt-block", "--ea", "07", "--dk", "0abc12def3456789",
         "--sta-tables", str(path), "0123456789abcdef"],
        capture_output=True, text=True, check=False)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: argument --sta-tables:"), r.stderr
    assert "Traceback" not in r.stderr
