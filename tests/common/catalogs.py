"""A tiny gettext catalog built in a test's tmp folder, for tests that switch the language."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from common import i18n

#: msgid -> translation, or (singular, plural) -> (forms...) for an ngettext entry
Entries = Mapping[str | tuple[str, str], str | tuple[str, ...]]


def write_catalog(folder: Path, lang: str, entries: Entries) -> Path:
    """Compile `entries` to `folder/<lang>.mo` (what `make translations` makes from a .po)."""
    catalog = Catalog(locale=lang, domain=i18n.DOMAIN)
    for msgid, text in entries.items():
        catalog.add(msgid, text)
    path = folder / f"{lang}.mo"
    with path.open("wb") as f:
        write_mo(f, catalog)
    return path


@contextmanager
def language(monkeypatch: pytest.MonkeyPatch, folder: Path, lang: str,
             entries: Entries) -> Iterator[None]:
    """The core speaks `lang` from `entries` inside the block; English again after it."""
    write_catalog(folder, lang, entries)
    monkeypatch.setenv(i18n.CATALOG_ENV, str(folder))
    i18n.reset_cache()
    i18n.set_language(lang)
    try:
        yield
    finally:
        i18n.reset_cache()
