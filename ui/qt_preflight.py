"""Before Qt starts on a Linux desktop: are the system libraries its X11 plugin needs there?

PySide6 brings Qt but not the X11 (xcb) libraries of the system. Without one of them (often
`libxcb-cursor0` on a fresh Ubuntu) Qt aborts with "This application failed to start because
no Qt platform plugin could be initialized. Reinstalling the application may fix this
problem.", which sends people the wrong way. This module asks the dynamic linker (`ldd`) what
the plugin cannot load and names the Debian/Ubuntu packages that provide it.

No PySide6 import here: it runs before Qt is loaded.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

#: shared library -> the Debian / Ubuntu package that provides it
DEBIAN_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb.so.1": "libxcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libSM.so.6": "libsm6",
    "libICE.so.6": "libice6",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}

_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found\s*$", re.MULTILINE)


def xcb_plugin() -> Path | None:
    """PySide6's X11 platform plugin (None when PySide6 or the plugin is not there)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        plugin = Path(location) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if plugin.exists():
            return plugin
    return None


def not_found(ldd_output: str) -> list[str]:
    """The libraries `ldd` reports as "not found", each once, in its order."""
    return list(dict.fromkeys(_NOT_FOUND.findall(ldd_output)))


def missing_libraries(binary: Path) -> list[str]:
    """The shared libraries `binary` needs (directly or not) that cannot be found."""
    ldd = shutil.which("ldd")
    if ldd is None:
        return []  # cannot tell: let Qt try
    done = subprocess.run([ldd, str(binary)], capture_output=True, text=True, timeout=30,
                          check=False)
    return not_found(done.stdout)


def uses_xcb(env: Mapping[str, str]) -> bool:
    """Whether Qt would start on X11 here (Linux, a display, no other platform chosen)."""
    if not sys.platform.startswith("linux"):
        return False
    chosen = env.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0].strip()
    if chosen:
        return chosen == "xcb"
    if env.get("WAYLAND_DISPLAY") and env.get("XDG_SESSION_TYPE") == "wayland":
        return False
    return bool(env.get("DISPLAY"))


def problem_text(missing: list[str]) -> str:
    """What to tell the person starting the app: what is missing and the packages."""
    known = [DEBIAN_PACKAGES[name] for name in missing if name in DEBIAN_PACKAGES]
    unknown = [name for name in missing if name not in DEBIAN_PACKAGES]
    lines = ["The window cannot open: Qt's X11 platform plugin needs system libraries that "
             f"are not installed: {', '.join(missing)}."]
    if known:
        lines.append("On Debian or Ubuntu install them with:")
        lines.append(f"    sudo apt-get install {' '.join(dict.fromkeys(known))}")
    if unknown:
        lines.append(f"Find the package that provides {', '.join(unknown)} with "
                     "`apt-file search NAME` (or your distribution's package search).")
    lines.append("Reinstalling VendPoint will not help. To run without a window (tests), set "
                 "QT_QPA_PLATFORM=offscreen.")
    return "\n".join(lines)


def check(env: Mapping[str, str], plugin: Path | None = None) -> str:
    """The problem to report before starting Qt, or "" when there is none (or it cannot be
    told: then Qt starts and speaks for itself)."""
    if not uses_xcb(env):
        return ""
    binary = plugin if plugin is not None else xcb_plugin()
    if binary is None:
        return ""
    missing = missing_libraries(binary)
    return problem_text(missing) if missing else ""
