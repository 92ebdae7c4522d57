"""Journal viewer: filter the audit journal and verify its hash chain."""

from __future__ import annotations

import json

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.supervisor import audit
from app.supervisor.permissions import Permission, require
from offline_store.journal import ChainReport
from ui.ops import Op
from ui.supervisor.common import ScreenContext, guarded


class JournalView(QWidget):
    """Filters (kind, reference, text, date), the entries, and a Verify button."""

    #: emitted after entries were loaded (the list of JournalEntry)
    loaded = Signal(object)
    #: emitted with the ChainReport after a verification
    verified = Signal(object)

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
        self.start.setPlaceholderText(self.tr("from (2026-11-25)"))
        self.end = QLineEdit()
        self.end.setPlaceholderText(self.tr("before (2026-11-26)"))
        self.search_button = QPushButton(self.tr("Filter"))
        self.verify_button = QPushButton(self.tr("Verify hash chain"))
        for w in (QLabel(self.tr("Kind")), self.kind, self.ref, self.text, self.start, self.end,
                  self.search_button, self.verify_button):
            filters.addWidget(w)
        layout.addLayout(filters)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([self.tr("#"), self.tr("Time (UTC)"),
                                              self.tr("Kind"), self.tr("Reference"),
                                              self.tr("Details")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table, 1)
        self.status = QLabel()
        layout.addWidget(self.status)
        self.search_button.clicked.connect(guarded(self, self.load))
        self.verify_button.clicked.connect(guarded(self, self.verify))

    def load(self) -> None:
        """Load entries for the filters (newest first)."""
        require(self.ctx.actor(), Permission.VIEW_JOURNAL)
        f = audit.JournalFilter(kind_prefix=self.kind.currentText().strip(),
                                ref=self.ref.text().strip(), text=self.text.text().strip(),
                                start=self.start.text().strip(), end=self.end.text().strip())
        store = self.ctx.services.store

        def read() -> tuple[list[audit.JournalEntry], list[str]]:
            return store.call(lambda c: audit.entries(c, f)), store.call(audit.kinds)

        Op(self, read).success(self._show).run()

    def _show(self, result: tuple[list[audit.JournalEntry], list[str]]) -> None:
        entries, kinds = result
        current = self.kind.currentText()
        self.kind.blockSignals(True)
        self.kind.clear()
        self.kind.addItems(["", *kinds])
        self.kind.setCurrentText(current)
        self.kind.blockSignals(False)
        self.table.setRowCount(len(entries))
        for r, e in enumerate(entries):
            for c, value in enumerate((str(e.seq), e.at[:19].replace("T", " "), e.kind, e.ref,
                                       json.dumps(e.body, ensure_ascii=False))):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.status.setText(self.tr("{n} entries shown.").format(n=len(entries)))
        self.loaded.emit(entries)

    def verify(self) -> None:
        """Recompute the chain and say where it breaks, if it does."""
        require(self.ctx.actor(), Permission.VIEW_JOURNAL)
        store = self.ctx.services.store
        self.verify_button.setEnabled(False)
        Op(self, lambda: audit.verify(store)).success(self._verified).finally_(
            lambda: self.verify_button.setEnabled(True)).run()

    def _verified(self, report: ChainReport) -> None:
        self.status.setText(audit.describe(report))
        self.status.setStyleSheet("" if report.ok else "color: #b00020; font-weight: bold")
        self.verified.emit(report)
