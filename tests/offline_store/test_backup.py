"""Tests of the encrypted backup command."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from common.errors import StorageError
from offline_store import Store, WrongKeyOrCorrupt, backup_store, open_store
from offline_store.journal import append, verify_chain


def test_backup_is_encrypted_complete_and_never_overwrites(
    store: Store, key: bytes, tmp_path: Path
) -> None:
    store.call(lambda c: append(c, "sale.created", {"amount": "10.00"}, ref="k1"))
    store.call(lambda c: c.execute("INSERT INTO settings VALUES ('s', '1', 'now')"))
    backup_key = secrets.token_bytes(32)
    dest = tmp_path / "backups" / "vend-backup.db"
    backup_store(store, dest, backup_key)
    raw = dest.read_bytes()
    assert not raw.startswith(b"SQLite format 3") and b"sale.created" not in raw
    assert not list(dest.parent.glob("*.partial*"))
    with pytest.raises(WrongKeyOrCorrupt):
        open_store(dest, key)  # needs the backup key, not the live one
    with open_store(dest, backup_key) as b:
        assert b.call(lambda c: c.execute("SELECT value FROM settings").fetchall()) == [("1",)]
        assert b.call(verify_chain).entries == 1
        assert b.call(lambda c: c.execute("PRAGMA user_version").fetchone()[0]) >= 8
    before = dest.read_bytes()
    with pytest.raises(StorageError, match="already exists"):
        backup_store(store, dest, backup_key)
    assert dest.read_bytes() == before
