"""The sale screen's left and right panels before a sale: the customer and the quote.

Layout only: `SaleController` fills them in from the flow's actions.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QVBoxLayout, QWidget

from app.till.results import Customer, Quote, SearchHit
from common.money import Money
from ui.money import format_money, format_units_text
from ui.widgets import label as _label
from ui.widgets import set_state


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
        #: the amount as the till read it, large: what will be sold (and paid) on Enter
        self.amount = _label(name="quoteAmount")
        layout.addWidget(self.amount)
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
        self.amount.setText("")
        self.amount.hide()

    def _show_amount(self, amount: Money) -> None:
        self.amount.setText(self.tr("Amount: {amount}").format(amount=format_money(amount)))
        self.amount.show()

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

    def show_offline(self, amount: Money, reason: str) -> None:
        """No quote possible (server unreachable): say what selling now will mean."""
        self.clear()
        self._show_amount(amount)
        set_state(self.headline, "pending")
        self.headline.setText(
            self.tr("OFFLINE: no quote for {amount}.").format(
                amount=format_money(amount)))
        self.footer.setText(
            self.tr("{reason}\nSelling now keeps the sale PENDING: the customer gets a pending "
                    "slip, NOT a token. The server prices it and the token prints here when "
                    "the connection is back. Press Enter to sell pending, Esc to stop.").format(
                reason=reason))

    def show_quote(self, quote: Quote) -> None:
        """Show the units and the full breakdown that explains them."""
        self.clear()
        self._show_amount(quote.amount)
        self.headline.setText(
            self.tr("{amount} buys {units} {unit}").format(
                amount=format_money(quote.amount), units=format_units_text(quote.units),
                unit=quote.unit,
            )
        )
        # The customer pays VAT-inclusive prices: every line shows what it costs with its
        # VAT, and the VAT line says it is already in those amounts (they add up to the sale).
        header = [self.tr("Item"), self.tr("Units"), self.tr("Amount incl. VAT")]
        for col, text in enumerate(header):
            cell = _label(text, "gridHeader")
            self.grid.addWidget(cell, 0, col)
        for row, line in enumerate(quote.lines, start=1):
            desc = line.description
            if line.rate_text:
                desc = self.tr("{desc} @ {rate}").format(desc=desc, rate=line.rate_text)
            if line.kind == "vat":
                desc = self.tr("{desc} (included above)").format(desc=desc)
            self.grid.addWidget(_label(desc, wrap=True), row, 0)
            units = _label(f"{format_units_text(line.units)} {line.unit}".strip()
                           if line.units else "")
            units.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.grid.addWidget(units, row, 1)
            amount = _label(format_money(line.amount_incl_vat))
            amount.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.grid.addWidget(amount, row, 2)
        self.grid.setColumnStretch(0, 1)
        footer = [self.tr("Tariff: {tariff}").format(tariff=quote.tariff)]
        if quote.key_change:
            footer.append(self.tr("Key change tokens will be issued first."))
        if quote.tokens_preview:
            footer.append(self.tr("Tokens: {list}").format(list="; ".join(quote.tokens_preview)))
        self.footer.setText("\n".join(footer))
