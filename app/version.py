"""The application's name and version, read once from pyproject.toml or the installed metadata."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

APP_NAME = "VendPoint"
APP_ID = "vendpoint"


def _read_version() -> str:
    # A frozen build has no pyproject next to it: PyInstaller bundles a copy at the root.
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent))
    pyproject = base / "pyproject.toml"
    try:
        with pyproject.open("rb") as fh:
            return str(tomllib.load(fh)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "0.0.0+unknown"


VERSION = _read_version()
