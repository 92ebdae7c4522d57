"""Text hygiene and wrapping for fixed-width receipt lines.

`clean` is applied to every string that came from a user or the server before it is laid out:
control characters (C0/C1, so ESC, GS, DLE...), Unicode format characters (bidi overrides,
zero-width joiners), surrogates and unassigned code points are removed, and line breaks become
spaces. A customer named "Bob\\x1b@\\x1dV\\x00" therefore prints as "Bob@V" and cannot
reset, cut or reconfigure the printer. `wrap` never drops characters: a word longer than the
line is split across lines.
"""

from __future__ import annotations

import unicodedata

_DROP = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_SPACE = frozenset({"Zs", "Zl", "Zp"})


def clean(text: str) -> str:
    """Printable, single-line text: no control or format characters, spaces collapsed."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in "\t\n\r\v\f":
            out.append(" ")
            continue
        category = unicodedata.category(ch)
        if category in _DROP:
            continue
        out.append(" " if category in _SPACE else ch)
    return " ".join("".join(out).split())


def char_width(ch: str) -> int:
    """Printer cells a character takes: 2 for East Asian wide, 0 for combining marks."""
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def width(text: str) -> int:
    """Printer cells a cleaned string takes at normal size."""
    return sum(char_width(ch) for ch in text)


def wrap(text: str, columns: int) -> list[str]:
    """Word-wrap `text` to `columns` cells; long words are broken, nothing is dropped."""
    if columns < 1:
        raise ValueError("columns must be positive")
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        if not word:
            continue
        candidate = f"{current} {word}" if current else word
        if width(candidate) <= columns:
            current = candidate
            continue
        if current:
            lines.append(current)
            current = ""
        while width(word) > columns:
            head, word = _split_at_width(word, columns)
            lines.append(head)
        current = word
    if current or not lines:
        lines.append(current)
    return lines


def _split_at_width(word: str, columns: int) -> tuple[str, str]:
    used = 0
    for i, ch in enumerate(word):
        used += char_width(ch)
        if used > columns:
            return word[: max(i, 1)], word[max(i, 1) :]
    return word, ""
