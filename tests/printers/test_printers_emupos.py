"""The real ESC/POS bytes printed on the emupos emulator (a thermal printer model): the token,
the meter and the amount come out as text, at every paper width.

emupos needs Python >= 3.13; the test uses (or creates) its venv outside the repository and
is skipped, with the reason, where that is impossible.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from printers import emulator, samples
from printers.profile import PrinterProfile
from printers.render import render_escpos


@pytest.fixture(scope="module")
def emupos_python() -> Iterator[Path]:
    try:
        yield emulator.ensure_emupos()
    except emulator.EmuposUnavailable as exc:
        print(f"emupos tests skipped: {exc}")
        pytest.skip(str(exc))


@pytest.mark.parametrize("columns", [32, 42, 48])
def test_token_meter_and_amount_print(emupos_python: Path, columns: int, tmp_path: Path) -> None:
    data = render_escpos(samples.token_receipt(), PrinterProfile(columns=columns, qr_code=True))
    png = tmp_path / "r.png"
    text = emulator.render(data, columns * 12, png=png, python=emupos_python)
    lines = [line.strip() for line in text.splitlines()]
    flat = " ".join(text.split())
    for token in (samples.KEY_CHANGE_1, samples.KEY_CHANGE_2, samples.CREDIT,
                  samples.FREE_BASIC):
        grouped = token.grouped()
        if columns == 48:
            assert grouped in lines  # one double-size line
        else:
            groups = grouped.split(" ")
            i = lines.index(" ".join(groups[:3]))
            assert lines[i + 1] == " ".join(groups[3:])
    assert "01234567897" in flat
    assert "ZAR 250.00" in flat
    assert "Corner Café & Spaza" in flat  # accented text through the code page
    assert png.read_bytes().startswith(b"\x89PNG")


def test_pending_slip_on_58mm(emupos_python: Path) -> None:
    data = render_escpos(samples.pending_slip(), PrinterProfile(columns=32))
    text = emulator.render(data, 384, python=emupos_python)
    assert text.count("NOT A TOKEN") == 2
    assert "OFF-T0007-000058" in text and "ZAR 100.00" in text and "01234567897" in text


def test_hostile_name_prints_as_text(emupos_python: Path) -> None:
    from dataclasses import replace

    from printers.model import Party

    slip = replace(samples.pending_slip(), customer=Party(name="Eve\x1b@\x1dV\x00 Attacker"))
    text = emulator.render(render_escpos(slip, PrinterProfile(columns=48)), 576,
                         python=emupos_python)
    assert "Eve@V Attacker" in text
    # The receipt is whole: no reset or cut from the name cut it short.
    assert text.count("NOT A TOKEN") == 2
