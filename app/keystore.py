"""Where the store key and the terminal credential live: the OS keyring, or a passphrase.

Modes, recorded in a small sidecar file beside the database (`<db>.keyinfo.json`, never the key):

* ``keyring``: a random 256-bit key created at first run and kept in the OS keyring
  (Windows Credential Manager, macOS Keychain, Secret Service).
* ``passphrase``: for machines without a usable keyring, chosen explicitly by the user; a
  random key wrapped (AES-GCM) by a key derived with scrypt from the passphrase and the salt
  stored in the sidecar, so the passphrase can be changed without re-encrypting the store
  (older sidecars without a wrapped key: the key is the scrypt output itself).
* ``insecure-demo``: only for the throwaway demo store (`--demo`): the key sits in a file
  beside it, labelled as insecure. Production code never calls that function.

The sidecar also holds a short HMAC "check" of the key, so a wrong passphrase or a keyring
entry from another install is reported as such before the database is even opened. No
function here ever writes a plaintext key to disk (the demo function aside, by design).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from app.api.origin import CredentialBinding
from common.errors import StorageError, UserFacingError
from common.files import replace_file
from common.i18n import N_, _

log = logging.getLogger("vendpoint.keystore")

SERVICE = "VendPoint"
SIDECAR_SUFFIX = ".keyinfo.json"
SIDECAR_FORMAT = "vendpoint-store-keyinfo"
DEMO_KEY_FILENAME = "INSECURE-DEMO-KEY.txt"
_CHECK_LABEL = b"vendpoint store key check v1"
CREDENTIAL_ACCOUNT = "terminal-credential"

#: Production scrypt cost (~100 ms, 32 MiB); tests pass cheaper parameters explicitly.
DEFAULT_SCRYPT = {"n": 2**15, "r": 8, "p": 1}


class KeyringLike(Protocol):
    """The part of a `keyring` backend we use (lets tests inject an in-memory one)."""

    def get_password(self, service: str, username: str) -> str | None: ...

    def set_password(self, service: str, username: str, password: str) -> None: ...


class KeyringUnavailable(StorageError):
    """No usable OS keyring: the user must choose the explicit passphrase mode."""

    title = N_("No secure key storage")


class KeyMissing(StorageError):
    """The store exists but its key is not in this keyring (another user or machine?)."""


class WrongPassphrase(StorageError):
    """The passphrase does not unlock this store."""


class PassphraseRequired(StorageError):
    """The store is in passphrase mode and no passphrase was given."""


class CredentialMissing(UserFacingError):
    """This terminal has no credential: it must be activated first."""

    title = N_("Terminal not activated")


def default_keyring() -> KeyringLike:
    """The OS keyring chosen by the `keyring` package."""
    import keyring

    backend: KeyringLike = keyring.get_keyring()
    return backend


def keyring_usable(backend: KeyringLike | None = None) -> bool:
    """True if `backend` (default: the OS keyring) can really store secrets."""
    backend = backend if backend is not None else default_keyring()
    try:
        from keyring.backends import fail

        if isinstance(backend, fail.Keyring):
            return False
        priority = getattr(backend, "priority", 1)
        return bool(priority is None or float(priority) > 0)
    except Exception:  # a broken backend is an unusable one
        log.warning("keyring backend check failed", exc_info=True)
        return False


def _no_keyring() -> KeyringUnavailable:
    return KeyringUnavailable(
        _("This computer has no usable secure key storage (OS keyring), so VendPoint cannot "
        "keep the store key safely by itself."),
        hint=_("Choose passphrase mode: you will type a passphrase each time VendPoint starts. "
        "Or install/unlock a keyring (Secret Service, e.g. GNOME Keyring or KWallet)."),
    )


def key_check(key: bytes) -> str:
    """Short public check value of a key (HMAC), to tell a wrong key from a damaged file."""
    return hmac.new(key, _CHECK_LABEL, hashlib.sha256).hexdigest()[:32]


def sidecar_path(db_path: Path) -> Path:
    """The key-info sidecar for `db_path`."""
    return Path(f"{db_path}{SIDECAR_SUFFIX}")


@dataclass(frozen=True)
class KeyInfo:
    """What the sidecar says about a store's key (never the key itself)."""

    store_id: str
    mode: str
    check: str
    kdf: dict[str, Any] | None = None


