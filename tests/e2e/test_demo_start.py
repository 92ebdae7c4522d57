"""`make run` as a user runs it: `main.py --demo` as a real process, up to the login screen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.e2e


def test_demo_starts_server_activates_and_reaches_login(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "main.py", "--demo", "--data-dir", str(tmp_path),
         "--config", str(tmp_path / "none.toml"), "--quit-when-ready"],
        cwd=ROOT, capture_output=True, text=True, env=env, timeout=180, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    log_text = (tmp_path / "logs" / "vendpoint.log").read_text(encoding="utf-8")
    assert "demo server listening at http://127.0.0.1:" in log_text
    assert "ready: login screen up (suggested operator: thandi)" in log_text
    assert "start-up failed" not in log_text and "Traceback" not in log_text
    # The throwaway store and its clearly labelled demo key live in the demo folder.
    assert (tmp_path / "store" / "demo.db").exists()
    assert "INSECURE" in (tmp_path / "store" / "INSECURE-DEMO-KEY.txt").read_text()
