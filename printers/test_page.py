"""The printer test page: a short ESC/POS slip that shows whether the printer settings are right.

A ruler of exactly `profile.columns` digits is printed: when the width setting is right, the
last digit sits at the right edge and nothing wraps. A line of accented letters shows the code
page works (each should print as itself), the QR code and logo print when they are set up, and
a configured cash drawer opens, so one slip checks the whole printer setup.
"""

from __future__ import annotations

from printers.blocks import Align, Feed, Line, Logo, QrCode
from printers.profile import PrinterProfile

ACCENTS = "é è ê à ç ã õ ô ü É Ç"


def test_page_lines(columns: int, terminal_id: str) -> list[str]:
    """The test page's text lines (each at most `columns` characters)."""
    ruler = "".join(str(i % 10) for i in range(1, columns + 1))
    lines = ["VendPoint test print", f"Terminal {terminal_id}", f"Width: {columns} characters",
             ruler, "Digits above on one line:", "the width setting is right.",
             f"Accents: {ACCENTS}"]
    return [line[:columns] for line in lines]


def test_page(profile: PrinterProfile, terminal_id: str) -> bytes:
    """The test page as ESC/POS bytes for a printer with this profile (with the drawer kick
    when the profile has a drawer)."""
    from printers.render import render_blocks  # the renderer imports the receipt layout

    blocks: list[Line | Feed | QrCode | Logo] = []
    if profile.logo_path:
        blocks.append(Logo(profile.logo_path))
    blocks += [Line(text) for text in test_page_lines(profile.columns, terminal_id)]
    code_page = profile.code_page or "automatic"
    blocks.append(Line(f"Code page: {code_page}"[:profile.columns]))
    if profile.qr_code:
        kind = "QR code" if profile.qr_is_native else "QR code (as an image)"
        blocks += [Line(f"{kind} below:"), QrCode("VendPoint test print", caption="[QR]")]
    if profile.cash_drawer is not None:
        blocks += [Feed(), Line(f"Cash drawer (pin {profile.cash_drawer.pin}) opens now.",
                                align=Align.LEFT)]
    return render_blocks(blocks, profile, open_drawer=profile.cash_drawer is not None)
