from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from app.supervisor.approvals import Approval
from app.till.results import SaleRecord, SaleState, SearchHit
from common.errors import UserCancelled
from tests.ui.fakes import CASHIER, GOOD, FakeSales, zar
from ui.dialogs import SearchDialog, SupervisorDialog
from ui.ops import running_ops
from ui.sales_dialogs import ReprintDialog, ReversalDialog, SalesListDialog


def _text(table, row: int, col: int) -> str:
    item = table.item(row, col)
    assert item is not None
    return str(item.text())


def _record(ref: str, state: SaleState = SaleState.TOKENED, amount: str = "100.00",
            reversed_: bool = False, reason: str = "") -> SaleRecord:
    return SaleRecord(ref, "VP-" + ref, GOOD, "Lindiwe Mokoena", zar(amount),
                      datetime(2026, 11, 25, 8, 0, tzinfo=UTC), state, "Thandi Nkosi", "55.6",
                      reversed=reversed_, reason=reason)


def test_search_by_name_and_choose_with_keyboard(qtbot, shown_errors) -> None:
    dialog = SearchDialog(FakeSales())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.query.setFocus()
    qtbot.keyClicks(dialog.query, "lindi")
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.results.rowCount() == 1, timeout=5000)
    assert _text(dialog.results, 0, 0) == GOOD
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        qtbot.keyClick(dialog.results, Qt.Key.Key_Return)
    assert dialog.chosen is not None and dialog.chosen.meter_number == GOOD


def test_search_needs_two_characters_and_shows_examples(qtbot, shown_errors) -> None:
    examples = [SearchHit("01234567897", "Demo Person", "A1", "1 Demo Road", blocked=True)]
    dialog = SearchDialog(FakeSales(), examples=examples)
    qtbot.addWidget(dialog)
    assert _text(dialog.results, 0, 1) == "Demo Person (BLOCKED)"
    dialog.query.setText("x")
    dialog.search()
    assert shown_errors.shown[0][1] == "Type at least 2 characters to search."


def test_sales_list_totals_exclude_reversed(qtbot) -> None:
    dialog = SalesListDialog("Today", lambda: [
        _record("VP1"), _record("VP2", amount="50.00", reversed_=True),
        _record("P-0001", SaleState.PENDING, "20.00")])
    qtbot.addWidget(dialog)
    dialog.load()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 3, timeout=5000)
    assert dialog.total.text() == "2 sales, total ZAR 120.00"
    assert _text(dialog.table, 2, 2) == "PENDING (no token yet)"
    assert _text(dialog.table, 1, 2) == "reversed"


def test_every_sale_state_is_shown_as_it_is_and_failed_sales_are_not_counted(qtbot) -> None:
    """Rejected and void sales are never shown as pending, and took no money that stands."""
    dialog = SalesListDialog("Pending", lambda: [
        _record("VP1", SaleState.REJECTED, reason="meter blocked"),
        _record("VP2", SaleState.VOID), _record("VP3", SaleState.UNRESOLVED),
        _record("VP4", SaleState.NEEDS_ATTENTION, reason="late token"),
        _record("VP5", SaleState.SENDING), _record("VP6", SaleState.PENDING, "20.00")])
    qtbot.addWidget(dialog)
    dialog.load()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 6, timeout=5000)
    states = [_text(dialog.table, row, 2) for row in range(6)]
    assert states == ["REJECTED (nothing sold: refund): meter blocked", "NOT SOLD (void)",
                      "NOT COMPLETE (being checked)", "NEEDS ATTENTION (supervisor): late token",
                      "sending (not sold yet)", "PENDING (no token yet)"]
    assert dialog.total.text() == "4 sales, total ZAR 320.00"


def test_reversal_not_offered_is_disabled_and_sends_nothing(qtbot, shown_errors) -> None:
    sales = FakeSales()
    dialog = ReprintDialog(sales, CASHIER, lambda action, parent: Approval("sipho", "4321"),
                           reversal_offered=False)
    qtbot.addWidget(dialog)
    assert not dialog.reverse_button.isEnabled()
    assert dialog.reverse_button.toolTip() == "Not offered by this vending server."
    dialog.show_records([_record("VP00000001")])
    dialog.reverse()  # F7
    assert "Not offered by this vending server" in dialog.message.text()
    assert sales.reversals == [] and shown_errors.shown == []


def test_reprint_asks_supervisor_beyond_policy(qtbot, shown_errors) -> None:
    sales = FakeSales(reprint_needs_supervisor=True)
    sales.records = [_record("VP00000001")]
    asked: list[str] = []

    def ask(action: str, parent: object) -> Approval:
        asked.append(action)
        return Approval("sipho", "4321")

    dialog = ReprintDialog(sales, CASHIER, ask)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.query.setText(GOOD)
    dialog.search()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=5000)
    qtbot.keyClick(dialog.table, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: bool(sales.reprints), timeout=5000)
    assert asked == ["reprint beyond the reprint policy"]
    assert sales.reprints == [("VP00000001", Approval("sipho", "4321"))]
    qtbot.waitUntil(lambda: "sent to the printer" in dialog.message.text(), timeout=5000)
    assert shown_errors.shown == []


