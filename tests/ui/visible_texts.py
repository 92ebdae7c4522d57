"""Every text a person can read on the screens, and a walk through the counter's screens.

`visible_texts(*tops)` collects (where, text) from visible widgets: labels, buttons, group
titles, placeholders, combo items, tab titles, item-view headers and cells, window titles,
the actions of visible menus, message boxes and the status bar's message. `walk_screens`
drives the real main window (a real till, `tests.e2e.keys.real_window`) through the sign-in
screen, a quoted sale, its tokens, Settings, the supervisor console's tabs and the reprint
and reversal dialogs, yielding what each shows (`walk_windows`: the windows themselves, for
a test of their sizes); a test then judges the texts with whatever
predicate it needs (English today: no raw enum values; a pseudo-locale: every text
translated).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStatusBar,
    QTabBar,
    QWidget,
)

from tests.e2e.harness import Till
from tests.e2e.keys import SUPERVISOR, back_on_window, dialog_of, press, sign_in, type_keys
from ui.sale_flow import Step
from ui.sales_dialogs import ReprintDialog, ReversalDialog
from ui.settings_dialog import SettingsDialog
from ui.supervisor.install import SupervisorConsole

#: (where, text): where is the widget's path of object names or class names
Text = tuple[str, str]


def widget_path(widget: QWidget) -> str:
    """'MainWindow/QWidget/saleScreen/moneyPanel': object names, else class names."""
    parts: list[str] = []
    node: QWidget | None = widget
    while node is not None:
        parts.append(node.objectName() or type(node).__name__)
        node = node.parentWidget()
    return "/".join(reversed(parts))


def _plain(text: str, widget: QLabel | None = None) -> str:
    """Rich text as it reads (a label's table of demo meters), plain text as it is."""
    if widget is not None and (widget.textFormat() == Qt.TextFormat.RichText
                               or (widget.textFormat() == Qt.TextFormat.AutoText
                                   and "<" in text and ">" in text)):
        document = QTextDocument()
        document.setHtml(text)
        return document.toPlainText()
    return text


def _model_texts(where: str, model: QAbstractItemModel | None, header: bool) -> Iterator[Text]:
    if model is None:
        return
    root = QModelIndex()
    rows = model.rowCount(root)
    # A list model's columnCount is not callable from Python: one column.
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(root)
    if header:
        for col in range(columns):
            value = model.headerData(col, Qt.Orientation.Horizontal,
                                     Qt.ItemDataRole.DisplayRole)
            if value:
                yield f"{where}[header {col}]", str(value)
    for row in range(rows):
        for col in range(columns):
            value = model.data(model.index(row, col), Qt.ItemDataRole.DisplayRole)
            if value:
                yield f"{where}[{row},{col}]", str(value)


def widget_texts(widget: QWidget, tooltips: bool = False) -> Iterator[Text]:
    """The texts one widget shows itself (not its children's)."""
    where = widget_path(widget)
    if widget.isWindow() and widget.windowTitle():
        yield f"{where}[title]", widget.windowTitle()
    if isinstance(widget, QMessageBox):
        for part in (widget.text(), widget.informativeText()):
            if part:
                yield f"{where}[message]", part
    if isinstance(widget, QLabel):
        yield where, _plain(widget.text(), widget)
    elif isinstance(widget, QAbstractButton):
        yield where, widget.text()
    elif isinstance(widget, QGroupBox):
        yield where, widget.title()
    elif isinstance(widget, QLineEdit):
        yield f"{where}[placeholder]", widget.placeholderText()
    elif isinstance(widget, QComboBox):
        yield f"{where}[placeholder]", widget.placeholderText()
        for index in range(widget.count()):
            yield f"{where}[{index}]", widget.itemText(index)
    elif isinstance(widget, QAbstractSpinBox):
        yield f"{where}[special]", widget.specialValueText()
        for part in ("prefix", "suffix"):
            read = getattr(widget, part, None)
            if callable(read):
                yield f"{where}[{part}]", str(read())
    elif isinstance(widget, QTabBar):
        for index in range(widget.count()):
            yield f"{where}[tab {index}]", widget.tabText(index)
    elif isinstance(widget, QAbstractItemView):
        yield from _model_texts(where, widget.model(), header=True)
    elif isinstance(widget, QStatusBar):
        yield f"{where}[message]", widget.currentMessage()
    if isinstance(widget, QMainWindow):
        bar = widget.menuBar()
        for action in bar.actions():
            yield f"{where}/menuBar[{action.text()}]", action.text()
            menu = action.menu()
            if isinstance(menu, QMenu):
                for entry in menu.actions():
                    if entry.isVisible() and not entry.isSeparator():
                        yield f"{where}/menuBar/{action.text()}", entry.text()
    if tooltips and widget.toolTip():
        yield f"{where}[tooltip]", widget.toolTip()


def visible_texts(*tops: QWidget, tooltips: bool = False) -> list[Text]:
    """Every non-empty text a person can read on `tops` and their visible children."""
    found: list[Text] = []
    for top in tops:
        for widget in (top, *top.findChildren(QWidget)):
            if not widget.isVisible():
                continue
            for where, text in widget_texts(widget, tooltips):
                if text.strip():
                    found.append((where, text))
    return found


def _quoted(till: Till) -> bool:
    return till.shell.sale.step is Step.QUOTED


def walk_screens(till: Till, qtbot) -> Iterable[tuple[str, list[Text]]]:
    """Drive the real window through the counter's screens; yield (checkpoint, texts) at
    each. Signs in as the demo supervisor (so Settings and the console open directly)."""
    for checkpoint, tops in walk_windows(till, qtbot):
        yield checkpoint, visible_texts(*tops)


def walk_windows(till: Till, qtbot) -> Iterable[tuple[str, list[QWidget]]]:
    """`walk_screens`' walk, yielding (checkpoint, the windows on screen there) for a test
    that looks at the widgets themselves (their sizes), not only at their texts."""
    window, shell = till.window, till.shell
    yield "sign-in", [window]

    sign_in(qtbot, till, SUPERVISOR)
    view, sale = shell.sale_view, shell.sale
    view.meter.setFocus()
    type_keys(qtbot, till.server.meter("tid_rollover")["meter_number"], enter=True)
    qtbot.waitUntil(lambda: sale.step is Step.CONFIRMED, timeout=20000)
    type_keys(qtbot, "150", enter=True)
    qtbot.waitUntil(lambda: _quoted(till), timeout=20000)
    yield "sale quoted", [window]

    with qtbot.waitSignal(sale.sold, timeout=30000):
        press(qtbot, Qt.Key.Key_Return)
    yield "tokens", [window]

    press(qtbot, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: isinstance(shell.dialog, SettingsDialog), timeout=5000)
    settings = dialog_of(qtbot, till, SettingsDialog)
    yield "settings", [settings]
    settings.reject()
    back_on_window(qtbot, till)

    press(qtbot, Qt.Key.Key_R,
          Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    console = window.findChild(SupervisorConsole)
    assert isinstance(console, SupervisorConsole)
    qtbot.waitExposed(console)
    with qtbot.waitSignal(console.attention.loaded, timeout=10000):
        console.tabs.setCurrentWidget(console.attention)
    for index in range(console.tabs.count()):
        console.tabs.setCurrentIndex(index)
        yield f"supervisor: {console.tabs.tabText(index)}", [console]
    console.reject()
    back_on_window(qtbot, till)

    press(qtbot, Qt.Key.Key_F8)
    reprint = dialog_of(qtbot, till, ReprintDialog)
    assert isinstance(reprint, ReprintDialog)
    reprint.search()  # the query holds the sold meter
    qtbot.waitUntil(lambda: bool(reprint.records), timeout=10000)
    yield "reprint", [reprint]

    record = reprint.selected()
    assert record is not None
    reversal = ReversalDialog(record, reprint)
    reversal.show()
    qtbot.waitExposed(reversal)
    yield "reversal", [reversal]
    reversal.reject()
    reprint.reject()
    back_on_window(qtbot, till)
    for box in QApplication.topLevelWidgets():
        if isinstance(box, QMessageBox) and box.isVisible():
            yield "message box", [box]

