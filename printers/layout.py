"""Lay a receipt out for a given paper width: a list of printer-neutral blocks.

Both renderers (ESC/POS bytes and plain text) consume the same blocks, so a preview shows
exactly the line breaks the paper gets. This module holds `layout` and the sections of each
receipt variant; the column and wrapping primitives, the parts receipts share and the one
place every model string is cleaned are `printers.layout_builder.ReceiptBuilder`; the block
types are `printers.blocks` (re-exported here, where renderers and tests import them).

A receipt is laid out in one language (`receipt_translator`): the one asked for, else the one
the slip was made in (`language` of the model), else the current language. Money goes through
`common.money.format_money` and times through `common.format.format_time`; token digits,
meter numbers and receipt numbers are never translated.
"""

from __future__ import annotations

from common.format import format_percent, format_units
from common.i18n import Translator, translator
from common.lines import describe_line
from common.money import Money, format_money, format_number
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
    "receipt_translator",
]


def receipt_translator(receipt: model.Receipt,
                       language: str | Translator | None = None) -> Translator:
    """The words `receipt` prints in: `language` when given, else the language it was made in
    (a reprint's own, else its original's), else the current language."""
    if isinstance(language, Translator):
        return language
    if not language:
        language = receipt.language
        if not language and isinstance(receipt, model.Reprint):
            language = receipt.original.language
    return translator(language or None)


def layout(receipt: model.Receipt, profile: PrinterProfile, *, mask_tokens: bool = False,
           language: str | Translator | None = None) -> list[Block]:
    """The blocks of `receipt` for `profile`'s paper width, in `language` (a code or a
    translator; default: see `receipt_translator`)."""
    b = ReceiptBuilder(profile, mask_tokens, receipt_translator(receipt, language))
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
    t = b.t
    b.utility_header(sale.utility)
    b.title(t.gettext("TAX INVOICE"))
    b.pos_lines(sale.pos, number_label=t.gettext("Receipt no"), number=sale.receipt_no,
                at=sale.issued_at)
    b.rule()
    b.customer_lines(sale.customer, sale.meter)
    b.rule()
    # The amount sold (the API calls it amount_tendered); the cash handed over and the change
    # only when the till knows them: never the sale amount under the name "tendered".
    _money_line(b, t.gettext("Amount"), sale.amount_tendered, bold=True)
    if sale.cash_tendered is not None and sale.change is not None:
        _money_line(b, t.gettext("Cash tendered"), sale.cash_tendered)
        _money_line(b, t.gettext("Change"), sale.change, bold=True)
    b.rule()
    b.tokens(sale.ordered_tokens(), sale.unit)
    b.rule()
    b.kv(t.gettext("Units"), format_units(sale.units_tenths, sale.unit), bold=True)
    for line in sale.breakdown:
        block = None if line.block_number is None or line.block_from is None else (
            line.block_number, line.block_from, line.block_to)
        label = describe_line(t, line.kind, line.label, sale.unit, block=block)
        if line.units_tenths is not None:
            label = f"{label} {format_units(line.units_tenths, sale.unit)}"
        _money_line(b, label, line.amount)
        if line.detail:
            b.indented(line.detail)
    vat_label = t.gettext("VAT {rate}").format(rate=format_percent(sale.vat_rate)) \
        if sale.vat_rate else t.gettext("VAT")
    _money_line(b, vat_label, sale.vat)
    _money_line(b, t.gettext("Total"), sale.amount_tendered, bold=True)
    b.rule()
    b.kv(t.gettext("Reference"), sale.reference)
    b.instructions(b.default_text(sale.instructions, model.SALE_INSTRUCTIONS))
    b.qr_and_barcode(sale.meter.number, sale.ordered_tokens())


def _pending(b: ReceiptBuilder, slip: model.PendingSlip) -> None:
    t = b.t
    b.utility_header(slip.utility)
    b.title(t.gettext("NOT A TOKEN"), double=True, invert=True)
    b.title(t.gettext("PENDING SALE - OFFLINE"))
    b.text(t.gettext("Do not enter anything from this slip into the meter."),
           align=Align.CENTER)
    b.rule()
    b.pos_lines(slip.pos, number_label=t.gettext("Reference"), number=slip.reference,
                at=slip.issued_at)
    b.rule()
    b.customer_lines(slip.customer, slip.meter)
    b.rule()
    _money_line(b, t.gettext("Amount paid"), slip.amount, bold=True)
    b.rule()
    b.title(t.gettext("Your reference"))
    b.text(slip.reference, align=Align.CENTER, bold=True, double=True)
    b.feed()
    b.text(t.gettext("How you will get your token:"), bold=True)
    b.text(b.default_text(slip.delivery, model.PENDING_DELIVERY))
    if slip.valid_until is not None:
        b.text(t.gettext("No token by {time}? Bring this slip back to the vendor.").format(
            time=b.when(slip.valid_until)))
    b.rule()
    b.title(t.gettext("NOT A TOKEN"), double=True, invert=True)
    b.barcode(b.clean(slip.reference))


