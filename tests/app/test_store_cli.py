"""The store maintenance commands (`python -m app.store_cli backup|verify`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app.keystore import create_store_key, load_store_key
from offline_store import open_store
from offline_store.journal import append

ROOT = Path(__file__).resolve().parents[2]
CHEAP = {"n": 2**10, "r": 8, "p": 1}


def _run(*args: str, passphrase: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VENDPOINT_STORE_PASSPHRASE": passphrase}
    return subprocess.run([sys.executable, "-m", "app.store_cli", *args], capture_output=True,
                          text=True, timeout=120, cwd=ROOT, env=env)


def test_backup_with_live_key_and_verify(tmp_path: Path) -> None:
    db = tmp_path / "vend.db"
    key = create_store_key(db, passphrase="live passphrase 1", scrypt_params=CHEAP)
    with open_store(db, key, create=True) as store:
        store.call(lambda c: append(c, "test", {"n": 1}))
    out = _run("verify", str(db), passphrase="live passphrase 1")
    assert out.returncode == 0 and "chain ok" in out.stdout, out.stderr
    dest = tmp_path / "backup.db"
    out = _run("backup", str(db), str(dest), passphrase="live passphrase 1")
    assert out.returncode == 0, out.stderr
    assert load_store_key(dest, passphrase="live passphrase 1") == key
    assert _run("verify", str(dest), passphrase="live passphrase 1").returncode == 0
    again = _run("backup", str(db), str(dest), passphrase="live passphrase 1")
    assert again.returncode == 2 and "already exists" in again.stderr
    wrong = _run("verify", str(db), passphrase="not the passphrase")
    assert wrong.returncode == 2 and "passphrase" in wrong.stderr


def test_verify_reports_a_broken_chain(tmp_path: Path) -> None:
    db = tmp_path / "vend.db"
    key = create_store_key(db, passphrase="live passphrase 1", scrypt_params=CHEAP)
    with open_store(db, key, create=True) as store:
        for _ in range(3):
            store.call(lambda c: append(c, "test", {"n": 1}))
        store.call(lambda c: c.execute("DROP TRIGGER journal_no_update"))
        store.call(lambda c: c.execute("UPDATE journal SET body = '{}' WHERE seq = 2"))
    out = _run("verify", str(db), passphrase="live passphrase 1")
    assert out.returncode == 1 and "BROKEN at entry 2" in out.stdout
