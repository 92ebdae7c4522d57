"""Lay a receipt out for a given paper width: a list of printer-neutral blocks.

Both renderers (ESC/POS bytes and plain text) consume the same blocks, so a preview shows
exactly the line breaks the paper gets. Every string from the model passes through
`printers.text.clean` here, in one place (`_Builder._clean`), before it can reach a renderer.
Long values wrap onto further lines; nothing is truncated. Tokens are printed double size in
groups of four; when 24 double-width characters do not fit (58 mm, 42-column 80 mm) the token
goes on two lines, three groups then two.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from common.format import format_units
from common.money import Money, format_money
from printers import model
from printers.profile import PrinterProfile
from printers.text import clean, width, wrap


class Align(StrEnum):
    """Horizontal alignment of a line."""

    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


@dataclass(frozen=True)
class Line:
    """One printed line, already wrapped to fit. `double` is double width and height."""

    text: str
    align: Align = Align.LEFT
    bold: bool = False
    double: bool = False
    invert: bool = False


@dataclass(frozen=True)
class Rule:
    """A full-width separator."""

    char: str = "-"


@dataclass(frozen=True)
class Feed:
    """Blank paper."""

    lines: int = 1


@dataclass(frozen=True)
class QrCode:
    """A QR code; `caption` is what a text preview shows instead (never a token)."""

    data: str
    caption: str


@dataclass(frozen=True)
class Barcode:
    """A CODE128 barcode of a short alphanumeric value (meter number, reference)."""

    data: str


@dataclass(frozen=True)
class Logo:
    """An image file printed centred at the top."""

    path: str


Block = Line | Rule | Feed | QrCode | Barcode | Logo


def layout(receipt: model.Receipt, profile: PrinterProfile, *, mask_tokens: bool = False) -> (
    list[Block]
):
    """The blocks of `receipt` for `profile`'s paper width."""
    b = _Builder(profile, mask_tokens)
    if isinstance(receipt, model.Reprint):
        b.reprint_banner(receipt)
        _original(b, receipt.original)
        b.reprint_banner(receipt, footer=True)
    else:
        _original(b, receipt)
    return b.blocks


def _original(b: _Builder, receipt: model.Original) -> None:
    if isinstance(receipt, model.TokenReceipt):
        _token_receipt(b, receipt.sale)
    elif isinstance(receipt, model.PendingSlip):
        _pending(b, receipt)
    elif isinstance(receipt, model.ReversalSlip):
        _reversal(b, receipt)
    elif isinstance(receipt, model.EngineeringSlip):
        _engineering(b, receipt)
    elif isinstance(receipt, model.ShiftReport):
        _report(b, receipt)
    else:
        _shift_close(b, receipt)


