"""Shift screen: open with a counted float, cash drops, close with a count (sheet optional).

The close shows expected vs counted and the over/short; the counted amount is whatever was
typed — it is never replaced by the expected amount. Cashiers count blind: the expected amount
is shown to them only after the close (supervisors see it while the shift is open). The core
refuses the expected amount to a cashier (`ShiftService.summary`); this screen does not ask.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.supervisor.permissions import Permission, allowed
from app.supervisor.reports import format_minor
from app.supervisor.shifts import (
    CashSummary,
    Shift,
    ShiftClose,
    denominations,
    parse_money,
)
from common.errors import InvalidInput
from common.money import Money
from ui.ops import Op
from ui.supervisor.common import ScreenContext, guarded


class ShiftView(QWidget):
    """The signed-in operator's shift."""

    #: emitted after any change or load (the open Shift or None)
    changed = Signal(object)
    #: emitted after a close (the ShiftClose)
    closed = Signal(object)
    #: emitted after a shift report was reprinted (the printers' Reprint)
    reprinted = Signal(object)

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.shift: Shift | None = None
        self._summary: CashSummary | None = None
        self.currency = ctx.services.terminal.currency
        self._amounts = ctx.services.terminal.amount_format
        layout = QVBoxLayout(self)
        self.state = QLabel()
        layout.addWidget(self.state)
        open_box = QGroupBox(self.tr("Open a shift"))
        open_form = QFormLayout(open_box)
        self.float_edit = QLineEdit()
        # Not a number: a grey "500.00" reads like a float that is already there.
        self.float_edit.setPlaceholderText(self.tr("type the float you counted"))
        self.open_button = QPushButton(self.tr("Open shift"))
        open_form.addRow(self.tr("Counted float"), self.float_edit)
        open_form.addRow(self.open_button)
        layout.addWidget(open_box)
        drop_box = QGroupBox(self.tr("Cash drop"))
        drop_row = QHBoxLayout(drop_box)
        self.drop_edit = QLineEdit()
        self.drop_edit.setPlaceholderText(self.tr("amount"))
        self.drop_note = QLineEdit()
        self.drop_note.setPlaceholderText(self.tr("note (bag number)"))
        self.drop_button = QPushButton(self.tr("Record drop"))
        for w in (self.drop_edit, self.drop_note, self.drop_button):
            drop_row.addWidget(w)
        layout.addWidget(drop_box)
        close_box = QGroupBox(self.tr("Close the shift"))
        close_layout = QVBoxLayout(close_box)
        notes_and_coins = denominations(self.currency)
        self.sheet = QTableWidget(len(notes_and_coins), 2)
        self.sheet.setHorizontalHeaderLabels([self.tr("Note / coin"), self.tr("How many")])
        # Both columns share the sheet's width: the headings fit in every language.
        self.sheet.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.counts: dict[int, QSpinBox] = {}
        for row, value in enumerate(notes_and_coins):
            self.sheet.setCellWidget(row, 0, QLabel(format_minor(value, self.currency, code=False)))
            spin = QSpinBox()
            spin.setRange(0, 100000)
            spin.valueChanged.connect(self._sheet_changed)
            self.sheet.setCellWidget(row, 1, spin)
            self.counts[value] = spin
        close_layout.addWidget(self.sheet)
        counted_row = QHBoxLayout()
        self.counted_edit = QLineEdit()
        self.counted_edit.setPlaceholderText(self.tr("counted total"))
        self.close_button = QPushButton(self.tr("Close shift"))
        counted_row.addWidget(QLabel(self.tr("Counted cash")))
        counted_row.addWidget(self.counted_edit)
        counted_row.addWidget(self.close_button)
        close_layout.addLayout(counted_row)
        self.expected = QLabel()
        close_layout.addWidget(self.expected)
        layout.addWidget(close_box)
        self.result = QLabel()
        self.result.setWordWrap(True)
        layout.addWidget(self.result)
        self.reprint_button = QPushButton(self.tr("Reprint the last shift report"))
        self.reprint_button.setEnabled(False)
        self.reprint_button.clicked.connect(guarded(self, self.reprint_last))
        layout.addWidget(self.reprint_button)
        self.last_closed: str | None = None
        layout.addStretch(1)
        self.open_button.clicked.connect(guarded(self, self.open_shift))
        self.drop_button.clicked.connect(guarded(self, self.cash_drop))
        self.close_button.clicked.connect(guarded(self, self.close_shift))
        # Keyboard first: Enter in a field does what its button does.
        self.float_edit.returnPressed.connect(self.open_button.click)
        self.drop_edit.returnPressed.connect(self.drop_button.click)
        self.counted_edit.returnPressed.connect(self.close_button.click)

    def load(self) -> None:
        """Show the operator's open shift and its expected cash."""
        actor = self.ctx.actor()
        shifts = self.ctx.services.shifts
        sees_figures = allowed(actor.role, Permission.VIEW_SHIFT_FIGURES)

        def read() -> tuple[Shift | None, CashSummary | None]:
            shift = shifts.current(actor.id)
            if shift is None or not sees_figures:
                return shift, None
            return shift, shifts.summary(actor, shift.shift_id)

        Op(self, read).success(self._show).run()

    def _show(self, result: tuple[Shift | None, CashSummary | None]) -> None:
        self.shift, summary = result
        self._summary = summary
        open_ = self.shift is not None
        self.open_button.setEnabled(not open_)
        self.drop_button.setEnabled(open_)
        self.close_button.setEnabled(open_)
        # The cursor goes where the operator types next: the float, or the counted cash.
        (self.counted_edit if open_ else self.float_edit).setFocus()
        if self.shift is None:
            self.state.setText(self.tr("No shift is open."))
            self.expected.setText("")
        else:
            self.state.setText(self.tr("Shift {id} open since {at}, float {float}.").format(
                id=self.shift.shift_id, at=self.shift.opened_at[:16].replace("T", " "),
                float=format_minor(self.shift.opening_float.minor, self.currency)))
            if summary is None:
                # Blind count: a cashier counts before seeing what the drawer should hold.
                self.expected.setText(self.tr(
                    "Count the drawer; the expected amount is shown when the shift is closed."))
                self.changed.emit(self.shift)
                return
            self.expected.setText(self.tr(
                "Cash sales {sales} ({n}), refunds {refunds}, drops {drops}: "
                "the drawer should hold {expected}.").format(
                sales=format_minor(summary.cash_sales.minor, self.currency), n=summary.sales_count,
                refunds=format_minor(summary.refunds.minor, self.currency),
                drops=format_minor(summary.drops.minor, self.currency),
                expected=format_minor(summary.expected.minor, self.currency)))
        self.changed.emit(self.shift)

    def _sheet_changed(self) -> None:
        total = sum(value * spin.value() for value, spin in self.counts.items())
        self.counted_edit.setText(
            self._amounts.editable(Money(total, self.currency)) if total else "")

    def open_shift(self) -> None:
        """Open with the typed float."""
        actor = self.ctx.actor()
        text = self.float_edit.text().strip()
        if not text:
            self.float_edit.setFocus()
            raise InvalidInput(self.tr("Type the float you counted into the drawer (0 if "
                                       "there is none), then Enter."))
        amount = parse_money(text, self.currency, self._amounts, field="opening float")
        shifts = self.ctx.services.shifts
        Op(self, lambda: shifts.open_shift(actor, amount)).success(lambda _s: self.load()).run()

    def cash_drop(self) -> None:
        """Record a drop from the open shift."""
        if self.shift is None:
            return
        actor = self.ctx.actor()
        amount = parse_money(self.drop_edit.text(), self.currency, self._amounts,
                             field="cash drop")
        note, shift_id = self.drop_note.text(), self.shift.shift_id
        shifts = self.ctx.services.shifts

        def drop() -> None:
            shifts.cash_drop(actor, shift_id, amount, note)

        def after(_: object) -> None:
            self.drop_edit.clear()
            self.drop_note.clear()
            self.load()

        Op(self, drop).success(after).run()

    def close_shift(self) -> None:
        """Close with the counted cash (and the sheet, when filled in)."""
        if self.shift is None:
            return
        actor = self.ctx.actor()
        sheet = {v: s.value() for v, s in self.counts.items() if s.value()}
        counted = parse_money(self.counted_edit.text(), self.currency, self._amounts,
                              field="counted cash") \
            if self.counted_edit.text().strip() else None
        shift_id = self.shift.shift_id
        if not self._confirm_close(counted):
            return
        shifts = self.ctx.services.shifts
        Op(self, lambda: shifts.close_shift(actor, shift_id, counted=counted,
                                            denominations=sheet or None)).success(
            self._closed).run()

    def _confirm_close(self, counted: Money | None) -> bool:
        """Ask before closing, with what was counted and (for who may see it) the over /
        short: a close cannot be undone."""
        if counted is None:
            counted_text = self.tr("no counted cash")
        else:
            counted_text = format_minor(counted.minor, self.currency)
        if self._summary is not None and counted is not None:
            expected = self._summary.expected.minor
            diff = counted.minor - expected
            word = self.tr("over") if diff > 0 else self.tr("short") if diff < 0 else \
                self.tr("exact")
            figures = self.tr("Counted {counted}, expected {expected}: {word} {diff}.").format(
                counted=counted_text, expected=format_minor(expected, self.currency),
                word=word, diff=format_minor(abs(diff), self.currency))
        else:
            figures = self.tr("Counted {counted}. The expected amount and the difference "
                              "are shown once the shift is closed.").format(
                counted=counted_text)
        return self.ctx.confirm(self, self.tr("Close the shift"), self.tr(
            "Close the shift now? {figures}").format(figures=figures))

    def reprint_last(self) -> None:
        """Print the last closed shift's report again (marked REPRINT)."""
        if self.last_closed is None:
            return
        actor = self.ctx.actor()
        shift_id = self.last_closed
        shifts = self.ctx.services.shifts
        def done(reprint: Any) -> None:
            self.result.setText(self.tr("Shift report reprinted (reprint {n}).")
                                .format(n=reprint.reprint_no))
            self.reprinted.emit(reprint)

        Op(self, lambda: shifts.reprint_close(actor, shift_id)).success(done).run()

    def _closed(self, result: ShiftClose) -> None:
        diff = result.over_short.minor
        word = self.tr("over") if diff > 0 else self.tr("short") if diff < 0 else \
            self.tr("exact")
        self.result.setText(self.tr(
            "Shift closed. Expected {expected}, counted {counted}: {word} {diff}. "
            "The shift report was sent to the printer.").format(
            expected=format_minor(result.summary.expected.minor, self.currency),
            counted=format_minor(result.counted.minor, self.currency), word=word,
            diff=format_minor(abs(diff), self.currency)))
        for spin in self.counts.values():
            spin.setValue(0)
        self.counted_edit.clear()
        self.last_closed = result.summary.shift.shift_id
        self.reprint_button.setEnabled(True)
        self.closed.emit(result)
        self.load()
