"""The counter by keyboard on the real main window: a real till (reference server, core,
SQLCipher store, loopback printer), the shell and its supervisor menu, driven with key events
sent to the focused widget, as a cashier or a supervisor types them.

- customer search (F3) and reprint search (F8): Enter in the query searches, a Search button,
  Ctrl+F / Esc from the results back to the query;
- function keys and typed digits work wherever the focus is (a banner's button, a button
  after a sale);
- opening a shift starts in the float field and refuses an empty float; closing asks first,
  with the over / short shown;
- Settings need a supervisor; the Supervisor menu is off while the till is locked;
- the screens and dialogs fit a 1024×768 screen.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QPushButton, QWidget

from app.tariffs.events import TariffInForce
from tests.e2e.harness import Till
from tests.e2e.keys import (
    CASHIER,
    SUPERVISOR,
    WM_ALLOWANCE,
    back_on_window,
    dialog_of,
    on_next_modal,
    press,
    real_window,
    sell,
    sign_in,
    type_keys,
)
from ui.dialogs import SearchDialog, SupervisorDialog
from ui.sale_flow import Step
from ui.sales_dialogs import ReprintDialog, SalesListDialog
from ui.settings_dialog import SettingsDialog
from ui.supervisor.install import SupervisorConsole

pytestmark = [pytest.mark.e2e, pytest.mark.qt_log_ignore(r"^This plugin does not support")]


@pytest.fixture
def till(qtbot, tmp_path: Path) -> Iterator[Till]:
    with real_window(qtbot, tmp_path) as opened:
        yield opened


# -- 7: customer search ------------------------------------------------------------------------
def test_search_enter_in_query_searches_then_picks(qtbot, till, shown_errors) -> None:
    sign_in(qtbot, till, CASHIER)
    press(qtbot, Qt.Key.Key_F3)
    search = dialog_of(qtbot, till, SearchDialog)
    assert isinstance(search, SearchDialog)
    assert search.query.hasFocus()
    assert search.search_button.isVisible() and "Search" in search.search_button.text()
    name = till.server.meter("normal")["customer_name"].split()[-1]
    type_keys(qtbot, name, enter=True)
    # Enter searched: the dialog is still open, the results have the focus, nothing chosen.
    qtbot.waitUntil(lambda: "found" in search.message.text(), timeout=10000)
    assert search.result() == 0 and search.chosen is None and till.shell.dialog is search
    assert search.results.rowCount() >= 1 and search.results.hasFocus()
    # Back to the query by keyboard: Ctrl+F, and Esc from the results.
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert search.query.hasFocus()
    press(qtbot, Qt.Key.Key_Down)
    assert search.results.hasFocus()
    press(qtbot, Qt.Key.Key_Escape)
    assert search.query.hasFocus() and search.isVisible()
    # A search typed again with the button (Alt+S), then Enter on the row picks it.
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: search.results.hasFocus(), timeout=10000)
    meter = search.results.item(0, 0).text()
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: till.shell.sale.step is Step.CONFIRMED, timeout=20000)
    assert till.shell.sale_view.meter.text() == meter
    assert not shown_errors.shown


# -- 8: reprint search -------------------------------------------------------------------------
def test_reprint_enter_in_query_searches_then_reprints(qtbot, till, shown_errors) -> None:
    sign_in(qtbot, till, CASHIER)
    meter = till.server.meter("normal")["meter_number"]
    sell(qtbot, till, meter)
    press(qtbot, Qt.Key.Key_F2)
    press(qtbot, Qt.Key.Key_F8)
    reprint = dialog_of(qtbot, till, ReprintDialog)
    assert isinstance(reprint, ReprintDialog)
    assert reprint.query.hasFocus()
    assert reprint.search_button.isVisible()
    type_keys(qtbot, meter, enter=True)
    qtbot.waitUntil(lambda: len(reprint.records) == 1, timeout=10000)
    assert not shown_errors.shown, shown_errors.shown  # not "Search for the sale first"
    assert reprint.table.hasFocus()
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert reprint.query.hasFocus()
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Escape)
    assert reprint.query.hasFocus() and reprint.isVisible()
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Return)  # Enter on the sale reprints it
    qtbot.waitUntil(lambda: "Reprint 1" in reprint.message.text(), timeout=10000)
    assert not shown_errors.shown


# -- 11: keys wherever the focus is ------------------------------------------------------------
def test_function_keys_and_digits_from_a_banner_button(qtbot, till, shown_errors) -> None:
    sign_in(qtbot, till, CASHIER)
    shell = till.shell
    shell.tariff_banner.on_core_event(TariffInForce(
        tariff_id="RES-IBT", tariff_name="Residential", version=2,
        effective_from="2026-01-01T00:00:00Z"))
    assert shell.tariff_banner.isVisible()
    shell.tariff_banner.view_button.setFocus()
    assert shell.tariff_banner.view_button.hasFocus()
    press(qtbot, Qt.Key.Key_F9)
    dialog_of(qtbot, till, SalesListDialog)
    press(qtbot, Qt.Key.Key_Escape)
    back_on_window(qtbot, till)
    shell.tariff_banner.view_button.setFocus()
    press(qtbot, Qt.Key.Key_F3)
    dialog_of(qtbot, till, SearchDialog)
    press(qtbot, Qt.Key.Key_Escape)
    back_on_window(qtbot, till)
    # Digits typed while a button has the focus go to the meter number.
    meter = till.server.meter("normal")["meter_number"]
    shell.tariff_banner.close_button.setFocus()
    type_keys(qtbot, meter[:4])
    assert shell.sale_view.meter.hasFocus()
    assert shell.sale_view.meter.text() == meter[:4]
    press(qtbot, Qt.Key.Key_Escape)  # Esc from anywhere: one step back (clears the meter)
    # After a sale the meter field has the focus, its number selected: a scanned meter
    # replaces it and starts the next customer.
    sell(qtbot, till, meter)
    assert shell.sale_view.meter.hasFocus()
    assert shell.sale_view.meter.selectedText() == meter
    other = till.server.meter("arrears")["meter_number"]
    type_keys(qtbot, other, enter=True)
    qtbot.waitUntil(lambda: shell.sale.step is Step.CONFIRMED, timeout=20000)
    assert shell.sale_view.meter.text() == other
    assert not shown_errors.shown


# -- 12: open and close a shift ----------------------------------------------------------------
def _console(till: Till) -> SupervisorConsole:
    console = till.window.findChild(SupervisorConsole)
    assert isinstance(console, SupervisorConsole)
    return console


def test_shift_open_needs_a_float_and_close_is_confirmed(qtbot, till, shown_errors) -> None:
    sign_in(qtbot, till, SUPERVISOR)
    press(qtbot, Qt.Key.Key_S,
          Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    console = _console(till)
    qtbot.waitExposed(console)
    shift = console.shift
    qtbot.waitUntil(lambda: "No shift is open" in shift.state.text(), timeout=10000)
    qtbot.waitUntil(lambda: shift.float_edit.hasFocus(), timeout=5000)
    assert not shift.float_edit.placeholderText().strip().replace(".", "").isdigit()
    press(qtbot, Qt.Key.Key_Return)  # empty: refused, not opened with 0.00
    qtbot.waitUntil(lambda: bool(shown_errors.shown), timeout=5000)
    assert "float" in shown_errors.shown[-1][1].lower()
    assert shift.shift is None
    type_keys(qtbot, "500", enter=True)
    qtbot.waitUntil(lambda: shift.shift is not None, timeout=10000)
    assert shift.counted_edit.hasFocus()
    type_keys(qtbot, "450")
    seen: list[str] = []

    def refuse(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        qtbot.keyClick(box, Qt.Key.Key_Escape)
        QTimer.singleShot(3000, box.reject)

    on_next_modal(qtbot, refuse)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(seen) and QApplication.activeModalWidget() is None,
                    timeout=5000)
    assert "short" in seen[0] and "50.00" in seen[0] and "450.00" in seen[0]
    assert shift.shift is not None and not shift.result.text()  # still open
    console.activateWindow()  # no window manager to give it back
    qtbot.waitUntil(lambda: QApplication.activeWindow() is console, timeout=5000)

    def accept(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        yes = box.button(QMessageBox.StandardButton.Yes)
        assert yes is not None
        qtbot.keyClick(box, Qt.Key.Key_Y)  # the Yes button's letter
        QTimer.singleShot(3000, box.reject)  # a box the key did not close fails the test

    on_next_modal(qtbot, accept)
    shift.counted_edit.setFocus()
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Shift closed" in shift.result.text(), timeout=10000)
    assert "short" in shift.result.text()
    assert len(shown_errors.shown) == 1


# -- 16: who may change the settings; the menu while locked -----------------------------------
def test_settings_need_a_supervisor_and_menu_is_off_while_locked(qtbot, till,
                                                                 shown_errors) -> None:
    sign_in(qtbot, till, CASHIER)
    shell = till.shell
    asked: list[str] = []

    def cancel(box: QWidget) -> None:
        assert isinstance(box, SupervisorDialog)
        asked.append("asked")
        qtbot.keyClick(box.username, Qt.Key.Key_Escape)

    on_next_modal(qtbot, cancel)
    press(qtbot, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: bool(asked), timeout=5000)
    back_on_window(qtbot, till)
    assert not isinstance(shell.dialog, SettingsDialog)

    def approve(box: QWidget) -> None:
        assert isinstance(box, SupervisorDialog)
        for char in SUPERVISOR[0]:
            qtbot.keyClick(box.username, char)
        qtbot.keyClick(box.username, Qt.Key.Key_Return)
        for char in SUPERVISOR[1]:
            qtbot.keyClick(box.pin, char)
        qtbot.keyClick(box.pin, Qt.Key.Key_Return)

    on_next_modal(qtbot, approve)
    press(qtbot, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: isinstance(shell.dialog, SettingsDialog), timeout=10000)
    dialog_of(qtbot, till, SettingsDialog)
    press(qtbot, Qt.Key.Key_Escape)
    back_on_window(qtbot, till)
    # Locked: the Supervisor menu and its keys are off.
    press(qtbot, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert shell.operator is None
    menu = till.window.menuBar().actions()[0]
    assert "Supervisor" in menu.text()
    assert not menu.isEnabled()
    press(qtbot, Qt.Key.Key_S,
          Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert till.window.findChild(SupervisorConsole) is None
    sign_in(qtbot, till, CASHIER)
    assert menu.isEnabled()
    assert not shown_errors.shown


def test_supervisor_signs_in_settings_open_at_once(qtbot, till) -> None:
    sign_in(qtbot, till, SUPERVISOR)
    press(qtbot, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: isinstance(till.shell.dialog, SettingsDialog), timeout=5000)


# -- 15: 1024×768 ------------------------------------------------------------------------------
def _fits(widget: QWidget, width: int = 1024, height: int = 768 - WM_ALLOWANCE) -> None:
    hint = widget.minimumSizeHint().expandedTo(widget.minimumSize())
    assert hint.width() <= width and hint.height() <= height, (
        f"{type(widget).__name__} needs {hint.width()}×{hint.height()}")


def _inside(child: QWidget, top: QWidget) -> bool:
    rect = child.rect().translated(child.mapTo(top, child.rect().topLeft()))
    return top.rect().contains(rect)


def test_screens_and_dialogs_fit_1024x768(qtbot, till) -> None:
    window = till.window
    _fits(window)
    sign_in(qtbot, till, SUPERVISOR)
    sell(qtbot, till, till.server.meter("tid_rollover")["meter_number"], "150")
    window.resize(1024, 768 - WM_ALLOWANCE)
    qtbot.waitUntil(lambda: window.height() == 768 - WM_ALLOWANCE)
    _fits(window)
    for label in window.status_view.findChildren(QWidget):
        if label.isVisible():
            assert _inside(label, window), f"{label.objectName()} is cut off"
    press(qtbot, Qt.Key.Key_F3)
    search = dialog_of(qtbot, till, SearchDialog)
    _fits(search)
    assert search.width() <= 1024 and search.height() <= 768 - WM_ALLOWANCE
    press(qtbot, Qt.Key.Key_Escape)
    back_on_window(qtbot, till)
    press(qtbot, Qt.Key.Key_R,
          Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    console = _console(till)
    qtbot.waitExposed(console)
    attention = console.attention
    with qtbot.waitSignal(attention.loaded, timeout=10000):
        console.tabs.setCurrentWidget(attention)
    for index in range(console.tabs.count()):
        console.tabs.setCurrentIndex(index)
        _fits(console)
    assert console.width() <= 1024 and console.height() <= 768 - WM_ALLOWANCE
    console.resize(1024, 768 - WM_ALLOWANCE)
    for index in range(console.tabs.count()):
        console.tabs.setCurrentIndex(index)
        qtbot.wait(10)
        for button in console.tabs.currentWidget().findChildren(QPushButton):
            if button.isVisible():
                assert _inside(button, console), f"{button.text()} is cut off"
    for edit in console.findChildren(QLineEdit):
        assert edit.width() > 0
