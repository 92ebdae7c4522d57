"""Qt-free marks for texts that pyside6-lupdate must extract, and the English plural fallback.

`QT_TRANSLATE_NOOP(context, text)` returns `text` unchanged; pyside6-lupdate finds it by its
name (as it finds PySide6's own), so module-level tables in Qt-free modules (the key map, the
sale states, the flow's messages) reach the translators with a stable context. Where such a
text is shown it goes through `QCoreApplication.translate(context, text)`.

Plurals are Qt numerus texts, `tr("%n sales waiting", "", n)`: the source reads right for
n != 1 and each language's catalogue carries its forms. Without a catalogue (English) Qt
returns the source for every n, so `plural(tr(...), n, "1 sale waiting")` puts the English
singular in for n == 1 while the language is English.
"""

from __future__ import annotations

from common.i18n import DEFAULT_LANGUAGE, language


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate looks for
    """Mark `text` for translation under `context`; returns it unchanged."""
    del context
    return text


def plural(translated: str, n: int, english_one: str) -> str:
    """`translated` is a numerus `tr("%n ...", "", n)`; in English, `english_one` when n == 1."""
    if n == 1 and language() == DEFAULT_LANGUAGE:
        return english_one
    return translated
