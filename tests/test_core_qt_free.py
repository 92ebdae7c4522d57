"""The core packages must never import Qt: import them with PySide6 made unimportable.

(lint-imports checks the same statically; this proves it at run time, lazy imports included.)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = ["common", "app", "sts", "offline_store", "printers", "vendserver"]

PROBE = r"""
import importlib, pkgutil, sys

class BlockQt:
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith(("PySide6.", "shiboken6")):
            raise ImportError(f"Qt is forbidden in the core: {name}")
        return None

sys.meta_path.insert(0, BlockQt())
imported = []
for top in sys.argv[1:]:
    pkg = importlib.import_module(top)
    imported.append(top)
    for info in pkgutil.walk_packages(pkg.__path__, top + "."):
        if info.name.endswith("__main__"):
            continue
        importlib.import_module(info.name)
        imported.append(info.name)
assert not any(m.startswith("PySide6") for m in sys.modules), "PySide6 got imported"
print(len(imported))
"""


def test_core_packages_import_without_qt() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *CORE], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) >= len(CORE)


def test_probe_really_blocks_qt() -> None:
    # Guard against a probe that silently allows Qt: the UI package must fail under it.
    result = subprocess.run(
        [sys.executable, "-c", PROBE, "ui.main_window"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "Qt is forbidden in the core" in result.stderr
