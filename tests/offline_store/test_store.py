"""Tests of the SQLCipher store: owner thread, transactions, migrations, typed open errors."""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import sqlcipher3

from common.errors import StorageError
from offline_store import (
    DiskFull,
    ForeignFile,
    Store,
    StoreClosed,
    StoreDamaged,
    StoreMissing,
    WrongKeyOrCorrupt,
    backup_store,
    latest_schema_version,
    open_store,
)
from offline_store.store import _schema_files, connect


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_store_is_encrypted_and_migrated(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "vend.db"
    with open_store(path, key, create=True) as store:
        version = store.call(lambda c: c.execute("PRAGMA user_version").fetchone()[0])
        assert version == latest_schema_version() >= 8
        tables = store.call(
            lambda c: {r[0] for r in c.execute("SELECT name FROM sqlite_master")}
        )
        for table in ("journal", "sales", "outbox", "receipts", "tokens", "meters",
                      "operators", "operator_lockout", "settings", "shifts",
                      "tariff_versions", "malformed_responses"):
            assert table in tables
        mode = store.call(lambda c: c.execute("PRAGMA journal_mode").fetchone()[0],
                          transaction=False)
        assert mode == "wal"
        sync = store.call(lambda c: c.execute("PRAGMA synchronous").fetchone()[0])
        assert sync == 2  # FULL
    raw = path.read_bytes()
    assert not raw.startswith(b"SQLite format 3")
    assert b"CREATE TABLE" not in raw
    # A plain sqlite3 cannot read it.
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("SELECT * FROM sqlite_master").fetchall()


def test_schema_files_found_through_package_and_numbered(tmp_path: Path) -> None:
    files = _schema_files()
    numbers = [n for n, _, _ in files]
    assert numbers[:8] == list(range(1, 9))
    assert all(name.endswith(".sql") for _, name, _ in files)


def test_call_runs_on_owner_thread_and_commits(store: Store) -> None:
    seen: list[str] = []

    def write(conn: sqlcipher3.Connection) -> int:
        seen.append(threading.current_thread().name)
        conn.execute("INSERT INTO settings VALUES ('a', '1', 'now')")
        return 7

    assert store.call(write) == 7
    assert seen[0].startswith("store-owner")
    assert seen[0] != threading.current_thread().name
    assert store.call(lambda c: c.execute("SELECT value FROM settings").fetchall()) == [("1",)]


def test_call_rolls_back_and_reraises(store: Store) -> None:
    def fail(conn: sqlcipher3.Connection) -> None:
        conn.execute("INSERT INTO settings VALUES ('a', '1', 'now')")
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        store.call(fail)
    assert store.call(lambda c: c.execute("SELECT count(*) FROM settings").fetchone()[0]) == 0


def test_submit_returns_future_and_nested_call_joins_transaction(store: Store) -> None:
    def outer(conn: sqlcipher3.Connection) -> int:
        conn.execute("INSERT INTO settings VALUES ('x', '1', 'now')")
        return int(store.call(lambda c: c.execute("SELECT count(*) FROM settings").fetchone()[0]))

    assert store.submit(outer).result(timeout=10) == 1


def test_closed_store_refuses_work(tmp_path: Path, key: bytes) -> None:
    store = open_store(tmp_path / "vend.db", key, create=True)
    store.close()
    store.close()  # idempotent
    with pytest.raises(StoreClosed):
        store.call(lambda c: 1)


def test_missing_file_without_create_is_refused(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "nope.db"
    with pytest.raises(StoreMissing) as info:
        open_store(path, key)
    assert isinstance(info.value, StorageError)
    assert not path.exists()


def test_reopen_keeps_data(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "vend.db"
    with open_store(path, key, create=True) as s:
        s.call(lambda c: c.execute("INSERT INTO settings VALUES ('k', '\"v\"', 'now')"))
    with open_store(path, key, create=True) as s:  # create=True on an existing file: just opens
        assert s.call(lambda c: c.execute("SELECT value FROM settings").fetchone()[0]) == '"v"'


def test_wrong_key_leaves_file_byte_for_byte_unchanged(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "vend.db"
    with open_store(path, key, create=True) as s:
        s.call(lambda c: c.execute("INSERT INTO settings VALUES ('k', '1', 'now')"))
    before = {p.name: _digest(p) for p in tmp_path.iterdir()}
    for create in (False, True):
        with pytest.raises(WrongKeyOrCorrupt) as info:
            open_store(path, secrets.token_bytes(32), create=create)
        assert "key does not match" in str(info.value)
        assert key.hex() not in str(info.value)
    after = {p.name: _digest(p) for p in tmp_path.iterdir()}
    assert after == before
    with open_store(path, key) as s:  # still opens with the right key
        assert s.call(lambda c: c.execute("SELECT count(*) FROM settings").fetchone()[0]) == 1


def test_corrupt_and_foreign_files_are_refused_untouched(tmp_path: Path, key: bytes) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(os.urandom(8192))
    plain = tmp_path / "plain.db"
    c = sqlite3.connect(plain)
    c.execute("CREATE TABLE t(x)")
    c.commit()
    c.close()
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    cases = [(garbage, WrongKeyOrCorrupt), (plain, ForeignFile), (empty, WrongKeyOrCorrupt)]
    for path, error in cases:
        before = _digest(path)
        with pytest.raises(error):
            open_store(path, key)
        assert _digest(path) == before
        assert not Path(f"{path}-wal").exists()


def _filled_store(path: Path, key: bytes) -> int:
    """A store with ~30 pages of settings, checkpointed into the main file; its page count."""
    with open_store(path, key, create=True) as s:
        s.call(lambda c: c.executemany(
            "INSERT INTO settings VALUES (?, ?, 'now')",
            [(f"k{i}", "x" * 500) for i in range(200)]))
        s.call(lambda c: c.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall(),
               transaction=False)
    return path.stat().st_size // 4096


def _spoil_page(path: Path, page: int) -> None:
    data = bytearray(path.read_bytes())
    data[4096 * (page - 1) + 100] ^= 0xFF
    path.write_bytes(bytes(data))


def test_a_damaged_middle_page_is_refused_at_open_with_a_true_message(
        tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "vend.db"
    pages = _filled_store(path, key)
    middle = pages // 2
    assert middle > 2
    _spoil_page(path, middle)
    before = _digest(path)
    with pytest.raises(StoreDamaged) as caught:
        open_store(path, key)
    message = str(caught.value)
    assert "damaged" in message and "key is right" in message
    assert f"page {middle}" in message
    assert "key does not match" not in message
    assert _digest(path) == before  # nothing written, no migration ran


def test_a_damaged_page_read_after_open_is_damage_not_a_wrong_key(
        tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "vend.db"
    pages = _filled_store(path, key)
    _spoil_page(path, pages // 2)
    # Damage that appears after the check at open: a connection whose key is proven (page 1
    # reads) and whose cache holds none of the other pages.
    with Store(path, connect(path, key)) as s:
        with pytest.raises(StoreDamaged) as caught:
            s.call(lambda c: c.execute("PRAGMA integrity_check").fetchall())
    message = str(caught.value)
    assert "damaged" in message and "key is right" in message
    assert "key does not match" not in message


def test_a_backup_of_a_damaged_store_is_refused(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "vend.db"
    pages = _filled_store(path, key)
    _spoil_page(path, pages // 2)
    dest = tmp_path / "backup.db"
    with Store(path, connect(path, key)) as s:
        with pytest.raises(StoreDamaged):
            backup_store(s, dest, key)
    assert not dest.exists()


def test_newer_schema_is_refused(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "vend.db"
    with open_store(path, key, create=True) as s:
        s.call(lambda c: c.execute("PRAGMA user_version = 9999"), transaction=False)
    before = _digest(path)
    with pytest.raises(ForeignFile, match="newer VendPoint"):
        open_store(path, key)
    assert _digest(path) == before


def test_failed_migration_rolls_back(tmp_path: Path, key: bytes, monkeypatch) -> None:
    import offline_store.store as store_mod

    real = store_mod._schema_files()
    broken = [*real, (9998, "9998_broken.sql", "CREATE TABLE ok_table(x);\nNOT SQL;\n")]
    monkeypatch.setattr(store_mod, "_schema_files", lambda: broken)
    path = tmp_path / "vend.db"
    with pytest.raises(sqlcipher3.Error):
        open_store(path, key, create=True)
    monkeypatch.setattr(store_mod, "_schema_files", lambda: real)
    with open_store(path, key) as s:
        assert s.call(lambda c: c.execute("PRAGMA user_version").fetchone()[0]) == real[-1][0]
        names = s.call(lambda c: [r[0] for r in c.execute("SELECT name FROM sqlite_master")])
        assert "ok_table" not in names


def test_sqlcipher_logging_is_silenced(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "vend.db"
    open_store(path, key, create=True).close()
    code = (
        "import sys; from pathlib import Path; from offline_store import open_store\n"
        "try:\n    open_store(Path(sys.argv[1]), bytes(32))\n"
        "except Exception as e:\n    print(type(e).__name__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                         text=True, timeout=60, cwd=Path(__file__).parents[2])
    assert out.stdout.strip() == "WrongKeyOrCorrupt"
    assert "ERROR" not in out.stderr and "hmac" not in out.stderr


def _tmpfs(tmp_path: Path, size: str) -> Path | None:
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return None
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mnt)],
                       capture_output=True)
    return mnt if r.returncode == 0 else None


def _fill_until_full(store: Store) -> int:
    """Insert rows in separate transactions until the disk is full; returns rows committed."""
    committed = 0
    blob = os.urandom(4000).hex()
    with pytest.raises(DiskFull) as info:
        for i in range(100_000):
            def insert(c: sqlcipher3.Connection, i: int = i) -> None:
                c.execute("INSERT INTO settings VALUES (?, ?, 'now')", (f"f{i}", blob))
            store.call(insert)
            committed += 1
    assert "disk" in str(info.value) and "full" in str(info.value)
    return committed


def test_disk_full_refuses_cleanly_and_loses_nothing(tmp_path: Path, key: bytes) -> None:
    mnt = _tmpfs(tmp_path, "768k")
    try:
        path = (mnt or tmp_path) / "vend.db"
        store = open_store(path, key, create=True)
        if mnt is None:  # not root: emulate a full disk with a page quota
            store.call(lambda c: c.execute("PRAGMA max_page_count = 120").fetchall(),
                       transaction=False)
        committed = _fill_until_full(store)
        assert committed > 0
        # The store still works for reads, and every committed row is there.
        count = store.call(lambda c: c.execute(
            "SELECT count(*) FROM settings WHERE key LIKE 'f%'").fetchone()[0])
        assert count == committed
        store.close()
        with open_store(path, key) as again:
            count2 = again.call(lambda c: c.execute(
                "SELECT count(*) FROM settings WHERE key LIKE 'f%'").fetchone()[0])
            ok = again.call(lambda c: c.execute("PRAGMA integrity_check").fetchall())
        assert count2 == committed
        assert ok == [("ok",)]
    finally:
        if mnt is not None:
            subprocess.run(["umount", "-l", str(mnt)], check=False)
