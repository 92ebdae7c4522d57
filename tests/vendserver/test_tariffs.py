"""Signed tariff versions: they verify, and a new version prices new sales."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from tests.vendserver.vs_helpers import assert_error


def test_signed_tariff_versions_verify(srv, api):
    listing = api.http.get("/v1/tariffs").json()["tariffs"]
    assert {t["id"] for t in listing} == {"RES-IBT", "COM-FLAT", "WAT-DOM"}
    keys = {k["key_id"]: k["public_key"] for k in api.activation["tariff_signing_keys"]}
    doc = api.http.get("/v1/tariffs/RES-IBT/versions/1").json()
    payload = base64.b64decode(doc["payload"])
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(keys[doc["key_id"]]))
    public.verify(base64.b64decode(doc["signature"]), payload)  # raises if wrong
    assert json.loads(payload) == doc["document"]
    for field in ("version", "issued_at", "expires_at", "effective_from", "key_id"):
        assert field in doc["document"]
    assert_error(api.http.get("/v1/tariffs/RES-IBT/versions/99"), "TARIFF_NOT_FOUND")
    assert_error(api.http.get("/v1/tariffs/NOPE/versions/1"), "TARIFF_NOT_FOUND")
    assert_error(api.http.get("/v1/tariffs/RES-IBT/versions/x"), "VALIDATION_ERROR")


def test_new_tariff_version_prices_new_sales(srv, api):
    drn = srv.meter("normal")["meter_number"]
    doc = next(t for t in srv.demo["tariffs"] if t["id"] == "RES-IBT")
    assert doc
    from vendserver.demo import TARIFFS

    new = dict(TARIFFS[0], fixed_charges=[],
               effective_from=(datetime.now(UTC) - timedelta(minutes=1)).isoformat())
    signed = srv.service.publish_tariff(new)
    assert signed["version"] == 2
    s = api.ok_sale(drn, "100.00")
    assert s["tariff"]["version"] == 2 and s["units"] == "50.0"  # no fixed charge now
    assert api.http.get("/v1/tariffs").json()["tariffs"][1]["current_version"] == 2
