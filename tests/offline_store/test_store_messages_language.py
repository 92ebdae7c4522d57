"""The store's messages are in the operator's language (the current one)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from common import i18n
from offline_store import StoreMissing, open_store


@pytest.fixture
def portuguese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    catalog = Catalog(locale="pt", domain=i18n.DOMAIN)
    catalog.add("The local store {path} does not exist.", "O arquivo local {path} não existe.")
    folder = tmp_path / "i18n"
    folder.mkdir()
    with (folder / "pt.mo").open("wb") as f:
        write_mo(f, catalog)
    monkeypatch.setenv(i18n.CATALOG_ENV, str(folder))
    i18n.reset_cache()
    i18n.set_language("pt")
    yield
    i18n.reset_cache()


def test_a_missing_store_is_told_in_the_operators_language(
        portuguese: None, tmp_path: Path) -> None:
    path = tmp_path / "nowhere.db"
    with pytest.raises(StoreMissing) as missing:
        open_store(path, b"k" * 32)
    assert str(missing.value).startswith(f"O arquivo local {path} não existe.")
