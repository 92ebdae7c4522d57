"""The translation catalogs: complete and faithful (placeholders, plural forms), the
pseudo-locale the catalog script writes, and the build wiring (make translations, the spec).

`test_catalogs_are_complete` fails until every text is translated: that is its job."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages import pofile
from PySide6.QtCore import QTranslator

from common import i18n
from printers.render import fold_to_code_page
from printers.text import clean

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "resources" / "i18n"
LANGUAGES = ("fr", "pt")
PLURAL_FORMS = {"fr": "nplurals=2; plural=(n > 1);", "pt": "nplurals=2; plural=(n != 1);"}
#: what a translation must keep: str.format fields, Qt's %1..%9 and %n
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%L?[1-9]|%n")


def _catalogs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("catalogs", I18N / "catalogs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _placeholders(text: str) -> Counter[str]:
    return Counter(PLACEHOLDER.findall(text))


# -- completeness -------------------------------------------------------------------------------
def _ts_problems(lang: str) -> list[str]:
    path = I18N / f"vendpoint_{lang}.ts"
    root = ET.parse(path).getroot()  # noqa: S314  (our own catalog)
    expected = {"fr": "fr", "pt": "pt_PT"}[lang]  # European Portuguese plurals: "0 vendas"
    assert root.get("language") == expected, f"{path.name}: language {root.get('language')!r}"
    problems: list[str] = []
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            where = f"{path.name} [{name}] {source!r}"
            translation = message.find("translation")
            if translation is None or translation.get("type") in ("unfinished", "vanished",
                                                                   "obsolete"):
                problems.append(f"{where}: not finished")
                continue
            if message.get("numerus") == "yes":
                forms = [f.text or "" for f in translation.findall("numerusform")]
                if len(forms) != 2 or not all(forms):
                    problems.append(f"{where}: plural forms {forms!r}")
            else:
                forms = [translation.text or ""]
                if not forms[0]:
                    problems.append(f"{where}: empty")
            for form in forms:
                if form and _placeholders(form) != _placeholders(source):
                    problems.append(f"{where}: placeholders of {form!r}")
    return problems


def _po_problems(lang: str) -> list[str]:
    path = I18N / f"{lang}.po"
    with path.open("rb") as fh:
        catalog = pofile.read_po(fh, locale=lang)
    problems: list[str] = []
    if catalog.plural_forms != PLURAL_FORMS[lang]:
        problems.append(f"{path.name}: Plural-Forms {catalog.plural_forms!r}")
    for message in catalog:
        if not message.id:
            continue
        where = f"{path.name} {message.id!r}"
        if message.fuzzy:
            problems.append(f"{where}: fuzzy")
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strings = message.string if isinstance(message.string, tuple | list) else (
            message.string,)
        if len(ids) == 2 and len(strings) != 2:
            problems.append(f"{where}: {len(strings)} plural forms")
        if not all(strings):
            problems.append(f"{where}: not translated")
            continue
        for index, string in enumerate(strings):
            source = ids[min(index, len(ids) - 1)]
            if _placeholders(string or "") != _placeholders(source or ""):
                problems.append(f"{where}: placeholders of {string!r}")
    return problems


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogs_are_complete(lang: str) -> None:
    sources = [I18N / f"vendpoint_{lang}.ts", I18N / f"{lang}.po"]
    if not all(path.exists() for path in sources):
        pytest.skip("no catalogs yet: run resources/i18n/catalogs.py update")
    problems = _ts_problems(lang) + _po_problems(lang)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:40])


def test_plural_forms_are_the_two_everybody_writes() -> None:
    for lang in LANGUAGES:
        with (I18N / f"{lang}.po").open("rb") as fh:
            assert pofile.read_po(fh, locale=lang).plural_forms == PLURAL_FORMS[lang]


# -- the pseudo-locale --------------------------------------------------------------------------
def test_pseudo_keeps_placeholders_markup_and_shortcuts() -> None:
    pseudo = _catalogs().pseudo
    assert pseudo("Sell") == "[[Séll]]"
    assert pseudo("Meter {meter} is blocked.") == "[[Métér {meter} ís blóçkéd.]]"
    assert pseudo("%n sales, %1 pending") == "[[%n sálés, %1 péñdíñg]]"
    assert pseudo("<b>Cash</b> &amp; card") == "[[<b>Çásh</b> &amp; çárd]]"
    assert pseudo("&Amount") == "[[&Amóúñt]]"  # Alt+A still works
    assert pseudo("{n:,} units") == "[[{n:,} úñíts]]"
    assert pseudo("") == ""


def test_pseudo_survives_the_receipt_printer() -> None:
    text = _catalogs().pseudo("Token for meter {meter}").format(meter="04200000117")
    printed = fold_to_code_page(clean(text), "CP858")
    assert printed == text and printed.startswith("[[") and printed.endswith("]]")
    # A code page without the accented letters prints them plain, markers intact.
    assert fold_to_code_page(clean(text), "CP437").startswith("[[Tók")


def test_pseudo_command_writes_both_catalogs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             qapp) -> None:
    core = tmp_path / "core"
    core.mkdir()
    (core / "sample.py").write_text(
        "from common.i18n import _, ngettext\n"
        "BLOCKED = _('Meter {meter} is blocked.')\n"
        "def sales(n):\n"
        "    return ngettext('{n} sale', '{n} sales', n).format(n=n)\n", encoding="utf-8")
    catalogs = _catalogs()
    out = tmp_path / "xx"
    catalogs.pseudo_catalogs(out, core=[str(core)])
    monkeypatch.setenv(i18n.CATALOG_ENV, str(out))
    i18n.reset_cache()
    try:
        words = i18n.translator("xx")
        assert words.gettext("Meter {meter} is blocked.") == "[[Métér {meter} ís blóçkéd.]]"
        assert words.ngettext("{n} sale", "{n} sales", 1) == "[[{n} sálé]]"
        assert words.ngettext("{n} sale", "{n} sales", 2) == "[[{n} sálés]]"
    finally:
        i18n.reset_cache()
    qt = QTranslator()
    assert qt.load(str(out / "vendpoint_xx.qm"))
    assert qt.translate("LoginView", "Sign in to sell") == "[[Sígñ íñ tó séll]]"
    assert qt.translate("SaleView", "Search (F3)") == "[[Séárçh (F3)]]"


def test_pseudo_command_line_takes_the_real_core(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    result = subprocess.run([sys.executable, str(I18N / "catalogs.py"), "pseudo",
                             str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "xx.mo").exists() and (tmp_path / "vendpoint_xx.qm").exists()
    template = _catalogs().extract_template()
    sample = next((m for m in template if m.id and isinstance(m.id, str)), None)
    if sample is None:
        return  # no core message marked yet: the sample test above covers the .mo
    monkeypatch.setenv(i18n.CATALOG_ENV, str(tmp_path))
    i18n.reset_cache()
    try:
        assert i18n.translator("xx").gettext(sample.id).startswith("[[")
    finally:
        i18n.reset_cache()


# -- build wiring -------------------------------------------------------------------------------
def test_make_builds_the_translations_before_tests_run_and_builds() -> None:
    for target in ("pytest", "run", "build"):
        plan = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True,
                              timeout=60)
        assert "catalogs.py build" in plan.stdout, (target, plan.stdout)
    # `make pytest` has built them already (or catalogs.py build by hand).
    for lang in LANGUAGES:
        for built in (f"vendpoint_{lang}.qm", f"{lang}.mo"):
            assert (I18N / built).exists(), f"{built} missing: run make translations"
    assert (I18N / "qtbase_fr.qm").exists() and (I18N / "qtbase_pt_BR.qm").exists()


def test_build_is_a_no_op_when_up_to_date() -> None:
    catalogs = _catalogs()
    catalogs.build()
    assert catalogs.build() == []


def test_frozen_build_takes_compiled_catalogs_not_their_sources(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from tests.test_pyinstaller_spec import _run_spec

    datas = _run_spec(monkeypatch, sys.platform, tmp_path)["analysis"]["datas"]
    names = {Path(source).name for source, dest in datas if dest == "resources/i18n"}
    assert {"vendpoint_fr.qm", "vendpoint_pt.qm", "fr.mo", "pt.mo", "qtbase_fr.qm",
            "qtbase_pt_BR.qm"} <= names
    assert not {n for n in names if n.endswith((".ts", ".po", ".pot", ".py"))}
    assert any(dest == "resources/fonts" for _source, dest in datas)
