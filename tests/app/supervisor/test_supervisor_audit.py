"""Tamper tests on a real SQLCipher file: edit, delete or reorder one journal row → detected."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from app.supervisor import SupervisorServices, audit
from offline_store import Store
from offline_store.store import connect
from tests.app.supervisor.helpers_supervisor import SUPERVISOR, Seeder


def _build_journal(store: Store, seed: Seeder, sv: SupervisorServices) -> int:
    for i in range(4):
        seed.tokened(amount=1000 * (i + 1), units=40 + i)
    sv.day.issue_z(SUPERVISOR)  # anchors the journal head (entry 8) in Z 1
    return int(store.call(lambda c: c.execute("SELECT count(*) FROM journal").fetchone()[0]))


def _tamper(path: Path, key: bytes, *statements: str) -> None:
    """What someone holding the key could do with any SQLCipher tool (triggers dropped)."""
    conn = connect(path, key)
    try:
        conn.execute("DROP TRIGGER IF EXISTS journal_no_update")
        conn.execute("DROP TRIGGER IF EXISTS journal_no_delete")
        conn.execute("BEGIN IMMEDIATE")
        for sql in statements:
            conn.execute(sql)
        conn.execute("COMMIT")
    finally:
        conn.close()


def _verify(path: Path, key: bytes) -> tuple[int, str]:
    out = io.StringIO()
    from unittest import mock
    with mock.patch.object(audit, "_load_key", lambda p, demo: key):
        code = audit.verify_journal_cli(path, data_dir=path.parent, demo=False, out=out)
    return code, out.getvalue()


@pytest.mark.parametrize("name, statements, first_bad", [
    ("edit", lambda n: ["UPDATE journal SET body = replace(body, '\"amount\":\"', "
                        "'\"amount\":\"9') WHERE seq = 3"], 3),
    ("edit-kind", lambda n: ["UPDATE journal SET kind = 'sale.void' WHERE seq = 5"], 5),
    ("delete", lambda n: ["DELETE FROM journal WHERE seq = 4"], 5),
    ("truncate-tail", lambda n: [f"DELETE FROM journal WHERE seq >= {n - 1}"],  # noqa: S608
     "anchor"),
    ("reorder", lambda n: ["UPDATE journal SET seq = -1 WHERE seq = 2",
                           "UPDATE journal SET seq = 2 WHERE seq = 3",
                           "UPDATE journal SET seq = 3 WHERE seq = -1"], 2),
])
def test_tampering_is_detected(tmp_path: Path, store: Store, store_key: bytes, seed: Seeder,
                               sv: SupervisorServices, name: str,
                               statements: Callable[[int], list[str]],
                               first_bad: int | str) -> None:
    n = _build_journal(store, seed, sv)
    assert audit.verify(store).ok
    path = store.path
    store.close()
    assert _verify(path, store_key) == (0, f"journal OK: {n} entries, hash chain intact\n")
    _tamper(path, store_key, *statements(n))
    code, text = _verify(path, store_key)
    assert code == 1, text
    if first_bad == "anchor":
        # Cutting off the newest entries keeps a valid chain; the Z report's anchor catches it.
        assert "recorded by Z report 1" in text
        return
    assert f"BROKEN at entry {first_bad}" in text


def test_verify_cli_missing_store(tmp_path: Path) -> None:
    out = io.StringIO()
    assert audit.verify_journal_cli(tmp_path / "none.db", data_dir=tmp_path, demo=False,
                                    out=out) == 2
    assert "no store" in out.getvalue()


def test_verify_cli_wrong_key(tmp_path: Path, store: Store) -> None:
    path = store.path
    store.close()
    out = io.StringIO()
    from unittest import mock
    with mock.patch.object(audit, "_load_key", lambda p, demo: b"\x01" * 32):
        assert audit.verify_journal_cli(path, data_dir=tmp_path, demo=False, out=out) == 2
    assert "cannot be read" in out.getvalue()


def test_journal_viewer_filters(store: Store, seed: Seeder, sv: SupervisorServices) -> None:
    _build_journal(store, seed, sv)
    all_rows = store.call(lambda c: audit.entries(c, audit.JournalFilter()))
    assert [e.seq for e in all_rows] == sorted((e.seq for e in all_rows), reverse=True)
    tokened = store.call(lambda c: audit.entries(c, audit.JournalFilter(kind_prefix="sale.tok")))
    assert len(tokened) == 4 and all(e.kind == "sale.tokened" for e in tokened)
    z = store.call(lambda c: audit.entries(c, audit.JournalFilter(ref="Z1")))
    assert [e.kind for e in z] == ["report.z_issued"]
    text = store.call(lambda c: audit.entries(c, audit.JournalFilter(text="40.00")))
    assert text and all("40.00" in str(e.body) for e in text)
    none = store.call(lambda c: audit.entries(c, audit.JournalFilter(text="%")))
    assert none == []  # LIKE wildcards are taken literally
    page = store.call(lambda c: audit.entries(c, audit.JournalFilter(limit=2, offset=1)))
    assert [e.seq for e in page] == [e.seq for e in all_rows[1:3]]
    assert "report.z_issued" in store.call(audit.kinds)
