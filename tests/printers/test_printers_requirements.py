"""The printer transports' dependencies are pinned for the platforms that use them: pyusb and
pyserial everywhere, pywin32 (the spooler) and the Windows-only needs of keyring and qrcode only
on Windows, so a Linux install never tries to build them and a Windows install gets them."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
WINDOWS = {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt", "extra": ""}
LINUX = {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix", "extra": ""}


def _requirements() -> dict[str, Requirement]:
    out = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            req = Requirement(line)
            out[req.name.lower()] = req
    return out


def _installed_on(env: dict[str, str], reqs: dict[str, Requirement]) -> set[str]:
    return {n for n, r in reqs.items() if r.marker is None or r.marker.evaluate(env)}


def test_transports_are_pinned_exactly_per_platform() -> None:
    reqs = _requirements()
    assert all(len(r.specifier) == 1 and next(iter(r.specifier)).operator == "=="
               for r in reqs.values())
    assert {"pyusb", "pyserial"} <= _installed_on(LINUX, reqs)
    windows_only = {"pywin32", "pywin32-ctypes", "colorama"}
    assert windows_only <= _installed_on(WINDOWS, reqs)
    assert not windows_only & _installed_on(LINUX, reqs)


def test_every_windows_only_need_of_a_pinned_package_is_pinned() -> None:
    reqs = _requirements()
    on_windows = _installed_on(WINDOWS, reqs)
    for name in on_windows - {"pywin32", "pywin32-ctypes", "colorama"}:
        for text in metadata.requires(name) or []:
            need = Requirement(text)
            if need.marker is not None and need.marker.evaluate(WINDOWS) \
                    and not need.marker.evaluate(LINUX):
                assert need.name.lower() in on_windows, f"{name} needs {need} on Windows"
