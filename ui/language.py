"""The screens' language: Qt's translators, the core's language, and each operator's choice.

`apply_language(app, "fr")` installs the Qt Linguist catalog of our screens
(`vendpoint_fr.qm`) and Qt's own (`qtbase_fr.qm`: the Yes/No/Cancel of standard dialogs),
takes out the previous language's, and makes French the core's language too
(`common.i18n.set_language`); English is the source, so it needs no translator. Installing a
translator sends every widget a LanguageChange event: a view that sets its texts in a
`retranslate()` method (the login screen) follows at once; the others are built again in the
new language (`ui.application` does it at sign-in, the one moment the language changes).

Which language: the terminal's (`ui.language`), unless the operator chose another on the
login screen; that choice is remembered for them (`OperatorLanguages`, a small file beside
the store: a language is no secret) and comes back at their next sign-in.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from common import i18n
from common.files import replace_file

__all__ = ["LanguageChooser", "OperatorLanguages", "apply_language", "current_language"]

log = logging.getLogger("vendpoint.ui.language")

#: Qt's catalog of its own words for each of our languages (Qt 6 has no European Portuguese
#: for its standard buttons; the Brazilian words are the same ones).
QT_BASE = {"fr": "qtbase_fr", "pt": "qtbase_pt_BR"}

_installed: list[QTranslator] = []  # kept referenced: Qt does not own them
_current = i18n.DEFAULT_LANGUAGE


def current_language() -> str:
    """The language the screens are in now."""
    return _current


def _load(name: str, folders: list[Path]) -> QTranslator | None:
    for folder in folders:
        translator = QTranslator()
        if translator.load(name, str(folder)):
            return translator
    return None


def apply_language(app: QCoreApplication, lang: str) -> str:
    """Make `lang` the language of the screens and of the core's messages from now on;
    returns it. A catalog that is missing means English words, never a failure."""
    global _current
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    i18n.set_language(lang)
    _current = lang
    if lang == i18n.DEFAULT_LANGUAGE:
        return lang
    folder = i18n.catalog_dir()
    ours = _load(f"vendpoint_{lang}", [folder])
    if ours is None:
        log.warning("no %s catalog for the screens in %s: they stay in English", lang, folder)
    qt_folders = [folder, Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    qt_own = _load(QT_BASE.get(lang, f"qtbase_{lang}"), qt_folders)
    if qt_own is None:
        log.info("no Qt catalog for %s: standard dialog buttons stay in English", lang)
    # Qt asks the translator installed last first: ours before Qt's.
    for translator in [t for t in (qt_own, ours) if t is not None]:
        app.installTranslator(translator)
        _installed.append(translator)
    return lang


class OperatorLanguages:
    """Each operator's language, remembered in a small JSON file (operator id -> code)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _read(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("operators' languages not read (%s): the terminal's language it is",
                        type(exc).__name__)
            return {}
        if not isinstance(data, dict):
            return {}
        return {str(k): v for k, v in data.items() if isinstance(v, str)}

    def get(self, operator_id: str) -> str | None:
        """The language `operator_id` chose last time, if it is still one we have."""
        lang = self._read().get(operator_id)
        return lang if lang in i18n.LANGUAGES else None

    def remember(self, operator_id: str, lang: str) -> None:
        """Keep `lang` for `operator_id` (a failed write is logged: it is only a preference)."""
        data = self._read()
        if data.get(operator_id) == lang:
            return
        data[operator_id] = lang
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
            replace_file(tmp, self.path)
        except OSError as exc:
            log.warning("operator's language not remembered: %s", type(exc).__name__)


class LanguageChooser:
    """The login screen's language: the terminal's by default, an operator's own when they
    have one, applied to the whole application as soon as it is chosen."""

    def __init__(self, app: QCoreApplication, default: str,
                 remembered: OperatorLanguages | None = None) -> None:
        self._app = app
        self.default = default if default in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE
        self._remembered = remembered

    @property
    def current(self) -> str:
        return current_language()

    def for_operator(self, operator_id: str) -> str:
        """The language `operator_id` signs in with unless they pick another."""
        if self._remembered is not None and operator_id:
            found = self._remembered.get(operator_id)
            if found is not None:
                return found
        return self.default

    def choose(self, lang: str) -> None:
        """Switch the application to `lang` (nothing to do when it is already in it)."""
        if lang != current_language():
            log.info("language: %s", lang)
            apply_language(self._app, lang)

    def signed_in(self, operator_id: str) -> None:
        """`operator_id` signed in in the current language: theirs from now on."""
        if self._remembered is not None:
            self._remembered.remember(operator_id, current_language())
