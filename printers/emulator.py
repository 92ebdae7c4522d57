"""Drive the emupos printer emulator (PyPI `emupos`, Python >= 3.13) from Python 3.11.

emupos renders real ESC/POS bytes to a PNG and a text dump, as a thermal printer would print
them. It needs a newer Python than the app, so it lives in its own venv outside the repository
(default `~/.cache/emupos-venv`, or `$VENDPOINT_EMUPOS_VENV`) and `printers/emupos_render.py`
runs there as a subprocess. Used by the tests and by `python -m printers.docs_images`; the
application never needs it.
"""

from __future__ import annotations

import json
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
    return render_many([(data, width_dots, png)], python=python)[0]


def render_many(jobs: list[tuple[bytes, int, Path | None]], *,
                python: Path | None = None) -> list[str]:
    """Print several jobs (bytes, width in dots, PNG path or None) in one emulator process;
    return their text dumps in order."""
    python = python or ensure_emupos(install=False)
    with tempfile.TemporaryDirectory() as tmp:
        manifest = []
        for n, (data, width_dots, png) in enumerate(jobs):
            job = Path(tmp) / f"job{n}.bin"
            job.write_bytes(data)
            manifest.append({"job": str(job), "width_dots": width_dots,
                             "png": None if png is None else str(png)})
        batch = Path(tmp) / "batch.json"
        batch.write_text(json.dumps(manifest), encoding="utf-8")
        result = subprocess.run([str(python), str(_SCRIPT), "--batch", str(batch)],
                                capture_output=True, timeout=300, check=False)
    if result.returncode != 0:
        raise EmuposUnavailable(
            f"emupos failed: {result.stderr.decode('utf-8', 'replace')[-500:]}"
        )
    texts = json.loads(result.stdout.decode("utf-8"))
    return [str(t) for t in texts]
