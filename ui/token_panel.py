"""The sale screen's right side after a sale: the tokens, or the pending / not complete notice.

Layout only: `SaleController` fills it in from the flow's actions. Token digits are shown large
and grouped 4-4-4-4-4, numbered in entry order (key-change tokens first); they are never logged.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.till.results import PrintState, SaleResult, SaleState, Token
from common.format import group_token
from ui.money import format_money, format_units_text
from ui.widgets import label as _label
from ui.widgets import set_state


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

    def clear(self) -> None:
        """Nothing on the token side: no digits, notes or print state of an earlier sale."""
        self._clear_rows()
        for note in (self.delivered, self.price_note):
            note.setText("")
            note.hide()
        self.headline.setText("")
        set_state(self.headline, "")
        self.print_state.setText("")

    def show_delivered(self, accepted: bool, balance: str, unit: str) -> None:
        """The smart meter of the sale on screen read back after the token was delivered."""
        if accepted:
            # Nothing to type in: the meter took it (the headline said "Enter the tokens").
            set_state(self.headline, "ok")
            self.headline.setText(self.tr(
                "Delivered into the smart meter: the customer does not need to enter these "
                "tokens (they are on the receipt)."))
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
                self.tr("NOT COMPLETE: no usable answer for sale {ref}.\n"
                        "Do not hand over anything and do not sell again. Enter asks the "
                        "server about this same sale; Esc leaves it to VendPoint, which keeps "
                        "checking and shows the result.").format(ref=result.reference))
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
                    ref=result.reference, units=format_units_text(result.units), unit=result.unit,
                    amount=format_money(result.amount),
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
        digits = QLabel(group_token(token.digits))
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
                self.tr("The slip did not print ({detail}). Fix the printer, then press F8 "
                        "to reprint.").format(detail=detail) if detail else
                self.tr("The slip did not print. Fix the printer, then press F8 to reprint."),
                "bad"),
            PrintState.NO_PRINTER: (
                self.tr("No printer is set up: read the tokens out or write them down."),
                "warn"),
        }
        text, state_name = texts[state]
        self.print_state.setText(text)
        set_state(self.print_state, state_name)
