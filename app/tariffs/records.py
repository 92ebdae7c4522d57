"""What the tariff service keeps in the encrypted store, as functions run on its owner thread.

Each function takes the store's `Connection` (so callers pass it to `Store.call`) and writes
the audit journal in the same transaction as the row it records: trusted keys, accepted
versions (with the highest version per tariff, which makes rollback protection survive a
restart) and refusals.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from app.tariffs.document import TariffDocument, iso
from app.tariffs.errors import Refusal, TariffRefused
from app.tariffs.trust import TrustedKey, check_new_version
from offline_store import Connection
from offline_store.journal import append, utc_now

__all__ = [
    "REJECTION_FIELDS",
    "commit_version",
    "highest_version",
    "insert_keys",
    "read_keys",
    "read_rejections",
    "retire_key",
    "stored_versions",
    "write_refusal",
]

#: The columns of a refusal as `read_rejections` returns them.
REJECTION_FIELDS = ("at", "tariff_id", "version", "key_id", "reason", "message")


# -- keys -----------------------------------------------------------------------------------------
def insert_keys(conn: Connection, keys: Sequence[TrustedKey], source: str) -> int:
    """Trust `keys`; returns how many are new. A known id bound to other bytes is refused
    (`TariffRefused` UNKNOWN_KEY), so a key cannot be swapped in silently."""
    added = 0
    for k in keys:
        row = conn.execute("SELECT public_key FROM tariff_keys WHERE key_id = ?",
                           (k.key_id,)).fetchone()
        encoded = base64.b64encode(k.public_key).decode("ascii")
        if row is not None:
            if row[0] != encoded:
                raise TariffRefused(Refusal.UNKNOWN_KEY,
                                    f"key id {k.key_id} is already bound to another key",
                                    key_id=k.key_id)
            continue
        conn.execute("INSERT INTO tariff_keys (key_id, alg, public_key, source, "
                     "added_at) VALUES (?, 'Ed25519', ?, ?, ?)",
                     (k.key_id, encoded, source, utc_now()))
        append(conn, "tariff.key_added", {"key_id": k.key_id, "source": source},
               ref=k.key_id)
        added += 1
    return added


def retire_key(conn: Connection, key_id: str) -> None:
    """Mark `key_id` retired (documents it signed stay readable)."""
    conn.execute("UPDATE tariff_keys SET retired_at = ? WHERE key_id = ? AND "
                 "retired_at IS NULL", (utc_now(), key_id))
    append(conn, "tariff.key_retired", {"key_id": key_id}, ref=key_id)


def read_keys(conn: Connection) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """(keys new documents may be signed with, every key ever trusted) by key id."""
    rows = conn.execute("SELECT key_id, public_key, retired_at FROM tariff_keys").fetchall()
    keys: dict[str, bytes] = {}
    every: dict[str, bytes] = {}
    for key_id, encoded, retired in rows:
        raw = base64.b64decode(encoded)
        every[key_id] = raw
        if retired is None:
            keys[key_id] = raw
    return keys, every


# -- versions -------------------------------------------------------------------------------------
def stored_versions(conn: Connection) -> list[tuple[str, int, str, str, str]]:
    """Every accepted version as (tariff_id, version, payload text, signature, key_id)."""
    rows: list[tuple[str, int, str, str, str]] = conn.execute(
        "SELECT v.tariff_id, v.version, v.document, v.signature, a.key_id "
        "FROM tariff_versions v JOIN tariff_accepted a "
        "ON a.tariff_id = v.tariff_id AND a.version = v.version "
        "ORDER BY v.tariff_id, v.version").fetchall()
    return rows


def highest_version(conn: Connection, tariff_id: str) -> int:
    """The highest version accepted for `tariff_id` (0 if none)."""
    row = conn.execute("SELECT version FROM tariff_highest WHERE tariff_id = ?",
                       (tariff_id,)).fetchone()
    return int(row[0]) if row else 0


def commit_version(conn: Connection, doc: TariffDocument, payload: bytes, signature: str,
                   now: datetime) -> int:
    """Rollback / conflict / replay / expiry checks and the write, in ONE transaction.

    Returns the previous highest version; raises `TariffRefused` and writes nothing if a
    check fails.
    """
    highest = highest_version(conn, doc.tariff_id)
    same = conn.execute("SELECT payload_sha256 FROM tariff_accepted WHERE tariff_id = ? "
                        "AND version = ?", (doc.tariff_id, doc.version)).fetchone()
    check_new_version(doc, highest, None if same is None else str(same[0]), now)
    accepted_at = utc_now()
    conn.execute("INSERT INTO tariff_versions (tariff_id, version, document, signature, "
                 "fetched_at) VALUES (?, ?, ?, ?, ?)",
                 (doc.tariff_id, doc.version, payload.decode("utf-8"), signature,
                  accepted_at))
    conn.execute("INSERT INTO tariff_accepted (tariff_id, version, name, key_id, "
                 "payload_sha256, issued_at, effective_from, expires_at, accepted_at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 (doc.tariff_id, doc.version, doc.name, doc.key_id, doc.payload_sha256,
                  iso(doc.issued_at), iso(doc.effective_from), iso(doc.expires_at),
                  accepted_at))
    conn.execute("INSERT INTO tariff_highest (tariff_id, version) VALUES (?, ?) "
                 "ON CONFLICT(tariff_id) DO UPDATE SET version = excluded.version",
                 (doc.tariff_id, doc.version))
    append(conn, "tariff.accepted",
           {"tariff_id": doc.tariff_id, "version": doc.version, "key_id": doc.key_id,
            "payload_sha256": doc.payload_sha256,
            "effective_from": iso(doc.effective_from)},
           ref=f"{doc.tariff_id}:{doc.version}")
    return highest


# -- refusals -------------------------------------------------------------------------------------
def write_refusal(conn: Connection, exc: TariffRefused, tariff_id: str) -> None:
    """Record a refused document in `tariff_rejections` and the journal."""
    conn.execute("INSERT INTO tariff_rejections (at, tariff_id, version, key_id, reason, "
                 "message, payload_sha256) VALUES (?, ?, ?, ?, ?, ?, ?)",
                 (utc_now(), tariff_id, exc.version, exc.key_id, exc.code,
                  exc.message, exc.payload_sha256))
    append(conn, "tariff.rejected",
           {"tariff_id": tariff_id, "version": exc.version, "reason": exc.code,
            "key_id": exc.key_id, "payload_sha256": exc.payload_sha256},
           ref=f"{tariff_id}:{exc.version}")


def read_rejections(conn: Connection, limit: int) -> list[dict[str, Any]]:
    """The most recent refusals, newest first."""
    rows = conn.execute(
        "SELECT at, tariff_id, version, key_id, reason, message FROM tariff_rejections "
        "ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
    return [dict(zip(REJECTION_FIELDS, r, strict=True)) for r in rows]
