"""Migration 0018 (the sale's answer kept once) on a real SQLCipher file written by the
previous schema: the receipt's copy of the answer goes, the receipt row, the sale's own copy
(what receipts are rebuilt from) and the tokens stay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import offline_store.store as store_module
from app.sales.receipts import stored_sale_receipt
from offline_store import open_store
from tests.reliability.api_samples import sale as sample_sale


def test_0018_drops_the_receipts_copy_and_keeps_the_sale(
        tmp_path: Path, key: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.db"
    every = store_module._schema_files()
    assert [f[1] for f in every if f[0] == 18] == ["0018_receipt_answer_once.sql"]
    monkeypatch.setattr(store_module, "_schema_files", lambda: [f for f in every if f[0] <= 17])
    answer = sample_sale("k-tokened-0001")
    text = json.dumps(answer)
    old = open_store(path, key, create=True)
    old.call(lambda c: c.execute(
        "INSERT INTO sales (idem_key, created_at, updated_at, state, meter_number, amount_minor, "
        "currency, operator_id, request, receipt_no, response) VALUES ('k-tokened-0001', "
        "'2026-11-25T03:00:00Z', '2026-11-25T03:00:00Z', 'tokened', ?, 10000, 'ZAR', 'thandi', "
        "'{}', ?, ?)", (answer["meter"]["meter_number"], answer["receipt_no"], text)))
    old.call(lambda c: c.execute(
        "INSERT INTO receipts (idem_key, receipt_no, issued_at, body) "
        "VALUES ('k-tokened-0001', ?, '2026-11-25T03:00:00Z', ?)", (answer["receipt_no"], text)))
    old.close()
    monkeypatch.setattr(store_module, "_schema_files", lambda: every)

    store = open_store(path, key)
    try:
        assert store.call(lambda c: c.execute("PRAGMA user_version").fetchone()[0]) == 18
        columns = store.call(lambda c: [r[1] for r in c.execute(
            "PRAGMA table_info(receipts)").fetchall()])
        assert "body" not in columns
        assert store.call(lambda c: c.execute(
            "SELECT receipt_no FROM receipts WHERE idem_key = 'k-tokened-0001'").fetchone()) == (
            answer["receipt_no"],)
        rebuilt = store.call(lambda c: stored_sale_receipt(c, "k-tokened-0001"))
        assert rebuilt is not None and rebuilt.receipt_no == answer["receipt_no"]
        assert [t.digits for t in rebuilt.tokens] == [t["token"] for t in answer["tokens"]]
    finally:
        store.close()