class _Builder:
    def __init__(self, profile: PrinterProfile, mask_tokens: bool) -> None:
        self.profile = profile
        self.cols = profile.columns
        self.mask = mask_tokens
        self.blocks: list[Block] = []

    @staticmethod
    def _clean(text: str) -> str:
        return clean(text)

    # --- primitives ---------------------------------------------------------------------

    def text(
        self, text: str, *, align: Align = Align.LEFT, bold: bool = False, double: bool = False,
        invert: bool = False,
    ) -> None:
        cells = self.cols // 2 if double else self.cols
        for part in wrap(self._clean(text), cells):
            self.blocks.append(Line(part, align, bold, double, invert))

    def title(self, text: str, *, double: bool = False, invert: bool = False) -> None:
        self.text(text, align=Align.CENTER, bold=True, double=double, invert=invert)

    def kv(self, label: str, value: str, *, bold: bool = False) -> Align:
        """'Label ........ value' on one line when it fits (returns RIGHT); otherwise the label
        on its own line and the value wrapped below it, indented (returns LEFT). Further
        lines that belong to the value (an address) follow the returned alignment."""
        label, value = self._clean(label), self._clean(value)
        if not value:
            return Align.RIGHT
        gap = self.cols - width(label) - width(value)
        if gap >= 1:
            self.blocks.append(Line(label + " " * gap + value, Align.LEFT, bold))
            return Align.RIGHT
        label_lines = wrap(label, self.cols)
        last_gap = self.cols - width(label_lines[-1]) - width(value)
        if len(label_lines) > 1 and last_gap >= 1:
            # A long label with a short value: the value ends the label's last line.
            for part in label_lines[:-1]:
                self.blocks.append(Line(part, Align.LEFT, bold))
            self.blocks.append(Line(label_lines[-1] + " " * last_gap + value, Align.LEFT, bold))
            return Align.RIGHT
        for part in label_lines:
            self.blocks.append(Line(part, Align.LEFT, bold))
        if width(value) <= self.cols - 2:
            # A short value (an amount) stays right-aligned, in the column of amounts.
            self.blocks.append(Line(" " * (self.cols - width(value)) + value, Align.LEFT, bold))
            return Align.RIGHT
        self.indented(value, bold=bold)
        return Align.LEFT

    def indented(self, text: str, *, bold: bool = False) -> None:
        for part in wrap(self._clean(text), self.cols - 2):
            self.blocks.append(Line("  " + part, Align.LEFT, bold))

    def continuation(self, text: str, align: Align) -> None:
        if align is Align.LEFT:
            self.indented(text)
        else:
            self.text(text, align=Align.RIGHT)

    def rule(self, char: str = "-") -> None:
        self.blocks.append(Rule(char))

    def feed(self, lines: int = 1) -> None:
        self.blocks.append(Feed(lines))

    def when(self, at: datetime) -> str:
        return at.strftime("%Y-%m-%d %H:%M")

    # --- shared parts -------------------------------------------------------------------

    def logo(self) -> None:
        if self.profile.logo_path:
            self.blocks.append(Logo(self.profile.logo_path))

    def utility_header(self, utility: model.Party) -> None:
        self.logo()
        self.title(utility.name)
        for line in utility.address:
            self.text(line, align=Align.CENTER)
        if utility.phone:
            self.text(f"Tel {utility.phone}", align=Align.CENTER)
        if utility.tax_id:
            self.text(f"VAT No {utility.tax_id}", align=Align.CENTER)
        self.rule()

    def pos_lines(self, pos: model.PointOfSale, *, number_label: str, number: str,
                  at: datetime) -> None:
        align = self.kv("Vendor", pos.vendor.name)
        for line in pos.vendor.address:
            self.continuation(line, align)
        if pos.vendor.tax_id:
            self.kv("Vendor VAT No", pos.vendor.tax_id)
        self.kv("Vendor ID", pos.vendor_id)
        self.kv("Terminal", pos.terminal_id)
        self.kv("Operator", pos.operator)
        self.kv(number_label, number)
        self.kv("Date", self.when(at))

    def customer_lines(self, customer: model.Party | None, meter: model.MeterInfo) -> None:
        if customer is not None:
            align = self.kv("Customer", customer.name)
            for line in customer.address:
                self.continuation(line, align)
        if meter.account:
            self.kv("Account", meter.account)
        self.kv("Meter", meter.number, bold=True)
        tariff = meter.tariff_name
        if meter.tariff_index:
            tariff = f"{tariff} (TI {meter.tariff_index})".strip()
        self.kv("Tariff", tariff)
        if meter.tariff_version:
            self.kv("Tariff version", meter.tariff_version)
        if meter.sgc or meter.krn:
            self.kv("SGC / KRN", f"{meter.sgc or '-'} / {meter.krn or '-'}")

    def token_digits(self, token: model.TokenLine) -> str:
        return token.masked() if self.mask else token.grouped()

    def tokens(self, tokens: tuple[model.TokenLine, ...], unit: str, *, void: bool = False) -> None:
        count = len(tokens)
        if void:
            self.title("TOKENS CANCELLED")
        elif count > 1:
            self.title(f"ENTER THESE {count} TOKENS IN THIS ORDER")
        else:
            self.title("YOUR TOKEN")
        credit = (model.TokenKind.CREDIT, model.TokenKind.FREE_BASIC)
        if (not void and any(t.kind.is_key_change for t in tokens)
                and any(t.kind in credit for t in tokens)):
            # Customers who type only the credit token get it rejected: say why, in words.
            self.text("Enter the key change tokens first: the meter refuses the credit token "
                      "until they are in.", align=Align.CENTER)
        for n, token in enumerate(tokens, start=1):
            label = f"{n}. {token.label}" if count > 1 else token.label
            if token.units_tenths is not None:
                self.kv(label, format_units(token.units_tenths, unit), bold=True)
            else:
                self.text(label, bold=True)
            if void:
                # A voided token is only identified, never printed whole.
                self.text(f"{token.masked()} VOID", align=Align.CENTER)
                continue
            self.token_big(self.token_digits(token))
            if n < count:
                self.feed()

    def token_big(self, grouped: str) -> None:
        if 2 * width(grouped) <= self.cols:
            parts = [grouped]
        else:
            groups = grouped.split(" ")
            parts = [" ".join(groups[:3]), " ".join(groups[3:])]
        for part in parts:
            self.blocks.append(Line(part, Align.CENTER, True, True))

    def qr_and_barcode(self, meter_no: str, tokens: tuple[model.TokenLine, ...]) -> None:
        meter_no = self._clean(meter_no)
        if self.profile.qr_code:
            data = f"METER:{meter_no}"
            if tokens:
                data += ";TOKENS:" + ",".join(t.digits for t in tokens)
            caption = f"[QR: meter {meter_no}"
            caption += f", {len(tokens)} token{'s' if len(tokens) != 1 else ''}]" if tokens else "]"
            self.blocks.append(QrCode(data, caption))
        self.barcode(meter_no)

    def barcode(self, value: str) -> None:
        """A CODE128 barcode of `value` if the profile prints barcodes and it fits the paper
        (module width 2 dots, 12 dots per column); the value is printed as text anyway."""
        data = "".join(ch for ch in value if ch.isascii() and (ch.isalnum() or ch == "-"))
        modules = 11 * (len(data) + 3) + 2  # start, data, check, stop, quiet edge
        if self.profile.barcode and data and 2 * modules <= self.cols * 12:
            self.blocks.append(Barcode(data))

    def instructions(self, text: str) -> None:
        if text:
            self.feed()
            self.text(text, align=Align.CENTER)

    def reprint_banner(self, reprint: model.Reprint, *, footer: bool = False) -> None:
        if footer:
            self.rule("=")
        self.title("REPRINT", double=True)
        self.text(f"Reprint no. {reprint.reprint_no}", align=Align.CENTER, bold=True)
        if not footer:
            self.text(f"Reprinted {self.when(reprint.reprinted_at)}", align=Align.CENTER)
            if reprint.operator:
                self.text(f"by {reprint.operator}", align=Align.CENTER)
            self.rule("=")


