"""Tests of store key management: keyring mode, passphrase mode, demo key, credentials."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.keystore import (
    DEMO_KEY_FILENAME,
    CredentialMissing,
    KeyMissing,
    KeyringCredentialProvider,
    KeyringUnavailable,
    MemoryKeyring,
    PassphraseRequired,
    WrongPassphrase,
    create_store_key,
    keyring_usable,
    load_or_create_insecure_demo_key,
    load_store_key,
    sidecar_path,
)
from common.errors import StorageError
from offline_store import open_store

CHEAP = {"n": 2**10, "r": 8, "p": 1}


def _no_secret_on_disk(folder: Path, key: bytes) -> None:
    for p in folder.rglob("*"):
        if p.is_file():
            data = p.read_bytes()
            assert key not in data and key.hex().encode() not in data


def test_keyring_mode_roundtrip_and_no_key_on_disk(tmp_path: Path) -> None:
    ring = MemoryKeyring()
    db = tmp_path / "vend.db"
    key = create_store_key(db, backend=ring)
    assert len(key) == 32
    open_store(db, key, create=True).close()
    assert load_store_key(db, backend=ring) == key
    info = json.loads(sidecar_path(db).read_text())
    assert info["mode"] == "keyring" and "kdf" not in info
    _no_secret_on_disk(tmp_path, key)


def test_no_usable_keyring_says_so_and_writes_nothing(tmp_path: Path) -> None:
    from keyring.backends import fail

    backend = fail.Keyring()
    assert not keyring_usable(backend)
    db = tmp_path / "vend.db"
    with pytest.raises(KeyringUnavailable) as info:
        create_store_key(db, backend=backend)
    assert "passphrase" in str(info.value).lower()
    assert list(tmp_path.iterdir()) == []


def test_passphrase_mode(tmp_path: Path) -> None:
    db = tmp_path / "vend.db"
    key = create_store_key(db, passphrase="correct horse battery", scrypt_params=CHEAP)
    open_store(db, key, create=True).close()
    assert load_store_key(db, passphrase="correct horse battery") == key
    with pytest.raises(WrongPassphrase):
        load_store_key(db, passphrase="wrong horse battery")
    with pytest.raises(PassphraseRequired):
        load_store_key(db)
    info = json.loads(sidecar_path(db).read_text())
    assert info["mode"] == "passphrase" and info["kdf"]["name"] == "scrypt"
    assert len(info["kdf"]["salt"]) >= 20
    _no_secret_on_disk(tmp_path, key)


def test_existing_store_key_is_never_replaced(tmp_path: Path) -> None:
    ring = MemoryKeyring()
    db = tmp_path / "vend.db"
    key = create_store_key(db, backend=ring)
    open_store(db, key, create=True).close()
    before = sidecar_path(db).read_bytes()
    with pytest.raises(StorageError, match="already exists"):
        create_store_key(db, backend=ring)
    assert sidecar_path(db).read_bytes() == before


def test_key_missing_from_keyring(tmp_path: Path) -> None:
    db = tmp_path / "vend.db"
    create_store_key(db, backend=MemoryKeyring())
    with pytest.raises(KeyMissing):
        load_store_key(db, backend=MemoryKeyring())


def test_demo_key_is_labelled_and_stable(tmp_path: Path) -> None:
    k1 = load_or_create_insecure_demo_key(tmp_path / "demo")
    k2 = load_or_create_insecure_demo_key(tmp_path / "demo")
    assert k1 == k2 and len(k1) == 32
    text = (tmp_path / "demo" / DEMO_KEY_FILENAME).read_text()
    assert text.startswith("# INSECURE DEMO KEY")


def test_credential_provider() -> None:
    ring = MemoryKeyring()
    provider = KeyringCredentialProvider(ring)
    with pytest.raises(CredentialMissing):
        provider()
    provider.save("term-cred-123")
    assert provider() == "term-cred-123"
