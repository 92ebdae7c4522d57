"""Layout and plain-text rendering: golden files for every variant at 32/42/48 columns,
wrapping without truncation, masking, and text hygiene.

Regenerate the golden files after an intended layout change with
`VENDPOINT_REGEN_GOLDENS=1 .venv/bin/pytest tests/printers/test_printers_layout.py`
and review the diff.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.errors import ConfigError
from printers import samples
from printers.layout import Line, layout
from printers.model import Party, TokenReceipt
from printers.profile import PrinterProfile
from printers.render import render_text
from printers.serialize import from_json, to_json
from printers.text import clean, width, wrap

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "printers"
REGEN = os.environ.get("VENDPOINT_REGEN_GOLDENS") == "1"
WIDTHS = (32, 42, 48)


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("name", sorted(samples.all_variants()))
def test_golden_plain_text(name: str, columns: int) -> None:
    receipt = samples.all_variants()[name]
    text = render_text(receipt, PrinterProfile(columns=columns, qr_code=True, barcode=True))
    path = GOLDEN / f"{name}_{columns}.txt"
    if REGEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden {path.name}; run with VENDPOINT_REGEN_GOLDENS=1"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("currency", ["UGX", "LYD"])
def test_golden_other_currency_decimals(currency: str, columns: int) -> None:
    # UGX has no decimals, LYD three: the receipt prints what the currency has, never ".00".
    receipt = samples.token_receipt_in(currency)
    text = render_text(receipt, PrinterProfile(columns=columns, qr_code=True, barcode=True))
    path = GOLDEN / f"token_single_{currency.lower()}_{columns}.txt"
    if REGEN:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden {path.name}; run with VENDPOINT_REGEN_GOLDENS=1"
    assert text == path.read_text(encoding="utf-8")
    expected = {"UGX": ("UGX 120,000", "UGX 44,850", "UGX 15,650"),
                "LYD": ("LYD 25.000", "LYD 9.345", "LYD 3.261")}[currency]
    assert all(amount in text for amount in expected)
    assert "ZAR" not in text and (currency != "UGX" or "UGX 120,000.00" not in text)
    assert from_json(to_json(receipt)) == receipt


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("name", sorted(samples.all_variants()))
def test_every_line_fits_the_paper(name: str, columns: int) -> None:
    profile = PrinterProfile(columns=columns)
    for block in layout(samples.all_variants()[name], profile):
        if isinstance(block, Line):
            assert width(block.text) * (2 if block.double else 1) <= columns, block


@pytest.mark.parametrize("columns", WIDTHS)
def test_long_names_wrap_and_nothing_is_lost(columns: int) -> None:
    name = ("Ntombizodwa Angelina Mahlangu-Oosthuizen-Vilakazi "
            "Supercalifragilisticexpialidociousandthensomemoreletters")
    receipt = TokenReceipt(replace(samples.sale(), customer=Party(name=name)))
    text = render_text(receipt, columns)
    assert all(width(line) <= columns for line in text.splitlines())
    # Every character of the name is printed, in order, across the wrapped lines.
    squeezed = "".join(text.split())
    assert "".join(name.split()) in squeezed


@pytest.mark.parametrize("columns", WIDTHS)
def test_tokens_are_grouped_large_and_numbered(columns: int) -> None:
    blocks = layout(samples.token_receipt(), PrinterProfile(columns=columns))
    token_lines = [b.text for b in blocks if isinstance(b, Line) and b.double]
    joined = " ".join(token_lines)
    for token in (samples.KEY_CHANGE_1, samples.KEY_CHANGE_2, samples.CREDIT, samples.FREE_BASIC):
        assert token.grouped() in joined
    text = render_text(samples.token_receipt(), columns)
    order = [text.index(f"{n}. {label}") for n, label in
             enumerate(["Key change 1 of 2", "Key change 2 of 2", "Electricity credit"], 1)]
    assert order == sorted(order)
    assert "ENTER THESE 4 TOKENS IN THIS ORDER" in " ".join(text.split())


def test_masked_preview_hides_tokens() -> None:
    text = render_text(samples.token_receipt(), 48, mask_tokens=True)
    assert "1234 **** **** **** 7890" in text
    for token in (samples.KEY_CHANGE_1, samples.CREDIT):
        assert token.digits[4:16] not in text.replace(" ", "")
    # The QR caption never carries the token either.
    qr = render_text(samples.token_receipt(), PrinterProfile(columns=48, qr_code=True))
    assert "[QR: meter 01234567897, 4 tokens]" in qr
    assert samples.CREDIT.digits not in qr.replace(" ", "").split("[QR")[1]


def test_pending_slip_says_not_a_token_and_has_no_token() -> None:
    text = render_text(samples.pending_slip(), 32)
    assert text.count("NOT A TOKEN") == 2
    assert "OFF-T0007-000058" in text
    assert "ZAR 100.00" in text
    assert "SMS" in text


def test_reprint_is_marked_with_its_counter() -> None:
    text = render_text(samples.reprint(), 48)
    assert text.count("REPRINT") == 2
    assert "Reprint no. 2" in text
    assert samples.CREDIT.grouped() in text


def test_clean_strips_control_and_format_characters() -> None:
    assert clean("Bob\x1b@\x1dV\x00 \x10\x04\x01Smith") == "Bob@V Smith"
    assert clean("A\u202eB\u200bC\r\nD\tE") == "ABC D E"
    assert clean("Zoë  Ndlovu") == "Zoë Ndlovu"
    assert clean("\x85\x9b") == ""  # C1 controls (NEL, CSI)


def test_wrap_breaks_long_words_and_counts_wide_characters() -> None:
    assert wrap("abcdefghij", 4) == ["abcd", "efgh", "ij"]
    assert wrap("王小明 李", 4) == ["王小", "明", "李"]
    assert wrap("", 10) == [""]


@given(st.text(max_size=200), st.integers(min_value=1, max_value=64))
def test_wrap_never_loses_or_overflows(text: str, columns: int) -> None:
    cleaned = clean(text)
    lines = wrap(cleaned, columns)
    # Lines fit, except a single character wider than the line (a wide glyph at 1 column).
    assert all(width(line) <= max(columns, 2) for line in lines)
    assert "".join(lines).replace(" ", "") == cleaned.replace(" ", "")


@given(st.text(max_size=200))
def test_clean_leaves_no_control_characters(text: str) -> None:
    out = clean(text)
    assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in out)
    assert "\x1b" not in out and "\x1d" not in out and "\x10" not in out


def test_engineering_key_change_tokens_print_in_entry_order() -> None:
    slip = replace(samples.engineering(),
                   tokens=(samples.KEY_CHANGE_2, samples.KEY_CHANGE_1))
    text = render_text(slip, 48)
    assert text.index(samples.KEY_CHANGE_1.grouped()) < text.index(
        samples.KEY_CHANGE_2.grouped())


def test_missing_logo_does_not_stop_the_receipt(tmp_path: Path) -> None:
    from printers.render import render_escpos

    profile = PrinterProfile(columns=32, logo_path=str(tmp_path / "missing.png"))
    data = render_escpos(samples.pending_slip(), profile)
    assert b"NOT A TOKEN" in data


def test_unknown_escpos_profile_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="printer profile"):
        PrinterProfile(escpos_profile="TM-NOPE")
