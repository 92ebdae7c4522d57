"""Signed tariffs on the terminal: verify, refuse what is not trustworthy, store, apply in time.

The server announces "tariff X has version N" (push or reconciliation); `TariffService` fetches
that version, checks it and stores it in the encrypted store. A document is accepted only if

* its Ed25519 signature verifies over the exact payload bytes, under a key id the terminal was
  provisioned with at activation (`provision_keys`; several ids may be trusted while keys rotate,
  and a key id is never re-bound to other bytes);
* the envelope agrees with the signed payload (tariff, version, key id, the parsed `document`)
  and it is the version that was asked for (an old genuine document served in answer to a
  request for a newer one is a replay);
* its version is above the highest version accepted for that tariff (persisted, so a restart
  does not reopen rollback), is not a second, different document for an accepted version, and is
  not a copy of a version already accepted (replay);
* it has not expired, and its fields follow the contract (docs/api.md).

Everything refused is written to `tariff_rejections` and the audit journal in one transaction,
logged, and published as `tariff.rejected`; an accepted version is published as
`tariff.applied`, and again as `tariff.in_force` when its `effective_from` time arrives. The
version in force at a time is the highest accepted version whose `effective_from` is not later
than that time (the server's pricing rule, docs/api.md §6). See docs/tariffs.md.

The package, by seam: `document` (the signed document's strict parser), `trust` (keys,
signatures, endorsed rotation, rollback / replay / expiry rules), `records` (what is kept in
the store), `service` (`TariffService`), `errors` (refusal codes and exceptions), `source`
(the `TariffSource` port).
"""

from __future__ import annotations

from app.tariffs.document import Block, FixedCharge, TariffDocument, iso, parse_document, parse_time
from app.tariffs.errors import Refusal, TariffNotFound, TariffRefused, TariffSourceError
from app.tariffs.service import Outcome, QuoteCheck, TariffService
from app.tariffs.source import TariffSource
from app.tariffs.trust import TrustedKey, endorsement_payload, verify_envelope

__all__ = [
    "Block",
    "FixedCharge",
    "Outcome",
    "QuoteCheck",
    "Refusal",
    "TariffDocument",
    "TariffNotFound",
    "TariffRefused",
    "TariffService",
    "TariffSource",
    "TariffSourceError",
    "TrustedKey",
    "endorsement_payload",
    "iso",
    "parse_document",
    "parse_time",
    "verify_envelope",
]
