"""The entry point as a user runs it: a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    return subprocess.run(
        [sys.executable, "main.py", *args], cwd=ROOT, capture_output=True, text=True,
        env=full_env, timeout=120,
    )


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("VendPoint 0.")


def test_help_settings_lists_keys() -> None:
    result = run("--help-settings")
    assert result.returncode == 0
    assert "server.url" in result.stdout and "printer.columns" in result.stdout


def test_bad_config_names_key_and_exits_2(tmp_path: Path) -> None:
    cfg = tmp_path / "settings.toml"
    cfg.write_text("[printer]\ncolumns = 40\n")
    result = run("--config", str(cfg), "--data-dir", str(tmp_path))
    assert result.returncode == 2
    assert "printer.columns" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_server_flag_is_rejected(tmp_path: Path) -> None:
    result = run("--config", str(tmp_path / "none.toml"), "--server", "vend.example")
    assert result.returncode == 2
    assert "server.url" in result.stderr


def test_window_starts_and_quits_and_logs(tmp_path: Path) -> None:
    result = run("--config", str(tmp_path / "none.toml"), "--data-dir", str(tmp_path),
                 "--quit-after", "300")
    assert result.returncode == 0, result.stderr
    log_text = (tmp_path / "logs" / "vendpoint.log").read_text()
    assert "VendPoint" in log_text and "starting" in log_text


def test_self_test_from_source() -> None:
    result = run("--self-test")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == "self-test passed: 5/5"
