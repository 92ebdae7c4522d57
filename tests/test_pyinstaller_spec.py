"""The PyInstaller spec's Windows code paths, run on any OS: the spec is executed with
PyInstaller's build objects recorded and `sys.platform` set to win32. Exclusions match Windows
backslash paths; the program gets no console, the icon and a version resource that
PyInstaller's own reader (an eval in the versioninfo names) accepts. `tests/test_build.py`
builds for real on this platform."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
WINDOWS_FILES = [
    (r"PySide6\Qt6Widgets.dll", "x", "BINARY"),
    (r"PySide6\Qt6WebEngineCore.dll", "x", "BINARY"),
    (r"PySide6\qml\QtQuick\qmldir", "x", "DATA"),
    (r"PySide6\plugins\multimedia\ffmpegmediaplugin.dll", "x", "BINARY"),
    (r"PySide6\plugins\platforminputcontexts\qtvirtualkeyboardplugin.dll", "x", "BINARY"),
    (r"PySide6\plugins\platforms\qwindows.dll", "x", "BINARY"),
]


def _run_spec(monkeypatch: pytest.MonkeyPatch, platform: str, workpath: Path) -> dict[str, Any]:
    built: dict[str, Any] = {}

    class Analysis:
        def __init__(self, scripts: list[str], **kwargs: Any) -> None:
            built["analysis"] = kwargs
            self.binaries = [f for f in WINDOWS_FILES if f[2] == "BINARY"]
            self.datas = [f for f in WINDOWS_FILES if f[2] == "DATA"]
            self.pure: list[Any] = []
            self.scripts: list[Any] = []

    def exe(*args: Any, **kwargs: Any) -> str:
        built["exe"] = kwargs
        return "exe"

    def collect(*args: Any, **kwargs: Any) -> None:
        built["collect"] = args

    # PyInstaller's own modules read the real platform once, at import (as on the build PC).
    import PyInstaller.utils.hooks  # type: ignore[import-untyped]  # noqa: F401

    monkeypatch.setattr(sys, "platform", platform)
    namespace = {"SPECPATH": str(ROOT), "workpath": str(workpath), "Analysis": Analysis,
                 "PYZ": lambda *a, **k: "pyz", "EXE": exe, "COLLECT": collect}
    spec = ROOT / "pyinstaller.spec"
    exec(compile(spec.read_text(encoding="utf-8"), str(spec), "exec"), namespace)  # noqa: S102
    return built


def test_windows_build_drops_excluded_qt_files_with_backslash_paths(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    built = _run_spec(monkeypatch, "win32", tmp_path)
    kept = [entry[0] for entry in built["collect"][1:] for entry in entry]
    assert kept == [r"PySide6\Qt6Widgets.dll", r"PySide6\plugins\platforms\qwindows.dll"]
    assert "keyring.backends.Windows" in built["analysis"]["hiddenimports"]


def test_windows_exe_has_no_console_an_icon_and_a_version_resource(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    exe = _run_spec(monkeypatch, "win32", tmp_path)["exe"]
    assert exe["console"] is False
    icon = Path(exe["icon"])
    assert icon.suffix == ".ico" and icon.read_bytes()[:4] == b"\x00\x00\x01\x00"
    text = Path(exe["version"]).read_text(encoding="utf-8")

    def record(name: str) -> Any:
        return lambda *args, **kwargs: (name, args, kwargs)

    names = ("VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable",
             "StringStruct", "VarFileInfo", "VarStruct")
    info = eval(text, {n: record(n) for n in names})  # noqa: S307 (as PyInstaller reads it)
    fixed = info[2]["ffi"][2]
    assert fixed["filevers"] == (0, 1, 0, 0) and fixed["prodvers"] == (0, 1, 0, 0)
    string_file_info = info[2]["kids"][0]
    (table,) = string_file_info[1][0]
    strings = dict(struct[1] for struct in table[1][1])
    assert strings["ProductVersion"] == "0.1.0" and strings["OriginalFilename"] == "VendPoint.exe"


def test_other_platforms_keep_the_console_build(monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    exe = _run_spec(monkeypatch, "linux", tmp_path)["exe"]
    assert exe["console"] is True and exe["icon"] is None and exe["version"] is None
