"""Passphrase mode: a till without a usable OS keyring (or used under several OS logins).

The store key is a random key wrapped by a passphrase (scrypt, salt and wrapped key in the
store's key-information file, `app.keystore`); what the keyring would hold (the terminal
credential with its binding and root of trust) goes into a `Vault` beside the store,
encrypted with a key derived from the store key, so it opens only with the passphrase too.

* `set_up`: a new store protected by a passphrase (nothing is ever written in plaintext);
* `unlock`: at start, the passphrase gives the store key and the vault (`Unlocked`);
* `change`: re-wraps the store key; neither the store nor the vault is re-encrypted;
* `recover`: a new store from an encrypted backup (`python -m app.store_cli backup
  --backup-passphrase`), under a new passphrase; a store already there is moved aside, never
  overwritten. The credential is not in a backup: the till is activated again after it.

Qt-free and blocking (a passphrase costs ~0.1 s of scrypt): the UI runs these through `Op`.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.keystore import (
    change_passphrase,
    create_store_key,
    load_store_key,
    read_keyinfo,
    sidecar_path,
)
from common.errors import InvalidInput, StorageError
from common.files import replace_file
from common.i18n import _
from offline_store.backup import backup_store
from offline_store.store import open_store

__all__ = ["Unlocked", "Vault", "change", "is_passphrase_store", "recover", "set_up",
           "store_path", "unlock"]

VAULT_SUFFIX = ".vault"
_VAULT_FORMAT = "vendpoint-vault-v1"


def store_path(data_dir: Path) -> Path:
    """The production store of a data folder."""
    return data_dir / "store" / "vendpoint.db"


def is_passphrase_store(data_dir: Path) -> bool:
    """Whether the data folder's store is protected by a passphrase."""
    path = store_path(data_dir)
    if not sidecar_path(path).exists():
        return False
    return read_keyinfo(path).mode == "passphrase"


class Vault:
    """A keyring stand-in (`KeyringLike`) kept in an AES-GCM encrypted file beside the store.

    Its key is derived (HKDF) from the store key, so a passphrase change leaves it valid.
    Every write replaces the file atomically (temporary file, fsync, rename).
    """

    priority = 1  # a usable keyring for `keyring_usable`

    def __init__(self, path: Path, store_key: bytes) -> None:
        self.path = path
        self._key = HKDF(hashes.SHA256(), 32, salt=None,
                         info=b"vendpoint vault v1").derive(store_key)
        self._lock = threading.Lock()

    def _read(self) -> dict[str, str]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise StorageError(_("The vault {name} is unreadable.")
                .format(name=self.path.name)) from exc
        if not isinstance(raw, dict) or raw.get("format") != _VAULT_FORMAT:
            raise StorageError(_("{name} is not a VendPoint vault.").format(name=self.path.name))
        blob = base64.b64decode(str(raw.get("data", "")))
        try:
            plain = AESGCM(self._key).decrypt(blob[:12], blob[12:], _VAULT_FORMAT.encode())
        except InvalidTag as exc:
            raise StorageError(_("The vault {name} does not belong to this store or "
                               "is damaged.").format(name=self.path.name)) from exc
        data = json.loads(plain)
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def _write(self, data: dict[str, str]) -> None:
        nonce = secrets.token_bytes(12)
        blob = nonce + AESGCM(self._key).encrypt(nonce, json.dumps(data).encode(),
                                                 _VAULT_FORMAT.encode())
        text = json.dumps({"format": _VAULT_FORMAT,
                           "note": "Encrypted with the store's passphrase. No secret in clear.",
                           "data": base64.b64encode(blob).decode()})
        tmp = self.path.with_name(f".{self.path.name}.{secrets.token_hex(4)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            replace_file(tmp, self.path)
        finally:
            tmp.unlink(missing_ok=True)

    def get_password(self, service: str, username: str) -> str | None:
        with self._lock:
            return self._read().get(f"{service}\x00{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        with self._lock:
            data = self._read()
            data[f"{service}\x00{username}"] = password
            self._write(data)


@dataclass(frozen=True)
class Unlocked:
    """The passphrase was right: the store key (kept in memory only) and the vault."""

    data_dir: Path
    key: bytes = field(repr=False)
    vault: Vault = field(repr=False)


def _unlocked(data_dir: Path, key: bytes) -> Unlocked:
    path = store_path(data_dir)
    return Unlocked(data_dir, key, Vault(Path(f"{path}{VAULT_SUFFIX}"), key))


def _check_new(passphrase: str, repeated: str) -> None:
    if passphrase != repeated:
        raise InvalidInput(_("The two passphrases are not the same."),
                           hint=_("Type the new passphrase twice, exactly alike."))


def set_up(data_dir: Path, passphrase: str, repeated: str, *,
           scrypt_params: dict[str, int] | None = None) -> Unlocked:
    """A new store protected by `passphrase` (typed twice); refused when a store exists."""
    _check_new(passphrase, repeated)
    path = store_path(data_dir)
    key = create_store_key(path, passphrase=passphrase, scrypt_params=scrypt_params)
    open_store(path, key, create=True).close()
    return _unlocked(data_dir, key)


def unlock(data_dir: Path, passphrase: str) -> Unlocked:
    """The store key from the passphrase (`WrongPassphrase` if it does not fit)."""
    return _unlocked(data_dir, load_store_key(store_path(data_dir), passphrase=passphrase))


def change(data_dir: Path, old: str, new: str, repeated: str, *,
           scrypt_params: dict[str, int] | None = None) -> None:
    """Another passphrase for the store (`WrongPassphrase` if `old` is wrong)."""
    _check_new(new, repeated)
    change_passphrase(store_path(data_dir), old, new, scrypt_params=scrypt_params)


def recover(data_dir: Path, backup: Path, backup_passphrase: str, new: str, repeated: str, *,
            scrypt_params: dict[str, int] | None = None) -> Unlocked:
    """A new store from an encrypted `backup` under the passphrase `new`.

    The backup is opened with its own passphrase (and checked, as every open is); a store
    already in the data folder is moved aside with its key information and vault (renamed
    `….replaced-<UTC time>`), never overwritten or deleted.
    """
    _check_new(new, repeated)
    backup = Path(backup)
    if not backup.exists() or not sidecar_path(backup).exists():
        raise InvalidInput(_("That backup is not there (the file and its .keyinfo.json are both "
                           "needed)."), hint=_("Choose the backup file written by the backup."))
    backup_key = load_store_key(backup, passphrase=backup_passphrase)
    path = store_path(data_dir)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    with open_store(backup, backup_key) as source:
        for old in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), sidecar_path(path),
                    Path(f"{path}{VAULT_SUFFIX}")):
            if old.exists():
                old.rename(old.with_name(f"{old.name}.replaced-{stamp}"))
        key = create_store_key(path, passphrase=new, scrypt_params=scrypt_params)
        try:
            backup_store(source, path, key)
        except BaseException:
            sidecar_path(path).unlink(missing_ok=True)
            raise
    open_store(path, key).close()  # migrated and checked like any start
    return _unlocked(data_dir, key)
