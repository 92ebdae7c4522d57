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
from app.till.results import Customer
from common.format import format_time
from ui.labels import engineering_type_label, register_label
from ui.ops import Op
from ui.supervisor.common import ScreenContext, guarded
from ui.widgets import set_state


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
        self.meter.setPlaceholderText(self.tr("11 or 13 digits, then Enter to look it up"))
        #: the meter's customer (or why it could not be looked up), and a BLOCKED warning
        self.customer = QLabel()
        self.customer.setObjectName("engineeringCustomer")
        self.customer.setWordWrap(True)
        self.type = QComboBox()
        for key in TYPES:
            self.type.addItem(engineering_type_label(key), key)
        self.value = QSpinBox()
        self.value.setRange(1, 65535)
        self.value.setValue(4000)
        self.value.setSuffix(self.tr(" W", "watts after the power limit"))
        self.register = QComboBox()
        for r in REGISTERS:
            self.register.addItem(register_label(r), r)
        self.new_ti = QSpinBox()
        self.new_ti.setRange(0, 99)
        self.new_ti.setSpecialValueText(self.tr("pending change only"))
        self.reason = QLineEdit()
        form.addRow(self.tr("Meter"), self.meter)
        form.addRow("", self.customer)
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
        self.meter.returnPressed.connect(guarded(self, self.look_up))
        self.meter.textEdited.connect(lambda _text: self.customer.setText(""))
        self._type_changed()

    def look_up(self) -> None:
        """Name the meter's customer (and say BLOCKED) before a token is issued for it."""
        lookup = self.ctx.lookup
        if lookup is None or not self.meter.text().strip():
            return
        meter = self.meter.text().strip()
        self.customer.setText(self.tr("Looking up meter {meter}…").format(meter=meter))
        Op(self, lambda: lookup(meter)).success(self._customer).failure(
            lambda exc: self._customer_failed(str(exc))).run()

    def _customer(self, customer: Customer) -> None:
        self.meter.setText(customer.meter_number)
        text = self.tr("{name}, {address} · {utility} · {tariff}").format(
            name=customer.name, address=customer.address, utility=customer.utility,
            tariff=customer.tariff)
        if customer.blocked:
            reason = customer.blocked_reason or self.tr("no reason given")
            text += "\n" + self.tr("BLOCKED: {reason}. Check with the utility before issuing "
                                    "a token for this meter.").format(reason=reason)
            set_state(self.customer, "bad")
        else:
            set_state(self.customer, "")
        self.customer.setText(text)

    def _customer_failed(self, message: str) -> None:
        set_state(self.customer, "warn")
        self.customer.setText(message)

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
        approval = self.ctx.ask(engineering_type_label(request.type).lower(), self)
        service = self.ctx.services.engineering
        self.issue_button.setEnabled(False)
        Op(self, lambda: service.issue(actor, request, approval)).success(self._issued) \
            .finally_(lambda: self.issue_button.setEnabled(True)).run()

    def _issued(self, result: EngineeringResult) -> None:
        lines = [f"{i}. {t.label}: {t.grouped()}" for i, t in enumerate(result.tokens, 1)]
        self.tokens.setText("\n".join(lines))
        self.history.insertItem(0, self.tr("{ref}  {meter}  {kind}").format(
            ref=result.reference, meter=result.meter_number,
            kind=engineering_type_label(result.type)))
        self.issued.emit(result)

    def load(self) -> None:
        """Fill the recent list."""
        service = self.ctx.services.engineering
        Op(self, lambda: service.history(50)).success(self._history).run()

    def _history(self, rows: list[tuple[str, str, str, str, str]]) -> None:
        self.history.clear()
        for reference, issued_at, meter, kind, supervisor in rows:
            self.history.addItem(self.tr("{ref}  {when}  {meter}  {kind}  ({supervisor})").format(
                ref=reference, when=format_time(issued_at), meter=meter,
                kind=engineering_type_label(kind), supervisor=supervisor))
