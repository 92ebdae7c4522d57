"""ESC/POS bytes: structure (init first, cut last), double-size grouped tokens, code pages,
and that nothing from a name can become a printer command."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PIL import Image

from printers import samples
from printers.model import Party, TokenReceipt
from printers.profile import PrinterProfile
from printers.render import render_escpos
from printers.text import clean

ESC_INIT = b"\x1b@"
DOUBLE = b"\x1b!\x30"  # ESC ! with double width and height (python-escpos "2x")
NORMAL = b"\x1b!\x00"
CUT = b"\x1dV"


def test_job_starts_with_init_and_ends_with_cut() -> None:
    data = render_escpos(samples.token_receipt(), PrinterProfile(columns=48))
    assert data.startswith(ESC_INIT)
    assert data.count(ESC_INIT) == 1
    assert CUT in data[-8:]


def test_tokens_are_double_size_and_grouped() -> None:
    data = render_escpos(samples.token_receipt(), PrinterProfile(columns=48))
    for token in (samples.KEY_CHANGE_1, samples.KEY_CHANGE_2, samples.CREDIT):
        at = data.index(token.grouped().encode())
        # The last size command before the token is double width and height.
        assert data.rfind(DOUBLE, 0, at) > data.rfind(NORMAL, 0, at)
    # Key change 1, then 2, then credit.
    positions = [data.index(t.grouped().encode()) for t in
                 (samples.KEY_CHANGE_1, samples.KEY_CHANGE_2, samples.CREDIT)]
    assert positions == sorted(positions)


def test_58mm_token_splits_on_a_group_boundary() -> None:
    data = render_escpos(samples.token_receipt(key_change=False), PrinterProfile(columns=32))
    assert b"1234 5678 9012\n" in data
    assert b"3456 7890\n" in data


def test_accented_names_use_a_code_page() -> None:
    receipt = TokenReceipt(replace(samples.sale(), customer=Party(name="Zoë Ñúñez-Müller")))
    data = render_escpos(receipt, PrinterProfile(columns=48))
    # CP437 (ESC t 0) holds ë, Ñ, ú, ñ and ü: no "?" substitutes.
    assert "Zoë Ñúñez-Müller".encode("cp437") in data
    assert b"\x1bt\x00" in data


def test_non_latin_names_switch_code_pages() -> None:
    receipt = TokenReceipt(replace(samples.sale(), customer=Party(name="Анна Ωμέγα")))
    data = render_escpos(receipt, PrinterProfile(columns=48))
    assert "Анна".encode("cp866") in data or "Анна".encode("cp1251") in data
    assert data.count(b"\x1bt") >= 2  # at least one switch away from the first code page


def test_control_bytes_in_a_name_print_as_harmless_text() -> None:
    # ESC @ (reset), GS V (cut), DLE DC4 (real-time drawer kick), ESC p (drawer), ESC d.
    evil_name = "Bob\x1b@\x1dV\x00\x10\x14\x01\x00\x05\x1b\x70\x00\x19 Smith"
    evil_address = "\x1bd\x09Main Rd"
    hostile = replace(samples.pending_slip(),
                      customer=Party(name=evil_name, address=(evil_address,)))
    harmless = replace(samples.pending_slip(),
                       customer=Party(name=clean(evil_name), address=(clean(evil_address),)))
    assert clean(evil_name) == "Bob@Vp Smith"
    data = render_escpos(hostile, PrinterProfile(columns=48))
    assert b"Bob@Vp Smith" in data and b"d Main Rd" in data
    # Byte for byte what the cleaned name prints: no control byte of the name got through.
    assert data == render_escpos(harmless, PrinterProfile(columns=48))
    assert data.count(ESC_INIT) == 1
    assert b"\x1bp" not in data and b"\x10\x14" not in data
    assert data.count(CUT) == 1


def test_qr_barcode_and_logo_are_optional(tmp_path: Path) -> None:
    bare = render_escpos(samples.token_receipt(), PrinterProfile(columns=48))
    assert b"\x1d(k" not in bare and b"\x1dk" not in bare
    logo = tmp_path / "logo.png"
    Image.new("L", (800, 120), 0).save(logo)
    full = render_escpos(samples.token_receipt(), PrinterProfile(
        columns=48, qr_code=True, barcode=True, logo_path=str(logo)))
    assert b"\x1d(k" in full  # native QR (GS ( k)
    assert samples.CREDIT.digits.encode() in full  # the QR carries the tokens
    assert b"\x1dk" in full and b"{B01234567897" in full  # CODE128 of the meter number
    raster = full.index(b"\x1dv0")  # GS v 0 raster logo, scaled to the paper width
    width_bytes = int.from_bytes(full[raster + 4:raster + 6], "little")
    assert width_bytes * 8 <= 48 * 12


def test_qr_prints_as_an_image_on_a_model_without_native_qr() -> None:
    receipt = samples.token_receipt()
    # POS-5890 (a common 58 mm clone) has no GS ( k in its capabilities profile.
    cheap = PrinterProfile(columns=32, escpos_profile="POS-5890", qr_code=True)
    assert not cheap.qr_is_native
    data = render_escpos(receipt, cheap)
    assert b"\x1d(k" not in data
    assert b"\x1dv0" in data  # the QR as a GS v 0 raster image
    assert PrinterProfile(columns=32, escpos_profile="TM-T20II", qr_code=True).qr_is_native
    # Asked not to (a model the profile gets wrong): an image too.
    assert not PrinterProfile(escpos_profile="TM-T20II", native_qr=False).qr_is_native
