"""Before Qt starts: missing system libraries of the X11 plugin are named with their Debian
packages (instead of Qt's "reinstalling the application may fix this problem")."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from ui import qt_preflight
from ui.qt_preflight import check, not_found, problem_text, uses_xcb

LDD_OUTPUT = """\
\tlinux-vdso.so.1 (0x00007ffd6a9f2000)
\tlibQt6XcbQpa.so.6 => /x/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f0c5c600000)
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f0c5c5d0000)
\tlibxcb-cursor.so.0 => not found
\tlibweird-thing.so.3 => not found
"""


def test_ldd_output_names_each_missing_library_once() -> None:
    assert not_found(LDD_OUTPUT) == ["libxcb-cursor.so.0", "libxcb-icccm.so.4",
                                     "libweird-thing.so.3"]


def test_the_message_names_the_packages_not_reinstalling() -> None:
    text = problem_text(["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libweird-thing.so.3"])
    assert "sudo apt-get install libxcb-cursor0 libxcb-icccm4" in text
    assert "apt-file search" in text and "libweird-thing.so.3" in text
    assert "will not help" in text


def test_only_an_x11_start_is_checked() -> None:
    assert uses_xcb({"DISPLAY": ":0"})
    assert uses_xcb({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"})
    assert not uses_xcb({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"})
    assert not uses_xcb({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland",
                         "DISPLAY": ":0"})
    assert not uses_xcb({})
    assert check({"QT_QPA_PLATFORM": "offscreen"}) == ""


#: a library no system has (a real name could be installed where the tests run)
ABSENT = "libvendpoint-absent-xcb.so.0"


@pytest.fixture
def plugin_missing_cursor(tmp_path: Path, monkeypatch) -> Path:
    """A real shared object that needs a library which then is not there: built against a
    stub of it, and the stub removed (as libxcb-cursor0 is missing on a fresh desktop)."""
    monkeypatch.setitem(qt_preflight.DEBIAN_PACKAGES, ABSENT, "libvendpoint-absent-xcb0")
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        pytest.skip("needs a C compiler to build the test plugin")
    stub_dir = tmp_path / "stub"
    stub_dir.mkdir()
    (tmp_path / "stub.c").write_text("int xcb_cursor_stub(void) { return 0; }\n")
    (tmp_path / "plugin.c").write_text(
        "int xcb_cursor_stub(void);\nint plugin(void) { return xcb_cursor_stub(); }\n")
    stub = stub_dir / ABSENT
    subprocess.run([cc, "-shared", "-fPIC", f"-Wl,-soname,{ABSENT}", "-o", str(stub),
                    str(tmp_path / "stub.c")], check=True)
    plugin = tmp_path / "libqxcb.so"
    subprocess.run([cc, "-shared", "-fPIC", "-o", str(plugin), str(tmp_path / "plugin.c"),
                    str(stub)], check=True)
    stub.unlink()
    return plugin


def test_a_real_plugin_missing_a_library_is_reported(plugin_missing_cursor: Path) -> None:
    text = check({"DISPLAY": ":0"}, plugin_missing_cursor)
    assert ABSENT in text
    assert "sudo apt-get install libvendpoint-absent-xcb0" in text


def test_main_stops_before_qt_with_the_package_name(plugin_missing_cursor: Path, tmp_path,
                                                    monkeypatch, capsys) -> None:
    import main

    monkeypatch.setattr(qt_preflight, "xcb_plugin", lambda: plugin_missing_cursor)
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("DISPLAY", ":99")
    assert check(dict(os.environ)), "the check must stop this start before Qt aborts"
    code = main.main(["--demo", "--data-dir", str(tmp_path / "data")])
    assert code == 1
    err = capsys.readouterr().err
    assert "sudo apt-get install libvendpoint-absent-xcb0" in err
    assert not (tmp_path / "data" / "server").exists()  # nothing was started