def _reversal(b: ReceiptBuilder, slip: model.ReversalSlip) -> None:
    t = b.t
    b.utility_header(slip.utility)
    b.title(t.gettext("REVERSAL"), double=True)
    b.pos_lines(slip.pos, number_label=t.gettext("Reversal no"), number=slip.reversal_no,
                at=slip.issued_at)
    b.kv(t.gettext("Original receipt"), slip.original_receipt_no)
    b.rule()
    b.customer_lines(slip.customer, slip.meter)
    b.rule()
    _money_line(b, t.gettext("Amount reversed"), slip.amount, bold=True)
    b.rule()
    b.tokens(slip.tokens, "kWh", void=True)
    b.rule()
    b.kv(t.gettext("Reason"), slip.reason)
    b.kv(t.gettext("Approved by"), slip.supervisor)
    b.feed()
    b.text(t.gettext("Customer signature:"))
    b.feed()
    b.text("_" * (b.cols - 2))


def _engineering(b: ReceiptBuilder, slip: model.EngineeringSlip) -> None:
    t = b.t
    b.utility_header(slip.utility)
    b.title(t.gettext("ENGINEERING TOKEN"))
    b.pos_lines(slip.pos, number_label=t.gettext("Receipt no"), number=slip.receipt_no,
                at=slip.issued_at)
    b.rule()
    b.customer_lines(slip.customer, slip.meter)
    b.rule()
    b.tokens(model.entry_order(slip.tokens), "kWh")
    b.rule()
    b.kv(t.gettext("Authorised by"), slip.supervisor)
    if slip.reason:
        b.kv(t.gettext("Reason"), slip.reason)
    b.instructions(b.default_text(slip.instructions, model.ENGINEERING_INSTRUCTIONS))
    b.qr_and_barcode(slip.meter.number, model.entry_order(slip.tokens))


def _report(b: ReceiptBuilder, report: model.ShiftReport) -> None:
    t = b.t
    if report.utility is not None:
        b.utility_header(report.utility)
    title = t.gettext("X REPORT") if report.z_number is None else \
        t.gettext("Z REPORT No. {number}").format(number=report.z_number)
    b.title(title, double=report.z_number is not None)
    b.kv(t.gettext("Vendor"), report.pos.vendor.name)
    b.kv(t.gettext("Vendor ID"), report.pos.vendor_id)
    b.kv(t.gettext("Terminal"), report.pos.terminal_id)
    b.kv(t.gettext("Printed by"), report.pos.operator)
    b.kv(t.gettext("From"), b.when(report.period_start))
    b.kv(t.gettext("To"), b.when(report.period_end))
    b.kv(t.gettext("Printed"), b.when(report.generated_at))
    for section in report.sections:
        b.rule()
        # Titles and labels the core wrote in English (marked N_) print in the slip's
        # language; names (operators, tariffs) have no translation and print as they are.
        b.text(b.core_words(section.title), bold=True)
        for total in section.lines:
            _total_line(b, total)
    b.rule()
    if report.z_number is None:
        b.text(t.gettext("Running totals - the day is still open."), align=Align.CENTER)
    else:
        b.text(t.gettext("End of day. This report is final."), align=Align.CENTER, bold=True)


def _total_line(b: ReceiptBuilder, total: model.TotalLine) -> None:
    """'Label (count) ..... amount', then the units indented below when there are both."""
    values = [
        v for v in (
            None if total.amount is None else format_money(total.amount),
            None if total.units_tenths is None else format_units(total.units_tenths),
        ) if v is not None
    ]
    count = None if total.count is None else format_number(total.count, 0)
    name = b.core_words(total.label)
    if not values:
        b.kv(name, count or "-")
        return
    label = name if count is None else f"{name} ({count})"
    b.kv(label, values[0])
    for extra in values[1:]:
        b.text(extra, align=Align.RIGHT)


def _shift_close(b: ReceiptBuilder, slip: model.ShiftCloseSlip) -> None:
    t = b.t
    b.title(t.gettext("SHIFT CLOSE"), double=True)
    b.kv(t.gettext("Vendor"), slip.pos.vendor.name)
    b.kv(t.gettext("Terminal"), slip.pos.terminal_id)
    b.kv(t.gettext("Operator"), slip.pos.operator)
    b.kv(t.gettext("Shift"), slip.shift_id)
    b.kv(t.gettext("Opened"), b.when(slip.opened_at))
    b.kv(t.gettext("Closed"), b.when(slip.closed_at))
    b.rule()
    _money_line(b, t.gettext("Opening float"), slip.opening_float)
    _money_line(b, t.gettext("Cash sales"), slip.cash_sales)
    if slip.cash_paid_back is not None:
        _money_line(b, t.gettext("Paid back (reversals, refunds)"), slip.cash_paid_back)
    _money_line(b, t.gettext("Cash drops"), slip.cash_drops)
    _money_line(b, t.gettext("Expected in drawer"), slip.expected, bold=True)
    _money_line(b, t.gettext("Counted"), slip.counted, bold=True)
    over_short = slip.over_short
    label = t.gettext("Over") if over_short.minor > 0 else \
        t.gettext("Short") if over_short.minor < 0 else t.gettext("Balanced")
    _money_line(b, label, over_short, bold=True)
    b.rule()
    b.kv(t.gettext("Sales"), format_number(slip.sales_count, 0))
    b.kv(t.gettext("Reversals"), format_number(slip.reversals_count, 0))
    b.kv(t.gettext("Reprints"), format_number(slip.reprints_count, 0))
    if slip.supervisor:
        b.kv(t.gettext("Supervisor"), slip.supervisor)
    b.feed()
    b.text(t.gettext("Cashier signature:"))
    b.feed()
    b.text("_" * (b.cols - 2))
    b.text(t.gettext("Supervisor signature:"))
    b.feed()
    b.text("_" * (b.cols - 2))
