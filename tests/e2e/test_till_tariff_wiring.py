"""The till's tariff wiring against the real server and a real SQLCipher store: signing keys
come from the activation answer (kept at activation), a later start does not trust new keys
the server lists, and the sale service refuses a stale quote (the tariff service is wired)."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.api import models as api
from app.api.models import Money
from app.keystore import KeyringCredentialProvider, MemoryKeyring
from app.settings import Settings
from app.till import PriceChanged
from common.events import EventBus
from offline_store.store import open_store
from ui.bootstrap import ActivationPort, Core, build_core, load_activation_keys
from vendserver.testing import running_server

pytestmark = [pytest.mark.e2e]


def test_activation_keeps_the_signing_keys_with_the_credential_not_in_a_file(
        tmp_path: Path) -> None:
    (tmp_path / "srv").mkdir()
    with running_server(tmp_path / "srv", demo=True) as srv:
        keyring = MemoryKeyring()
        port = ActivationPort(keyring, data_dir=tmp_path / "till")
        port.activate(srv.base_url, str(srv.demo["activation_code"]), "Counter keys")
        kept = KeyringCredentialProvider(keyring).anchors()
        assert kept is not None and [k["key_id"] for k in kept] == ["tsk-1"]
        assert load_activation_keys(tmp_path / "till") is None  # no plaintext root of trust
        assert port.is_activated()


def _core(tmp_path: Path, url: str, credential: str, key: bytes, **kw: Any) -> Core:
    store = open_store(tmp_path / "store.db", key, create=True)
    settings = Settings({"server.connect_timeout": 2, "server.read_timeout": 10})
    return build_core(bus=EventBus(), server_url=url, credential=lambda: credential,
                      store=store, settings=settings, data_dir=tmp_path,
                      sync_backoff_cap=0.3, sync_idle_interval=0.5, **kw)


def test_keys_from_activation_only_and_rotation_not_trusted_at_restart(tmp_path: Path) -> None:
    (tmp_path / "srv").mkdir()
    key = os.urandom(32)
    with running_server(tmp_path / "srv", demo=True) as srv:
        activation = srv.activate("Counter rotation")
        core = _core(tmp_path, srv.base_url, activation["credential"], key,
                     terminal=api.parse_terminal(activation))
        try:
            assert core.tariffs is not None
            assert core.tariffs.trusted_key_ids() == ["tsk-1"]
            source = core.store.call(lambda c: c.execute(
                "SELECT source FROM tariff_keys WHERE key_id = 'tsk-1'").fetchone())
            assert source == ("activation",)
        finally:
            core.close()
        # The server now lists a second key (no endorsement). A restart asks GET /v1/terminal
        # (terminal=None) but must not trust what it lists: only refresh_keys() may, and by
        # default only endorsed keys.
        assert srv.service.rotate_signing_key() == "tsk-2"
        again = _core(tmp_path, srv.base_url, activation["credential"], key, push_on=True)
        try:
            assert again.tariffs is not None
            assert again.tariffs.trusted_key_ids() == ["tsk-1"]
        finally:
            again.close()


def test_new_store_without_kept_keys_takes_activation_keys_not_the_servers(tmp_path: Path) -> None:
    """A production start: terminal from GET /v1/terminal, keys from the activation file."""
    (tmp_path / "srv").mkdir()
    with running_server(tmp_path / "srv", demo=True) as srv:
        activation = srv.activate("Counter file")
        activation_keys = list(activation["tariff_signing_keys"])
        assert srv.service.rotate_signing_key() == "tsk-2"  # rotated before the first start
        core = _core(tmp_path, srv.base_url, activation["credential"], os.urandom(32),
                     activation_keys=activation_keys)
        try:
            assert core.tariffs is not None
            assert core.tariffs.trusted_key_ids() == ["tsk-1"]
        finally:
            core.close()


def test_sale_service_has_the_tariff_service(tmp_path: Path) -> None:
    (tmp_path / "srv").mkdir()
    with running_server(tmp_path / "srv", demo=True) as srv:
        activation = srv.activate("Counter sale")
        core = _core(tmp_path, srv.base_url, activation["credential"], os.urandom(32),
                     terminal=api.parse_terminal(activation))
        try:
            assert core.till.service.tariffs is core.tariffs
            assert core.tariffs is not None
            # The tariff fetches go through the shared client (its pin and timeouts).
            assert getattr(core.tariffs.source, "client", None) is core.till.backend
            assert core.push is not None and core.push.config.read_timeout == 45.0
            meter = srv.meter("normal")["meter_number"]
            assert core.till.quote(meter, Money(10000, "ZAR")).tariff_version >= 1
        finally:
            core.close()


def test_sale_on_a_superseded_quote_is_refused_with_the_new_quote(tmp_path: Path) -> None:
    (tmp_path / "srv").mkdir()
    with running_server(tmp_path / "srv", demo=True, heartbeat=0.5) as srv:
        activation = srv.activate("Counter stale")
        core = _core(tmp_path, srv.base_url, activation["credential"], os.urandom(32),
                     terminal=api.parse_terminal(activation))
        try:
            adapter, tariffs = core.till, core.tariffs
            assert tariffs is not None
            cashier = adapter.sign_in("thandi", "1234")
            meter = srv.meter("normal")["meter_number"]
            old = adapter.quote(meter, Money(10000, "ZAR"))
            assert adapter.requote_if_stale(old.handle) is None  # still the version in force
            doc = dict(srv.service.tariff_version(old.tariff_id, old.tariff_version)["document"])
            for name in ("effective_from", "expires_at"):
                doc.pop(name, None)
            for block in doc.get("blocks") or []:  # a real price change
                if isinstance(block, dict) and "rate" in block:
                    block["rate"] = str(Decimal(str(block["rate"])) * 2)
            srv.service.publish_tariff(doc)
            tariffs.reconcile()  # as the push listener does on the announcement
            with pytest.raises(PriceChanged) as refused:  # sold on the quote shown
                adapter.sell(meter, Money(10000, "ZAR"), cashier, quote=old.handle)
            change = refused.value.change
            assert change is not None
            assert change.quote.tariff_version == old.tariff_version + 1
            assert "The tariff changed from version" in change.summary
            assert core.store.call(lambda c: c.execute(
                "SELECT count(*) FROM sales").fetchone()) == (0,)  # nothing sold
            # Confirmed: sold exactly on the new quote.
            sold = adapter.sell(meter, Money(10000, "ZAR"), cashier, quote=change.quote.handle)
            assert sold.units == change.quote.units
        finally:
            core.close()


def test_a_re_activation_s_keys_are_trusted_at_the_next_start(tmp_path: Path) -> None:
    (tmp_path / "srv").mkdir()
    key = os.urandom(32)
    with running_server(tmp_path / "srv", demo=True) as srv:
        first = srv.activate("Counter first")
        core = _core(tmp_path, srv.base_url, first["credential"], key,
                     terminal=api.parse_terminal(first))
        core.close()
        assert srv.service.rotate_signing_key() == "tsk-2"
        again = srv.activate("Counter again")  # the utility re-activates the till
        assert [k["key_id"] for k in again["tariff_signing_keys"]] == ["tsk-1", "tsk-2"]
        core = _core(tmp_path, srv.base_url, again["credential"], key,
                     activation_keys=list(again["tariff_signing_keys"]))
        try:
            assert core.tariffs is not None
            assert core.tariffs.trusted_key_ids() == ["tsk-1", "tsk-2"]
            sources = core.store.call(lambda c: c.execute(
                "SELECT source FROM tariff_keys ORDER BY key_id").fetchall())
            assert sources == [("activation",), ("activation",)]
        finally:
            core.close()
