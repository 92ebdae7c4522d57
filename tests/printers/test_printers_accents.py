"""French and Portuguese receipts on ESC/POS code pages: with the profile's code page the job
selects it once (ESC t n) and every accented word is in the bytes in that page's encoding, so
the printer prints é, ç, ã, õ and à; a character the page lacks prints without its accent.
(`test_printers_emupos.py` prints the same receipts on the emulator.)"""

from __future__ import annotations

import re

import pytest

from common.errors import ConfigError
from printers import samples
from printers.model import Receipt
from printers.profile import PrinterProfile
from printers.render import fold_to_code_page, render_escpos

RECEIPTS = {"fr": samples.token_receipt_fr, "pt": samples.token_receipt_pt}
# python-escpos's table numbers (the same as Epson's): ESC t 19 is CP858, ESC t 3 is CP860.
PAGES = {"CP858": 19, "CP860": 3}
ESC_T = re.compile(rb"\x1bt(.)", re.S)


def _printed(receipt: Receipt, code_page: str, escpos_profile: str = "TM-T20II") -> str:
    data = render_escpos(receipt, PrinterProfile(columns=48, escpos_profile=escpos_profile,
                                                 code_page=code_page))
    assert [m[0] for m in ESC_T.findall(data)] == [PAGES[code_page]]
    return data.decode(code_page.lower(), errors="replace")


@pytest.mark.parametrize("code_page", list(PAGES))
@pytest.mark.parametrize("language", list(RECEIPTS))
def test_accented_words_are_sent_in_the_code_page(language: str, code_page: str) -> None:
    printed = _printed(RECEIPTS[language](), code_page)
    for word in samples.ACCENTED_WORDS[language]:
        if code_page == "CP860" and "ï" in word:
            word = word.replace("ï", "i")  # CP860 has no ï: it prints as i, not "?"
        assert word in printed
    assert "?" not in printed.replace("(#)", "")


def test_every_wanted_accent_is_covered() -> None:
    words = " ".join(w for ws in samples.ACCENTED_WORDS.values() for w in ws)
    assert set("éçãõà") <= set(words)


def test_a_character_missing_from_the_page_loses_its_accent_not_the_letter() -> None:
    assert fold_to_code_page("Aïcha Łódź €", "CP860") == "Aicha Łódz €"  # Ł, € have no base
    assert fold_to_code_page("Aïcha", "CP858") == "Aïcha"


def test_a_code_page_the_printer_model_lacks_is_refused() -> None:
    with pytest.raises(ConfigError, match="no code page 'CP1252'"):
        PrinterProfile(escpos_profile="simple", code_page="CP1252")
    assert PrinterProfile(escpos_profile="POS-5890", code_page="CP858").code_page == "CP858"
