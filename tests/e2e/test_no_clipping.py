"""No text cut off on a 1024×768 counter screen, in French, Portuguese and the pseudo-locale.

The real window (at the screen's size less a window manager's title bar and a panel) walks the
counter's screens (`walk_windows`: sign-in, a quote, its tokens, Settings, the supervisor
console's tabs, reprint and reversal); at each, every visible label without word wrap, button,
check box, group box title, tab and item-view header section must have room for its whole
text: its width by the widget's font (less the shortcut's &, the longest line of several) within
the room the style gives the text (a button's contents rect, inside its padding and frame).
Elided cells of item views are exempt (their full text is a tooltip away).

French and Portuguese use the real catalogs (built into a temporary folder; a text still
untranslated shows in English); the pseudo-locale's texts are the English ones, accented and
four characters longer.

The offscreen platform's screen is 800×800 unless told otherwise, and dialogs fit themselves to
the screen: when the test process's screen is not 1024×768 each language's check runs again in
a child pytest whose offscreen screen is.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QFontMetrics, QGuiApplication, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QStyleOptionComplex,
    QStyleOptionGroupBox,
    QStyleOptionTab,
    QTabBar,
    QToolButton,
    QWidget,
)

from common import i18n
from tests.e2e.harness import Till
from tests.e2e.keys import real_window
from tests.ui.visible_texts import walk_windows, widget_path
from ui.language import apply_language
from ui.widgets import FRAME_MARGIN

pytestmark = [pytest.mark.e2e, pytest.mark.qt_log_ignore(r"^This plugin does not support")]

ROOT = Path(__file__).resolve().parents[2]
SCREEN = QSize(1024, 768)
#: a desktop panel's height (as `screens_at_sizes`)
PANEL = 28
#: the pseudo-locale is installed under the name of a language the settings allow
PSEUDO_AS = "fr"

#: (where, text, missing pixels)
Clip = tuple[str, str, int]


def _catalogs() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "catalogs", ROOT / "resources" / "i18n" / "catalogs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_catalogs(language: str, folder: Path) -> str:
    """Compiled catalogs for `language` ("fr", "pt" or "pseudo") in `folder`; returns the
    language to install them under."""
    catalogs = _catalogs()
    if language == "pseudo":
        catalogs.pseudo_catalogs(folder)
        (folder / "xx.mo").rename(folder / f"{PSEUDO_AS}.mo")
        (folder / "vendpoint_xx.qm").rename(folder / f"vendpoint_{PSEUDO_AS}.qm")
        return PSEUDO_AS
    source = ROOT / "resources" / "i18n"
    for name in (f"vendpoint_{language}.ts", f"{language}.po"):
        shutil.copyfile(source / name, folder / name)
    catalogs.build(folder)
    return language


# -- measuring -----------------------------------------------------------------------------------
def _shown(text: str) -> str:
    """A Qt text as it reads: the shortcut's & gone, && one &."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def text_width(metrics: QFontMetrics, text: str) -> int:
    """The width of the longest line of `text`."""
    return max((metrics.horizontalAdvance(line) for line in text.split("\n")), default=0)


def _label_need(label: QLabel) -> tuple[str, int]:
    text = label.text()
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and "<" in text and ">" in text)
    if rich:
        document = QTextDocument()
        document.setDefaultFont(label.font())
        document.setDocumentMargin(0)
        document.setHtml(text)
        return document.toPlainText(), int(document.idealWidth() + 0.999)
    shown = _shown(text) if label.buddy() is not None else text
    return shown, text_width(label.fontMetrics(), shown)


def _label_room(label: QLabel) -> int:
    room = label.contentsRect().width() - 2 * label.margin()
    indent = label.indent()
    if indent > 0 and label.alignment() & (Qt.AlignmentFlag.AlignLeft
                                            | Qt.AlignmentFlag.AlignRight):
        room -= indent
    return room


