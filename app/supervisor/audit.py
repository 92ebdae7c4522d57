"""Audit: verify the journal's hash chain, and read the journal with filters (journal viewer).

`JournalService` is what the screens use: reading, verifying and exporting the journal need
VIEW_JOURNAL, checked here; an export is itself journaled (`journal.exported`). The functions
on a `Connection` below are the queries it runs.

`verify_journal_cli` backs `python main.py --verify-journal [STORE]`: it opens the store
read-only in spirit (nothing is written), recomputes the chain and prints the first broken
entry. Exit code 0 = intact, 1 = broken, 2 = the store could not be opened.
"""

from __future__ import annotations

import getpass
import json
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

from app.supervisor.exports import journal_csv, write_text
from app.supervisor.journal_entry import JournalEntry
from app.supervisor.permissions import Actor, Permission, require
from common.errors import UserFacingError
from common.i18n import _
from offline_store import Connection, Store, open_store
from offline_store.journal import ChainReport, append, verify_chain


@dataclass(frozen=True)
class JournalFilter:
    """Viewer filters; empty fields match everything. Times are UTC ISO prefixes."""

    kind_prefix: str = ""
    ref: str = ""
    text: str = ""
    start: str = ""
    end: str = ""
    limit: int = 500  # -1: no limit
    offset: int = 0


class JournalService:
    """The audit journal for operators allowed to read it: entries, verification, export."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def search(self, actor: Actor, f: JournalFilter) -> tuple[list[JournalEntry], list[str]]:
        """Entries matching `f` (newest first) and every entry kind (for the kind filter)."""
        require(actor, Permission.VIEW_JOURNAL)
        return self.store.call(lambda c: (entries(c, f), kinds(c)))

    def verify(self, actor: Actor) -> ChainReport:
        """Recompute the hash chain and check the Z anchors (see `verify`)."""
        require(actor, Permission.VIEW_JOURNAL)
        return verify(self.store)

    def export_csv(self, actor: Actor, f: JournalFilter, path: Path) -> int:
        """Every entry matching `f` (no page limit), oldest first, as CSV; returns how many."""
        require(actor, Permission.VIEW_JOURNAL)
        everything = replace(f, limit=-1, offset=0)
        found = self.store.call(lambda c: entries(c, everything), timeout=None)
        write_text(path, journal_csv(reversed(found)))
        self.store.call(lambda c: append(c, "journal.exported", {
            "operator_id": actor.id, "file": path.name, "entries": len(found),
            "kind_prefix": f.kind_prefix, "ref": f.ref, "text": f.text, "start": f.start,
            "end": f.end}))
        return len(found)


def verify(store: Store) -> ChainReport:
    """Recompute the whole hash chain, then check the Z reports' anchors into it.

    The chain alone cannot tell that its newest entries were cut off; each Z report stores
    the journal head (seq, hash) at the time it was issued, so a journal that no longer holds
    that entry, or holds another one there, is reported too.
    """
    return store.call(verify_with_anchors, timeout=None)


def verify_with_anchors(conn: Connection) -> ChainReport:
    """`verify_chain` plus the Z-report anchors (see `verify`)."""
    report = verify_chain(conn)
    if not report.ok:
        return report
    for z_number, seq, digest in conn.execute(
            "SELECT z_number, journal_seq, journal_hash FROM z_reports WHERE journal_seq > 0 "
            "ORDER BY z_number"):
        row = conn.execute("SELECT hash FROM journal WHERE seq = ?", (seq,)).fetchone()
        if row is None or row[0] != digest:
            return ChainReport(False, report.entries, int(seq),
                               _("entry {seq} recorded by Z report {number} is missing or "
                                 "different (journal truncated or rewritten)").format(
                                   seq=seq, number=z_number))
    return report


def entries(conn: Connection, f: JournalFilter) -> list[JournalEntry]:
    """Entries matching `f`, newest first."""
    where, params = [], []
    if f.kind_prefix:
        where.append("kind LIKE ? ESCAPE '\\'")
        params.append(_like(f.kind_prefix) + "%")
    if f.ref:
        where.append("ref = ?")
        params.append(f.ref)
    if f.text:
        where.append("(body LIKE ? ESCAPE '\\' OR ref LIKE ? ESCAPE '\\')")
        params += ["%" + _like(f.text) + "%"] * 2
    if f.start:
        where.append("at >= ?")
        params.append(f.start)
    if f.end:
        where.append("at < ?")
        params.append(f.end)
    sql = "SELECT seq, at, kind, ref, body FROM journal"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY seq DESC LIMIT ? OFFSET ?"
    out = []
    for seq, at, kind, ref, body in conn.execute(sql, (*params, f.limit, f.offset)):
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = {"unreadable": True}
        out.append(JournalEntry(int(seq), str(at), str(kind), str(ref),
                                parsed if isinstance(parsed, dict) else {"value": parsed}))
    return out


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def kinds(conn: Connection) -> list[str]:
    """Distinct entry kinds (for the viewer's kind filter)."""
    return [str(r[0]) for r in conn.execute("SELECT DISTINCT kind FROM journal ORDER BY kind")]


def describe(report: ChainReport) -> str:
    """One line for people."""
    # "entries" whatever the count: the line is read by scripts as it always was.
    if report.ok:
        return _("journal OK: {n} entries, hash chain intact").format(n=report.entries)
    return _("journal BROKEN at entry {seq}: {problem} ({n} entries read)").format(
        seq=report.first_bad_seq, problem=report.problem, n=report.entries)


def _default_store(data_dir: Path, demo: bool) -> Path:
    return data_dir / "store" / ("demo.db" if demo else "vendpoint.db")


def _load_key(path: Path, demo: bool) -> bytes:
    from app import keystore

    if demo:
        return keystore.load_or_create_insecure_demo_key(path.parent)
    info = keystore.read_keyinfo(path)
    if info.mode == "passphrase":
        return keystore.load_store_key(path, passphrase=getpass.getpass(_("Store passphrase: ")))
    return keystore.load_store_key(path)


def verify_journal_cli(store_path: Path | None, *, data_dir: Path, demo: bool,
                       out: TextIO | None = None) -> int:
    """`--verify-journal`: print the verdict; 0 intact, 1 broken, 2 cannot open."""
    out = out if out is not None else sys.stdout
    path = store_path or _default_store(data_dir, demo)
    if not path.exists():
        print("verify-journal: " + _("no store at {path}").format(path=path), file=out)
        return 2
    try:
        key = _load_key(path, demo or path.name == "demo.db")
        store = open_store(path, key)
    except UserFacingError as exc:
        print(f"verify-journal: {exc}", file=out)
        return 2
    try:
        report = verify(store)
    finally:
        store.close()
    print(describe(report), file=out)
    return 0 if report.ok else 1