def read_keyinfo(db_path: Path) -> KeyInfo:
    """Read and validate the sidecar of `db_path`."""
    path = sidecar_path(db_path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KeyMissing(
            _("The key information file {name} beside the store is missing.")
                .format(name=path.name),
            hint=_("Restore it together with the store from the same backup."),
        ) from None
    except (OSError, ValueError) as exc:
        raise StorageError(_("The key information file {name} is unreadable.")
            .format(name=path.name)) from exc
    if not isinstance(raw, dict) or raw.get("format") != SIDECAR_FORMAT:
        raise StorageError(_("{name} is not a VendPoint key information file.")
            .format(name=path.name))
    mode = raw.get("mode")
    if mode not in ("keyring", "passphrase", "insecure-demo"):
        raise StorageError(_("{name} names an unknown key mode.").format(name=path.name))
    kdf = raw.get("kdf")
    if mode == "passphrase" and not isinstance(kdf, dict):
        raise StorageError(_("{name} lacks the passphrase parameters.").format(name=path.name))
    return KeyInfo(str(raw["store_id"]), str(mode), str(raw["check"]), kdf)


def _write_new_file(path: Path, text: str, *, mode: int = 0o600) -> None:
    """Write `text` to a new file atomically; refuse if `path` exists (never overwrite)."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)  # atomic and fails if `path` already exists
        except FileExistsError:
            raise StorageError(_("{path} already exists; it was not overwritten.")
                .format(path=path)) from None
    finally:
        tmp.unlink(missing_ok=True)


def _write_keyinfo(db_path: Path, info: KeyInfo, *, replace: bool = False) -> None:
    body: dict[str, Any] = {
        "format": SIDECAR_FORMAT,
        "version": 1,
        "store_id": info.store_id,
        "mode": info.mode,
        "check": info.check,
        "note": "Key information for a VendPoint store. This file does not contain the key.",
    }
    if info.kdf is not None:
        body["kdf"] = info.kdf
    db_path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(body, indent=2) + "\n"
    if replace:
        _replace_file(sidecar_path(db_path), text)
    else:
        _write_new_file(sidecar_path(db_path), text)


def _replace_file(path: Path, text: str, *, mode: int = 0o600) -> None:
    """Replace `path` atomically: a temporary file, permissions first, fsync, rename."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        replace_file(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def derive_passphrase_key(passphrase: str, kdf: dict[str, Any]) -> bytes:
    """scrypt(passphrase, salt) → 32-byte key, with the parameters from the sidecar."""
    if not passphrase:
        raise PassphraseRequired(_("A passphrase is needed to open the local store."))
    salt = base64.b64decode(str(kdf["salt"]))
    n, r, p = int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
    return hashlib.scrypt(
        passphrase.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=32
    )


def _wrap_aad(store_id: str) -> bytes:
    return f"vendpoint store key {store_id}".encode()


def _passphrase_kdf(passphrase: str, key: bytes, store_id: str,
                    scrypt_params: dict[str, int] | None) -> dict[str, Any]:
    """New passphrase parameters (fresh salt) with `key` wrapped by the passphrase."""
    if len(passphrase) < 8:
        raise UserFacingError(
            _("The passphrase is too short."), hint="Use at least 8 characters, ideally a sentence."
        )
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    kdf: dict[str, Any] = {
        "name": "scrypt",
        **dict(scrypt_params or DEFAULT_SCRYPT),
        "salt": base64.b64encode(secrets.token_bytes(16)).decode(),
    }
    nonce = secrets.token_bytes(12)
    wrapped = AESGCM(derive_passphrase_key(passphrase, kdf)).encrypt(nonce, key,
                                                                     _wrap_aad(store_id))
    kdf["wrapped_key"] = base64.b64encode(nonce + wrapped).decode()
    return kdf


def _unwrap(passphrase: str, info: KeyInfo) -> bytes:
    """The store key of a passphrase sidecar, checked; WrongPassphrase if it does not fit."""
    assert info.kdf is not None
    derived = derive_passphrase_key(passphrase, info.kdf)
    wrapped = info.kdf.get("wrapped_key")
    if wrapped is None:
        key = derived  # a sidecar of an older version: the key is the scrypt output
    else:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        raw = base64.b64decode(str(wrapped))
        try:
            key = AESGCM(derived).decrypt(raw[:12], raw[12:], _wrap_aad(info.store_id))
        except InvalidTag:
            key = b""
    if len(key) != 32 or not hmac.compare_digest(key_check(key), info.check):
        raise WrongPassphrase(_("That passphrase does not unlock the local store."),
                              hint=_("Try again."))
    return key


def change_passphrase(db_path: Path, old: str, new: str, *,
                      scrypt_params: dict[str, int] | None = None) -> None:
    """Re-wrap the store key of a passphrase store under `new` (the store itself is not
    touched); the sidecar is replaced atomically. WrongPassphrase if `old` is wrong."""
    db_path = Path(db_path)
    info = read_keyinfo(db_path)
    if info.mode != "passphrase":
        raise StorageError(_("This store is not protected by a passphrase."))
    key = _unwrap(old, info)
    kdf = _passphrase_kdf(new, key, info.store_id, scrypt_params)
    _write_keyinfo(db_path, KeyInfo(info.store_id, "passphrase", info.check, kdf), replace=True)


def _keyring_account(store_id: str) -> str:
    return f"store-key:{store_id}"


def create_store_key(
    db_path: Path,
    *,
    passphrase: str | None = None,
    backend: KeyringLike | None = None,
    scrypt_params: dict[str, int] | None = None,
) -> bytes:
    """Create the key for a NEW store at `db_path` and record how to find it again.

    Without `passphrase`: a random key saved in the keyring (KeyringUnavailable if there is
    none usable; nothing is written then). With `passphrase`: a random key wrapped by the
    scrypt-derived one, salt and wrapped key in the sidecar.
    """
    db_path = Path(db_path)
    if db_path.exists() or sidecar_path(db_path).exists():
        raise StorageError(
            _("A store already exists at {db_path}; its key is not replaced.")
                .format(db_path=db_path),
            hint=_("Open it with its existing key, or choose another location."),
        )
    store_id = str(uuid.uuid4())
    if passphrase is None:
        backend = backend if backend is not None else default_keyring()
        if not keyring_usable(backend):
            raise _no_keyring()
        key = secrets.token_bytes(32)
        try:
            backend.set_password(
                SERVICE, _keyring_account(store_id), base64.b64encode(key).decode()
            )
        except Exception as exc:
            raise _no_keyring() from exc
        _write_keyinfo(db_path, KeyInfo(store_id, "keyring", key_check(key)))
        return key
    key = secrets.token_bytes(32)
    kdf = _passphrase_kdf(passphrase, key, store_id, scrypt_params)
    _write_keyinfo(db_path, KeyInfo(store_id, "passphrase", key_check(key), kdf))
    return key


def load_store_key(
    db_path: Path, *, passphrase: str | None = None, backend: KeyringLike | None = None
) -> bytes:
    """The key of an EXISTING store, from the keyring or the passphrase, checked."""
    info = read_keyinfo(Path(db_path))
    if info.mode == "insecure-demo":
        raise StorageError(_("This is an insecure demo store; open it only in demo mode."))
    if info.mode == "passphrase":
        if passphrase is None:
            raise PassphraseRequired(
                _("This store is protected by a passphrase."), hint="Type the store passphrase."
            )
        return _unwrap(passphrase, info)
    backend = backend if backend is not None else default_keyring()
    if not keyring_usable(backend):
        raise _no_keyring()
    stored = backend.get_password(SERVICE, _keyring_account(info.store_id))
    if stored is None:
        raise KeyMissing(
            _("The key of the local store is not in this computer's keyring."),
            hint=_("Log in as the user who set VendPoint up, or restore the keyring."),
        )
    key = base64.b64decode(stored)
    if len(key) != 32 or not hmac.compare_digest(key_check(key), info.check):
        raise KeyMissing(_("The keyring holds a key that does not belong to this store."))
    return key


def load_or_create_insecure_demo_key(demo_dir: Path) -> bytes:
    """INSECURE, demo only: a key kept in a clearly labelled file inside the demo folder.

    Used only by `--demo` for a throwaway store, so `make run` works without a keyring.
    """
    demo_dir = Path(demo_dir)
    demo_dir.mkdir(parents=True, exist_ok=True)
    path = demo_dir / DEMO_KEY_FILENAME
    if path.exists():
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        key = bytes.fromhex(lines[-1].strip())
        if len(key) != 32:
            raise StorageError(_("{path} does not hold a demo key.").format(path=path))
        return key
    key = secrets.token_bytes(32)
    _write_new_file(
        path,
        "# INSECURE DEMO KEY - for the throwaway VendPoint demo store in this folder only.\n"
        "# Anyone who can read this file can read the demo store. Never use in production.\n"
        f"{key.hex()}\n",
    )
    return key


_CREDENTIAL_FORMAT = "vendpoint-credential-v1"


class KeyringCredentialProvider:
    """Gives the API client the terminal credential from the keyring (set at activation).

    The keyring entry holds the credential with its binding: the origin of the server that
    issued it and, over https, that server's public key pin (`app.api.origin`). The API
    client sends it only there. An entry from before bindings were kept has none until
    `bind_legacy` binds it once to the configured server.
    """

    def __init__(self, backend: KeyringLike | None = None, *, account: str = CREDENTIAL_ACCOUNT):
        self._backend = backend
        self._account = account

    def _keyring(self) -> KeyringLike:
        backend = self._backend if self._backend is not None else default_keyring()
        if not keyring_usable(backend):
            raise _no_keyring()
        return backend

    def _data(self) -> dict[str, Any] | None:
        value = self._keyring().get_password(SERVICE, self._account)
        try:
            data = json.loads(value) if value else None
        except ValueError:
            return None
        return data if isinstance(data, dict) and data.get("format") == _CREDENTIAL_FORMAT \
            else None

    def anchors(self) -> list[dict[str, Any]] | None:
        """The tariff-signing keys of the activation answer kept with the credential (the
        root of trust), or None for an entry kept before they were."""
        try:
            data = self._data()
        except UserFacingError:
            return None
        keys = data.get("tariff_signing_keys") if data is not None else None
        return [dict(k) for k in keys if isinstance(k, dict)] if isinstance(keys, list) \
            else None

    def _entry(self) -> tuple[str, CredentialBinding | None]:
        value = self._keyring().get_password(SERVICE, self._account)
        if not value:
            raise CredentialMissing(
                _("This terminal has no credential."),
                hint=_("Activate it with the code from the utility."),
            )
        try:
            data = json.loads(value)
        except ValueError:
            return value, None  # a bare credential kept before bindings were recorded
        if not isinstance(data, dict) or data.get("format") != _CREDENTIAL_FORMAT or \
                not isinstance(data.get("credential"), str) or not data["credential"]:
            return value, None
        origin = data.get("origin")
        spki = data.get("spki_sha256")
        binding = CredentialBinding(str(origin), str(spki) if spki else None) \
            if isinstance(origin, str) and origin else None
        return str(data["credential"]), binding

    def __call__(self) -> str:
        return self._entry()[0]

    def binding(self) -> CredentialBinding | None:
        """Where the credential may be sent (None: no credential, or not bound yet)."""
        try:
            return self._entry()[1]
        except UserFacingError:
            return None

    def save(self, credential: str, binding: CredentialBinding | None = None, *,
             anchors: list[dict[str, Any]] | None = None) -> None:
        """Store the credential received at activation with the origin that issued it and
        the activation's tariff-signing keys (`anchors`)."""
        if binding is None:
            self._keyring().set_password(SERVICE, self._account, credential)
            return
        body: dict[str, Any] = {"format": _CREDENTIAL_FORMAT, "credential": credential,
                                "origin": binding.origin, "spki_sha256": binding.spki_sha256}
        if anchors is None:
            anchors = self.anchors()  # re-binding keeps the anchors already kept
        if anchors is not None:
            body["tariff_signing_keys"] = anchors
        self._keyring().set_password(SERVICE, self._account, json.dumps(body))

    def bind_legacy(self, binding: CredentialBinding) -> bool:
        """Bind a credential kept without a binding to `binding` (once); True if it did."""
        try:
            credential, current = self._entry()
        except UserFacingError:
            return False
        if current is not None:
            return False
        self.save(credential, binding)
        log.warning("terminal credential bound to %s (kept before bindings were recorded)",
                    binding.origin)
        return True

    def forget(self) -> None:
        """Make the credential unusable (an emptied entry reads as no credential)."""
        self._keyring().set_password(SERVICE, self._account, "")


CredentialProvider = Callable[[], str]


class MemoryKeyring:
    """An in-process keyring for tests and the demo (never persists anything)."""

    priority = 1

    def __init__(self) -> None:
        self._data: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._data.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._data[(service, username)] = password
