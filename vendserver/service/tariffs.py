"""Tariffs and events: listing, signed versions, publishing, and the event log for a terminal."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from vendserver.db import Row
from vendserver.errors import ApiError
from vendserver.money import fmt_cents
from vendserver.pricing import TariffTerms
from vendserver.service.common import SQL_INT_MAX, iso, parse_time
from vendserver.service.core import ServiceCore
from vendserver.signing import b64, canonical_json, sign


class TariffOps(ServiceCore):
    """Signed tariff versions (and their publication) and a terminal's events."""

    def tariffs(self) -> dict[str, Any]:
        """GET /v1/tariffs."""
        now = iso(self.now())
        out = []
        for t in self.store.tariffs():
            versions = self.store.tariff_versions(t["id"])
            current = max((int(v["version"]) for v in versions if v["effective_from"] <= now),
                          default=0)
            out.append({"id": t["id"], "name": t["name"], "service": t["service"],
                        "unit": t["unit"], "current_version": current,
                        "versions": [int(v["version"]) for v in versions]})
        return {"tariffs": out}

    def tariff_version(self, tariff_id: str, version: int) -> dict[str, Any]:
        """GET /v1/tariffs/{id}/versions/{n}."""
        row = (self.store.tariff_version(tariff_id, version)
               if 0 <= version <= SQL_INT_MAX else None)
        if row is None:
            raise ApiError("TARIFF_NOT_FOUND", "No such tariff version.",
                           {"tariff_id": tariff_id[:64], "version": version})
        payload = bytes(row["payload"])
        return {"tariff_id": tariff_id, "version": version, "alg": "Ed25519",
                "key_id": row["key_id"], "payload": b64(payload),
                "signature": b64(bytes(row["signature"])), "document": json.loads(payload)}

    def publish_tariff(self, doc: dict[str, Any]) -> dict[str, Any]:
        """Sign and store the next version of a tariff; emits tariff.published."""
        now = self.now()
        with self.store.transaction():
            keys = self.store.signing_keys()
            signing = keys[-1]
            doc = dict(doc)
            for field in ("version", "issued_at", "key_id"):
                doc.pop(field, None)
            tariff_id = str(doc["tariff_id"])
            version = self.store.max_tariff_version(tariff_id) + 1
            doc.update({
                "version": version, "issued_at": iso(now), "key_id": signing["key_id"],
                "effective_from": iso(parse_time(doc.get("effective_from", iso(now)),
                                                 "effective_from")),
                "expires_at": iso(parse_time(doc.get("expires_at",
                                                     iso(now + timedelta(days=365))),
                                             "expires_at")),
            })
            doc.setdefault("currency", self._currency())
            if doc["currency"] != self._currency():
                raise ValueError(f"this server's tariffs are priced in {self._currency()}, "
                                 f"not {doc['currency']}")
            terms = TariffTerms.from_document(doc)  # ValueError when the tariff is unusable
            # Amounts signed as the wire writes them: exactly the currency's decimals
            # ("45" ZAR is signed as "45.00", "3360" UGX as is, "1.5" LYD as "1.500").
            if doc.get("fixed_charges"):
                doc["fixed_charges"] = [
                    {**f, "amount": fmt_cents(c.cents, terms.currency)}
                    for f, c in zip(doc["fixed_charges"], terms.fixed_charges, strict=True)]
            if doc.get("debt_recovery"):
                doc["debt_recovery"] = {**doc["debt_recovery"],
                                        "minimum": fmt_cents(terms.debt_minimum, terms.currency)}
            if self.store.tariff(tariff_id) is None:
                self.store.add_tariff(tariff_id, str(doc["name"]), str(doc["service"]),
                                      str(doc["unit"]))
            payload = canonical_json(doc)
            signature = sign(bytes(signing["private_key"]), payload)
            self.store.add_tariff_version(tariff_id, version, doc["effective_from"], payload,
                                          signature, signing["key_id"], iso(now))
            self._event("tariff.published", {"tariff_id": tariff_id, "version": version,
                                             "name": doc["name"],
                                             "effective_from": doc["effective_from"]})
        self._notify()
        return self.tariff_version(tariff_id, version)

    # -- events --------------------------------------------------------------------------------
    def events_after(self, terminal: Row, after: int, limit: int) -> list[Row]:
        """Events visible to `terminal` with id > `after`."""
        return self.store.events_after(after, terminal["id"], terminal["vendor_id"], limit)