def _money_line(b: _Builder, label: str, money: Money, *, bold: bool = False) -> None:
    b.kv(label, format_money(money), bold=bold)


def _token_receipt(b: _Builder, sale: model.SaleReceiptData) -> None:
    b.utility_header(sale.utility)
    b.title("TAX INVOICE")
    b.pos_lines(sale.pos, number_label="Receipt no", number=sale.receipt_no, at=sale.issued_at)
    b.rule()
    b.customer_lines(sale.customer, sale.meter)
    b.rule()
    _money_line(b, "Amount tendered", sale.amount_tendered, bold=True)
    b.rule()
    b.tokens(sale.ordered_tokens(), sale.unit)
    b.rule()
    b.kv("Units", format_units(sale.units_tenths, sale.unit), bold=True)
    for line in sale.breakdown:
        label = line.label
        if line.units_tenths is not None:
            label = f"{label} {format_units(line.units_tenths, sale.unit)}"
        _money_line(b, label, line.amount)
        if line.detail:
            b.indented(line.detail)
    vat_label = f"VAT {sale.vat_rate}" if sale.vat_rate else "VAT"
    _money_line(b, vat_label, sale.vat)
    _money_line(b, "Total", sale.amount_tendered, bold=True)
    b.rule()
    b.kv("Reference", sale.reference)
    b.instructions(sale.instructions)
    b.qr_and_barcode(sale.meter.number, sale.ordered_tokens())


def _pending(b: _Builder, slip: model.PendingSlip) -> None:
    b.utility_header(slip.utility)
    b.title("NOT A TOKEN", double=True, invert=True)
    b.title("PENDING SALE - OFFLINE")
    b.text("Do not enter anything from this slip into the meter.", align=Align.CENTER)
    b.rule()
    b.pos_lines(slip.pos, number_label="Reference", number=slip.reference, at=slip.issued_at)
    b.rule()
    b.customer_lines(slip.customer, slip.meter)
    b.rule()
    _money_line(b, "Amount paid", slip.amount, bold=True)
    b.rule()
    b.title("Your reference")
    b.text(slip.reference, align=Align.CENTER, bold=True, double=True)
    b.feed()
    b.text("How you will get your token:", bold=True)
    b.text(slip.delivery)
    if slip.valid_until is not None:
        b.text(
            f"No token by {b.when(slip.valid_until)}? Bring this slip back to the vendor.",
        )
    b.rule()
    b.title("NOT A TOKEN", double=True, invert=True)
    b.barcode(b._clean(slip.reference))


