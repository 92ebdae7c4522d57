"""The settings dialog's test print: the width ruler, the accents in the profile's code page,
the QR code (native or as an image) and the cash drawer, in one slip."""

from __future__ import annotations

from printers import test_page as page
from printers.profile import DrawerKick, PrinterProfile


def test_plain_test_page_has_the_ruler_and_no_drawer_kick() -> None:
    data = page.test_page(PrinterProfile(columns=32), "T-0007")
    assert data.startswith(b"\x1b@")
    assert b"12345678901234567890123456789012\n" in data
    assert b"Terminal T-0007" in data
    assert b"\x1bp" not in data and b"\x1d(k" not in data


def test_test_page_shows_code_page_qr_and_opens_the_drawer() -> None:
    profile = PrinterProfile(columns=48, escpos_profile="TM-T20II", code_page="CP860",
                             qr_code=True, cash_drawer=DrawerKick(pin=2, on_ms=60))
    data = page.test_page(profile, "T-0007")
    assert b"\x1bt\x03" in data  # CP860 selected
    assert page.ACCENTS.encode("cp860") in data  # each accent as itself
    assert b"\x1d(k" in data  # native QR
    assert data.endswith(b"\x1bp\x00\x1e\x64")  # pin 2, 60 ms
    cheap = page.test_page(PrinterProfile(columns=32, escpos_profile="POS-5890", qr_code=True), "T")
    assert b"\x1d(k" not in cheap and b"\x1dv0" in cheap and b"as an image" in cheap
