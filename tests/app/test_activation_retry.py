"""Activation is safe to retry: a keyring that fails after the server counted a one-time code
does not burn it; the same till activates again with the same code and gets the same
credential. The real reference server over loopback HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from app.api import VendingClient
from app.api.errors import ApiRejected
from app.keystore import KeyringCredentialProvider, KeyringUnavailable, MemoryKeyring
from app.till.setup import FINGERPRINT_FILE, Activation
from vendserver.testing import RunningServer, running_server

CODE = "ONE-TIME-7731"


class FailingKeyring(MemoryKeyring):
    """A keyring whose writes fail while `broken` (a locked Secret Service, a policy)."""

    def __init__(self) -> None:
        super().__init__()
        self.broken = True

    def set_password(self, service: str, username: str, password: str) -> None:
        if self.broken:
            raise RuntimeError("keyring refused the write")
        super().set_password(service, username, password)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RunningServer]:
    (tmp_path / "srv").mkdir()
    with running_server(tmp_path / "srv", demo=True) as srv:
        srv.service.store.add_activation_code(CODE, "V001", 1)
        yield srv


def test_a_keyring_that_fails_after_the_server_counted_the_code_does_not_burn_it(
        server: RunningServer, tmp_path: Path) -> None:
    keyring = FailingKeyring()
    data_dir = tmp_path / "till"
    with pytest.raises(KeyringUnavailable) as info:
        Activation(keyring, data_dir=data_dir).activate(server.base_url, CODE, "Counter 1")
    assert "not used up" in info.value.hint
    assert "vpt_" not in str(info.value) + info.value.hint
    row = server.service.store.activation_code(CODE)
    assert row is not None and row["uses"] == 1  # the server counted it
    assert (data_dir / FINGERPRINT_FILE).exists()
    # The keyring is fixed; the settings screen is opened again (a new Activation object).
    keyring.broken = False
    terminal_id = Activation(keyring, data_dir=data_dir).activate(server.base_url, CODE,
                                                                  "Counter 1")
    provider = KeyringCredentialProvider(keyring)
    assert VendingClient(requests.Session(), server.base_url, provider).terminal() \
        .terminal_id == terminal_id
    terminals = server.service.store._all("SELECT id FROM terminals WHERE activation_code=?",
                                          (CODE,))
    assert [t["id"] for t in terminals] == [terminal_id]  # one terminal, not two


def test_another_till_cannot_reuse_the_code(server: RunningServer, tmp_path: Path) -> None:
    Activation(MemoryKeyring(), data_dir=tmp_path / "a").activate(server.base_url, CODE, "A")
    with pytest.raises(ApiRejected) as info:
        Activation(MemoryKeyring(), data_dir=tmp_path / "b").activate(server.base_url, CODE,
                                                                      "B")
    assert info.value.code == "ACTIVATION_CODE_INVALID"


def test_once_the_credential_is_used_the_code_is_spent(server: RunningServer,
                                                       tmp_path: Path) -> None:
    keyring = MemoryKeyring()
    Activation(keyring, data_dir=tmp_path).activate(server.base_url, CODE, "A")
    VendingClient(requests.Session(), server.base_url,
                  KeyringCredentialProvider(keyring)).terminal()
    with pytest.raises(ApiRejected):
        Activation(keyring, data_dir=tmp_path).activate(server.base_url, CODE, "A")
