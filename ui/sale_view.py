"""The sale screen's widgets: meter field, customer panel, amount/tender, quote, tokens.

Layout only: no business rules and no calls to the core. `SaleController` fills it in and
decides what is enabled. Sized for a 1024×768 counter screen with large fonts; the hint line at
the bottom lists the function keys so no mouse is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import Qt
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

from ui.ports import (
    Customer,
    PrintState,
    Quote,
    SaleResult,
    SaleState,
    SearchHit,
    Token,
    format_money,
)


def _label(text: str = "", name: str = "", wrap: bool = False) -> QLabel:
    label = QLabel(text)
    if name:
        label.setObjectName(name)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return label


def set_state(widget: QWidget, state: str) -> None:
    """Set the `state` property used by the style sheet (ok / warn / bad / pending)."""
    widget.setProperty("state", state)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class CustomerPanel(QFrame):
    """Name, address, utility, tariff, days since last purchase, and warnings."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerPanel")
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        self.name = _label(name="customerName", wrap=True)
        self.address = _label(wrap=True)
        self.details = _label(name="customerDetails", wrap=True)
        self.warnings = _label(name="warningBox", wrap=True)
        self.examples = _label(name="examples", wrap=True)
        self.examples.setTextFormat(Qt.TextFormat.RichText)
        for widget in (self.name, self.address, self.details, self.warnings, self.examples):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.clear()

    def clear(self, examples: Sequence[SearchHit] = ()) -> None:
        """Back to 'no customer yet' (with demo meters to try, when given)."""
        self.name.setText(self.tr("No customer yet"))
        self.address.setText(self.tr("Type or scan the meter number and press Enter, "
                                     "or press F3 to search by name, account or address."))
        self.details.setText("")
        self.warnings.hide()
        if examples:
            rows = "".join(
                f"<tr><td><b>{hit.meter_number}</b>&nbsp;&nbsp;</td>"
                f"<td>{hit.customer_name} — {hit.address}</td></tr>"
                for hit in examples
            )
            self.examples.setText(
                self.tr("Demo meters to try:") + f"<table>{rows}</table>"
            )
            self.examples.show()
        else:
            self.examples.hide()

    def show_customer(self, customer: Customer) -> None:
        """Fill in the confirmed customer and any warning, before money is taken."""
        self.examples.hide()
        self.name.setText(customer.name)
        self.address.setText(customer.address)
        if customer.days_since_last_purchase is None:
            last = self.tr("no earlier purchase")
        else:
            last = self.tr("last purchase {days} days ago").format(
                days=customer.days_since_last_purchase
            )
        self.details.setText(
            self.tr("Meter {meter} · Account {account}\n{utility} · {tariff}\n{last}").format(
                meter=customer.meter_number, account=customer.account,
                utility=customer.utility, tariff=customer.tariff, last=last,
            )
        )
        lines = list(customer.warnings)
        if customer.blocked:
            reason = customer.blocked_reason or self.tr("ask the utility why")
            lines.insert(0, self.tr("BLOCKED: no sale possible ({reason}).").format(reason=reason))
        if lines:
            self.warnings.setText("\n".join(f"⚠ {line}" for line in lines))
            set_state(self.warnings, "bad" if customer.blocked else "warn")
            self.warnings.show()
        else:
            self.warnings.hide()


