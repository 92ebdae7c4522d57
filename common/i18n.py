"""Translations of the core's words without Qt: gettext catalogs, one language at a time.

The core (app/, printers/, sts/, common/) writes its messages in English and marks each with
`_()` (or `ngettext()` when a number decides the form). The words are looked up in the
catalog of the current language when the message is made: the operator's language, set at
sign-in by `set_language`. A receipt is written in the customer-facing language instead, so
the receipt builder asks for `translator(lang)` and uses that one explicitly.

Catalogs: `resources/i18n/<lang>.po` (the translators' source, extracted with Babel),
compiled to `<lang>.mo` by the build (`make translations`); the Qt screens have their own
Qt Linguist catalogs (`resources/i18n/vendpoint_<lang>.ts` → `.qm`). Placeholders are named
(`{meter}`), filled after translation with `.format()`, so a translation may move them but
must keep every one (a test checks). A missing or unreadable catalog means English, never a
failure: a till must sell even if its translations were not installed.

`N_()` marks a string for extraction without translating it, for tables built at import time
(their words are translated where they are shown, with `_()` on the value).
"""

from __future__ import annotations

import gettext as _gettext
import logging
import os
import sys
import threading
from pathlib import Path

__all__ = [
    "DEFAULT_LANGUAGE", "LANGUAGES", "LANGUAGE_NAMES", "N_", "Translator", "_", "catalog_dir",
    "gettext", "language", "ngettext", "set_language", "translator",
]

log = logging.getLogger(__name__)

DOMAIN = "vendpoint"
DEFAULT_LANGUAGE = "en"
LANGUAGES: tuple[str, ...] = ("en", "fr", "pt")
"""The languages VendPoint is translated into (English is the source)."""

LANGUAGE_NAMES: dict[str, str] = {"en": "English", "fr": "Français", "pt": "Português"}
"""Each language in its own words, as a language picker shows it."""

#: Environment override of the catalog folder (tests build a pseudo-locale there).
CATALOG_ENV = "VENDPOINT_I18N_DIR"


#: The catalogs beside the code (or in the frozen build's folder), resolved once: a receipt
#: asks for its words several times per sale, and resolving a path is a few system calls.
_BUILT_IN = (Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent))
             / "resources" / "i18n")


def catalog_dir() -> Path:
    """Where the compiled catalogs are: `resources/i18n` beside the code (or in the frozen
    build's folder), unless VENDPOINT_I18N_DIR names another."""
    override = os.environ.get(CATALOG_ENV)
    return Path(override) if override else _BUILT_IN


class Translator:
    """The words of one language: `gettext` and `ngettext` as the stdlib has them."""

    def __init__(self, lang: str, catalog: _gettext.NullTranslations) -> None:
        self.lang = lang
        self._catalog = catalog

    def gettext(self, message: str) -> str:
        """`message` in this language (the English itself when it has no translation)."""
        return self._catalog.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The form of `singular`/`plural` this language uses for `n` (French says
        '1 vente', '0 vente'; Portuguese '0 vendas')."""
        return self._catalog.ngettext(singular, plural, n)

    _ = gettext


_lock = threading.Lock()
_cache: dict[tuple[str, str], Translator] = {}
_current: Translator | None = None


def _load(lang: str) -> Translator:
    key = (os.environ.get(CATALOG_ENV) or "", lang)
    found = _cache.get(key)  # a dict read is atomic; the lock is for filling it once
    if found is not None:
        return found
    folder = catalog_dir()
    with _lock:
        found = _cache.get(key)
        if found is not None:
            return found
        catalog: _gettext.NullTranslations = _gettext.NullTranslations()
        if lang != DEFAULT_LANGUAGE:
            path = folder / f"{lang}.mo"
            try:
                with path.open("rb") as f:
                    catalog = _gettext.GNUTranslations(f)
            except OSError:
                log.warning("no %s translations at %s: the core's words stay in English",
                            lang, path)
            except Exception:  # a damaged catalog must not stop the till
                log.exception("the %s catalog at %s cannot be read; English it is", lang, path)
        found = _cache[key] = Translator(lang, catalog)
        return found


def translator(lang: str | None = None) -> Translator:
    """The words of `lang` (default: the current language); English for an unknown code."""
    if lang is None:
        return _current or _load(DEFAULT_LANGUAGE)
    return _load(lang)


def set_language(lang: str) -> None:
    """Make `lang` the language of the core's messages from now on (called at sign-in)."""
    global _current
    _current = _load(lang)


def language() -> str:
    """The current language's code ('en', 'fr', 'pt')."""
    return (_current.lang if _current is not None else DEFAULT_LANGUAGE)


def gettext(message: str) -> str:
    """`message` in the current language."""
    return translator().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The current language's form for `n`; fill `{n}` afterwards with `.format(n=n)`."""
    return translator().ngettext(singular, plural, n)


_ = gettext


def N_(message: str) -> str:
    """Mark `message` for the catalogs without translating it now."""
    return message


def reset_cache() -> None:
    """Forget loaded catalogs (tests that build catalogs of their own)."""
    global _current
    with _lock:
        _cache.clear()
    _current = None
