"""Regenerate the receipt images in docs/receipts/ from the real ESC/POS bytes.

    .venv/bin/python -m printers.docs_images

Renders the sample receipts with `render_escpos` and prints them on the emupos emulator
(see `printers.emulator`): an 80 mm token receipt with a key change (576 dots, 48 columns) and
a 58 mm pending slip (384 dots, 32 columns).
"""

from __future__ import annotations

import sys
from pathlib import Path

from printers import emulator, samples
from printers.model import Receipt
from printers.profile import PrinterProfile
from printers.render import render_escpos

OUT = Path(__file__).resolve().parents[1] / "docs" / "receipts"


def main() -> int:
    """Write the PNGs and say where they are."""
    python = emulator.ensure_emupos()
    OUT.mkdir(parents=True, exist_ok=True)
    jobs: list[tuple[str, Receipt, PrinterProfile, int]] = [
        ("token-80mm-key-change.png", samples.token_receipt(key_change=True),
         PrinterProfile(columns=48, qr_code=True, barcode=True), 576),
        ("pending-58mm.png", samples.pending_slip(), PrinterProfile(columns=32), 384),
    ]
    for name, receipt, profile, dots in jobs:
        path = OUT / name
        emulator.render(render_escpos(receipt, profile), dots, png=path, python=python)
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