def _button_clip(button: QAbstractButton) -> int:
    """Missing pixels for a button's text: its width against the style's contents rect."""
    style = button.style()
    text = _shown(button.text())
    need = text_width(button.fontMetrics(), text)
    if isinstance(button, QPushButton | QCheckBox | QRadioButton):
        option = QStyleOptionButton()
        button.initStyleOption(option)
        element = (QStyle.SubElement.SE_PushButtonContents if isinstance(button, QPushButton)
                   else QStyle.SubElement.SE_CheckBoxContents if isinstance(button, QCheckBox)
                   else QStyle.SubElement.SE_RadioButtonContents)
        room = style.subElementRect(element, option, button).width()
        if isinstance(button, QPushButton) and not button.icon().isNull():
            need += button.iconSize().width() + 4
        return need - room
    room = button.contentsRect().width()
    if isinstance(button, QToolButton):
        if button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly:
            return 0
        if (button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
                and not button.icon().isNull()):
            need += button.iconSize().width() + 4
    return need - room


def _group_clip(box: QGroupBox) -> int:
    option = QStyleOptionGroupBox()
    box.initStyleOption(option)
    assert isinstance(option, QStyleOptionComplex)
    title = box.style().subControlRect(QStyle.ComplexControl.CC_GroupBox, option,
                                       QStyle.SubControl.SC_GroupBoxLabel, box)
    return title.right() - box.rect().right()


def _tab_clips(bar: QTabBar) -> Iterator[tuple[int, int]]:
    style = bar.style()
    for index in range(bar.count()):
        if not bar.isTabVisible(index):
            continue
        option = QStyleOptionTab()
        bar.initStyleOption(option, index)
        room = style.subElementRect(QStyle.SubElement.SE_TabBarTabText, option, bar).width()
        need = text_width(bar.fontMetrics(), _shown(bar.tabText(index)))
        yield index, need - room


def _header_clips(header: QHeaderView) -> Iterator[tuple[str, int]]:
    model = header.model()
    if model is None:
        return
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    orientation = header.orientation()
    for logical in range(header.count()):
        if header.isSectionHidden(logical) or header.sectionSize(logical) == 0:
            continue
        value = model.headerData(logical, orientation, Qt.ItemDataRole.DisplayRole)
        if not value:
            continue
        text = str(value)
        if orientation == Qt.Orientation.Horizontal:
            need = text_width(header.fontMetrics(), text) + 2 * margin
        else:
            need = header.fontMetrics().height() * (text.count("\n") + 1)
        yield text, need - header.sectionSize(logical)