class QuotePanel(QFrame):
    """The quote: units for the amount, each breakdown line, VAT and tokens to come."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quotePanel")
        layout = QVBoxLayout(self)
        #: "PRICE CHANGED ...": the tariff changed under the quote the customer was told
        self.notice = _label(name="priceChange", wrap=True)
        self.notice.hide()
        layout.addWidget(self.notice)
        self.headline = _label(name="quoteHeadline", wrap=True)
        layout.addWidget(self.headline)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(12)
        layout.addWidget(self.grid_host)
        self.footer = _label(name="quoteFooter", wrap=True)
        layout.addWidget(self.footer)
        layout.addStretch(1)
        self.clear()

    def clear(self, text: str = "") -> None:
        """Empty the breakdown, with an optional explanation."""
        set_state(self.headline, "")
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.headline.setText(text or self.tr("Type the amount and press Enter for a quote."))
        self.footer.setText("")
        self.notice.setText("")
        self.notice.hide()

    def show_price_change(self, summary: str, lines: Sequence[tuple[str, str, str]],
                          confirmed: bool = False) -> None:
        """Above the (new) quote: what changed, and that the cashier must confirm again."""
        text = [self.tr("PRICE CHANGED: {summary}").format(summary=summary)]
        text += [self.tr("{line}: {old} → {new}").format(line=d, old=o or "-", new=n or "-")
                 for d, o, n in lines]
        if confirmed:
            text.append(self.tr("New price confirmed: press Enter (F12) to sell."))
            set_state(self.notice, "ok")
        else:
            text.append(self.tr("Tell the customer. Press Enter to confirm the new price, "
                                "then Enter again to sell; Esc to stop."))
            set_state(self.notice, "warn")
        self.notice.setText("\n".join(text))
        self.notice.show()

    def show_offline(self, amount: Decimal, currency: str, reason: str) -> None:
        """No quote possible (server unreachable): say what selling now will mean."""
        self.clear()
        set_state(self.headline, "pending")
        self.headline.setText(
            self.tr("OFFLINE: no quote for {amount}.").format(
                amount=format_money(amount, currency)))
        self.footer.setText(
            self.tr("{reason}\nSelling now keeps the sale PENDING: the customer gets a pending "
                    "slip, NOT a token. The server prices it and the token prints here when "
                    "the connection is back. Press Enter to sell pending, Esc to stop.").format(
                reason=reason))

    def show_quote(self, quote: Quote) -> None:
        """Show the units and the full breakdown that explains them."""
        self.clear()
        self.headline.setText(
            self.tr("{amount} buys {units} {unit}").format(
                amount=format_money(quote.amount, quote.currency), units=quote.units,
                unit=quote.unit,
            )
        )
        header = [self.tr("Item"), self.tr("Units"), self.tr("Amount")]
        for col, text in enumerate(header):
            cell = _label(text, "gridHeader")
            self.grid.addWidget(cell, 0, col)
        for row, line in enumerate(quote.lines, start=1):
            desc = line.description
            if line.rate:
                desc = self.tr("{desc} @ {rate}").format(desc=desc, rate=line.rate)
            self.grid.addWidget(_label(desc, wrap=True), row, 0)
            units = _label(line.units or "")
            units.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.grid.addWidget(units, row, 1)
            amount = _label(format_money(line.amount, quote.currency))
            amount.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.grid.addWidget(amount, row, 2)
        self.grid.setColumnStretch(0, 1)
        footer = [self.tr("Tariff: {tariff}").format(tariff=quote.tariff)]
        if quote.key_change:
            footer.append(self.tr("Key change tokens will be issued first."))
        if quote.tokens_preview:
            footer.append(self.tr("Tokens: {list}").format(list="; ".join(quote.tokens_preview)))
        self.footer.setText("\n".join(footer))


class TokenPanel(QFrame):
    """Issued tokens, large and grouped 4-4-4-4-4, numbered in entry order; or a pending notice."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tokenPanel")
        layout = QVBoxLayout(self)
        self.headline = _label(name="tokenHeadline", wrap=True)
        layout.addWidget(self.headline)
        self.rows = QVBoxLayout()
        layout.addLayout(self.rows)
        #: a two-way smart meter's read-back after it took the token (`sale.delivered`)
        self.delivered = _label(name="deliveredBalance", wrap=True)
        self.delivered.hide()
        layout.addWidget(self.delivered)
        #: the server priced the sale differently from its quote (`sale.price_differs`)
        self.price_note = _label(name="priceNote", wrap=True)
        self.price_note.hide()
        layout.addWidget(self.price_note)
        self.print_state = _label(name="printState", wrap=True)
        layout.addWidget(self.print_state)
        layout.addStretch(1)
        self.token_labels: list[QLabel] = []

    def _clear_rows(self) -> None:
        while self.rows.count():
            item = self.rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.token_labels = []

    def show_delivered(self, accepted: bool, balance: str, unit: str) -> None:
        """The smart meter of the sale on screen read back after the token was delivered."""
        if accepted:
            set_state(self.delivered, "ok")
            self.delivered.setText(self.tr(
                "Delivered into the smart meter: it accepted the token. Meter balance now "
                "{balance} {unit}.").format(balance=balance or "?", unit=unit).strip())
        else:
            set_state(self.delivered, "bad")
            self.delivered.setText(self.tr(
                "The smart meter did NOT accept the token: the customer must enter it by "
                "hand."))
        self.delivered.show()

    def show_price_note(self, summary: str) -> None:
        """The server sold on another price than the quote (a tariff changed at that moment)."""
        set_state(self.price_note, "warn")
        self.price_note.setText(self.tr(
            "Sold at a different price than quoted: {summary} The tokens and the receipt show "
            "what was sold; tell the customer.").format(summary=summary))
        self.price_note.show()

    def show_result(self, result: SaleResult) -> None:
        """Show tokens in entry order, or the pending state in a way nobody can miss."""
        self._clear_rows()
        for note in (self.delivered, self.price_note):
            note.setText("")
            note.hide()
        if result.state is SaleState.UNRESOLVED:
            set_state(self.headline, "bad")
            self.headline.setText(
                self.tr("NOT COMPLETE: the server did not answer for sale {ref}.\n"
                        "Do not hand over anything and do not sell again: VendPoint is "
                        "checking with the server and the result will show here.").format(
                    ref=result.reference))
            if result.pending_reason:
                self.rows.addWidget(_label(result.pending_reason, "pendingReason", wrap=True))
            self.print_state.setText("")
            return
        if result.state is SaleState.PENDING:
            set_state(self.headline, "pending")
            self.headline.setText(
                self.tr("NO TOKEN YET: sale saved as pending {ref}.\n"
                        "The customer gets a pending slip (it is NOT a token). The token "
                        "prints by itself when the server is back.").format(ref=result.reference)
            )
            if result.pending_reason:
                self.rows.addWidget(_label(result.pending_reason, "pendingReason", wrap=True))
        else:
            set_state(self.headline, "ok")
            self.headline.setText(
                self.tr("Receipt {ref}: {units} {unit} for {amount}. Enter the tokens "
                        "in this order:").format(
                    ref=result.reference, units=result.units, unit=result.unit,
                    amount=format_money(result.amount, result.currency),
                )
            )
            for token in result.ordered_tokens():
                self.rows.addWidget(self._token_row(token))
        self.set_print_state(result.print_state)

    def _token_row(self, token: Token) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 2, 0, 2)
        number = _label(str(token.seq), "tokenNumber")
        number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(number)
        text = QVBoxLayout()
        text.setSpacing(0)
        text.addWidget(_label(token.description, "tokenDescription", wrap=True))
        digits = QLabel(token.grouped)
        digits.setObjectName("tokenDigits")
        # Selectable so a cashier can copy it into an SMS; never logged.
        digits.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.token_labels.append(digits)
        text.addWidget(digits)
        layout.addLayout(text, 1)
        return row

    def show_not_sold(self, reference: str) -> None:
        """The unresolved sale on screen never reached the server: nothing was sold."""
        self._clear_rows()
        set_state(self.headline, "warn")
        self.headline.setText(
            self.tr("NOT SOLD: the server never received sale {ref}. Nothing was sold; press "
                    "F2 and sell again if the customer still wants to buy.").format(
                ref=reference))
        self.print_state.setText("")

    def show_token_arrived(self, reference: str, receipt_no: str) -> None:
        """The pending sale on screen got its token later: say so, it is printing."""
        self._clear_rows()
        set_state(self.headline, "ok")
        self.headline.setText(
            self.tr("TOKEN ARRIVED for pending sale {ref}: receipt {receipt} is printing. "
                    "Give the printed token receipt to the customer; press F8 to "
                    "reprint it.").format(ref=reference, receipt=receipt_no))

    def set_print_state(self, state: PrintState, detail: str = "") -> None:
        """Show where the slip is: queued, printed, failed (with what to do), no printer."""
        texts = {
            PrintState.QUEUED: (self.tr("Printing the slip…"), "ok"),
            PrintState.PRINTED: (self.tr("Slip printed."), "ok"),
            PrintState.FAILED: (
                self.tr("The slip did not print{detail}. Fix the printer, then press F8 to "
                        "reprint.").format(detail=f" ({detail})" if detail else ""), "bad"),
            PrintState.NO_PRINTER: (
                self.tr("No printer is set up: read the tokens out or write them down."),
                "warn"),
        }
        text, state_name = texts[state]
        self.print_state.setText(text)
        set_state(self.print_state, state_name)


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
        grid.addWidget(self.tendered, 2, 1)
        grid.addWidget(self.change, 2, 2)
        buttons = QHBoxLayout()
        self.quote_button = QPushButton(self.tr("Quote (F5)"))
        self.sell_button = QPushButton(self.tr("Sell (Enter / F12)"))
        self.sell_button.setObjectName("primaryButton")
        self.next_button = QPushButton(self.tr("Next customer (F2)"))
        for button in (self.quote_button, self.sell_button, self.next_button):
            buttons.addWidget(button)
        grid.addLayout(buttons, 3, 0, 1, 3)
        left.addWidget(money)
        body.addLayout(left, 5)

        self.right = QStackedWidget()
        self.quote = QuotePanel()
        self.tokens = TokenPanel()
        self.right.addWidget(self.quote)
        self.right.addWidget(self.tokens)
        body.addWidget(self.right, 6)
        root.addLayout(body, 1)

        self.hint = _label(
            self.tr("F2 New customer · F3 Search · F5 Quote · Enter/F12 Sell · F6 Tariffs · "
                    "F8 Reprint · F9 Pending · F10 Today · F11 Settings · Esc Back · Ctrl+L Lock"),
            "hintLine", wrap=True,
        )
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
            button = QPushButton(
                self.tr("&{n}  {amount}").format(n=index, amount=f"{value:,.0f}")
            )
            button.setObjectName("quickAmount")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setProperty("amount", str(value))
            button.setToolTip(format_money(value, currency))
            self.quick_row.addWidget(button)
            self.quick_buttons.append(button)

    def show_tokens_side(self, tokens: bool) -> None:
        """Right side shows the tokens (after a sale) or the quote."""
        self.right.setCurrentWidget(self.tokens if tokens else self.quote)

    def set_meter_message(self, text: str) -> None:
        """The plain message under the meter field (check digit, length); empty hides it."""
        self.meter_message.setText(text)
        self.meter_message.setVisible(bool(text))
