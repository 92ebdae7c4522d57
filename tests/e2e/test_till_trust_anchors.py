"""The tariff root of trust: kept with the credential at activation, provisioned into the
encrypted store; a plaintext key file beside the store has no effect; a rotated key is
trusted only with the current key's endorsement. Real server, real SQLCipher store."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from app.keystore import KeyringCredentialProvider, MemoryKeyring
from app.settings import Settings
from app.till.build import open_production
from app.till.setup import ACTIVATION_KEYS_FILE, Activation
from common.events import EventBus
from vendserver.signing import new_keypair
from vendserver.testing import RunningServer, running_server

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def srv(tmp_path: Path):
    (tmp_path / "srv").mkdir()
    with running_server(tmp_path / "srv", demo=True) as server:
        yield server


def _attacker_key(key_id: str = "tsk-9") -> dict[str, str]:
    _, public = new_keypair()
    return {"key_id": key_id, "alg": "Ed25519",
            "public_key": base64.b64encode(public).decode()}


def _start(srv: RunningServer, data_dir: Path, keyring: MemoryKeyring) -> list[str]:
    settings = Settings({"server.url": srv.base_url, "server.connect_timeout": 2,
                         "server.read_timeout": 10})
    opened = open_production(settings, data_dir=data_dir, bus=EventBus(), keyring=keyring)
    try:
        assert opened.till.tariffs is not None
        return opened.till.tariffs.trusted_key_ids()
    finally:
        opened.till.close()


def test_an_edited_or_added_key_file_has_no_effect(srv: RunningServer, tmp_path: Path) -> None:
    data_dir, keyring = tmp_path / "till", MemoryKeyring()
    Activation(keyring, data_dir=data_dir).activate(
        srv.base_url, str(srv.demo["activation_code"]), "Counter 1")
    data_dir.mkdir(parents=True, exist_ok=True)
    keys_file = data_dir / ACTIVATION_KEYS_FILE
    # Before the first start, and again after it: an attacker on the disk adds a key.
    keys_file.write_text(json.dumps({"tariff_signing_keys": [_attacker_key()]}))
    assert _start(srv, data_dir, keyring) == ["tsk-1"]
    assert not keys_file.exists()
    keys_file.write_text(json.dumps({"tariff_signing_keys": [_attacker_key("tsk-8")]}))
    assert _start(srv, data_dir, keyring) == ["tsk-1"]
    assert not keys_file.exists()


def test_a_key_file_of_an_older_version_is_migrated_once(srv: RunningServer,
                                                         tmp_path: Path) -> None:
    data_dir, keyring = tmp_path / "till", MemoryKeyring()
    activation = srv.activate("Counter old")
    KeyringCredentialProvider(keyring).save(activation["credential"])  # an older entry
    data_dir.mkdir()
    keys_file = data_dir / ACTIVATION_KEYS_FILE
    keys_file.write_text(json.dumps(
        {"terminal_id": activation["terminal_id"],
         "tariff_signing_keys": activation["tariff_signing_keys"]}))
    assert _start(srv, data_dir, keyring) == ["tsk-1"]
    assert not keys_file.exists()
    # Put back with a key added: the store has its anchors now, so the file is ignored.
    keys_file.write_text(json.dumps({"tariff_signing_keys": [
        *activation["tariff_signing_keys"], _attacker_key()]}))
    assert _start(srv, data_dir, keyring) == ["tsk-1"]


def test_a_rotated_key_is_trusted_with_the_current_key_s_endorsement_only(
        srv: RunningServer, tmp_path: Path) -> None:
    data_dir, keyring = tmp_path / "till", MemoryKeyring()
    Activation(keyring, data_dir=data_dir).activate(
        srv.base_url, str(srv.demo["activation_code"]), "Counter 1")
    assert srv.service.rotate_signing_key() == "tsk-2"
    listed = {k["key_id"]: k for k in srv.service.signing_keys_wire()}
    assert listed["tsk-2"]["endorsed_by"] == "tsk-1" and listed["tsk-2"]["endorsement"]
    settings = Settings({"server.url": srv.base_url, "server.connect_timeout": 2,
                         "server.read_timeout": 10})
    opened = open_production(settings, data_dir=data_dir, bus=EventBus(), keyring=keyring)
    try:
        tariffs = opened.till.tariffs
        assert tariffs is not None and tariffs.key_updates == "endorsed"
        assert tariffs.trusted_key_ids() == ["tsk-1"]
        assert tariffs.refresh_keys() == 1
        assert tariffs.trusted_key_ids() == ["tsk-1", "tsk-2"]
    finally:
        opened.till.close()
    # A key added to the server's list without an endorsement by a trusted key: refused.
    private, public = new_keypair()
    with srv.service.store.transaction():
        srv.service.store.add_signing_key("tsk-3", private, public, "2026-01-01T00:00:00Z")
    opened = open_production(settings, data_dir=data_dir, bus=EventBus(), keyring=keyring)
    try:
        assert opened.till.tariffs is not None
        assert opened.till.tariffs.refresh_keys() == 0
        assert opened.till.tariffs.trusted_key_ids() == ["tsk-1", "tsk-2"]
    finally:
        opened.till.close()
