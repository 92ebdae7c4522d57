"""Receipts in the customer's language: every label through the translator of the slip's
language (independent of the operator's), accents intact in the bytes the printer gets, and
every printed word either data or translated (the receipt half of the pseudo-locale test)."""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterator
from dataclasses import fields, is_dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo

from common import i18n
from printers import model, samples
from printers.model import Reprint, TokenReceipt
from printers.profile import PrinterProfile
from printers.render import render_escpos, render_text

FRENCH = {
    "TAX INVOICE": "FACTURE ÉLECTRICITÉ",
    "Amount": "Montant",
    "Cash tendered": "Espèces reçues",
    "Change": "Monnaie rendue",
    "Operator": "Opérateur",
    "Total": "Total à payer",
    "Account": "Compte à contrôler",
    "Meter": "Compteur",
    "Customer": "Client",
    "YOUR TOKEN": "VOTRE CODE",
    "REPRINT": "DUPLICATA",
    "Electricity credit": "Crédit d'électricité",
    "Enter the tokens into your meter in the order printed, then press Enter (#).":
        "Entrez les codes dans l'ordre imprimé, puis appuyez sur Entrée (#).",
}
PORTUGUESE = {
    "Amount": "Montante",
    "Reference": "Referência",
    "Units": "Unidades de medição",
    "Tariff": "Tarifa e condições",
    "Change": "Troco",
    "Customer": "Cliente",
}
#: The characters French and Portuguese receipts need from the code page.
ACCENTS = set("éèàçôãõêÉ")
ESC_T = re.compile(rb"\x1bt(.)", re.S)


def write_catalog(folder: Path, lang: str, messages: dict[str, str]) -> None:
    catalog = Catalog(locale=lang, domain=i18n.DOMAIN)
    for msgid, text in messages.items():
        catalog.add(msgid, text)
    with (folder / f"{lang}.mo").open("wb") as f:
        write_mo(f, catalog)


@pytest.fixture
def catalogs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """French and Portuguese catalogs of a few labels; the operator's language is English."""
    write_catalog(tmp_path, "fr", FRENCH)
    write_catalog(tmp_path, "pt", PORTUGUESE)
    monkeypatch.setenv(i18n.CATALOG_ENV, str(tmp_path))
    i18n.reset_cache()
    i18n.set_language("en")
    yield tmp_path
    i18n.reset_cache()


def decode_escpos(data: bytes, profile: PrinterProfile) -> str:
    """The text of an ESC/POS job, each run decoded in the code page ESC t selected."""
    pages = {int(n): name for name, n in profile.capabilities().get_code_pages().items()}
    parts = ESC_T.split(data)
    text = parts[0].decode("cp437", errors="replace")
    for number, run in zip(parts[1::2], parts[2::2], strict=True):
        text += run.decode(pages[number[0]].lower(), errors="replace")
    return text


def test_the_accents_are_all_in_the_test_catalogs() -> None:
    assert ACCENTS <= set("".join([*FRENCH.values(), *PORTUGUESE.values()]))


def test_a_receipt_prints_in_the_customers_language_while_the_operator_reads_english(
        catalogs: Path) -> None:
    receipt = replace(samples.token_receipt(), language="fr")
    text = render_text(receipt, 48)
    for label in ("FACTURE ÉLECTRICITÉ", "Montant", "Espèces reçues", "Monnaie rendue",
                  "Opérateur", "Total à payer", "Compte à contrôler", "Client", "Compteur",
                  "Crédit d'électricité", "Entrez les codes dans l'ordre imprimé"):
        assert label in text
    assert "Amount" not in text and "Cash tendered" not in text
    # Data is never translated: the meter, the receipt number, the token's digits.
    assert samples.METER.number in text and "R-2026-0001342" in text
    assert samples.CREDIT.grouped() in text
    # The operator's own words stay English; the same receipt without a language prints in
    # the current language.
    assert i18n.gettext("Amount") == "Amount"
    assert "Amount" in render_text(samples.token_receipt(), 48)


def test_the_language_argument_wins_and_a_reprint_follows_its_original(catalogs: Path) -> None:
    english = samples.token_receipt(key_change=False)
    assert "Montante" in render_text(english, 48, language="pt")
    french = replace(english, language="fr")
    reprint = Reprint(french, 1, samples.AT, "Thandi")
    text = render_text(reprint, 48)
    assert "DUPLICATA" in text and "Montant" in text
    assert "Montante" in render_text(replace(reprint, language="pt"), 48)


