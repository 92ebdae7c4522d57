"""Engineering tokens screen: type, meter and value; supervisor PIN; tokens shown and printed."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.supervisor.engineering import REGISTERS, TYPES, EngineeringRequest, EngineeringResult
from common.format import format_time
from ui.ops import Op
from ui.supervisor.common import ScreenContext, guarded


class EngineeringView(QWidget):
    """Form for one engineering token request, and the recent ones."""

    #: emitted with the EngineeringResult after the server issued the tokens
    issued = Signal(object)

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.meter = QLineEdit()
        self.meter.setPlaceholderText(self.tr("11 or 13 digits"))
        self.type = QComboBox()
        for key, label in TYPES.items():
            self.type.addItem(label, key)
        self.value = QSpinBox()
        self.value.setRange(1, 65535)
        self.value.setValue(4000)
        self.value.setSuffix(" W")
        self.register = QComboBox()
        for r in REGISTERS:
            self.register.addItem(r, r)
        self.new_ti = QSpinBox()
        self.new_ti.setRange(0, 99)
        self.new_ti.setSpecialValueText(self.tr("pending change only"))
        self.reason = QLineEdit()
        form.addRow(self.tr("Meter"), self.meter)
        form.addRow(self.tr("Token"), self.type)
        form.addRow(self.tr("Limit"), self.value)
        form.addRow(self.tr("Register"), self.register)
        form.addRow(self.tr("New tariff index"), self.new_ti)
        form.addRow(self.tr("Reason"), self.reason)
        layout.addLayout(form)
        self.issue_button = QPushButton(self.tr("Issue (supervisor PIN)"))
        self.issue_button.clicked.connect(guarded(self, self.issue))
        layout.addWidget(self.issue_button)
        self.tokens = QLabel()
        self.tokens.setStyleSheet("font-size: 18pt; font-family: monospace")
        self.tokens.setTextInteractionFlags(self.tokens.textInteractionFlags())
        layout.addWidget(self.tokens)
        layout.addWidget(QLabel(self.tr("Recent engineering tokens")))
        self.history = QListWidget()
        layout.addWidget(self.history, 1)
        self.type.currentIndexChanged.connect(self._type_changed)
        self._type_changed()

    def _type_changed(self) -> None:
        kind = str(self.type.currentData())
        self.value.setEnabled(kind in ("set_power_limit", "set_phase_unbalance"))
        self.register.setEnabled(kind == "clear_credit")
        self.new_ti.setEnabled(kind == "key_change")

    def request(self) -> EngineeringRequest:
        """The request as typed (validated by the service)."""
        kind = str(self.type.currentData())
        return EngineeringRequest(
            self.meter.text(), kind,
            value=self.value.value() if kind in ("set_power_limit", "set_phase_unbalance")
            else None,
            register=str(self.register.currentData()) if kind == "clear_credit" else None,
            new_ti=(self.new_ti.value() or None) if kind == "key_change" else None,
            reason=self.reason.text())

    def issue(self) -> None:
        """Validate, ask the supervisor, then ask the server."""
        actor = self.ctx.actor()
        request = self.request().validated()  # a typo is reported before the PIN is asked
        approval = self.ctx.ask(TYPES[request.type].lower(), self)
        service = self.ctx.services.engineering
        self.issue_button.setEnabled(False)
        Op(self, lambda: service.issue(actor, request, approval)).success(self._issued) \
            .finally_(lambda: self.issue_button.setEnabled(True)).run()

    def _issued(self, result: EngineeringResult) -> None:
        lines = [f"{i}. {t.label}: {t.grouped()}" for i, t in enumerate(result.tokens, 1)]
        self.tokens.setText("\n".join(lines))
        self.history.insertItem(0, f"{result.reference}  {result.meter_number}  {result.type}")
        self.issued.emit(result)

    def load(self) -> None:
        """Fill the recent list."""
        service = self.ctx.services.engineering
        Op(self, lambda: service.history(50)).success(self._history).run()

    def _history(self, rows: list[tuple[str, str, str, str, str]]) -> None:
        self.history.clear()
        for reference, issued_at, meter, kind, supervisor in rows:
            self.history.addItem(
                f"{reference}  {format_time(issued_at)}  {meter}  {kind}  ({supervisor})")
