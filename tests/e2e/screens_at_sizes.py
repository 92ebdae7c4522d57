"""Screens and dialogs at counter screen sizes, to look for anything cut off.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.e2e.screens_at_sizes [OUT_DIR]
    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.e2e.screens_at_sizes --language fr

For 1024×768 and 1366×768: a real till (as `tests.e2e.screenshots`), the main window at the
screen size less a window manager's title bar and panel, a sale with its tokens, and every
dialog a cashier or supervisor opens (search, reprint, pending sales, settings, each tab of
the supervisor console, tariffs), each grabbed into `OUT_DIR/<size>/NN-name.png`. With
`--language fr` (or pt): the same screens, under the same names, at 1024×768 in that language,
from the compiled catalogs (`make translations`), into `OUT_DIR/1024x768-fr/`.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QWidget

from common.i18n import LANGUAGES
from tests.e2e.harness import Till, open_till
from tests.e2e.screenshots import keys, wait_until
from ui.application import create_qapplication
from ui.language import apply_language
from ui.sale_controller import Step
from ui.supervisor.install import SupervisorConsole
from ui.widgets import FRAME_MARGIN

ROOT = Path(__file__).resolve().parents[2]
SIZES = ((1024, 768), (1366, 768))
#: a desktop panel's height
PANEL = 28
#: the supervisor console's tabs in the file names (the same in every language)
TAB_NAMES = {"ShiftView": "shift", "ReportsView": "reports",
             "EngineeringView": "engineering-tokens", "AttentionView": "needs-attention",
             "JournalView": "journal"}


def _save(widget: QWidget, out: Path, name: str) -> None:
    for _ in range(5):
        QCoreApplication.processEvents()
    path = out / f"{name}.png"
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    print(path)


def _dialog(till: Till, key: Qt.Key, out: Path, name: str) -> None:
    QTest.keyClick(till.shell.sale_view.meter, key)
    wait_until(lambda: till.shell.dialog is not None)
    dialog = till.shell.dialog
    assert isinstance(dialog, QDialog)
    wait_until(lambda: dialog.isVisible())
    QTest.qWait(300)  # lists load in the background
    _save(dialog, out, name)
    dialog.reject()
    wait_until(lambda: till.shell.dialog is None)
    till.window.activateWindow()  # no window manager gives it back offscreen
    QTest.qWaitForWindowActive(till.window, 5000)


def shoot(till: Till, out: Path, width: int, height: int) -> None:
    shell, window = till.shell, till.window
    window.resize(width - FRAME_MARGIN.width(), height - PANEL - FRAME_MARGIN.height())
    keys(shell.login_view.username, "sipho")
    keys(shell.login_view.pin, "4321")
    wait_until(lambda: shell.operator is not None)
    online = QCoreApplication.translate("StatusBarView", "● Online")
    wait_until(lambda: window.status_view.connection.text() == online)
    meter = till.server.meter("tid_rollover")["meter_number"]
    keys(shell.sale_view.meter, meter)
    wait_until(lambda: shell.sale.step is Step.CONFIRMED)
    keys(shell.sale_view.amount, "150")
    wait_until(lambda: shell.sale.step is Step.QUOTED)
    _save(window, out, "01-quote")
    QTest.keyClick(shell.sale_view.tendered, Qt.Key.Key_Return)
    wait_until(lambda: shell.sale.step is Step.DONE)
    _save(window, out, "02-tokens")
    QTest.keyClick(shell.sale_view.meter, Qt.Key.Key_F2)
    shell.sale_view.meter.setText("Mokoena")
    _dialog(till, Qt.Key.Key_F3, out, "03-search")
    shell.sale_view.meter.clear()
    _dialog(till, Qt.Key.Key_F8, out, "04-reprint")
    _dialog(till, Qt.Key.Key_F9, out, "05-pending")
    _dialog(till, Qt.Key.Key_F10, out, "06-today")
    _dialog(till, Qt.Key.Key_F11, out, "07-settings")
    _dialog(till, Qt.Key.Key_F6, out, "08-tariffs")
    QTest.keyClick(shell.sale_view.meter, Qt.Key.Key_S,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    console = window.findChild(SupervisorConsole)
    assert isinstance(console, SupervisorConsole)
    for index in range(console.tabs.count()):
        console.tabs.setCurrentIndex(index)
        QTest.qWait(300)
        page = type(console.tabs.widget(index)).__name__
        _save(console, out, f"{10 + index:02d}-supervisor-{TAB_NAMES.get(page, page.lower())}")
    console.reject()


def main(out: Path, language: str = "en") -> int:
    app = create_qapplication()
    apply_language(app, language)  # before the window: its screens are built in it
    sizes = SIZES if language == "en" else SIZES[:1]
    suffix = "" if language == "en" else f"-{language}"
    for width, height in sizes:
        target = out / f"{width}x{height}{suffix}"
        target.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp, open_till(Path(tmp)) as till:
            till.window.activateWindow()
            QTest.qWaitForWindowActive(till.window, 5000)
            shoot(till, target, width, height)
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Screens and dialogs at counter screen sizes.")
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--language", choices=[lang for lang in LANGUAGES if lang != "en"],
                        default="en", help="the same screens at 1024×768 in this language")
    args = parser.parse_args()
    sys.exit(main(args.out, args.language))