@pytest.mark.parametrize("code_page", [None, "CP858", "CP850"])
@pytest.mark.parametrize(("lang", "labels"), [
    ("fr", ("FACTURE ÉLECTRICITÉ", "Espèces reçues", "Opérateur", "Total à payer",
            "Compte à contrôler")),
    ("pt", ("Referência", "Unidades de medição", "Tarifa e condições")),
])
def test_the_translated_labels_come_back_from_the_bytes(
        catalogs: Path, lang: str, labels: tuple[str, ...], code_page: str | None) -> None:
    profile = PrinterProfile(columns=48, code_page=code_page)
    base = samples.token_receipt_fr() if lang == "fr" else samples.token_receipt_pt()
    receipt: TokenReceipt = replace(base, language=lang)
    printed = decode_escpos(render_escpos(receipt, profile), profile)
    for label in labels:
        assert label in printed
    for word in samples.ACCENTED_WORDS[lang]:
        assert word in printed
    assert "?" not in printed.replace("(#)", "")


def test_the_real_printer_prints_the_french_labels(catalogs: Path, tmp_path: Path) -> None:
    """On the emupos emulator when it can run here (it needs Python 3.13)."""
    from printers import emulator

    try:
        python = emulator.ensure_emupos()
    except emulator.EmuposUnavailable as exc:
        pytest.skip(str(exc))
    receipt = replace(samples.token_receipt_fr(), language="fr")
    data = render_escpos(receipt, PrinterProfile(columns=48, code_page="CP858"))
    text = emulator.render(data, 576, png=tmp_path / "fr.png", python=python)
    assert "Espèces reçues" in text and "Opérateur" in text


# --- every label goes through the translator ----------------------------------------------

OPEN, CLOSE = "\u27e6", "\u27e7"


class Marking(i18n.Translator):
    """A pseudo-locale: every translated text comes back between ⟦ and ⟧."""

    def __init__(self) -> None:
        super().__init__("xx", gettext.NullTranslations())

    def gettext(self, message: str) -> str:
        return OPEN + message + CLOSE

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return OPEN + (singular if n == 1 else plural) + CLOSE


def _data_words(value: Any, out: set[str]) -> set[str]:
    """Every word of the model's data (names, addresses, numbers, the server's texts), but
    not its English defaults and core words, which the layout must translate."""
    if isinstance(value, model.TokenLine):
        if value.label != value.kind.default_label:
            out.update(value.label.split())
        return out
    if isinstance(value, model.ReportSection):
        # Titles and labels are the core's words (printed translated); amounts are data.
        out.update(line.amount.currency for line in value.lines if line.amount is not None)
        return out
    if isinstance(value, model.Money):
        out.add(value.currency)
        return out
    if is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            if f.name not in ("kind", "language"):
                _data_words(getattr(value, f.name), out)
        return out
    if isinstance(value, tuple):
        for item in value:
            _data_words(item, out)
    elif isinstance(value, str) and value not in (
            model.SALE_INSTRUCTIONS, model.PENDING_DELIVERY, model.ENGINEERING_INSTRUCTIONS):
        out.update(value.split())
    return out


UNITS = {"kWh", "kL"}


def _receipts() -> dict[str, model.Receipt]:
    return {**samples.all_variants(), "fr": samples.token_receipt_fr(),
            "pt": samples.token_receipt_pt(),
            "zar_pending": replace(samples.pending_slip(), delivery=model.PENDING_DELIVERY)}


@pytest.mark.parametrize("columns", [32, 48])
@pytest.mark.parametrize("name", list(_receipts()))
def test_every_printed_word_is_data_or_translated(name: str, columns: int) -> None:
    receipt = _receipts()[name]
    profile = PrinterProfile(columns=columns, qr_code=True, barcode=True, logo_path="logo.png")
    text = render_text(receipt, profile, language=Marking())
    assert OPEN in text
    # A translated text may wrap over lines: take out everything between the markers.
    rest = re.sub(f"{OPEN}.*?{CLOSE}", " ", text, flags=re.S)
    assert OPEN not in rest and CLOSE not in rest
    data = _data_words(receipt, set())
    stray = [w for w in rest.split() if any(c.isalpha() for c in w)
             and w not in data and w not in UNITS and w.strip(",.()") not in data]
    assert stray == [], f"words printed without the translator: {stray}"


def test_the_layouts_words_are_extracted_for_the_catalogs() -> None:
    """Babel finds the layout's `t.gettext(...)` calls and the model's N_() defaults."""
    root = Path(__file__).resolve().parents[2] / "printers"
    found: set[str] = set()
    for name in ("layout.py", "layout_builder.py", "model.py", "render.py"):
        for _line, message, _comments, _context in extract_from_file(
                "python", root / name, keywords={"gettext": None, "ngettext": (1, 2),
                                                 "N_": None, "_": None}):
            found.update([message] if isinstance(message, str) else message)
    for msgid in ("Amount", "Cash tendered", "VAT {rate}", "ENTER THESE {n} TOKENS IN THIS ORDER",
                  "Electricity credit", model.SALE_INSTRUCTIONS, "Z REPORT No. {number}",
                  "[BARCODE: {data}]", "Customer signature:"):
        assert msgid in found
