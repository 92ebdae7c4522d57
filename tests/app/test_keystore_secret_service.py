"""The store key in a real OS keyring: gnome-keyring's Secret Service on a private D-Bus session.

Two separate processes: the first creates a store and its key in the keyring, the second finds
the key again and opens the store. Skipped (with the reason) where gnome-keyring is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import sys
from pathlib import Path
import keyring
from app.keystore import create_store_key, default_keyring, keyring_usable, load_store_key
from offline_store import open_store
db = Path(sys.argv[1])
assert keyring_usable(default_keyring()), type(keyring.get_keyring()).__name__
if sys.argv[2] == "create":
    key = create_store_key(db)
    open_store(db, key, create=True).close()
    Path(sys.argv[3]).write_text(key.hex())  # only for the test's on-disk check below
else:
    key = load_store_key(db)
    store = open_store(db, key)
    store.close()
    print("reopened", key.hex() == Path(sys.argv[3]).read_text())
"""


@pytest.mark.skipif(
    not (shutil.which("gnome-keyring-daemon") and shutil.which("dbus-run-session")),
    reason="gnome-keyring-daemon and dbus-run-session are not installed "
    "(Debian: apt-get install gnome-keyring dbus)",
)
def test_store_key_lives_in_the_real_keyring(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    data = tmp_path / "data"
    data.mkdir()
    probe = tmp_path / "probe.py"
    probe.write_text(PROBE)
    witness = tmp_path / "witness.hex"
    db = data / "vend.db"
    py = sys.executable
    script = (
        "echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && "
        f"'{py}' '{probe}' '{db}' create '{witness}' && "
        f"'{py}' '{probe}' '{db}' open '{witness}'"
    )
    env = {**os.environ, "HOME": str(home), "PYTHONPATH": str(ROOT)}
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    result = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", script],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "reopened True" in result.stdout
    key = bytes.fromhex(witness.read_text())
    # The key is in the keyring, never in the data folder next to the store.
    for path in data.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert key not in content and key.hex().encode() not in content
