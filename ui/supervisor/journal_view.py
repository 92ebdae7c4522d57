"""Journal viewer: filter the audit journal, verify its hash chain, export it as CSV.

The core's `JournalService` checks VIEW_JOURNAL on every call; the screen only disables the
buttons an operator could not use. Everything runs through `Op`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.sales.outcomes import reference_for
from app.supervisor import audit
from app.supervisor.journal_entry import JournalEntry
from app.supervisor.permissions import Actor, Permission, allowed
from common.format import format_time
from offline_store.journal import ChainReport
from ui.ops import Op
from ui.supervisor.common import ScreenContext, guarded


class JournalView(QWidget):
    """Filters (kind, reference, text, date), the entries, and a Verify button."""

    #: emitted after entries were loaded (the list of JournalEntry)
    loaded = Signal(object)
    #: emitted with the ChainReport after a verification
    verified = Signal(object)
    #: emitted with the number of entries written after an export
    exported = Signal(int)
    #: emitted when loading, verifying or exporting failed (the message shown)
    failed = Signal(str)

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.kind = QComboBox()
        self.kind.setEditable(True)
        self.kind.addItem("")
        self.ref = QLineEdit()
        self.ref.setPlaceholderText(self.tr("reference"))
        self.text = QLineEdit()
        self.text.setPlaceholderText(self.tr("contains"))
        self.start = QLineEdit()
        self.start.setPlaceholderText(self.tr("from 2026-11-25"))
        self.end = QLineEdit()
        self.end.setPlaceholderText(self.tr("before 2026-11-26"))
        self.search_button = QPushButton(self.tr("Filter"))
        self.verify_button = QPushButton(self.tr("Verify hash chain"))
        self.export_button = QPushButton(self.tr("Export CSV"))
        # Two rows: the filters get room for their hints at 1024 pixels, the buttons below.
        for w in (QLabel(self.tr("Kind")), self.kind, self.ref, self.text, self.start, self.end):
            filters.addWidget(w)
        for edit in (self.ref, self.text, self.start, self.end):
            edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance(
                edit.placeholderText()) + 24)
        layout.addLayout(filters)
        buttons = QHBoxLayout()
        for button in (self.search_button, self.verify_button, self.export_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([self.tr("#"), self.tr("Time"),
                                              self.tr("Kind"), self.tr("Reference"),
                                              self.tr("Details")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        # Each column as wide as its heading or its widest entry, in every language; the
        # details take the rest.
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.status = QLabel()
        layout.addWidget(self.status)
        self.search_button.clicked.connect(guarded(self, self.load))
        self.verify_button.clicked.connect(guarded(self, self.verify))
        self.export_button.clicked.connect(guarded(self, self.export_csv))

    def _filter(self) -> audit.JournalFilter:
        return audit.JournalFilter(kind_prefix=self.kind.currentText().strip(),
                                   ref=self.ref.text().strip(), text=self.text.text().strip(),
                                   start=self.start.text().strip(), end=self.end.text().strip())

    def _enable_for(self, actor: Actor) -> None:
        # The Filter button stays: pressing it shows the core's refusal in plain words.
        may = allowed(actor.role, Permission.VIEW_JOURNAL)
        self.verify_button.setEnabled(may)
        self.export_button.setEnabled(may)

    def _failed(self, exc: BaseException) -> None:
        from ui.errors import show_error

        show_error(exc, self)
        self.failed.emit(str(exc))

    def load(self) -> None:
        """Load entries for the filters (newest first)."""
        actor, journal, f = self.ctx.actor(), self.ctx.services.journal, self._filter()
        self._enable_for(actor)
        Op(self, lambda: journal.search(actor, f)).success(self._show).failure(
            self._failed).run()

    def _show(self, result: tuple[list[JournalEntry], list[str]]) -> None:
        entries, kinds = result
        current = self.kind.currentText()
        self.kind.blockSignals(True)
        self.kind.clear()
        self.kind.addItems(["", *kinds])
        self.kind.setCurrentText(current)
        self.kind.blockSignals(False)
        self.table.setRowCount(len(entries))
        for r, e in enumerate(entries):
            for c, value in enumerate((str(e.seq), format_time(e.at, seconds=True), e.kind,
                                       readable_ref(e.ref), readable_details(e.body))):
                self.table.setItem(r, c, QTableWidgetItem(value))
            # The stored entry, exactly, for whoever needs it (the CSV export has it too).
            raw = self.table.item(r, 4)
            if raw is not None:
                raw.setToolTip(json.dumps(e.body, ensure_ascii=False, indent=1))
        self.table.resizeColumnsToContents()
        self.status.setText(self.tr("{n} entries shown.").format(n=len(entries)))
        self.loaded.emit(entries)

    def verify(self) -> None:
        """Recompute the chain and say where it breaks, if it does."""
        actor, journal = self.ctx.actor(), self.ctx.services.journal
        self.verify_button.setEnabled(False)
        Op(self, lambda: journal.verify(actor)).success(self._verified).failure(
            self._failed).finally_(lambda: self._enable_for(actor)).run()

    def export_csv(self) -> None:
        """Ask where, then write every entry matching the filters as CSV (oldest first)."""
        actor, journal, f = self.ctx.actor(), self.ctx.services.journal, self._filter()
        path = self.ctx.ask_path(self, self.tr("Export the journal"), "journal.csv",
                                 "CSV (*.csv)")
        if path is None:
            return
        self.export_button.setEnabled(False)
        self.status.setText(self.tr("Writing the journal export…"))
        Op(self, lambda: journal.export_csv(actor, f, path)).success(
            lambda n: self._exported(n, path)).failure(self._failed).finally_(
            lambda: self._enable_for(actor)).run()

    def _exported(self, count: int, path: Path) -> None:
        self.status.setText(self.tr("{n} entries saved: {path}").format(n=count, path=path))
        self.exported.emit(count)

    def _verified(self, report: ChainReport) -> None:
        self.status.setText(audit.describe(report))
        self.status.setStyleSheet("" if report.ok else "color: #b00020; font-weight: bold")
        self.verified.emit(report)


_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def readable_ref(ref: str) -> str:
    """A sale's idempotency key as the slip reference people see ("VP-…"); others as they are."""
    return reference_for(ref) if _UUID.match(ref) else ref


def readable_details(body: dict[str, Any]) -> str:
    """ "state: tokened · amount: 100.00 · tariff: id RES-IBT, version 1" rather than JSON;
    empty values are left out."""
    parts: list[str] = []
    for key, value in body.items():
        if value in ("", None, [], {}):
            continue
        if isinstance(value, dict):
            inner = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in value.items()
                              if v not in ("", None))
            parts.append(f"{key.replace('_', ' ')}: {inner}")
        elif isinstance(value, list):
            parts.append(f"{key.replace('_', ' ')}: {', '.join(str(v) for v in value)}")
        else:
            text = readable_ref(value) if isinstance(value, str) else str(value)
            parts.append(f"{key.replace('_', ' ')}: {text}")
    return " · ".join(parts)