def _reversal(b: _Builder, slip: model.ReversalSlip) -> None:
    b.utility_header(slip.utility)
    b.title("REVERSAL", double=True)
    b.pos_lines(slip.pos, number_label="Reversal no", number=slip.reversal_no, at=slip.issued_at)
    b.kv("Original receipt", slip.original_receipt_no)
    b.rule()
    b.customer_lines(slip.customer, slip.meter)
    b.rule()
    _money_line(b, "Amount reversed", slip.amount, bold=True)
    b.rule()
    b.tokens(slip.tokens, "kWh", void=True)
    b.rule()
    b.kv("Reason", slip.reason)
    b.kv("Approved by", slip.supervisor)
    b.feed()
    b.text("Customer signature:")
    b.feed()
    b.text("_" * (b.cols - 2))


def _engineering(b: _Builder, slip: model.EngineeringSlip) -> None:
    b.utility_header(slip.utility)
    b.title("ENGINEERING TOKEN")
    b.pos_lines(slip.pos, number_label="Receipt no", number=slip.receipt_no, at=slip.issued_at)
    b.rule()
    b.customer_lines(slip.customer, slip.meter)
    b.rule()
    b.tokens(model.entry_order(slip.tokens), "kWh")
    b.rule()
    b.kv("Authorised by", slip.supervisor)
    if slip.reason:
        b.kv("Reason", slip.reason)
    b.instructions(slip.instructions)
    b.qr_and_barcode(slip.meter.number, model.entry_order(slip.tokens))


def _report(b: _Builder, report: model.ShiftReport) -> None:
    if report.utility is not None:
        b.utility_header(report.utility)
    b.title(report.title, double=report.z_number is not None)
    b.kv("Vendor", report.pos.vendor.name)
    b.kv("Vendor ID", report.pos.vendor_id)
    b.kv("Terminal", report.pos.terminal_id)
    b.kv("Printed by", report.pos.operator)
    b.kv("From", b.when(report.period_start))
    b.kv("To", b.when(report.period_end))
    b.kv("Printed", b.when(report.generated_at))
    for section in report.sections:
        b.rule()
        b.text(section.title, bold=True)
        for total in section.lines:
            _total_line(b, total)
    b.rule()
    if report.z_number is None:
        b.text("Running totals - the day is still open.", align=Align.CENTER)
    else:
        b.text("End of day. This report is final.", align=Align.CENTER, bold=True)


def _total_line(b: _Builder, total: model.TotalLine) -> None:
    """'Label (count) ..... amount', then the units indented below when there are both."""
    values = [
        v for v in (
            None if total.amount is None else format_money(total.amount),
            None if total.units_tenths is None else format_units(total.units_tenths),
        ) if v is not None
    ]
    count = None if total.count is None else f"{total.count:,}"
    if not values:
        b.kv(total.label, count or "-")
        return
    label = total.label if count is None else f"{total.label} ({count})"
    b.kv(label, values[0])
    for extra in values[1:]:
        b.text(extra, align=Align.RIGHT)


def _shift_close(b: _Builder, slip: model.ShiftCloseSlip) -> None:
    b.title("SHIFT CLOSE", double=True)
    b.kv("Vendor", slip.pos.vendor.name)
    b.kv("Terminal", slip.pos.terminal_id)
    b.kv("Operator", slip.pos.operator)
    b.kv("Shift", slip.shift_id)
    b.kv("Opened", b.when(slip.opened_at))
    b.kv("Closed", b.when(slip.closed_at))
    b.rule()
    _money_line(b, "Opening float", slip.opening_float)
    _money_line(b, "Cash sales", slip.cash_sales)
    _money_line(b, "Cash drops", slip.cash_drops)
    _money_line(b, "Expected in drawer", slip.expected, bold=True)
    _money_line(b, "Counted", slip.counted, bold=True)
    over_short = slip.over_short
    label = "Over" if over_short.minor > 0 else "Short" if over_short.minor < 0 else "Balanced"
    _money_line(b, label, over_short, bold=True)
    b.rule()
    b.kv("Sales", f"{slip.sales_count:,}")
    b.kv("Reversals", f"{slip.reversals_count:,}")
    b.kv("Reprints", f"{slip.reprints_count:,}")
    if slip.supervisor:
        b.kv("Supervisor", slip.supervisor)
    b.feed()
    b.text("Cashier signature:")
    b.feed()
    b.text("_" * (b.cols - 2))
    b.text("Supervisor signature:")
    b.feed()
    b.text("_" * (b.cols - 2))
