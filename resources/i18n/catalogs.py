"""VendPoint's translation catalogs: extract, compile, and a pseudo-locale to find what is left.

Two kinds of catalog, each in the format its side's tools know:
- the Qt screens (ui/, main.py: `self.tr()`, `QCoreApplication.translate()`): Qt Linguist
  catalogs `vendpoint_<lang>.ts`, compiled to `vendpoint_<lang>.qm`;
- the core (app/, common/, printers/, sts/, offline_store/: `_()`, `ngettext()`, `N_()`,
  which must not import Qt): gettext catalogs, the template `vendpoint.pot` and `<lang>.po`,
  compiled to `<lang>.mo`.

    python resources/i18n/catalogs.py update      # sources -> .ts, .pot, .po (translations kept)
    python resources/i18n/catalogs.py build       # .ts -> .qm, .po -> .mo (what is out of date)
    python resources/i18n/catalogs.py pseudo DIR  # DIR/xx.mo, DIR/vendpoint_xx.qm

`build` also copies Qt's own catalogs of its standard dialogs' words (qtbase_fr.qm,
qtbase_pt_BR.qm: Yes, No, Cancel...) beside ours, so the frozen build finds them with ours.
The pseudo-locale "xx" turns every English text into look-alike accented letters between
[[ and ]] ("Sell" -> "[[Séll]]"), placeholders and markup left alone: a screen or receipt
run in it shows at once any text that does not go through a catalog, and any that is cut short.
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from pathlib import Path

from babel.messages import mofile, pofile
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DOMAIN = "vendpoint"
LANGUAGES = ("fr", "pt")
PSEUDO = "xx"

#: gettext plural rules: French says "0 vente", "1 vente", "2 ventes"; Portuguese (European
#: and African, as our customers write it) "0 vendas", "1 venda".
PLURALS: dict[str, tuple[int, str]] = {"fr": (2, "(n > 1)"), "pt": (2, "(n != 1)"),
                                       PSEUDO: (2, "(n != 1)")}
#: Qt's catalogs of its own dialogs' words, per language (Qt ships no pt_PT for Qt 6's
#: standard buttons: Brazilian it is, the buttons' words are the same).
#: The language a Qt catalog declares, which picks Qt's plural rule: plain "pt" is Brazilian
#: to Qt (0 takes the singular), Mozambique and Angola write European Portuguese ("0 vendas").
QT_LANGUAGE: dict[str, str] = {"fr": "fr", "pt": "pt_PT"}
QT_BASE: dict[str, str] = {"fr": "qtbase_fr", "pt": "qtbase_pt_BR"}

QT_SOURCES = ("ui", "main.py")
CORE_SOURCES = ("app", "common", "printers", "sts", "offline_store")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
COMMENT_TAGS = ("Translators:",)

#: What a translation keeps as it is: str.format fields ({meter}, {n:,}), Qt's %1..%99, %L1
#: and %n, printf-style leftovers, HTML tags and entities.
PLACEHOLDER = re.compile(
    r"\{[^{}]*\}|%L?\d{1,2}|%n|%\([A-Za-z_]\w*\)[sdr]|%[sd]|<[^<>]+>|&(?:#\d+|[A-Za-z]+);"
)
#: Accented look-alikes within Latin-1, which receipt printers' code pages have (CP858,
#: CP860): the pseudo-locale's receipts print as they show.
_LOOK_ALIKE = str.maketrans("aeiouycnAEIOUYCN", "áéíóúýçñÁÉÍÓÚÝÇÑ")
OPEN, CLOSE = "[[", "]]"


def pseudo(text: str) -> str:
    """`text` in the pseudo-locale: letters accented, placeholders, markup and the letter of a
    Qt shortcut (`&Sell`: Alt+S stays) left alone, the whole between [[ and ]]."""
    if not text:
        return text
    out: list[str] = []
    pos = 0
    for found in PLACEHOLDER.finditer(text):
        out.append(_accent(text[pos:found.start()]))
        out.append(found.group())
        pos = found.end()
    out.append(_accent(text[pos:]))
    return OPEN + "".join(out) + CLOSE


def _accent(text: str) -> str:
    parts = re.split(r"(&.)", text)  # "&S" is a shortcut, "&&" a literal ampersand
    return "".join(p if p.startswith("&") and len(p) == 2 else p.translate(_LOOK_ALIKE)
                   for p in parts)


# -- sources ------------------------------------------------------------------------------------
def _python_files(roots: Iterable[str]) -> list[Path]:
    files: list[Path] = []
    for name in roots:
        path = ROOT / name
        if path.is_file():
            files.append(path)
        else:
            files += sorted(p for p in path.rglob("*.py") if "__pycache__" not in p.parts)
    return files


def _tool(name: str) -> str:
    """A PySide6 tool: beside this Python (the venv's bin/ or Scripts/), else on PATH."""
    folder = Path(sys.executable).parent
    for candidate in (folder / name, folder / f"{name}.exe"):
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install the requirements (make setup)")
    return found


def lupdate(ts_file: Path, language: str) -> None:
    """Merge the Qt sources' texts into `ts_file` (translations kept, vanished texts dropped)."""
    files = [str(p.relative_to(ROOT)) for p in _python_files(QT_SOURCES)]
    subprocess.run([_tool("pyside6-lupdate"), *files, "-no-obsolete", "-locations", "none",
                    "-source-language", "en",
                    "-target-language", QT_LANGUAGE.get(language, language),
                    "-silent", "-ts", str(ts_file)], cwd=ROOT, check=True)
    text = ts_file.read_text(encoding="utf-8")
    ts_file.write_text(_EXTRA_COMMENT.sub("", text), encoding="utf-8")


#: lupdate takes every `#:` comment for a note to translators, but here `#:` documents
#: attributes; only notes that start with "Translators:" are kept in the catalogs.
_EXTRA_COMMENT = re.compile(r"\n[ \t]*<extracomment>(?!Translators:).*?</extracomment>", re.S)


def extract_template(sources: Iterable[str] = CORE_SOURCES) -> Catalog:
    """The core's messages as a gettext template (the .pot); `sources` are folders or files,
    relative to the repository."""
    template = Catalog(project="VendPoint", domain=DOMAIN, charset="utf-8",
                       msgid_bugs_address="", copyright_holder="VendPoint contributors")
    for path in _python_files(sources):
        where = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name
        for lineno, message, comments, context in extract_from_file(
                "python", path, keywords=KEYWORDS, comment_tags=COMMENT_TAGS,
                strip_comment_tags=True):
            template.add(message, None, [(where, lineno)], auto_comments=comments,
                         context=context)
    _brace_flags(template)
    return template


def _brace_flags(catalog: Catalog) -> None:
    # Our placeholders are str.format fields: Babel's guess of printf style ("5% sales" looks
    # like "% s") would make gettext tools check the wrong thing.
    for message in catalog:
        if message.id:
            message.flags.discard("python-format")


def _plural_rule(catalog: Catalog, lang: str) -> None:
    # Babel's CLDR data gives French and Portuguese a third form for millions ("de"); gettext
    # catalogs keep the two forms everybody writes.
    count, rule = PLURALS[lang]
    headers = [(k, v) for k, v in catalog.mime_headers if k.lower() != "plural-forms"]
    catalog.mime_headers = [*headers, ("Plural-Forms", f"nplurals={count}; plural={rule};")]


# -- update -------------------------------------------------------------------------------------
def update() -> None:
    """Sources -> vendpoint_<lang>.ts, vendpoint.pot and <lang>.po, translations kept."""
    for lang in LANGUAGES:
        lupdate(HERE / f"{DOMAIN}_{lang}.ts", lang)
    template = extract_template()
    _write_po(HERE / f"{DOMAIN}.pot", template)
    for lang in LANGUAGES:
        path = HERE / f"{lang}.po"
        if path.exists():
            with path.open("rb") as fh:
                catalog = pofile.read_po(fh, locale=lang, domain=DOMAIN)
        else:
            catalog = Catalog(locale=lang, domain=DOMAIN, project="VendPoint",
                              charset="utf-8", msgid_bugs_address="",
                              copyright_holder="VendPoint contributors")
        _plural_rule(catalog, lang)
        # No fuzzy guesses: a near-match is a wrong translation shown as right ("Amount
        # ({currency})" once took "Units ({unit})"); a new text waits for its translator.
        catalog.update(template, update_header_comment=True, no_fuzzy_matching=True)
        _plural_rule(catalog, lang)
        _brace_flags(catalog)
        _write_po(path, catalog)
    print(f"updated: {', '.join(f'{DOMAIN}_{lang}.ts' for lang in LANGUAGES)}, {DOMAIN}.pot, "
          f"{', '.join(f'{lang}.po' for lang in LANGUAGES)} ({len(template)} core messages)")


_DATES = re.compile(rb'^"(?:POT-Creation-Date|PO-Revision-Date): .*$', re.M)


def _write_po(path: Path, catalog: Catalog) -> None:
    out = io.BytesIO()
    # File names without line numbers: a translator sees where a text is used, and a line
    # moving in the code does not touch the catalog.
    pofile.write_po(out, catalog, width=100, ignore_obsolete=True, include_lineno=False,
                    sort_output=True)
    text = out.getvalue()
    # Only the dates changed: leave the file alone (no diff for nothing).
    if path.exists() and _DATES.sub(b"", path.read_bytes()) == _DATES.sub(b"", text):
        return
    path.write_bytes(text)


# -- build --------------------------------------------------------------------------------------
def _stale(target: Path, source: Path) -> bool:
    return not target.exists() or target.stat().st_mtime < source.stat().st_mtime


def qt_translations_dir() -> Path:
    """Where PySide6 keeps Qt's own catalogs."""
    import PySide6  # only the build needs it, not the core that reads the .mo files

    return Path(PySide6.__file__).resolve().parent / "Qt" / "translations"


def build(folder: Path = HERE) -> list[Path]:
    """Compile what changed: .ts -> .qm, .po -> .mo, and copy Qt's own catalogs; returns what
    was written (nothing when all is up to date)."""
    written: list[Path] = []
    for lang in LANGUAGES:
        ts, qm = folder / f"{DOMAIN}_{lang}.ts", folder / f"{DOMAIN}_{lang}.qm"
        if ts.exists() and _stale(qm, ts):
            lrelease(ts, qm)
            written.append(qm)
        po, mo = folder / f"{lang}.po", folder / f"{lang}.mo"
        if po.exists() and _stale(mo, po):
            with po.open("rb") as fh:
                catalog = pofile.read_po(fh, locale=lang, domain=DOMAIN)
            _write_mo(mo, catalog)
            written.append(mo)
        base = qt_translations_dir() / f"{QT_BASE[lang]}.qm"
        copy = folder / base.name
        if base.exists() and _stale(copy, base):
            shutil.copyfile(base, copy)
            written.append(copy)
    for path in written:
        print(f"built {path.name}")
    return written


def lrelease(ts: Path, qm: Path) -> None:
    # Unfinished translations stay out, as fuzzy ones do from the .mo: half-done is English.
    subprocess.run([_tool("pyside6-lrelease"), "-nounfinished", "-silent", str(ts), "-qm",
                    str(qm)], check=True)


def _write_mo(path: Path, catalog: Catalog) -> None:
    tmp = path.with_suffix(".mo.tmp")
    with tmp.open("wb") as fh:
        mofile.write_mo(fh, catalog, use_fuzzy=False)
    tmp.replace(path)


# -- pseudo-locale ------------------------------------------------------------------------------
def pseudo_catalogs(folder: Path, core: Iterable[str] = CORE_SOURCES) -> tuple[Path, Path]:
    """DIR/xx.mo and DIR/vendpoint_xx.qm: every text of the sources, pseudo-translated."""
    folder.mkdir(parents=True, exist_ok=True)
    catalog = Catalog(locale="en", domain=DOMAIN, project="VendPoint", charset="utf-8")
    _plural_rule(catalog, PSEUDO)
    for message in extract_template(core):
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            singular, plural = message.id[0], message.id[1]
            string: str | tuple[str, ...] = (pseudo(singular), pseudo(plural))
        else:
            string = pseudo(message.id)
        catalog.add(message.id, string, context=message.context)
    mo = folder / f"{PSEUDO}.mo"
    _write_mo(mo, catalog)
    qm = folder / f"{DOMAIN}_{PSEUDO}.qm"
    with tempfile.TemporaryDirectory() as work:
        ts = Path(work) / f"{DOMAIN}_{PSEUDO}.ts"
        lupdate(ts, "en")  # English plural rules: two forms, as the pseudo .mo has
        pseudo_ts(ts)
        lrelease(ts, qm)
    return mo, qm


def _messages(root: ET.Element) -> Iterator[ET.Element]:
    yield from root.iter("message")


def pseudo_ts(ts: Path) -> None:
    """Fill every message of a Qt Linguist catalog with its pseudo-translation."""
    tree = ET.parse(ts)  # noqa: S314  (the file lupdate has just written)
    for message in _messages(tree.getroot()):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        translation.attrib.pop("type", None)
        for child in list(translation):
            translation.remove(child)
        if message.get("numerus") == "yes":
            translation.text = None
            for _form in range(2):
                ET.SubElement(translation, "numerusform").text = pseudo(source)
        else:
            translation.text = pseudo(source)
    tree.write(ts, encoding="utf-8", xml_declaration=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("update", help="extract the sources' texts into the .ts, .pot and .po")
    commands.add_parser("build", help="compile the .ts and .po into .qm and .mo")
    make_pseudo = commands.add_parser("pseudo", help="write the pseudo-locale xx into DIR")
    make_pseudo.add_argument("dir", type=Path)
    args = parser.parse_args(argv)
    if args.command == "update":
        update()
    elif args.command == "build":
        build()
    else:
        mo, qm = pseudo_catalogs(args.dir)
        print(f"pseudo-locale {PSEUDO}: {mo}, {qm}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
