"""The requirements files match what the code imports: the client's, the server's, and dev's.

`requirements.txt` must pin every distribution the cashier app imports (and what they need),
`requirements-server.txt` every one the reference server imports, so each installs and runs on
its own; `requirements-dev.txt` includes both. Checked against the imports in the source (every
`import`, also inside functions) and the installed distributions' own requirements.
"""

from __future__ import annotations

import ast
import re
import sys
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
FIRST_PARTY = {"app", "common", "sts", "offline_store", "printers", "ui", "vendserver", "main",
               "tests", "bench"}
CLIENT = ["main.py", "app", "common", "sts", "offline_store", "printers", "ui"]
# A standalone script for a separate Python 3.13 venv (see its docstring), never imported.
CLIENT_SKIP = {"printers/emupos_render.py"}
SERVER = ["vendserver", "sts", "common"]
# Test support: starts the server in-process and talks to it with httpx (a dev tool).
SERVER_SKIP = {"vendserver/testing.py"}


def norm(name: str) -> str:
    """A distribution name as pip compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: Path) -> dict[str, str]:
    """name -> version of the `name==version` lines of one requirements file (no includes)."""
    out: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            out[norm(name)] = version.strip()
    return out


def imported_modules(paths: list[str], skip: set[str]) -> set[str]:
    """Top-level third-party modules imported anywhere under `paths`."""
    found: set[str] = set()
    for base in paths:
        target = ROOT / base
        files = [target] if target.suffix == ".py" else sorted(target.rglob("*.py"))
        for f in files:
            if f.relative_to(ROOT).as_posix() in skip:
                continue
            for node in ast.walk(ast.parse(f.read_text(), str(f))):
                names: list[str] = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                for name in names:
                    top = name.split(".")[0]
                    if top not in sys.stdlib_module_names and top not in FIRST_PARTY \
                            and top != "__future__":
                        found.add(top)
    return found


def distributions_of(modules: set[str]) -> dict[str, set[str]]:
    """module -> the installed distributions providing it."""
    provided = metadata.packages_distributions()
    return {m: {norm(d) for d in provided.get(m, [])} for m in modules}


def closure(roots: set[str]) -> set[str]:
    """`roots` and every distribution they require here (extras left out, markers applied)."""
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for text in metadata.requires(name) or []:
            req = Requirement(text)
            if req.marker is not None and not Marker(str(req.marker)).evaluate({"extra": ""}):
                continue
            todo.append(norm(req.name))
    return seen


def check_complete(paths: list[str], skip: set[str], pinned: dict[str, str]) -> set[str]:
    """The distributions `paths` import, after checking they and their needs are pinned."""
    direct: set[str] = set()
    for module, dists in distributions_of(imported_modules(paths, skip)).items():
        assert dists, f"{module} is imported but no installed distribution provides it"
        assert dists & set(pinned), f"{module} ({', '.join(sorted(dists))}) is not pinned"
        direct |= dists & set(pinned)
    missing = closure(direct) - set(pinned)
    assert not missing, f"needed but not pinned: {sorted(missing)}"
    for name in closure(direct):
        assert metadata.version(name) == pinned[name], f"{name}: installed version differs"
    return direct


def test_client_requirements_cover_what_the_cashier_app_imports() -> None:
    client = pins(ROOT / "requirements.txt")
    direct = check_complete(CLIENT, CLIENT_SKIP, client)
    assert {"pyside6-essentials", "requests", "sqlcipher3", "python-escpos", "keyring",
            "cryptography", "platformdirs"} <= direct
    assert not {"fastapi", "uvicorn", "pydantic", "starlette"} & set(client)


def test_server_requirements_cover_what_the_reference_server_imports() -> None:
    server = pins(ROOT / "requirements-server.txt")
    direct = check_complete(SERVER, SERVER_SKIP, server)
    assert {"fastapi", "uvicorn", "pydantic", "cryptography"} <= direct
    assert not {"pyside6-essentials", "requests", "sqlcipher3", "python-escpos"} & set(server)


def test_dev_requirements_include_both_and_shared_pins_agree() -> None:
    lines = (ROOT / "requirements-dev.txt").read_text().splitlines()
    assert "-r requirements.txt" in lines and "-r requirements-server.txt" in lines
    client, server = pins(ROOT / "requirements.txt"), pins(ROOT / "requirements-server.txt")
    dev = pins(ROOT / "requirements-dev.txt")
    for name in set(client) & set(server):
        assert client[name] == server[name], f"{name} pinned differently"
    for name in set(dev) & (set(client) | set(server)):
        assert dev[name] == client.get(name, server.get(name)), f"{name} pinned differently"
