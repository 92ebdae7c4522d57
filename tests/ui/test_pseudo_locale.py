"""Every screen in the pseudo-locale: each text a person reads went through a catalog.

The pseudo-locale (`catalogs.py pseudo`) turns every English text of the code into accented
look-alikes between "[[" and "]]" ("Sell" -> "[[Séll]]"). It is installed here under the
name of French (settings allow only en, fr and pt) and the real window walks the counter's
screens (`walk_screens`). Every text with letters must then be marked, or be data: what the
server, the demo database or the operator wrote (names, addresses, tariffs), numbers and
codes. A plain English word left anywhere, even inside a marked sentence (a core word filled
into a translated template), is a text that did not go through a catalog.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from common import i18n
from tests.e2e.harness import Till
from tests.e2e.keys import real_window
from tests.ui.visible_texts import Text, walk_screens
from ui.language import apply_language

pytestmark = [pytest.mark.e2e, pytest.mark.qt_log_ignore(r"^This plugin does not support")]

ROOT = Path(__file__).resolve().parents[2]
#: the language the pseudo-locale's catalogs are named as
AS_LANGUAGE = "fr"

#: Data a person reads as it is, in every language; each with its reason.
DATA_PATTERNS: tuple[tuple[str, str], ...] = (
    # The server's breakdown lines: its tariff's blocks and tax (the API carries no code to
    # name them by; the fixed charges' names come with the tariff, below).
    (r"\b(?:Energy|Water) block \d+ \([\d.]+(?:-[\d.]+|\+) k(?:Wh|L)\)", "server's block lines"),
    (r"\bVAT \d+\.\d+%", "the server's tax line"),
    # money: the currency's ISO code before the amount ("ZAR 150.00", "ZAR 2.0000/kWh")
    (r"\b[A-Z]{3} -?[\d,]+(?:\.\d+)?", "money"),
    (r"\bk(?:Wh|L)\b", "units of energy and water"),
    (r"\bVP\d+\b", "receipt numbers"),
    (r"\b[A-Z]{2,}-\d+\b", "accounts (ACC-100105)"),
    (r"\b[A-Z]{2,}-[A-Z]{2,}(?: v\d+)?\b", "tariff ids and versions from the server"),
    (r"\bCP\d{3,4}\b", "printer code pages"),
    (r"\bVendPoint\b", "the product's name"),
    (r"\b(?:F\d{1,2}|Esc|Enter|Alt\+\w|Ctrl\+\w|Shift\+\w)\b", "key names"),
    (r"\bhttps?://\S+", "server URLs"),
    # Each language's name in its own words, as a language picker shows it.
    (r"\b(?:English|Français|Português)\b", "language names"),
)
#: Qt's own words on standard buttons: Qt's catalog (qtbase) says them in French and
#: Portuguese; the pseudo-locale has none of Qt's words, so they read in English, or in
#: French where Qt's French catalog answers to the pseudo-locale's borrowed name.
STANDARD_BUTTONS = ("Yes", "No", "OK", "Cancel", "Save", "Close")

#: a word in which the pseudo-locale would have accented a letter, but did not
_PLAIN = re.compile(r"[aeiouycnAEIOUYCN]")


@pytest.fixture(scope="module")
def pseudo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pseudo-locale's catalogs, named as those of `AS_LANGUAGE`."""
    folder = tmp_path_factory.mktemp("i18n")
    subprocess.run([sys.executable, str(ROOT / "resources" / "i18n" / "catalogs.py"), "pseudo",
                    str(folder)], check=True, capture_output=True, timeout=120)
    (folder / "xx.mo").rename(folder / f"{AS_LANGUAGE}.mo")
    (folder / "vendpoint_xx.qm").rename(folder / f"vendpoint_{AS_LANGUAGE}.qm")
    return folder


