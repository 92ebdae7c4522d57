"""The desktop build: PyInstaller one-folder bundle whose frozen self-test passes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_frozen_build_passes_self_test(tmp_path: Path) -> None:
    if os.environ.get("VENDPOINT_SKIP_BUILD") == "1":
        pytest.skip("VENDPOINT_SKIP_BUILD=1")
    dist, work = tmp_path / "dist", tmp_path / "build"
    build = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "ERROR",
         "--distpath", str(dist), "--workpath", str(work), "pyinstaller.spec"],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    exe = dist / "VendPoint" / ("VendPoint.exe" if sys.platform == "win32" else "VendPoint")
    assert exe.exists()
    # escpos's capabilities.json must be inside the bundle, or the first receipt crashes.
    assert list((dist / "VendPoint").rglob("capabilities.json"))
    # Left-out Qt modules must really be absent.
    assert not list((dist / "VendPoint").rglob("*Qt6WebEngine*"))
    assert not list((dist / "VendPoint").rglob("*Qt6Qml*"))
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    result = subprocess.run([str(exe), "--self-test"], capture_output=True, text=True,
                            timeout=120, env=env, cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stdout + result.stderr
    for name in ("encrypted store", "receipt", "STS engine", "Qt"):
        assert any(line.startswith(f"OK   {name}:") for line in lines), lines
    assert lines[-1] == "self-test passed: 5/5"
    files = [f for f in (dist / "VendPoint").rglob("*") if f.is_file() and not f.is_symlink()]
    size_mb = sum(f.stat().st_size for f in files) >> 20
    print(f"\nfrozen build size: {size_mb} MiB")
    shutil.rmtree(work, ignore_errors=True)
