"""The append-only audit journal: every entry is chained to the previous one by sha256.

`hash = sha256(prev_hash + canonical_json(seq, at, kind, ref, body))`. Any edit, deletion or
reordering of an entry breaks the chain from that point on, which `verify_chain` reports.
SQL triggers also refuse UPDATE and DELETE on the table. Call these on the store's owner
thread (inside `Store.call`), in the same transaction as the change they record.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from common.i18n import _
from offline_store.store import Connection

GENESIS = "0" * 64


def canonical_json(value: Any) -> str:
    """Deterministic JSON: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def utc_now() -> str:
    """Current UTC time, ISO-8601 with microseconds and a Z."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _entry_hash(prev_hash: str, seq: int, at: str, kind: str, ref: str, body: str) -> str:
    content = canonical_json({"seq": seq, "at": at, "kind": kind, "ref": ref, "body": body})
    return hashlib.sha256((prev_hash + content).encode("utf-8")).hexdigest()


def append(
    conn: Connection, kind: str, body: Mapping[str, Any], *, ref: str = ""
) -> str:
    """Append one entry (inside the caller's transaction); returns its hash.

    Never put a token, PIN or key in `body` in clear: the journal is for audit, and it is
    printed by the verification tool.
    """
    row = conn.execute("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (1, GENESIS) if row is None else (int(row[0]) + 1, str(row[1]))
    at = utc_now()
    text = canonical_json(dict(body))
    digest = _entry_hash(prev, seq, at, kind, ref, text)
    conn.execute(
        "INSERT INTO journal (seq, at, kind, ref, body, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (seq, at, kind, ref, text, prev, digest),
    )
    return digest


@dataclass(frozen=True)
class ChainReport:
    """Result of verifying the journal: `ok`, number of entries, and the first bad entry."""

    ok: bool
    entries: int
    first_bad_seq: int | None = None
    problem: str = ""


def verify_chain(conn: Connection) -> ChainReport:
    """Recompute the chain from the start and report the first entry that does not fit."""
    prev = GENESIS
    expected_seq = 1
    count = 0
    for seq, at, kind, ref, body, prev_hash, digest in conn.execute(
        "SELECT seq, at, kind, ref, body, prev_hash, hash FROM journal ORDER BY seq"
    ):
        count += 1
        if seq != expected_seq:
            return ChainReport(False, count, seq,
                               _("entry {seq} is missing").format(seq=expected_seq))
        if prev_hash != prev:
            return ChainReport(False, count, seq, _("previous-hash link broken (reordered?)"))
        if _entry_hash(prev, seq, at, kind, ref, body) != digest:
            return ChainReport(False, count, seq, _("content does not match its hash (edited?)"))
        prev = digest
        expected_seq += 1
    return ChainReport(True, count)
