"""Tariff viewer over a real TariffService (real SQLCipher store, real signatures): tariffs,
history with statuses, blocks, charges, VAT, refused updates, reload on tariff events."""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from app.tariffs import TariffService
from common.events import EventBus
from offline_store import Store, open_store
from ui.qt_bridge import QtEventBridge
from ui.tariff_viewer import TariffViewer

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
KEY = Ed25519PrivateKey.generate()


def iso(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def signed(version: int, effective: datetime, rate: str, *, expires: datetime | None = None,
           tariff_id: str = "RES-IBT", name: str = "Residential IBT") -> dict[str, Any]:
    doc = {"tariff_id": tariff_id, "name": name, "service": "electricity", "unit": "kWh",
           "currency": "ZAR", "version": version, "key_id": "tsk-1",
           "issued_at": iso(effective - timedelta(days=1)), "effective_from": iso(effective),
           "expires_at": iso(expires or NOW + timedelta(days=365)),
           "prices_include_vat": True, "vat_rate": "15.00",
           "blocks": [{"from": "0.0", "to": "50.0", "rate": rate},
                      {"from": "50.0", "to": None, "rate": "2.5000"}],
           "fixed_charges": [{"code": "SERVICE", "description": "Monthly service charge",
                              "amount": "45.00"}],
           "debt_recovery": {"percent": "20.00", "minimum": "5.00"},
           "fbe_units_per_month": "50.0"}
    payload = json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()
    return {"tariff_id": tariff_id, "version": version, "alg": "Ed25519", "key_id": "tsk-1",
            "payload": base64.b64encode(payload).decode(),
            "signature": base64.b64encode(KEY.sign(payload)).decode(), "document": doc}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(tmp_path / "client.db", secrets.token_bytes(32), create=True)
    yield s
    s.close()


@pytest.fixture
def service(store: Store) -> TariffService:
    svc = TariffService(store, None, EventBus(), clock=lambda: NOW)
    public = KEY.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    svc.provision_keys([{"key_id": "tsk-1", "alg": "Ed25519",
                         "public_key": base64.b64encode(public).decode()}])
    assert svc.accept(signed(1, NOW - timedelta(days=30), "1.8000")).status == "applied"
    assert svc.accept(signed(2, NOW - timedelta(days=1), "1.9000")).status == "applied"
    assert svc.accept(signed(3, NOW + timedelta(hours=14), "2.0000")).status == "applied"
    assert svc.accept(signed(1, NOW - timedelta(days=3), "9.9999", tariff_id="WAT-DOM",
                             name="Domestic water")).status == "applied"
    bad = signed(4, NOW, "0.0001")
    bad["signature"] = base64.b64encode(b"\x00" * 64).decode()
    assert svc.accept(bad).status == "refused"
    return svc


def cells(table: Any, col: int) -> list[str]:
    return [table.item(r, col).text() for r in range(table.rowCount())]


def test_viewer_shows_tariffs_history_and_terms(qtbot, service):
    viewer = TariffViewer(service, clock=lambda: NOW)
    qtbot.addWidget(viewer)
    qtbot.waitUntil(lambda: viewer.loads == 1, timeout=10000)
    assert viewer.tariff_list.count() == 2
    assert viewer.current_tariff() == "RES-IBT"
    assert viewer.tariff_list.item(0).text() == "Residential IBT (RES-IBT)\nversion 2"
    assert cells(viewer.history, 0) == ["3", "2", "1"]
    assert cells(viewer.history, 3) == ["scheduled", "in force", "superseded"]
    assert cells(viewer.history, 1)[0] == "2026-11-26 02:00"  # utility local time
    assert viewer.history.currentRow() == 1  # the version in force is selected
    assert cells(viewer.blocks, 2)[0] == "ZAR 1.9000 / kWh (incl. VAT)"
    assert cells(viewer.blocks, 1) == ["50.0", ""]
    assert cells(viewer.charges, 1) == ["ZAR 45.00"]
    assert "VAT 15.00% (prices include VAT)" in viewer.terms.text()
    assert "Debt recovery 20.00% of each purchase, at least ZAR 5.00" in viewer.terms.text()
    assert "50.0 kWh a month" in viewer.terms.text()
    assert "version 2: in force" in viewer.heading.text()
    assert "RES-IBT v4: BAD_SIGNATURE" in viewer.refused.text()

    viewer.history.setCurrentCell(0, 0)  # look at the scheduled version
    assert cells(viewer.blocks, 2)[0] == "ZAR 2.0000 / kWh (incl. VAT)"
    assert "version 3: scheduled" in viewer.heading.text()

    viewer.tariff_list.setCurrentRow(1)
    assert cells(viewer.history, 0) == ["1"]
    assert cells(viewer.blocks, 2)[0].startswith("ZAR 9.9999")


def test_viewer_reloads_on_tariff_events_and_keeps_the_selection(qtbot, service):
    bus = service.bus
    bridge = QtEventBridge(bus)
    viewer = TariffViewer(service, bridge=bridge, clock=lambda: NOW + timedelta(days=1))
    qtbot.addWidget(viewer)
    qtbot.waitUntil(lambda: viewer.loads == 1, timeout=10000)
    viewer.tariff_list.setCurrentRow(1)
    assert service.accept(signed(2, NOW, "3.0000", tariff_id="WAT-DOM",
                                 name="Domestic water")).status == "applied"
    qtbot.waitUntil(lambda: viewer.loads == 2, timeout=10000)
    assert viewer.current_tariff() == "WAT-DOM"
    assert cells(viewer.history, 0) == ["2", "1"]
    bridge.close()


def test_viewer_without_tariffs_says_so(qtbot, store):
    viewer = TariffViewer(TariffService(store, None, EventBus()))
    qtbot.addWidget(viewer)
    qtbot.waitUntil(lambda: viewer.loads == 1, timeout=10000)
    assert viewer.heading.text() == "No tariff has been received yet."
    assert viewer.refused.text() == "No refused updates."
