"""Encrypted backups of the store: `sqlcipher_export` into a new SQLCipher file.

The store itself is integrity-checked first (`cipher_integrity_check`): a damaged store is
not copied into a backup that would look good. The backup is written to a temporary file
beside the destination, checked (opened with its
key, integrity-checked), fsync'd and then renamed into place, so a half-written backup never
carries the final name. An existing destination is never overwritten.
"""

from __future__ import annotations

import os
from pathlib import Path

from common.errors import StorageError
from common.files import replace_file
from common.i18n import _
from offline_store.store import Connection, Store, check_integrity, connect


def backup_store(store: Store, dest: Path, key: bytes) -> Path:
    """Export the whole store, encrypted with `key`, to the new file `dest`; returns `dest`."""
    dest = Path(dest)
    if dest.exists():
        raise StorageError(_("The backup file {path} already exists; choose another name.").format(
            path=dest))
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.partial")
    if tmp.exists():
        tmp.unlink()  # our own leftover from an interrupted backup, never a user file
    # The key literal is hex produced by us, so inlining it is safe; bound parameters would be
    # taken as a passphrase rather than a raw key.
    attach = f"ATTACH DATABASE ? AS backup KEY \"x'{key.hex()}'\""

    def export(conn: Connection) -> None:
        conn.execute(attach, (str(tmp),))
        try:
            conn.execute("SELECT sqlcipher_export('backup')").fetchall()
            version = int(conn.execute("PRAGMA main.user_version").fetchone()[0])
            conn.execute(f"PRAGMA backup.user_version = {version:d}")
        finally:
            conn.execute("DETACH DATABASE backup")

    store.call(lambda conn: check_integrity(conn, store.path), transaction=False, timeout=None)
    try:
        store.call(export, transaction=False, timeout=None)
        check = connect(tmp, key)
        try:
            problems = check.execute("PRAGMA cipher_integrity_check").fetchall()
            integrity = check.execute("PRAGMA integrity_check").fetchall()
            check.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            check.close()
        if problems or integrity != [("ok",)]:
            raise StorageError(_("The backup did not verify; it was discarded."))
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        for suffix in ("-wal", "-shm"):
            side = Path(f"{tmp}{suffix}")
            if side.exists():
                side.unlink()
        replace_file(tmp, dest)
        if os.name == "posix":
            dest.chmod(0o600)
            dir_fd = os.open(dest.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
    finally:
        for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            if p.exists():
                p.unlink()
    return dest
