"""The layer contracts in pyproject.toml hold for the tree, and they bite.

`lint-imports` (import-linter) checks: ui > app > printers | offline_store > sts > common, the
reference server using only sts and common, the core importing neither the server, the UI nor
Qt, and no cycles between the parts of app. To prove the contracts are not vacuous, each
breaking case copies the source tree to a temporary directory, adds one deliberate import
that a contract forbids, and shows lint-imports failing on it, naming that import.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("common", "sts", "offline_store", "printers", "app", "ui", "vendserver")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"], cwd=cwd, capture_output=True, text=True,
        timeout=120, env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
    )


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The packages' Python sources and pyproject.toml, copied once."""
    base = tmp_path_factory.mktemp("tree")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, base / package,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.sql", "*.png"))
    shutil.copy(ROOT / "pyproject.toml", base / "pyproject.toml")
    return base


def test_the_tree_keeps_every_contract() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 5 kept, 0 broken." in result.stdout


def test_the_copied_tree_keeps_them_too(pristine: Path, tmp_path: Path) -> None:
    # Guard for the cases below: they fail because of the one added import, not the copy.
    tree = tmp_path / "tree"
    shutil.copytree(pristine, tree)
    result = _lint(tree)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "source", "broken", "shown"),
    [
        ("printers/_upward.py", "from app.settings import Settings\n",
         "ui > app > printers | offline_store > sts > common BROKEN", "printers._upward -> app"),
        ("offline_store/_sideways.py", "import printers.model\n",
         "ui > app > printers | offline_store > sts > common BROKEN",
         "offline_store._sideways -> printers"),
        ("common/_upward.py", "import sts.tokens\n",
         "ui > app > printers | offline_store > sts > common BROKEN", "common._upward -> sts"),
        ("vendserver/_client.py", "import app.api.models\n",
         "the reference server uses only sts and common BROKEN", "vendserver._client -> app"),
        ("app/_server.py", "import vendserver.money\n",
         "the client core never imports the server or the UI BROKEN", "app._server -> vendserver"),
        ("printers/_qt.py", "import PySide6.QtCore\n",
         "the core never imports Qt BROKEN", "printers._qt -> PySide6"),
        # app.api is imported by app.sync; importing app.sync back closes a new cycle.
        ("app/api/_cycle.py", "import app.sync.engine\n",
         "no import cycles between the parts of app BROKEN", ".api -> .sync"),
    ],
)
def test_a_forbidden_import_breaks_the_lint(
    pristine: Path, tmp_path: Path, module: str, source: str, broken: str, shown: str
) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(pristine, tree)
    (tree / module).write_text(f'"""A deliberate contract breach."""\n\n{source}')
    result = _lint(tree)
    assert result.returncode == 1, result.stdout + result.stderr
    assert broken in result.stdout
    assert shown in result.stdout


def test_no_two_parts_of_app_import_each_other() -> None:
    # The acyclic contract ignores no import; this also names the sibling pairs that import
    # each other, so a new cycle is shown plainly here.
    graph = grimp.build_graph("app")
    packages = ["app", *sorted(m for m in graph.find_descendants("app") if graph.find_children(m))]
    mutual = {
        (a, b)
        for package in packages
        for a in sorted(graph.find_children(package))
        for b in sorted(graph.find_children(package))
        if a < b
        and graph.direct_import_exists(importer=a, imported=b, as_packages=True)
        and graph.direct_import_exists(importer=b, imported=a, as_packages=True)
    }
    assert mutual == set()