@pytest.fixture
def pseudo_till(qtbot, qapp, pseudo_dir: Path, tmp_path: Path,
                monkeypatch: pytest.MonkeyPatch) -> Iterator[Till]:
    """The real window, built in the pseudo-locale; English again afterwards."""
    monkeypatch.setenv(i18n.CATALOG_ENV, str(pseudo_dir))
    i18n.reset_cache()
    apply_language(qapp, AS_LANGUAGE)
    try:
        with real_window(qtbot, tmp_path) as till:
            qtbot.waitUntil(lambda: QApplication.activeWindow() is till.window, timeout=5000)
            yield till
    finally:
        apply_language(qapp, "en")
        i18n.reset_cache()


def demo_data(till: Till) -> set[str]:
    """What the demo database holds and the screens show as it is: the utility, the vendor,
    operators' names and usernames, tariffs' names, customers' names, addresses, accounts."""
    demo = till.server.demo
    found = {demo["utility"]["name"], demo["vendor"]["name"]}
    for operator in demo["operators"]:
        found |= {operator["id"], operator["name"]}
    for tariff in demo["tariffs"]:
        found |= {tariff["id"], tariff["name"]}
    for meter in demo["meters"]:
        found |= {meter["customer_name"], meter["address"], meter["account"]}
    return found


def fixed_charges(till: Till) -> set[str]:
    """The quoted tariff's fixed charges as the utility names them (the quote's lines)."""
    quote = till.shell.sale.flow.quote
    if quote is None:
        return set()
    return {line.description for line in quote.lines if line.kind == "fixed_charge"}


def standard_buttons() -> set[str]:
    """Qt's standard button words in English and as Qt's installed catalog says them."""
    words = set(STANDARD_BUTTONS)
    for word in STANDARD_BUTTONS:
        words.add(QCoreApplication.translate("QPlatformTheme", word))
        words.add(QCoreApplication.translate("QPlatformTheme", f"&{word}"))
    return words


def _without(text: str, phrases: Iterable[str]) -> str:
    for phrase in sorted(phrases, key=len, reverse=True):
        text = text.replace(phrase, " ")
    for pattern, _reason in DATA_PATTERNS:
        text = re.sub(pattern, " ", text)
    return text


def untranslated(texts: list[Text], data: set[str], buttons: set[str]) -> list[tuple[str, str,
                                                                                   list[str]]]:
    """(where, text, plain words) for each text that did not go through a catalog: it has
    letters but no marker, or a word the pseudo-locale would have accented (the letter after
    a shortcut's & is left as it is)."""
    found = []
    for where, text in texts:
        if text in buttons:
            continue
        rest = _without(text, data)
        rest = re.sub(r"&(.)", " ", rest).replace("[[", " ").replace("]]", " ")
        words = [w for w in re.findall(r"[^\W\d_]+", rest) if _PLAIN.search(w)]
        if words or ("[[" not in text and any(c.isalpha() for c in rest)):
            found.append((where, text, words))
    return found


def test_untranslated_texts_are_recognised() -> None:
    texts = [("a", "[[Séll]]"), ("b", "Sell"), ("c", "[[Príñtér: ready]]"),
             ("d", "Lindiwe Ndlovu"), ("e", "ZAR 150.00"), ("f", "[[&Usérñámé]]"),
             ("g", "Cancel"), ("h", "[[Ópérátór: Sipho Dlamini]]"), ("i", "52.0 kWh")]
    assert [where for where, _text, _words in untranslated(
        texts, {"Lindiwe Ndlovu", "Sipho Dlamini"}, {"Cancel"})] == ["b", "c"]


def test_every_screen_in_the_pseudo_locale(qtbot, pseudo_till: Till, shown_errors) -> None:
    data = demo_data(pseudo_till)
    buttons = standard_buttons()
    problems: list[str] = []
    checkpoints = 0
    for checkpoint, texts in walk_screens(pseudo_till, qtbot):
        checkpoints += 1
        data |= fixed_charges(pseudo_till)
        assert any("[[" in text for _where, text in texts), f"{checkpoint}: nothing translated"
        problems += [f"{checkpoint}: {where}: {text!r} (plain: {', '.join(words)})"
                     for where, text, words in untranslated(texts, data, buttons)]
    assert checkpoints >= 11
    assert not problems, "texts that did not go through a catalog:\n" + "\n".join(problems)
