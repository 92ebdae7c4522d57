"""The STS engine stays free of Qt and network code (it runs inside the server and tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_sts_pulls_in_no_qt_or_network_modules() -> None:
    code = (
        "import sys, sts, sts.cli, sts.virtual_meter\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'requests', 'httpx', 'socket', 'urllib3')]\n"
        "print(','.join(bad))\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == ""


def test_no_production_sta_tables_are_shipped() -> None:
    shipped = [p for p in (ROOT / "sts").rglob("*") if p.suffix in (".json", ".bin", ".dat")]
    assert shipped == []
