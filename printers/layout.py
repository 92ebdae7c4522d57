"""Lay a receipt out for a given paper width: a list of printer-neutral blocks.

Both renderers (ESC/POS bytes and plain text) consume the same blocks, so a preview shows
exactly the line breaks the paper gets. This module holds `layout` and the sections of each
receipt variant; the column and wrapping primitives, the parts receipts share and the one
place every model string is cleaned are `printers.layout_builder.ReceiptBuilder`; the block
types are `printers.blocks` (re-exported here, where renderers and tests import them).
"""

from __future__ import annotations

from common.format import format_percent, format_units
from common.money import Money, format_money
from printers import model
from printers.blocks import Align, Barcode, Block, Feed, Line, Logo, QrCode, Rule
from printers.layout_builder import ReceiptBuilder
from printers.profile import PrinterProfile

__all__ = [
    "Align",
    "Barcode",
    "Block",
    "Feed",
    "Line",
    "Logo",
    "QrCode",
    "Rule",
    "layout",
]


def layout(receipt: model.Receipt, profile: PrinterProfile, *, mask_tokens: bool = False) -> (
    list[Block]
):
    """The blocks of `receipt` for `profile`'s paper width."""
    b = ReceiptBuilder(profile, mask_tokens)
    if isinstance(receipt, model.Reprint):
        b.reprint_banner(receipt)
        _original(b, receipt.original)
        b.reprint_banner(receipt, footer=True)
    else:
        _original(b, receipt)
    return b.blocks


def _original(b: ReceiptBuilder, receipt: model.Original) -> None:
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


def _money_line(b: ReceiptBuilder, label: str, money: Money, *, bold: bool = False) -> None:
    b.kv(label, format_money(money), bold=bold)


def _token_receipt(b: ReceiptBuilder, sale: model.SaleReceiptData) -> None:
    b.utility_header(sale.utility)
    b.title("TAX INVOICE")
    b.pos_lines(sale.pos, number_label="Receipt no", number=sale.receipt_no, at=sale.issued_at)
    b.rule()
    b.customer_lines(sale.customer, sale.meter)
    b.rule()
    # The amount sold (the API calls it amount_tendered); the cash handed over and the change
    # only when the till knows them: never the sale amount under the name "tendered".
    _money_line(b, "Amount", sale.amount_tendered, bold=True)
    if sale.cash_tendered is not None and sale.change is not None:
        _money_line(b, "Cash tendered", sale.cash_tendered)
        _money_line(b, "Change", sale.change, bold=True)
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
    vat_label = f"VAT {format_percent(sale.vat_rate)}" if sale.vat_rate else "VAT"
    _money_line(b, vat_label, sale.vat)
    _money_line(b, "Total", sale.amount_tendered, bold=True)
    b.rule()
    b.kv("Reference", sale.reference)
    b.instructions(sale.instructions)
    b.qr_and_barcode(sale.meter.number, sale.ordered_tokens())


def _pending(b: ReceiptBuilder, slip: model.PendingSlip) -> None:
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
    b.barcode(b.clean(slip.reference))


def _reversal(b: ReceiptBuilder, slip: model.ReversalSlip) -> None:
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


def _engineering(b: ReceiptBuilder, slip: model.EngineeringSlip) -> None:
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


def _report(b: ReceiptBuilder, report: model.ShiftReport) -> None:
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


def _total_line(b: ReceiptBuilder, total: model.TotalLine) -> None:
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


def _shift_close(b: ReceiptBuilder, slip: model.ShiftCloseSlip) -> None:
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
    if slip.cash_paid_back is not None:
        _money_line(b, "Paid back (reversals, refunds)", slip.cash_paid_back)
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
