"""The printer-neutral blocks a laid-out receipt is made of.

`printers.layout` produces them for a paper width; both renderers (`printers.render`: ESC/POS
bytes and plain text) consume them, so a preview shows exactly the line breaks the paper gets.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Align(StrEnum):
    """Horizontal alignment of a line."""

    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


@dataclass(frozen=True)
class Line:
    """One printed line, already wrapped to fit. `double` is double width and height."""

    text: str
    align: Align = Align.LEFT
    bold: bool = False
    double: bool = False
    invert: bool = False


@dataclass(frozen=True)
class Rule:
    """A full-width separator."""

    char: str = "-"


@dataclass(frozen=True)
class Feed:
    """Blank paper."""

    lines: int = 1


@dataclass(frozen=True)
class QrCode:
    """A QR code; `caption` is what a text preview shows instead (never a token)."""

    data: str
    caption: str


@dataclass(frozen=True)
class Barcode:
    """A CODE128 barcode of a short alphanumeric value (meter number, reference)."""

    data: str


@dataclass(frozen=True)
class Logo:
    """An image file printed centred at the top."""

    path: str


Block = Line | Rule | Feed | QrCode | Barcode | Logo
