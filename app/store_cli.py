"""Store maintenance commands: encrypted backup and verification.

    python -m app.store_cli backup DB DEST [--backup-passphrase]
    python -m app.store_cli verify DB

The live store's key comes from the keyring (or its passphrase, asked for on the terminal, or
read from the environment variable VENDPOINT_STORE_PASSPHRASE for scripts). A backup is always
encrypted: with the live key (its key-info file is copied beside it), or with a new
passphrase-derived key (`--backup-passphrase`), so it can be restored on another machine.
`verify` checks SQLite and SQLCipher integrity and the journal hash chain; exit code 1 if not.

It lives in `app`, not in `offline_store`, because it needs the key store (`app.keystore`): the
store package itself never imports the application.
"""

from __future__ import annotations

import argparse
import getpass
import os
import shutil
import sys
from pathlib import Path

from app.keystore import create_store_key, load_store_key, read_keyinfo, sidecar_path
from common.errors import StorageError
from common.i18n import _
from offline_store.backup import backup_store
from offline_store.journal import verify_chain
from offline_store.store import open_store


def _passphrase(prompt: str) -> str:
    value = os.environ.get("VENDPOINT_STORE_PASSPHRASE")
    return value if value is not None else getpass.getpass(prompt)


def _live_key(db: Path) -> bytes:
    info = read_keyinfo(db)
    if info.mode == "passphrase":
        return load_store_key(db, passphrase=_passphrase("Store passphrase: "))
    return load_store_key(db)


def cmd_backup(args: argparse.Namespace) -> int:
    db, dest = Path(args.db), Path(args.dest)
    if dest.exists() or sidecar_path(dest).exists():
        raise StorageError(_("{dest} already exists; choose another name.").format(dest=dest))
    key = _live_key(db)
    with open_store(db, key) as store:
        if args.backup_passphrase:
            backup_key = create_store_key(
                dest, passphrase=_passphrase("New passphrase for the backup: "))
            try:
                backup_store(store, dest, backup_key)
            except BaseException:
                sidecar_path(dest).unlink(missing_ok=True)
                raise
        else:
            backup_store(store, dest, key)
            shutil.copyfile(sidecar_path(db), sidecar_path(dest))
    print(f"backup written: {dest}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    db = Path(args.db)
    with open_store(db, _live_key(db)) as store:
        integrity = store.call(lambda c: c.execute("PRAGMA integrity_check").fetchall(),
                               transaction=False)
        cipher = store.call(lambda c: c.execute("PRAGMA cipher_integrity_check").fetchall(),
                            transaction=False)
        chain = store.call(verify_chain)
    ok = integrity == [("ok",)] and not cipher and chain.ok
    print(f"integrity_check: {'ok' if integrity == [('ok',)] else integrity}")
    print(f"cipher_integrity_check: {'ok' if not cipher else f'{len(cipher)} problem(s)'}")
    verdict = "chain ok" if chain.ok else \
        f"BROKEN at entry {chain.first_bad_seq}: {chain.problem}"
    print(f"journal: {chain.entries} entries, {verdict}")
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.store_cli", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    backup = sub.add_parser("backup", help="write an encrypted backup of the store")
    backup.add_argument("db")
    backup.add_argument("dest")
    backup.add_argument("--backup-passphrase", action="store_true",
                        help="encrypt the backup with a new passphrase instead of the live key")
    backup.set_defaults(func=cmd_backup)
    verify = sub.add_parser("verify", help="check integrity and the journal hash chain")
    verify.add_argument("db")
    verify.set_defaults(func=cmd_verify)
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except StorageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    sys.exit(main())