def test_reprint_cancelled_supervisor_prints_nothing(qtbot, shown_errors) -> None:
    sales = FakeSales(reprint_needs_supervisor=True)
    dialog = ReprintDialog(sales, CASHIER, lambda action, parent: (_ for _ in ()).throw(
        UserCancelled()))
    qtbot.addWidget(dialog)
    dialog.show_records([_record("VP00000001")])
    dialog.reprint()
    qtbot.waitUntil(lambda: dialog.message.text() == "Reprint cancelled.", timeout=5000)
    assert sales.reprints == [] and shown_errors.shown == []


def test_reversal_needs_supervisor_and_refuses_pending(qtbot, shown_errors) -> None:
    sales = FakeSales()
    dialog = ReprintDialog(sales, CASHIER, lambda action, parent: Approval("sipho", "4321"),
                           confirm=lambda record, parent: "wrong meter")
    qtbot.addWidget(dialog)
    dialog.show_records([_record("P-0001", SaleState.PENDING)])
    dialog.reverse()
    assert "pending sale cannot be reversed" in shown_errors.shown[0][1]
    dialog.show_records([_record("P-0002", SaleState.VOID)])
    dialog.reverse()
    assert "nothing to reverse" in shown_errors.shown[1][1]
    dialog.show_records([_record("VP00000001")])
    dialog.reverse()
    qtbot.waitUntil(lambda: "reversed (RV00000001)" in dialog.message.text(), timeout=5000)
    assert sales.reversals == [("VP00000001", Approval("sipho", "4321"))]
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=5000)


def test_supervisor_dialog_requires_both_fields(qtbot, shown_errors) -> None:
    dialog = SupervisorDialog("reverse receipt VP1")
    qtbot.addWidget(dialog)
    dialog._ok()
    assert shown_errors.shown[0][1] == "Type the supervisor's username and PIN."
    dialog.username.setText("Sipho")
    dialog.pin.setText("4321")
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        dialog._ok()
    assert dialog.approval() == Approval("sipho", "4321")
    assert "4321" not in repr(dialog.approval())


def test_reversal_confirms_the_sale_asks_a_reason_and_says_already_reversed(
        qtbot, shown_errors) -> None:
    # The reversal went out at once with an auto-filled reason; a second one said "reversed"
    # again and the list stayed "tokened".
    sales = FakeSales()
    sales.records = [_record("VP00000001")]
    shown: list[str] = []

    def confirm(record: SaleRecord, parent: object) -> str:
        box = ReversalDialog(record)
        qtbot.addWidget(box)
        shown.append(box.sale.text())
        ok = box.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert not ok.isEnabled()  # no reason, no reversal
        box.accept()
        assert box.result() != QDialog.DialogCode.Accepted
        box.reason.setText("   ")
        assert not ok.isEnabled()
        box.reason.setText("customer typed the wrong meter")
        assert ok.isEnabled()
        return box.reason.text().strip()

    dialog = ReprintDialog(sales, CASHIER, lambda action, parent: Approval("sipho", "4321"),
                           confirm=confirm)
    qtbot.addWidget(dialog)
    dialog.query.setText(GOOD)
    dialog.search()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=5000)
    dialog.reverse()
    assert "VP00000001" in shown[0] and "ZAR 100.00" in shown[0] and GOOD in shown[0]
    qtbot.waitUntil(lambda: "reversed (RV00000001)" in dialog.message.text(), timeout=5000)
    assert sales.reversal_reasons == ["customer typed the wrong meter"]
    qtbot.waitUntil(lambda: _text(dialog.table, 0, 6) == "reversed", timeout=5000)
    dialog.reverse()  # the same receipt again
    assert "already reversed" in shown_errors.shown[-1][1]
    assert len(sales.reversals) == 1 and len(shown) == 1
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=5000)


def test_reversal_cancelled_at_the_confirmation_sends_nothing(qtbot, shown_errors) -> None:
    sales = FakeSales()
    asked: list[str] = []

    def cancel(record: SaleRecord, parent: object) -> str:
        raise UserCancelled()

    def ask(action: str, parent: object) -> Approval:
        asked.append(action)
        return Approval("sipho", "4321")

    dialog = ReprintDialog(sales, CASHIER, ask, confirm=cancel)
    qtbot.addWidget(dialog)
    dialog.show_records([_record("VP00000001")])
    dialog.reverse()
    assert dialog.message.text() == "Reversal cancelled."
    assert sales.reversals == [] and asked == [] and shown_errors.shown == []


def test_one_sale_is_counted_in_the_singular(qtbot) -> None:
    dialog = SalesListDialog("Today", list)
    qtbot.addWidget(dialog)
    dialog.show_records([_record("VP00000001")])
    assert dialog.total.text() == "1 sale, total ZAR 100.00"
    reprint = ReprintDialog(FakeSales(), CASHIER, lambda action, parent: Approval("s", "1"))
    qtbot.addWidget(reprint)
    reprint.show_records([_record("VP00000001")])
    assert reprint.message.text() == "1 sale found"
