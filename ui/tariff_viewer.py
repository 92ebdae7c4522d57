"""The tariff viewer: every accepted tariff, its version history, and one version's terms.

Left, the tariffs with the version in force; right, the history (in force / scheduled /
superseded / expired, with the signing key) and the selected version's blocks, fixed charges,
debt recovery, VAT and free basic electricity; below, the most recent refused updates. Data is
read off the GUI thread with `Op` into a plain `CatalogSnapshot`; the view only renders it.
It reloads itself when the core publishes a `tariff.*` event (if given the bridge).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.tariffs import TariffDocument
from app.tariffs.events import TariffApplied, TariffInForce, TariffRejected
from common.format import display_zone, format_time, utility_zone
from ui.labels import service_label, tariff_status_label
from ui.money import Money, format_money
from ui.ops import Op
from ui.qt_bridge import QtEventBridge
from ui.widgets import fit_to_screen


class TariffCatalog(Protocol):
    """What the viewer reads (`app.tariffs.TariffService` provides it)."""

    def tariff_ids(self) -> list[str]:
        """Tariffs with at least one accepted version."""
        ...

    def history(self, tariff_id: str) -> list[TariffDocument]:
        """Accepted versions, newest first."""
        ...

    def rejections(self, limit: int = 50) -> list[dict[str, Any]]:
        """Recent refused updates, newest first."""
        ...


@dataclass(frozen=True)
class CatalogSnapshot:
    """Everything the viewer shows, read in one go off the GUI thread."""

    at: datetime
    tariffs: dict[str, list[TariffDocument]]
    rejections: list[dict[str, Any]]


def take_snapshot(catalog: TariffCatalog, now: datetime) -> CatalogSnapshot:
    """Read the catalog (runs on a worker thread)."""
    return CatalogSnapshot(now, {t: catalog.history(t) for t in catalog.tariff_ids()},
                           catalog.rejections(20))


def version_status(doc: TariffDocument, history: Sequence[TariffDocument], at: datetime) -> str:
    """"in force", "scheduled", "superseded" or "expired" at `at`."""
    effective = [d for d in history if d.in_force_at(at)]
    current = max(effective, key=lambda d: d.version) if effective else None
    if current is not None and current.version == doc.version:
        return "expired" if doc.expired(at) else "in force"
    if not doc.in_force_at(at):
        return "scheduled"
    return "superseded"


def money(minor: int, currency: str) -> str:
    """'ZAR 45.00' from minor units, decimals from the currency (`ui.money`)."""
    return format_money(Money(minor, currency))


class TariffViewer(QDialog):
    """A read-only dialog over the accepted tariffs."""

    def __init__(self, catalog: TariffCatalog, parent: QWidget | None = None, *,
                 bridge: QtEventBridge | None = None,
                 utc_offset: timedelta | tzinfo | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        super().__init__(parent)
        self.setObjectName("tariffViewer")
        self.setWindowTitle(self.tr("Tariffs"))
        fit_to_screen(self, 900, 600)
        self._catalog = catalog
        self._zone = display_zone() if utc_offset is None else utility_zone(utc_offset)
        self._clock = clock
        self._snapshot: CatalogSnapshot | None = None
        #: Number of completed loads (tests wait on it).
        self.loads = 0

        self.tariff_list = QListWidget()
        self.tariff_list.setObjectName("tariffList")
        self.heading = QLabel()
        self.heading.setObjectName("tariffHeading")
        self.heading.setWordWrap(True)
        self.history = self._table("tariffHistory", [self.tr("Version"),
                                                     self.tr("Effective from"),
                                                     self.tr("Expires"), self.tr("Status"),
                                                     self.tr("Signed with key")])
        self.blocks = self._table("tariffBlocks", [self.tr("From (kWh)"), self.tr("To (kWh)"),
                                                   self.tr("Rate per unit")])
        self.charges = self._table("tariffCharges", [self.tr("Charge"), self.tr("Per month")])
        self.terms = QLabel()
        self.terms.setObjectName("tariffTerms")
        self.terms.setWordWrap(True)
        self.refused = QLabel()
        self.refused.setObjectName("tariffRefused")
        self.refused.setWordWrap(True)

        # Tables hold a handful of rows: cap them so the wrapped texts are never squeezed.
        self.history.setMaximumHeight(170)
        self.blocks.setMaximumHeight(150)
        self.charges.setMaximumHeight(150)
        for label in (self.heading, self.terms, self.refused):
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        right = QVBoxLayout()
        right.addWidget(self.heading)
        right.addWidget(self._group(self.tr("Version history"), self.history))
        detail = QHBoxLayout()
        detail.addWidget(self._group(self.tr("Energy blocks"), self.blocks), 3)
        detail.addWidget(self._group(self.tr("Fixed charges"), self.charges), 2)
        right.addLayout(detail)
        right.addWidget(self.terms)
        right.addWidget(self.refused)
        right.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.tariff_list, 1)
        body.addLayout(right, 3)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addLayout(body)
        outer.addWidget(buttons)

        self.tariff_list.currentRowChanged.connect(self._tariff_selected)
        self.history.currentCellChanged.connect(self._version_selected)
        if bridge is not None:
            bridge.on((TariffApplied, TariffInForce, TariffRejected), self._on_tariff_event)
        self.reload()

    @staticmethod
    def _table(name: str, headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setObjectName(name)
        table.setHorizontalHeaderLabels(headers)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().hide()
        # Each column as wide as its header and values (Stretch cut "Signed with key" and
        # long key ids at 1024 px); the last one takes what is left.
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        return table

    @staticmethod
    def _group(title: str, widget: QWidget) -> QGroupBox:
        box = QGroupBox(title)
        QVBoxLayout(box).addWidget(widget)
        return box

    def _local(self, dt: datetime) -> str:
        return format_time(dt, self._zone)

    def _local_text(self, value: str) -> str:
        try:
            return self._local(datetime.fromisoformat(value.replace("Z", "+00:00")))
        except ValueError:
            return value

    # -- loading -------------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the catalog in the background and render it."""
        catalog, now = self._catalog, self._clock()
        Op(self, lambda: take_snapshot(catalog, now)).success(self.show_snapshot).run()

    def _on_tariff_event(self, _event: TariffApplied | TariffInForce | TariffRejected) -> None:
        self.reload()

    def show_snapshot(self, snapshot: CatalogSnapshot) -> None:
        """Render a snapshot, keeping the selected tariff if it is still there."""
        previous = self.current_tariff()
        self._snapshot = snapshot
        self.tariff_list.blockSignals(True)
        self.tariff_list.clear()
        for tariff_id, versions in snapshot.tariffs.items():
            current = [d for d in versions if version_status(d, versions, snapshot.at)
                       in ("in force", "expired")]
            name = versions[0].name if versions else tariff_id
            label = self.tr("{name} ({tariff})").format(name=name, tariff=tariff_id)
            if current:
                label = self.tr("{name} ({tariff})\nversion {version}").format(
                    name=name, tariff=tariff_id, version=current[0].version)
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, tariff_id)
            self.tariff_list.addItem(item)
        self.tariff_list.blockSignals(False)
        ids = list(snapshot.tariffs)
        row = ids.index(previous) if previous in ids else (0 if ids else -1)
        self.tariff_list.setCurrentRow(row)
        self._tariff_selected(row)
        if snapshot.rejections:
            lines = [self.tr("{when}  {tariff} v{version}: {reason}").format(
                when=self._local_text(str(r["at"])), tariff=r["tariff_id"],
                version=r["version"], reason=r["reason"]) for r in snapshot.rejections[:5]]
            self.refused.setText(self.tr("Refused updates (the tariff in use was kept):\n"
                                         "{lines}").format(lines="\n".join(lines)))
        else:
            self.refused.setText(self.tr("No refused updates."))
        self.loads += 1

    def current_tariff(self) -> str | None:
        """The selected tariff id."""
        item = self.tariff_list.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    # -- selection ------------------------------------------------------------------------------
    def _versions(self) -> list[TariffDocument]:
        tariff_id = self.current_tariff()
        if self._snapshot is None or tariff_id is None:
            return []
        return self._snapshot.tariffs.get(tariff_id, [])

    def _tariff_selected(self, row: int) -> None:
        versions = self._versions()
        at = self._snapshot.at if self._snapshot else self._clock()
        self.history.blockSignals(True)
        self.history.setRowCount(len(versions))
        select = 0
        for i, doc in enumerate(versions):
            status = version_status(doc, versions, at)
            if status in ("in force", "expired"):
                select = i
            for col, text in enumerate([str(doc.version), self._local(doc.effective_from),
                                        self._local(doc.expires_at),
                                        tariff_status_label(status), doc.key_id]):
                self.history.setItem(i, col, QTableWidgetItem(text))
        self.history.blockSignals(False)
        if versions:
            self.history.setCurrentCell(select, 0)
        self._show_version(versions[select] if versions else None)

    def _version_selected(self, row: int, *_: int) -> None:
        versions = self._versions()
        if 0 <= row < len(versions):
            self._show_version(versions[row])

    def _show_version(self, doc: TariffDocument | None) -> None:
        self.blocks.setRowCount(0)
        self.charges.setRowCount(0)
        if doc is None:
            self.heading.setText(self.tr("No tariff has been received yet."))
            self.terms.setText("")
            return
        at = self._snapshot.at if self._snapshot else self._clock()
        status = version_status(doc, self._versions(), at)
        self.heading.setText(self.tr(
            "{name} ({tariff}), version {version}: {status}. Effective {start}, expires "
            "{end}; signed with key {key}.").format(
            name=doc.name, tariff=doc.tariff_id, version=doc.version,
            status=tariff_status_label(status), start=self._local(doc.effective_from),
            end=self._local(doc.expires_at), key=doc.key_id))
        vat_note = self.tr("incl. VAT") if doc.prices_include_vat else self.tr("excl. VAT")
        self.blocks.setRowCount(len(doc.blocks))
        for i, b in enumerate(doc.blocks):
            cells = [str(b.start), "" if b.end is None else str(b.end),
                     self.tr("{currency} {rate} / {unit} ({vat})").format(
                         currency=doc.currency, rate=b.rate, unit=doc.unit, vat=vat_note)]
            for col, text in enumerate(cells):
                self.blocks.setItem(i, col, QTableWidgetItem(text))
        self.charges.setRowCount(len(doc.fixed_charges))
        for i, c in enumerate(doc.fixed_charges):
            self.charges.setItem(i, 0, QTableWidgetItem(c.description))
            self.charges.setItem(i, 1, QTableWidgetItem(money(c.amount_minor, doc.currency)))
        if doc.prices_include_vat:
            vat = self.tr("VAT {rate}% (prices include VAT).")
        else:
            vat = self.tr("VAT {rate}% (added to prices).")
        self.terms.setText(self.tr(
            "{vat} Debt recovery {debt}% of each purchase, at least {minimum}. Free basic "
            "{service}: {units} {unit} a month.").format(
            vat=vat.format(rate=doc.vat_rate), debt=doc.debt_recovery_percent,
            minimum=money(doc.debt_recovery_minimum_minor, doc.currency),
            service=service_label(doc.service), units=doc.fbe_units_per_month,
            unit=doc.unit))
