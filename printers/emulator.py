"""Drive the emupos printer emulator (PyPI `emupos`, Python >= 3.13) from Python 3.11.

emupos renders real ESC/POS bytes to a PNG and a text dump, as a thermal printer would print
them. It needs a newer Python than the app, so it lives in its own venv outside the repository
(default `~/.cache/emupos-venv`, or `$VENDPOINT_EMUPOS_VENV`) and `printers/emupos_render.py`
runs there as a subprocess. Used by the tests and by `python -m printers.docs_images`; the
application never needs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

EMUPOS_VERSION = "0.4.0"
_SCRIPT = Path(__file__).with_name("emupos_render.py")


class EmuposUnavailable(RuntimeError):
    """emupos cannot be used on this machine; the message says why."""


def venv_dir() -> Path:
    """Where the emupos venv lives."""
    default = Path.home() / ".cache" / "emupos-venv"
    return Path(os.environ.get("VENDPOINT_EMUPOS_VENV", default))


def _python313() -> Path | None:
    candidates = [Path.home() / ".pyenv" / "versions" / "3.13.0" / "bin" / "python3.13"]
    found = shutil.which("python3.13")
    if found:
        candidates.append(Path(found))
    return next((c for c in candidates if c.exists()), None)


def ensure_emupos(*, install: bool = True, timeout_s: float = 300.0) -> Path:
    """The venv interpreter with emupos importable; creates the venv if allowed.

    Raises `EmuposUnavailable` with the reason (no Python 3.13, pip could not install...).
    """
    python = venv_dir() / "bin" / "python"
    if python.exists() and _has_emupos(python):
        return python
    if not install:
        raise EmuposUnavailable(f"emupos is not installed in {venv_dir()}")
    base = _python313()
    if base is None:
        raise EmuposUnavailable("emupos needs Python >= 3.13, which is not installed")
    try:
        subprocess.run([str(base), "-m", "venv", str(venv_dir())], check=True,
                       capture_output=True, timeout=timeout_s)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
             f"emupos=={EMUPOS_VERSION}"],
            check=True, capture_output=True, timeout=timeout_s,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise EmuposUnavailable(f"could not install emupos: {exc}") from exc
    if not _has_emupos(python):
        raise EmuposUnavailable("emupos installed but cannot be imported")
    return python


def _has_emupos(python: Path) -> bool:
    result = subprocess.run([str(python), "-c", "import emupos"], capture_output=True,
                            timeout=60, check=False)
    return result.returncode == 0


def render(data: bytes, width_dots: int, *, png: Path | None = None,
           python: Path | None = None) -> str:
    """Print `data` on the emulated printer; return its text dump (and write the PNG)."""
    python = python or ensure_emupos(install=False)
    with tempfile.TemporaryDirectory() as tmp:
        job = Path(tmp) / "job.bin"
        job.write_bytes(data)
        args = [str(python), str(_SCRIPT), "--width-dots", str(width_dots), str(job)]
        if png is not None:
            args[2:2] = ["--png", str(png)]
        result = subprocess.run(args, capture_output=True, timeout=120, check=False)
    if result.returncode != 0:
        raise EmuposUnavailable(
            f"emupos failed: {result.stderr.decode('utf-8', 'replace')[-500:]}"
        )
    return result.stdout.decode("utf-8")
