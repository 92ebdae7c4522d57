"""The receipt builder: column and wrapping primitives, and the parts receipts share.

`ReceiptBuilder` appends printer-neutral blocks (`printers.blocks`) for one paper width. Every
string from the model passes through `printers.text.clean` here, in one place
(`ReceiptBuilder.clean`), before it can reach a renderer. Long values wrap onto further lines;
nothing is truncated. Tokens are printed double size in groups of four; when 24 double-width
characters do not fit (58 mm, 42-column 80 mm) the token goes on two lines, three groups then
two. The sections of each receipt variant are in `printers.layout`.

Every label is written through the builder's translator (`t`, a `common.i18n.Translator` for
the slip's language); what the model holds (names, addresses, meter and token digits, receipt
numbers, amounts) is printed as it is.
"""

from __future__ import annotations

from datetime import datetime

from common.format import format_time, format_units
from common.i18n import Translator
from printers import model
from printers.blocks import Align, Barcode, Block, Feed, Line, Logo, QrCode, Rule
from printers.profile import PrinterProfile
from printers.text import clean as clean_text
from printers.text import width, wrap


class ReceiptBuilder:
    """Collects the blocks of one receipt for `profile`'s paper width, its labels in `t`'s
    language; `mask_tokens` prints tokens masked (previews, logs)."""

    def __init__(self, profile: PrinterProfile, mask_tokens: bool, t: Translator) -> None:
        self.profile = profile
        self.cols = profile.columns
        self.mask = mask_tokens
        self.t = t
        self.blocks: list[Block] = []

    def default_text(self, text: str, default: str) -> str:
        """`text` in the slip's language when it is the model's English `default`; a text
        the server or the core supplied is printed as it is."""
        return self.t.gettext(default) if text == default else text

    def core_words(self, text: str) -> str:
        """Words the core put in the model in English (a report's section titles and labels)
        in the slip's language; a name without a translation stays as it is."""
        return self.t.gettext(text) if text else text

    def token_label(self, token: model.TokenLine, key_change: tuple[int, int] | None = None,
                    unit: str = "kWh") -> str:
        """What the token is, in the slip's language: the server's or core's label when it
        gave one, else the receipt's own words (`key_change`: its place among the key change
        tokens and their count, so four sections read 1 of 4 ... 4 of 4; a water meter's
        credit is not called electricity)."""
        t = self.t
        if token.label != token.kind.default_label:
            return token.label
        if token.kind.is_key_change and key_change is not None:
            return t.gettext("Key change {n} of {count}").format(
                n=key_change[0], count=key_change[1])
        if token.kind is model.TokenKind.CREDIT and unit != "kWh":
            return t.gettext("Credit")
        if token.kind is model.TokenKind.FREE_BASIC and unit != "kWh":
            return t.gettext("Free basic units")
        return t.gettext(token.kind.default_label)

    @staticmethod
    def clean(text: str) -> str:
        return clean_text(text)

    # --- primitives ---------------------------------------------------------------------

    def text(
        self, text: str, *, align: Align = Align.LEFT, bold: bool = False, double: bool = False,
        invert: bool = False,
    ) -> None:
        cells = self.cols // 2 if double else self.cols
        for part in wrap(self.clean(text), cells):
            self.blocks.append(Line(part, align, bold, double, invert))

    def title(self, text: str, *, double: bool = False, invert: bool = False) -> None:
        self.text(text, align=Align.CENTER, bold=True, double=double, invert=invert)

    def kv(self, label: str, value: str, *, bold: bool = False) -> Align:
        """'Label ........ value' on one line when it fits (returns RIGHT); otherwise the label
        on its own line and the value wrapped below it, indented (returns LEFT). Further
        lines that belong to the value (an address) follow the returned alignment."""
        label, value = self.clean(label), self.clean(value)
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
        for part in wrap(self.clean(text), self.cols - 2):
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
        return format_time(at)

    # --- shared parts -------------------------------------------------------------------

    def logo(self) -> None:
        if self.profile.logo_path:
            self.blocks.append(Logo(self.profile.logo_path))

    def utility_header(self, utility: model.Party) -> None:
        self.logo()
        self.title(utility.name)
        for line in utility.address:
            self.text(line, align=Align.CENTER)
        t = self.t
        if utility.phone:
            self.text(t.gettext("Tel {phone}").format(phone=utility.phone), align=Align.CENTER)
        if utility.tax_id:
            self.text(t.gettext("VAT No {number}").format(number=utility.tax_id),
                      align=Align.CENTER)
        self.rule()

    def pos_lines(self, pos: model.PointOfSale, *, number_label: str, number: str,
                  at: datetime) -> None:
        t = self.t
        align = self.kv(t.gettext("Vendor"), pos.vendor.name)
        for line in pos.vendor.address:
            self.continuation(line, align)
        if pos.vendor.tax_id:
            self.kv(t.gettext("Vendor VAT No"), pos.vendor.tax_id)
        self.kv(t.gettext("Vendor ID"), pos.vendor_id)
        self.kv(t.gettext("Terminal"), pos.terminal_id)
        self.kv(t.gettext("Operator"), pos.operator)
        self.kv(number_label, number)
        self.kv(t.gettext("Date"), self.when(at))

    def customer_lines(self, customer: model.Party | None, meter: model.MeterInfo) -> None:
        t = self.t
        if customer is not None:
            align = self.kv(t.gettext("Customer"), customer.name)
            for line in customer.address:
                self.continuation(line, align)
        if meter.account:
            self.kv(t.gettext("Account"), meter.account)
        self.kv(t.gettext("Meter"), meter.number, bold=True)
        tariff = meter.tariff_name
        if meter.tariff_index:
            # TI: the STS tariff index.
            tariff = t.gettext("{tariff} (TI {index})").format(
                tariff=tariff, index=meter.tariff_index).strip()
        self.kv(t.gettext("Tariff"), tariff)
        if meter.tariff_version:
            self.kv(t.gettext("Tariff version"), meter.tariff_version)
        if meter.sgc or meter.krn:
            # SGC: supply group code; KRN: key revision number (STS terms).
            self.kv(t.gettext("SGC / KRN"), f"{meter.sgc or '-'} / {meter.krn or '-'}")

    def token_digits(self, token: model.TokenLine) -> str:
        return token.masked() if self.mask else token.grouped()

    def tokens(self, tokens: tuple[model.TokenLine, ...], unit: str, *, void: bool = False) -> None:
        t = self.t
        count = len(tokens)
        if void:
            self.title(t.gettext("TOKENS CANCELLED"))
        elif count > 1:
            self.title(t.ngettext("ENTER THIS {n} TOKEN IN THIS ORDER",
                                  "ENTER THESE {n} TOKENS IN THIS ORDER", count).format(n=count))
        else:
            self.title(t.gettext("YOUR TOKEN"))
        credit = (model.TokenKind.CREDIT, model.TokenKind.FREE_BASIC)
        if (not void and any(t.kind.is_key_change for t in tokens)
                and any(t.kind in credit for t in tokens)):
            # Customers who type only the credit token get it rejected: say why, in words.
            self.text(t.gettext("Enter the key change tokens first: the meter refuses the "
                                "credit token until they are in."), align=Align.CENTER)
        key_changes = sum(1 for token in tokens if token.kind.is_key_change)
        nth_key_change = 0
        for n, token in enumerate(tokens, start=1):
            place = None
            if token.kind.is_key_change:
                nth_key_change += 1
                place = (nth_key_change, key_changes)
            label = self.token_label(token, place, unit)
            if count > 1:
                label = f"{n}. {label}"
            if token.units_tenths is not None:
                self.kv(label, format_units(token.units_tenths, unit), bold=True)
            else:
                self.text(label, bold=True)
            if void:
                # A voided token is only identified, never printed whole.
                self.text(t.gettext("{token} VOID").format(token=token.masked()),
                          align=Align.CENTER)
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
        meter_no = self.clean(meter_no)
        if self.profile.qr_code:
            data = f"METER:{meter_no}"
            if tokens:
                data += ";TOKENS:" + ",".join(t.digits for t in tokens)
            n = len(tokens)
            caption = self.t.ngettext("[QR: meter {meter}, {n} token]",
                                      "[QR: meter {meter}, {n} tokens]", n) if tokens else \
                self.t.gettext("[QR: meter {meter}]")
            self.blocks.append(QrCode(data, caption.format(meter=meter_no, n=n)))
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
        t = self.t
        if footer:
            self.rule("=")
        self.title(t.gettext("REPRINT"), double=True)
        self.text(t.gettext("Reprint no. {number}").format(number=reprint.reprint_no),
                  align=Align.CENTER, bold=True)
        if not footer:
            self.text(t.gettext("Reprinted {time}").format(time=self.when(reprint.reprinted_at)),
                      align=Align.CENTER)
            if reprint.operator:
                self.text(t.gettext("by {operator}").format(operator=reprint.operator),
                          align=Align.CENTER)
            self.rule("=")
