"""Passphrase mode (no keyring): set, unlock, change, recover from an encrypted backup, and
the credential kept in the encrypted vault. Real SQLCipher files, the real server."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import store_cli
from app.keystore import PassphraseRequired, WrongPassphrase, read_keyinfo, sidecar_path
from app.settings import Settings
from app.till import passphrase
from app.till.build import open_production
from app.till.setup import Activation
from common.errors import InvalidInput, StorageError
from common.events import EventBus
from offline_store import open_store
from vendserver.testing import running_server

CHEAP = {"n": 2**10, "r": 8, "p": 1}
PASS = "a quiet counter at dawn"
NEW = "another sentence entirely"


def _mark(data_dir: Path, unlocked: passphrase.Unlocked, value: str) -> None:
    with open_store(passphrase.store_path(data_dir), unlocked.key) as store:
        store.call(lambda c: c.execute(
            "INSERT INTO settings (key, value, updated_at) VALUES ('mark', ?, 'now')",
            (f'"{value}"',)))


def _read_mark(path: Path, key: bytes) -> str:
    with open_store(path, key) as store:
        return str(store.call(lambda c: c.execute(
            "SELECT value FROM settings WHERE key = 'mark'").fetchone()[0]))


def test_set_up_unlock_and_the_wrong_passphrase(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput):
        passphrase.set_up(tmp_path, PASS, PASS + "x", scrypt_params=CHEAP)
    assert not passphrase.store_path(tmp_path).exists()
    made = passphrase.set_up(tmp_path, PASS, PASS, scrypt_params=CHEAP)
    assert passphrase.is_passphrase_store(tmp_path)
    with pytest.raises(WrongPassphrase):
        passphrase.unlock(tmp_path, "not the passphrase")
    assert passphrase.unlock(tmp_path, PASS).key == made.key
    with pytest.raises(StorageError):  # a store exists: never replaced
        passphrase.set_up(tmp_path, NEW, NEW, scrypt_params=CHEAP)
    sidecar = sidecar_path(passphrase.store_path(tmp_path)).read_text()
    assert made.key.hex() not in sidecar and PASS not in sidecar


def test_change_rewraps_the_key_and_leaves_store_and_vault_alone(tmp_path: Path) -> None:
    made = passphrase.set_up(tmp_path, PASS, PASS, scrypt_params=CHEAP)
    made.vault.set_password("VendPoint", "terminal-credential", "vpt_" + "c" * 43)
    db = passphrase.store_path(tmp_path)
    before = db.read_bytes()
    with pytest.raises(WrongPassphrase):
        passphrase.change(tmp_path, "wrong wrong wrong", NEW, NEW, scrypt_params=CHEAP)
    passphrase.change(tmp_path, PASS, NEW, NEW, scrypt_params=CHEAP)
    assert db.read_bytes() == before
    with pytest.raises(WrongPassphrase):
        passphrase.unlock(tmp_path, PASS)
    again = passphrase.unlock(tmp_path, NEW)
    assert again.key == made.key
    assert again.vault.get_password("VendPoint", "terminal-credential") == "vpt_" + "c" * 43
    assert "vpt_" not in again.vault.path.read_text()


def test_recover_from_an_encrypted_backup_under_a_new_passphrase(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    till = tmp_path / "till"
    made = passphrase.set_up(till, PASS, PASS, scrypt_params=CHEAP)
    _mark(till, made, "before the disaster")
    backup = tmp_path / "usb" / "till-backup.db"
    backup.parent.mkdir()
    monkeypatch.setenv("VENDPOINT_STORE_PASSPHRASE", PASS)  # the live store's and the backup's
    assert store_cli.main(["backup", str(passphrase.store_path(till)), str(backup),
                           "--backup-passphrase"]) == 0
    with pytest.raises(WrongPassphrase):
        passphrase.recover(till, backup, "not the backup's", NEW, NEW, scrypt_params=CHEAP)
    recovered = passphrase.recover(till, backup, PASS, NEW, NEW, scrypt_params=CHEAP)
    db = passphrase.store_path(till)
    assert _read_mark(db, recovered.key) == '"before the disaster"'
    assert read_keyinfo(db).mode == "passphrase"
    assert passphrase.unlock(till, NEW).key == recovered.key
    aside = [p for p in db.parent.iterdir() if ".replaced-" in p.name]
    assert any(p.name.startswith("vendpoint.db.replaced-") for p in aside)  # moved, not deleted
    moved = next(p for p in aside if p.name.startswith("vendpoint.db.replaced-"))
    assert _read_mark(moved, made.key) == '"before the disaster"'


def test_the_credential_lives_in_the_vault_and_the_till_starts_with_the_passphrase(
        tmp_path: Path) -> None:
    data_dir = tmp_path / "till"
    (tmp_path / "srv").mkdir()
    with running_server(tmp_path / "srv", demo=True) as srv:
        made = passphrase.set_up(data_dir, PASS, PASS, scrypt_params=CHEAP)
        Activation(made.vault, data_dir=data_dir).activate(
            srv.base_url, str(srv.demo["activation_code"]), "Counter 9")
        settings = Settings()
        settings.set("server.url", srv.base_url)
        with pytest.raises(PassphraseRequired):
            open_production(settings, data_dir=data_dir, bus=EventBus())
        opened = open_production(settings, data_dir=data_dir, bus=EventBus(),
                                 unlocked=passphrase.unlock(data_dir, PASS))
        try:
            assert opened.till.probe() is not None
        finally:
            opened.till.close()
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert b"vpt_" not in path.read_bytes()  # the credential is nowhere in clear
