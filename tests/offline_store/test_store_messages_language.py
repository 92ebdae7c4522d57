"""The store's messages are in the operator's language (the current one)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from offline_store import StoreMissing, open_store
from tests.common.catalogs import language


@pytest.fixture
def portuguese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    folder = tmp_path / "i18n"
    folder.mkdir()
    with language(monkeypatch, folder, "pt", {
            "The local store {path} does not exist.": "O arquivo local {path} não existe."}):
        yield


def test_a_missing_store_is_told_in_the_operators_language(
        portuguese: None, tmp_path: Path) -> None:
    path = tmp_path / "nowhere.db"
    with pytest.raises(StoreMissing) as missing:
        open_store(path, b"k" * 32)
    assert str(missing.value).startswith(f"O arquivo local {path} não existe.")
