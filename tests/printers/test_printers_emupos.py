"""The real ESC/POS bytes printed on the emupos emulator (a thermal printer model): the token,
the meter and the amount come out as text, at every paper width.

emupos needs Python >= 3.13; the test uses (or creates) its venv outside the repository and
is skipped, with the reason, where that is impossible. All receipts go through one emulator
process (it takes a second or two to start).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from printers import emulator, samples
from printers.model import Party
from printers.profile import PrinterProfile
from printers.render import render_escpos

ACCENTED = {"fr": samples.token_receipt_fr, "pt": samples.token_receipt_pt}
HOSTILE = replace(samples.pending_slip(), customer=Party(name="Eve\x1b@\x1dV\x00 Attacker"))


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, Path]]:
    """name -> (text dump, PNG path) of every receipt printed on the emulator."""
    try:
        python = emulator.ensure_emupos()
    except emulator.EmuposUnavailable as exc:
        print(f"emupos tests skipped: {exc}")
        pytest.skip(str(exc))
    out = tmp_path_factory.mktemp("emupos")
    cases = {
        **{f"token{c}": (render_escpos(samples.token_receipt(),
                                       PrinterProfile(columns=c, qr_code=True)), c * 12)
           for c in (32, 42, 48)},
        "pending58": (render_escpos(samples.pending_slip(), PrinterProfile(columns=32)), 384),
        "hostile": (render_escpos(HOSTILE, PrinterProfile(columns=48)), 576),
        **{f"{lang}-{page}": (render_escpos(receipt(), PrinterProfile(
            columns=48, escpos_profile="TM-T20II", code_page=page)), 576)
           for lang, receipt in ACCENTED.items() for page in ("CP858", "CP860")},
    }
    pngs = {name: out / f"{name}.png" for name in cases}
    texts = emulator.render_many(
        [(data, dots, pngs[name]) for name, (data, dots) in cases.items()], python=python
    )
    return {name: (text, pngs[name]) for name, text in zip(cases, texts, strict=True)}


@pytest.mark.parametrize("columns", [32, 42, 48])
def test_token_meter_and_amount_print(printed: dict[str, tuple[str, Path]],
                                      columns: int) -> None:
    text, png = printed[f"token{columns}"]
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


def test_pending_slip_on_58mm(printed: dict[str, tuple[str, Path]]) -> None:
    text, _ = printed["pending58"]
    assert text.count("NOT A TOKEN") == 2
    assert "OFF-T0007-000058" in text and "ZAR 100.00" in text and "01234567897" in text


def test_hostile_name_prints_as_text(printed: dict[str, tuple[str, Path]]) -> None:
    text, _ = printed["hostile"]
    assert "Eve@V Attacker" in text
    # The receipt is whole: no reset or cut from the name cut it short.
    assert text.count("NOT A TOKEN") == 2


@pytest.mark.parametrize("page", ["CP858", "CP860"])
@pytest.mark.parametrize("language", list(ACCENTED))
def test_french_and_portuguese_print_their_accents(printed: dict[str, tuple[str, Path]],
                                                   language: str, page: str) -> None:
    text, _ = printed[f"{language}-{page}"]
    flat = " ".join(text.split())
    for word in samples.ACCENTED_WORDS[language]:
        if page == "CP860":
            word = word.replace("ï", "i")  # not in CP860: printed without the accent
        assert word in flat
    assert "\ufffd" not in text and "?" not in flat.replace("(#)", "")
