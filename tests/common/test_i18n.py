"""The core's words through gettext: English by default, a catalog switches a real message to
French with its placeholders filled after translation, plurals follow the language, a missing
catalog means English, and no message is built in a way the extractor cannot see."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from common import i18n
from common.i18n import _, ngettext
from sts.errors import MeterNumberError
from sts.meter_number import parse_meter_number
from tests.common.catalogs import language

ROOT = Path(__file__).resolve().parents[2]

_WRONG_LENGTH = "Meter number must be 11 or 13 digits, not {count}."
_WRONG_LENGTH_FR = "Le numéro de compteur doit avoir 11 ou 13 chiffres, et non {count}."
_SALES = ("{n} sale", "{n} sales")


@pytest.fixture(autouse=True)
def _english_after() -> object:
    yield None
    i18n.reset_cache()


def test_english_by_default() -> None:
    i18n.reset_cache()
    assert i18n.language() == "en"
    with pytest.raises(MeterNumberError, match=r"^Meter number must be 11 or 13 digits, not 5\.$"):
        parse_meter_number("12345")


def test_a_french_catalog_turns_a_real_core_message_french(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with language(monkeypatch, tmp_path, "fr", {_WRONG_LENGTH: _WRONG_LENGTH_FR}):
        assert i18n.language() == "fr"
        with pytest.raises(MeterNumberError) as refused:
            parse_meter_number("1234 5")
        # the placeholder is filled after translation, into the French sentence
        assert str(refused.value) == (
            "Le numéro de compteur doit avoir 11 ou 13 chiffres, et non 5.")
    # the catalog is gone with the block: English again
    with pytest.raises(MeterNumberError, match=r"^Meter number must be"):
        parse_meter_number("12345")


def test_placeholders_may_move_in_a_translation(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with language(monkeypatch, tmp_path, "fr",
                  {"Tariff {tariff_id} version {version} could not be fetched: {exc}":
                   "Impossible d'obtenir la version {version} du tarif {tariff_id} : {exc}"}):
        text = _("Tariff {tariff_id} version {version} could not be fetched: {exc}").format(
            tariff_id="T1", version=3, exc="délai dépassé")
    assert text == "Impossible d'obtenir la version 3 du tarif T1 : délai dépassé"


def test_french_plural_for_0_and_1_is_singular(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert [ngettext(*_SALES, n).format(n=n) for n in (0, 1, 2)] == [
        "0 sales", "1 sale", "2 sales"]
    # Babel's French (CLDR) has three forms: one (0 and 1), many (millions), other
    with language(monkeypatch, tmp_path, "fr",
                  {_SALES: ("{n} vente", "{n} de ventes", "{n} ventes")}):
        assert [ngettext(*_SALES, n).format(n=n) for n in (0, 1, 2)] == [
            "0 vente", "1 vente", "2 ventes"]


def test_a_real_core_plural_follows_the_language(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from app.operators import WrongPin

    singular = "{n} attempt left before the operator is locked."
    plural = "{n} attempts left before the operator is locked."
    assert WrongPin(0).hint == "0 attempts left before the operator is locked."
    with language(monkeypatch, tmp_path, "fr", {
            (singular, plural): ("{n} essai restant avant le blocage de l'opérateur.",
                                 "{n} essais restants avant le blocage de l'opérateur.",
                                 "{n} essais restants avant le blocage de l'opérateur.")}):
        assert WrongPin(0).hint == "0 essai restant avant le blocage de l'opérateur."
        assert WrongPin(2).hint == "2 essais restants avant le blocage de l'opérateur."


def test_a_missing_catalog_logs_and_stays_english(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv(i18n.CATALOG_ENV, str(tmp_path / "nowhere"))
    i18n.reset_cache()
    with caplog.at_level(logging.WARNING, logger="common.i18n"):
        i18n.set_language("pt")
    assert i18n.language() == "pt"
    assert any("no pt translations" in r.getMessage() for r in caplog.records)
    with pytest.raises(MeterNumberError, match=r"^Meter number must be 11 or 13 digits, not 5\.$"):
        parse_meter_number("12345")


def test_titles_are_translated_where_shown(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from common.errors import InvalidInput, user_message

    with language(monkeypatch, tmp_path, "fr", {"Please check the input": "Vérifiez la saisie"}):
        assert user_message(InvalidInput("x"))[0] == "Vérifiez la saisie"
    assert InvalidInput.title == "Please check the input"  # the class keeps its English msgid


_SOURCES = ("app", "common", "printers", "sts", "offline_store")
# `_(f"...")`, and `_("..." + ...)` / `_("..." % ...)`: the extractor cannot see the whole message
_FSTRING = re.compile(r"""\b(?:_|N_|gettext|ngettext)\(\s*[rRbBuU]?[fF]["']""")
_CONCAT = re.compile(r"""\b(?:_|N_|gettext)\(\s*(?:"[^"\n]*"|'[^'\n]*')\s*[+%]""")


def test_no_message_is_built_where_the_extractor_cannot_see_it() -> None:
    bad = []
    for top in _SOURCES:
        for path in sorted((ROOT / top).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            for pattern in (_FSTRING, _CONCAT):
                for match in pattern.finditer(text):
                    line = text.count("\n", 0, match.start()) + 1
                    bad.append(f"{path.relative_to(ROOT)}:{line}: {match.group(0)}")
    assert bad == []


def test_the_check_itself_finds_what_it_forbids() -> None:
    assert _FSTRING.search('raise X(_(f"Meter {m}"))')
    assert _CONCAT.search('_("Meter " + m)')
    assert not _FSTRING.search('_("Meter {m}").format(m=m)')
