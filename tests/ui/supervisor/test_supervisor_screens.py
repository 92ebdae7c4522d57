"""Shift, engineering, needs-attention and journal screens; the console and its menu."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMainWindow
from pytestqt.qtbot import QtBot

from app.api.models import Money
from app.supervisor import SupervisorServices
from app.till.results import Customer
from offline_store import Store
from tests.app.supervisor.helpers_supervisor import CASHIER, FakeApi, Printed, Seeder
from ui.supervisor.approval_dialog import ApprovalDialog
from ui.supervisor.attention_view import AttentionView
from ui.supervisor.common import ScreenContext, guarded
from ui.supervisor.engineering_view import EngineeringView
from ui.supervisor.install import actor_from_ui_operator, install_supervisor
from ui.supervisor.journal_view import JournalView, readable_ref
from ui.supervisor.shift_view import ShiftView


def test_shift_open_drop_close_over_short(qtbot: QtBot, ctx: ScreenContext, seed: Seeder,
                                          printed: Printed, answers: Any) -> None:
    view = ShiftView(ctx)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.changed, timeout=10000):
        view.load()
    assert not view.close_button.isEnabled() and "No shift" in view.state.text()
    view.float_edit.setText("500")
    with qtbot.waitSignal(view.changed, timeout=10000) as opened:
        view.open_button.click()
    shift = opened.args[0]
    assert shift is not None and view.close_button.isEnabled()
    seed.tokened(amount=12000, units=500, operator="sipho", shift_id=shift.shift_id)
    view.drop_edit.setText("100.00")
    with qtbot.waitSignal(view.changed, timeout=10000):
        view.drop_button.click()
    assert "should hold ZAR 520.00" in view.expected.text()
    # counting sheet: 2 x R200 + 1 x R100 + 3 x R5 = 515.00 -> short 5.00
    view.counts[20000].setValue(2)
    view.counts[10000].setValue(1)
    view.counts[500].setValue(3)
    assert view.counted_edit.text() == "515.00"
    with qtbot.waitSignal(view.closed, timeout=10000) as closed:
        view.close_button.click()
    assert closed.args[0].over_short.minor == -500
    assert "Counted ZAR 515.00, expected ZAR 520.00: short ZAR 5.00" in answers.questions[-1]
    assert "short ZAR 5.00" in view.result.text() and "ZAR 515.00" in view.result.text()
    assert "Expected ZAR 520.00" in view.result.text()
    assert printed.items[-1].kind == "shift_close"
    with qtbot.waitSignal(view.reprinted, timeout=10000):
        view.reprint_button.click()
    assert "reprint 1" in view.result.text() and printed.items[-1].kind == "reprint"


def test_shift_bad_float_is_explained(qtbot: QtBot, ctx: ScreenContext,
                                      shown_errors: list[str]) -> None:
    view = ShiftView(ctx)
    qtbot.addWidget(view)
    view.float_edit.setText("5x0")
    view.open_button.click()
    assert shown_errors and "opening float must be a number" in shown_errors[0]
    view.float_edit.setText("500,5")  # the commas used to be dropped: 5005.00
    view.open_button.click()
    assert "not clear" in shown_errors[-1] and view.shift is None


def test_engineering_screen_issues_with_pin(qtbot: QtBot, ctx: ScreenContext, answers: Any,
                                            api: FakeApi, printed: Printed,
                                            shown_errors: list[str]) -> None:
    view = EngineeringView(ctx)
    qtbot.addWidget(view)
    view.meter.setText("14339800361")  # wrong check digit: refused before the PIN is asked
    view.issue_button.click()
    assert "check digit" in shown_errors[-1] and answers.asked == []
    view.meter.setText("14339800360")
    view.type.setCurrentIndex(view.type.findData("set_power_limit"))
    assert view.value.isEnabled() and not view.new_ti.isEnabled()
    view.value.setValue(2500)
    with qtbot.waitSignal(view.issued, timeout=10000):
        view.issue_button.click()
    assert answers.asked == ["set maximum power limit"]
    assert api.calls[-1] == ("engineering", {"meter_number": "14339800360",
                                             "type": "set_power_limit", "value": 2500,
                                             "register": None, "new_ti": None})
    assert "1111 2222 3333 4444 5555" in view.tokens.text()
    assert printed.items[-1].kind == "engineering" and view.history.count() == 1
    answers.approval = None  # the supervisor cancels: nothing is sent, nothing shown
    calls = len(api.calls)
    view.issue_button.click()
    assert len(api.calls) == calls and len(shown_errors) == 1


def test_engineering_screen_names_the_customer_and_warns_of_a_blocked_meter(
        qtbot: QtBot, ctx: ScreenContext, answers: Any, api: FakeApi) -> None:
    looked_up: list[str] = []

    def lookup(meter: str) -> Customer:
        looked_up.append(meter)
        return Customer(meter_number="14339800360", name="Lindiwe Mokoena",
                        address="12 Jacaranda Street", account="ACC-1", utility="Demo Power",
                        tariff="Residential", arrears=Money(0, "ZAR"), blocked=True,
                        blocked_reason="tamper reported")

    view = EngineeringView(replace(ctx, lookup=lookup))
    qtbot.addWidget(view)
    view.meter.setText("1433 9800 360")
    qtbot.keyClick(view.meter, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Lindiwe Mokoena" in view.customer.text(), timeout=10000)
    assert looked_up == ["1433 9800 360"] and view.meter.text() == "14339800360"
    assert "BLOCKED: tamper reported" in view.customer.text()
    with qtbot.waitSignal(view.issued, timeout=10000):
        view.issue_button.click()
    # The history names the token type as chosen, not its code.
    assert "clear_tamper" not in view.history.item(0).text()
    assert "Clear tamper" in view.history.item(0).text()


def test_attention_screen_actions(qtbot: QtBot, ctx: ScreenContext, seed: Seeder,
                                  answers: Any, store: Store) -> None:
    a = seed.insert(amount=700, offline=True, state="pending")
    seed.set_state(a, "rejected", "BLOCKED_METER", "Meter blocked")
    b = seed.insert(amount=900, offline=True, state="pending")
    seed.set_state(b, "rejected", "UNKNOWN_METER", "No such meter")
    notes = ["paid back at counter"]
    view = AttentionView(ctx, note=lambda parent, prompt: notes.pop(0) if notes else None)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.load()
    assert view.table.rowCount() == 2
    assert view.table.item(0, 5).text() == "BLOCKED_METER: Meter blocked"  # type: ignore[union-attr]
    view.table.selectRow(0)
    answers.actor = CASHIER  # needs the supervisor's PIN
    reference = view.items[0].reference
    with qtbot.waitSignal(view.loaded, timeout=10000) as done:
        view.refund_button.click()
    assert [i.idem_key for i in done.args[0]] == [b]
    assert answers.asked == [f"resolve {reference}"]  # no second PIN to show what is left
    view.table.selectRow(0)
    view.close_button.click()  # the note dialog is cancelled: nothing happens
    assert view.table.rowCount() == 1
    refunds = store.call(lambda c: c.execute(
        "SELECT operator_id, note, amount_minor FROM attention_actions").fetchall())
    assert [tuple(r) for r in refunds] == [("thandi", "paid back at counter", 700)]


def test_journal_viewer_filters_and_verify(qtbot: QtBot, ctx: ScreenContext, seed: Seeder,
                                           answers: Any, shown_errors: list[str]) -> None:
    seed.tokened(amount=1000, units=40)
    seed.tokened(amount=2000, units=80)
    view = JournalView(ctx)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.search_button.click()
    assert view.table.rowCount() == 4
    view.kind.setCurrentText("sale.tokened")
    with qtbot.waitSignal(view.loaded, timeout=10000) as loaded:
        view.search_button.click()
    assert [e.kind for e in loaded.args[0]] == ["sale.tokened", "sale.tokened"]
    # People read it: slip references, not keys; words, not JSON.
    cells = [view.table.item(r, c) for r in range(view.table.rowCount()) for c in (3, 4)]
    shown = [cell.text() if cell is not None else "" for cell in cells]
    assert all(not t.startswith("{") for t in shown), shown
    assert any("receipt no:" in t for t in shown[1::2]), shown
    assert readable_ref("6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f") == "VP-6F1C2D3E4A"
    with qtbot.waitSignal(view.verified, timeout=10000) as verified:
        view.verify_button.click()
    assert verified.args[0].ok and "hash chain intact" in view.status.text()
    answers.actor = CASHIER  # the screen still offers Filter: the core refuses
    with qtbot.waitSignal(view.failed, timeout=10000) as failed:
        view.search_button.click()
    assert "may not view the audit journal" in failed.args[0] == shown_errors[-1]
    assert not view.verify_button.isEnabled() and not view.export_button.isEnabled()


def test_journal_export_writes_the_filtered_entries_and_is_journaled(
        qtbot: QtBot, ctx: ScreenContext, seed: Seeder, answers: Any, tmp_path: Path,
        store: Store) -> None:
    seed.tokened(amount=1000, units=40)
    seed.tokened(amount=2000, units=80)
    view = JournalView(ctx)
    qtbot.addWidget(view)
    view.kind.setCurrentText("sale.tokened")
    target = tmp_path / "journal.csv"
    answers.paths = [target]
    with qtbot.waitSignal(view.exported, timeout=10000) as exported:
        view.export_button.click()
    assert exported.args[0] == 2 and "2 entries saved" in view.status.text()
    rows = list(csv.reader(io.StringIO(target.read_text("utf-8"), newline="")))
    assert rows[0] == ["seq", "time_utc", "kind", "reference", "details"]
    assert [r[2] for r in rows[1:]] == ["sale.tokened", "sale.tokened"]
    assert int(rows[1][0]) < int(rows[2][0])  # oldest first
    entry = store.call(lambda c: c.execute(
        "SELECT body FROM journal WHERE kind = 'journal.exported'").fetchone()[0])
    assert '"entries":2' in entry.replace(" ", "") and str(tmp_path) not in entry


def test_approval_dialog_checks_input(qtbot: QtBot) -> None:
    dialog = ApprovalDialog("reverse a sale", None, supervisors=["sipho"])
    qtbot.addWidget(dialog)
    assert dialog.pin.echoMode() == dialog.pin.EchoMode.Password
    ok = dialog.findChild(QDialogButtonBox).button(  # type: ignore[union-attr]
        QDialogButtonBox.StandardButton.Ok)
    dialog.pin.setText("12")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert "4 to 12 digits" in dialog.problem.text() and dialog.result() == 0
    dialog.pin.setText("4321")
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    approval = dialog.approval()
    assert approval.operator_id == "sipho" and approval.pin == "4321"
    assert "4321" not in repr(approval)


def test_install_menu_opens_console_tabs(qtbot: QtBot, services: SupervisorServices,
                                         answers: Any, seed: Seeder) -> None:
    seed.tokened(amount=1000, units=40)
    window = QMainWindow()
    qtbot.addWidget(window)
    menu = install_supervisor(window, services, lambda: answers.actor, ask=answers.ask)
    assert [a.text() for a in menu.menu.actions()] == [
        "&Shift (open, drop, close)", "&Reports, X and Z", "&Engineering tokens",
        "&Needs attention", "&Journal"]
    console = menu.open("shift")
    qtbot.addWidget(console)
    with qtbot.waitSignal(console.journal.loaded, timeout=10000):
        menu.actions["journal"].trigger()
    assert console.journal.table.rowCount() == 2 and console.tabs.currentIndex() == 4
    with qtbot.waitSignal(console.reports.loaded, timeout=10000):
        menu.actions["reports"].trigger()
    assert console.tabs.currentIndex() == 1
    console.close()


def test_actor_from_ui_operator() -> None:
    from ui.ports import Operator, Role

    actor = actor_from_ui_operator(Operator("sipho", "Sipho", Role.SUPERVISOR))
    assert actor is not None and actor.role.value == "supervisor"
    assert actor_from_ui_operator(None) is None



def test_cashier_counts_blind(qtbot: QtBot, ctx: ScreenContext, answers: Any) -> None:
    answers.actor = CASHIER
    view = ShiftView(ctx)
    qtbot.addWidget(view)
    view.float_edit.setText("100")
    with qtbot.waitSignal(view.changed, timeout=10000):
        view.open_button.click()
    assert "shown when the shift is closed" in view.expected.text()
    assert "100.00" not in view.expected.text()
    view.counted_edit.setText("90")
    answers.yes = False  # "not yet": nothing is closed
    view.close_button.click()
    assert "ZAR 90.00" in answers.questions[-1] and "100.00" not in answers.questions[-1]
    assert view.shift is not None and not view.result.text()
    answers.yes = True
    with qtbot.waitSignal(view.closed, timeout=10000):
        view.close_button.click()
    assert "Expected ZAR 100.00, counted ZAR 90.00: short ZAR 10.00" in view.result.text()


def test_attention_queue_for_a_cashier_needs_a_pin(qtbot: QtBot, ctx: ScreenContext,
                                                   seed: Seeder, answers: Any, store: Store,
                                                   shown_errors: list[str]) -> None:
    a = seed.insert(amount=700, offline=True, state="pending")
    seed.set_state(a, "rejected", "BLOCKED_METER", "Meter blocked")
    answers.actor = CASHIER
    view = AttentionView(ctx)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=10000) as loaded:
        view.load()
    assert answers.asked == ["see the sales that need attention"]
    assert [i.idem_key for i in loaded.args[0]] == [a]
    approval = store.call(lambda c: c.execute(
        "SELECT body FROM journal WHERE kind = 'supervisor.approval'").fetchone()[0])
    assert '"view_attention"' in approval and '"thandi"' in approval
    answers.approval = None  # the supervisor does not come: nothing is shown
    view.table.setRowCount(0)
    guarded(view, view.load)()  # as the console calls it
    assert view.table.rowCount() == 0 and shown_errors == []


def test_exports_are_offered_in_the_documents_folder_not_the_working_directory(
        qtbot: QtBot, monkeypatch: Any, tmp_path: Path) -> None:
    import platformdirs
    from PySide6.QtWidgets import QFileDialog

    from ui.supervisor import common

    monkeypatch.setattr(platformdirs, "user_documents_dir", lambda: str(tmp_path))
    offered: list[str] = []

    def dialog(parent: object, title: str, start: str, filt: str) -> tuple[str, str]:
        offered.append(start)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    assert common.ask_save_path(None, "Export", "z-report.pdf", "PDF (*.pdf)") is None  # type: ignore[arg-type]
    assert offered == [str(tmp_path / "VendPoint" / "z-report.pdf")]
    assert (tmp_path / "VendPoint").is_dir()
