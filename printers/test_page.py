"""The printer test page: a plain ESC/POS slip that shows whether the paper width is right.

A ruler of exactly `profile.columns` digits is printed: when the width setting is right, the
last digit sits at the right edge and nothing wraps.
"""

from __future__ import annotations

from printers.profile import PrinterProfile

_INIT = b"\x1b@"
_CUT = b"\n\n\n\n\x1dV\x00"


def test_page_lines(columns: int, terminal_id: str) -> list[str]:
    """The test page's text lines (each at most `columns` characters)."""
    ruler = "".join(str(i % 10) for i in range(1, columns + 1))
    lines = ["VendPoint test print", f"Terminal {terminal_id}", f"Width: {columns} characters",
             ruler, "Digits above on one line:", "the width setting is right."]
    return [line[:columns] for line in lines]


def test_page(profile: PrinterProfile, terminal_id: str) -> bytes:
    """The test page as ESC/POS bytes for a printer with this profile."""
    body = "\n".join(test_page_lines(profile.columns, terminal_id))
    return _INIT + body.encode("ascii", "replace") + _CUT