def _visible(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0 and widget.height() > 0


def clipped(*tops: QWidget) -> list[Clip]:
    """Every visible text on `tops` that does not fit its widget, with the pixels it lacks."""
    found: list[Clip] = []
    for top in tops:
        for widget in (top, *top.findChildren(QWidget)):
            if not _visible(widget):
                continue
            where = widget_path(widget)
            if isinstance(widget, QLabel):
                if widget.wordWrap() or not widget.text():
                    continue
                text, need = _label_need(widget)
                missing = need - _label_room(widget)
                if missing > 0:
                    found.append((where, text, missing))
            elif isinstance(widget, QAbstractButton):
                if widget.text():
                    missing = _button_clip(widget)
                    if missing > 0:
                        found.append((where, widget.text(), missing))
            elif isinstance(widget, QLineEdit):
                # A typed amount scrolled out of its field reads as another amount ("0" of
                # "10000"): the text must fit the field's text area.
                if widget.text():
                    room = widget.contentsRect().width() - 2 * 4  # the frame's text margins
                    missing = widget.fontMetrics().horizontalAdvance(widget.text()) - room
                    if missing > 0:
                        found.append((where, widget.text(), missing))
            elif isinstance(widget, QGroupBox):
                if widget.title():
                    missing = _group_clip(widget)
                    if missing > 0:
                        found.append((where, widget.title(), missing))
            elif isinstance(widget, QTabBar):
                for index, missing in _tab_clips(widget):
                    if missing > 0:
                        found.append((f"{where}[tab {index}]", widget.tabText(index), missing))
            elif isinstance(widget, QHeaderView):
                found += [(where, text, missing) for text, missing in _header_clips(widget)
                          if missing > 0]
            elif isinstance(widget, QAbstractItemView):
                continue  # cells elide their text, and show it whole as a tooltip
    return found


def test_a_cut_text_is_found(qapp, qtbot) -> None:
    top = QWidget()
    qtbot.addWidget(top)
    short = QLabel("A text far too long for the width it is given", top)
    short.setGeometry(0, 0, 60, 20)
    button = QPushButton("&Sell to this customer now", top)
    button.setGeometry(0, 30, 70, 30)
    fits = QPushButton("OK", top)
    fits.setGeometry(0, 70, 200, 30)
    wrapped = QLabel("A text far too long for the width it is given", top)
    wrapped.setWordWrap(True)
    wrapped.setGeometry(0, 110, 60, 80)
    top.resize(300, 200)
    top.show()
    qtbot.waitExposed(top)
    found = {text: missing for _where, text, missing in clipped(top)}
    assert set(found) == {"A text far too long for the width it is given",
                          "&Sell to this customer now"}
    assert all(missing > 0 for missing in found.values())


# -- the walk ------------------------------------------------------------------------------------
def _screen_config(folder: Path) -> str:
    """QT_QPA_PLATFORM for an offscreen platform with one 1024×768 screen."""
    config = folder / "screen.json"
    config.write_text(json.dumps({"screens": [{
        "name": "counter", "x": 0, "y": 0, "width": SCREEN.width(), "height": SCREEN.height(),
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}), encoding="utf-8")
    return f"offscreen:configfile={config}"


def _in_child(node: str, tmp_path: Path) -> None:
    """Run the test `node` again in a pytest whose offscreen screen is 1024×768."""
    env = dict(os.environ, QT_QPA_PLATFORM=_screen_config(tmp_path))
    # --runxfail: the child reports the cut texts; the expectation is this test's own.
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
                           "--runxfail", node], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=280)
    if done.returncode != 0:
        lines = [line for line in done.stdout.splitlines() if line.startswith("E ")]
        pytest.fail("\n".join(lines[-60:]) or done.stdout[-4000:] + done.stderr[-2000:],
                    pytrace=False)


@pytest.fixture
def till(qtbot, qapp, request: pytest.FixtureRequest, tmp_path: Path,
         monkeypatch: pytest.MonkeyPatch) -> Iterator[Till]:
    """The real window in the test's language; English again afterwards."""
    if not _screen_is_the_counters():
        pytest.skip("needs a 1024×768 screen: test_no_text_is_cut_off_at_1024x768 runs it")
    folder = tmp_path / "i18n"
    folder.mkdir()
    lang = build_catalogs(request.param, folder)
    monkeypatch.setenv(i18n.CATALOG_ENV, str(folder))
    i18n.reset_cache()
    apply_language(qapp, lang)
    try:
        with real_window(qtbot, tmp_path / "till") as opened:
            opened.window.resize(SCREEN.width() - FRAME_MARGIN.width(),
                                 SCREEN.height() - PANEL - FRAME_MARGIN.height())
            qtbot.waitUntil(lambda: QApplication.activeWindow() is opened.window,
                            timeout=5000)
            yield opened
    finally:
        apply_language(qapp, "en")
        i18n.reset_cache()


def _screen_is_the_counters() -> bool:
    screen = QGuiApplication.primaryScreen()
    return screen is not None and screen.size() == SCREEN


#: French, Portuguese, and the pseudo-locale, whose texts are longer than either.
LANGUAGES = ["fr", "pt", "pseudo"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_text_is_cut_off_at_1024x768(qapp, tmp_path: Path, language: str) -> None:
    if _screen_is_the_counters():
        pytest.skip("the screen is 1024×768: test_screens_at_1024x768 runs in this process")
    _in_child(f"{__file__}::test_screens_at_1024x768[{language}]", tmp_path)


@pytest.mark.parametrize("till", LANGUAGES, indirect=True)
def test_screens_at_1024x768(qtbot, till: Till, shown_errors) -> None:
    """The walk itself, on a 1024×768 screen (else the test above runs it in a child)."""
    problems: list[str] = []
    for checkpoint, tops in walk_windows(till, qtbot):
        QCoreApplication.processEvents()
        problems += [f"{checkpoint}: {where}: {text!r} lacks {missing} px"
                     for where, text, missing in clipped(*tops)]
    assert not problems, "texts cut off at 1024×768:\n" + "\n".join(problems)
