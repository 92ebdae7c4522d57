"""The sale screen's widgets: meter field, customer panel, amount/tender, quote, tokens.

Layout only: no business rules and no calls to the core. `SaleController` fills it in and
decides what is enabled. Sized for a 1024×768 counter screen with large fonts; the hint line at
the bottom lists the function keys so no mouse is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.sales.money import from_decimal
from common.errors import InvalidInput
from common.money import exponent, format_number
from ui.keymap import hints
from ui.money import format_money
from ui.sale_panels import CustomerPanel, QuotePanel
from ui.token_panel import TokenPanel
from ui.widgets import label as _label

__all__ = ["CustomerPanel", "QuotePanel", "SaleView", "TokenPanel"]


class SaleView(QWidget):
    """The whole sale screen; `SaleController` drives it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("saleScreen")
        root = QVBoxLayout(self)
        root.setContentsMargins(12, 8, 12, 4)
        root.setSpacing(8)

        top = QHBoxLayout()
        meter_label = QLabel(self.tr("&Meter number"))
        meter_label.setObjectName("fieldLabel")
        self.meter = QLineEdit()
        self.meter.setObjectName("meterField")
        self.meter.setPlaceholderText(self.tr("type or scan, then Enter"))
        self.meter.setMaxLength(24)
        meter_label.setBuddy(self.meter)
        self.search_button = QPushButton(self.tr("Search (F3)"))
        self.operator = _label(name="operatorName")
        self.operator.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(meter_label)
        top.addWidget(self.meter, 2)
        top.addWidget(self.search_button)
        top.addWidget(self.operator, 1)
        root.addLayout(top)
        self.meter_message = _label(name="meterMessage", wrap=True)
        self.meter_message.hide()
        root.addWidget(self.meter_message)

        body = QHBoxLayout()
        body.setSpacing(12)
        left = QVBoxLayout()
        self.customer = CustomerPanel()
        left.addWidget(self.customer, 1)

        money = QFrame()
        money.setObjectName("moneyPanel")
        grid = QGridLayout(money)
        amount_label = QLabel(self.tr("&Amount"))
        amount_label.setObjectName("fieldLabel")
        self.amount_label = amount_label
        self.amount = QLineEdit()
        self.amount.setObjectName("amountField")
        self.amount.setPlaceholderText(self.tr("e.g. 100"))
        self.amount.setMaxLength(10)
        amount_label.setBuddy(self.amount)
        grid.addWidget(amount_label, 0, 0)
        grid.addWidget(self.amount, 0, 1, 1, 2)
        self.quick_row = QHBoxLayout()
        grid.addLayout(self.quick_row, 1, 0, 1, 3)
        tendered_label = QLabel(self.tr("&Tendered"))
        tendered_label.setObjectName("fieldLabel")
        self.tendered = QLineEdit()
        self.tendered.setObjectName("tenderedField")
        self.tendered.setPlaceholderText(self.tr("optional"))
        self.tendered.setMaxLength(10)
        tendered_label.setBuddy(self.tendered)
        self.change = _label(name="changeLabel")
        grid.addWidget(tendered_label, 2, 0)
        # The cash field as wide as the amount's, the change on its own line below: a
        # 5-digit CFA amount and "Monnaie : 5 000 XOF" never squeeze each other.
        grid.addWidget(self.tendered, 2, 1, 1, 2)
        grid.addWidget(self.change, 3, 1, 1, 2)
        # Sell on a row of its own, the width of the panel: the one button the counter
        # presses most, with room for its words in every language.
        self.quote_button = QPushButton(self.tr("Quote (F5)"))
        self.sell_button = QPushButton(self.tr("Sell (Enter / F12)"))
        self.sell_button.setObjectName("primaryButton")
        self.next_button = QPushButton(self.tr("Next customer (F2)"))
        grid.addWidget(self.sell_button, 4, 0, 1, 3)
        buttons = QHBoxLayout()
        for button in (self.quote_button, self.next_button):
            buttons.addWidget(button)
        grid.addLayout(buttons, 5, 0, 1, 3)
        left.addWidget(money)
        body.addLayout(left, 5)

        self.right = QStackedWidget()
        self.quote = QuotePanel()
        self.tokens = TokenPanel()
        self.right.addWidget(self.quote)
        self.right.addWidget(self.tokens)
        body.addWidget(self.right, 6)
        root.addLayout(body, 1)

        self.hint = _label(" · ".join(
            QCoreApplication.translate("keymap", hint) for hint in hints()),
            "hintLine", wrap=True)
        root.addWidget(self.hint)
        self.quick_buttons: list[QPushButton] = []

        # Focus order: meter → amount → tendered → sell → next → search; buttons off Tab.
        self.setTabOrder(self.meter, self.amount)
        self.setTabOrder(self.amount, self.tendered)
        self.setTabOrder(self.tendered, self.sell_button)
        for button in (self.quote_button, self.search_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def set_quick_amounts(self, amounts: Sequence[Decimal], currency: str) -> None:
        """One button per quick amount; Alt+1..9 or a click fills the amount."""
        for button in self.quick_buttons:
            button.deleteLater()
        self.quick_buttons = []
        for index, value in enumerate(amounts[:9], start=1):
            # In the terminal's locale ("5 000" in Abidjan); whole amounts without decimals.
            decimals = 0 if value == value.to_integral_value() else exponent(currency)
            button = QPushButton(
                # No words to translate: Alt+digit and the amount.
                f"&{index}  {format_number(value, decimals)}"
            )
            button.setObjectName("quickAmount")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setProperty("amount", str(value))
            try:
                button.setToolTip(format_money(from_decimal(value, currency)))
            except InvalidInput:
                button.setToolTip("")  # more decimals than the currency has: no tip
            self.quick_row.addWidget(button)
            self.quick_buttons.append(button)

    def show_tokens_side(self, tokens: bool) -> None:
        """Right side shows the tokens (after a sale) or the quote."""
        self.right.setCurrentWidget(self.tokens if tokens else self.quote)

    def set_amount_mode(self, units: bool, unit: str = "kWh") -> None:
        """The amount field takes units (F7) or money: its label and example say which."""
        if units:
            self.amount_label.setText(self.tr("&Units ({unit})").format(unit=unit))
            self.amount.setPlaceholderText(self.tr("e.g. 50"))
        else:
            self.amount_label.setText(self.tr("&Amount"))
            self.amount.setPlaceholderText(self.tr("e.g. 100"))

    def set_meter_message(self, text: str) -> None:
        """The plain message under the meter field (check digit, length); empty hides it."""
        self.meter_message.setText(text)
        self.meter_message.setVisible(bool(text))
