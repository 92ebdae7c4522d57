"""Renderers: a receipt as ESC/POS bytes (for the printer) or as plain text (for previews,
golden tests and logs, with tokens masked).

`render_escpos` builds the whole job with python-escpos's `Dummy` printer: initialise (ESC @)
first, then every line, then feed and cut (and the cash drawer kick when asked), so the caller
sends it in ONE write. Text is sent in the profile's fixed code page (`PrinterProfile.code_page`,
selected once with ESC t; a character the page lacks prints without its accent, else as "?"),
or, without one, through python-escpos's magic encoding, which picks a code page the printer
profile has per character (and prints "?" for what no code page holds).
"""

from __future__ import annotations

import codecs
import contextlib
import io
import logging
import unicodedata
from collections.abc import Callable, Iterable

from escpos.printer import Dummy
from PIL import Image

from common.i18n import Translator
from printers import model
from printers.layout import (
    Align,
    Barcode,
    Block,
    Feed,
    Line,
    Logo,
    QrCode,
    Rule,
    layout,
    receipt_translator,
)
from printers.profile import PrinterProfile
from printers.text import width

log = logging.getLogger("vendpoint.printers")

_QR_SIZE_BY_COLUMNS = ((48, 6), (42, 5), (0, 4))


def render_text(
    receipt: model.Receipt, profile: PrinterProfile | int, *, mask_tokens: bool = False,
    language: str | Translator | None = None,
) -> str:
    """The receipt as fixed-width text, one printed line per text line, in `language`
    (default: the receipt's own, see `printers.layout.receipt_translator`).

    Double-size lines are shown at normal size (they are centred within the paper width);
    QR codes, barcodes and the logo appear as bracketed captions without any token.
    """
    if isinstance(profile, int):
        profile = PrinterProfile(columns=profile)
    cols = profile.columns
    t = receipt_translator(receipt, language)
    out: list[str] = []
    for block in layout(receipt, profile, mask_tokens=mask_tokens, language=t):
        if isinstance(block, Line):
            out.append(_align(block.text, block.align, cols))
        elif isinstance(block, Rule):
            out.append(block.char * cols)
        elif isinstance(block, Feed):
            out.extend([""] * block.lines)
        elif isinstance(block, QrCode):
            out.append(_align(block.caption, Align.CENTER, cols))
        elif isinstance(block, Barcode):
            caption = t.gettext("[BARCODE: {data}]").format(data=block.data)
            out.append(_align(caption, Align.CENTER, cols))
        else:
            out.append(_align(t.gettext("[LOGO]"), Align.CENTER, cols))
    return "\n".join(line.rstrip() for line in out) + "\n"


def _align(text: str, align: Align, cols: int) -> str:
    free = max(cols - width(text), 0)
    if align is Align.CENTER:
        return " " * (free // 2) + text
    if align is Align.RIGHT:
        return " " * free + text
    return text


def render_escpos(receipt: model.Receipt, profile: PrinterProfile, *,
                  open_drawer: bool = False, language: str | Translator | None = None) -> bytes:
    """The complete print job for `receipt`: ESC @, the receipt, feed and cut; then the cash
    drawer kick when `open_drawer` and the profile has a drawer (`printers.drawer` decides).
    The words are in `language` (default: the receipt's own, see `printers.layout`)."""
    return render_blocks(layout(receipt, profile, language=language), profile,
                         open_drawer=open_drawer)


def render_blocks(blocks: Iterable[Block], profile: PrinterProfile, *,
                  open_drawer: bool = False) -> bytes:
    """Laid-out blocks as one ESC/POS job (what `render_escpos` sends; the test page too)."""
    printer = Dummy(profile=profile.escpos_profile)
    printer.hw("INIT")
    if profile.code_page is not None:
        printer.charcode(profile.code_page)
    fold = _folder(profile.code_page)
    for block in blocks:
        _emit(printer, block, profile, fold)
    printer.set(align="left", bold=False, normal_textsize=True, invert=False)
    if profile.cut:
        printer.ln(profile.feed_lines_before_cut)
        printer.cut()
    else:
        printer.ln(profile.feed_lines_before_cut + 3)
    if open_drawer and profile.cash_drawer is not None:
        # After the cut: the drawer opens as the receipt comes off, never mid-print.
        printer.cashdraw(list(profile.cash_drawer.command()))
    return bytes(printer.output)


def fold_to_code_page(text: str, code_page: str) -> str:
    """`text` with each character the code page lacks replaced by its unaccented letter
    ("ő" -> "o", "ł" stays and prints "?"); characters the page has are kept as they are."""
    return _folder(code_page)(text)


def _folder(code_page: str | None) -> Callable[[str], str]:
    if code_page is None:
        return _same
    try:
        codec = codecs.lookup(code_page.lower()).name
    except LookupError:  # no Python codec: python-escpos's own table decides
        return _same

    def fold(text: str) -> str:
        out = []
        for char in text:
            try:
                char.encode(codec)
            except UnicodeEncodeError:
                base = "".join(c for c in unicodedata.normalize("NFKD", char)
                               if not unicodedata.combining(c))
                char = base or char
            out.append(char)
        return "".join(out)

    return fold


def _same(text: str) -> str:
    return text


def _emit(printer: Dummy, block: Block, profile: PrinterProfile,
          fold: Callable[[str], str]) -> None:
    if isinstance(block, Line):
        printer.set(
            align=block.align.value,
            bold=block.bold,
            invert=block.invert,
            normal_textsize=not block.double,
            double_width=block.double,
            double_height=block.double,
        )
        printer.text(fold(block.text) + "\n")
    elif isinstance(block, Rule):
        printer.set(align="left", bold=False, normal_textsize=True, invert=False)
        printer.text(block.char * profile.columns + "\n")
    elif isinstance(block, Feed):
        printer.ln(block.lines)
    elif isinstance(block, QrCode):
        size = next(s for cols, s in _QR_SIZE_BY_COLUMNS if profile.columns >= cols)
        printer.set(align="center", normal_textsize=True)
        printer.ln()
        # Printers without GS ( k (per their capabilities profile) get the QR as an image.
        printer.qr(block.data, size=size, native=profile.qr_is_native)
        printer.ln()
        printer.set(align="left")
    elif isinstance(block, Barcode):
        printer.set(align="center", normal_textsize=True)
        with contextlib.redirect_stdout(io.StringIO()):  # it announces its renderer on stdout
            printer.barcode("{B" + block.data, "CODE128", height=60, width=2, pos="BELOW",
                            function_type="B", align_ct=False)
        printer.set(align="left")
    else:
        _logo(printer, block, profile)


def _logo(printer: Dummy, block: Logo, profile: PrinterProfile) -> None:
    # 12 dots per Font A column: never wider than the paper, and centred by ESC a.
    max_dots = profile.columns * 12
    try:
        with Image.open(block.path) as source:
            image = source.convert("RGB")
    except (OSError, ValueError):
        # A missing or broken logo must not stop a receipt from printing.
        log.warning("receipt logo %s cannot be read; printing without it", block.path)
        return
    if image.width > max_dots:
        image = image.resize((max_dots, max(1, image.height * max_dots // image.width)))
    printer.set(align="center")
    # python-escpos prints a notice to stdout when the profile has no media width; keep stdout
    # clean (the app may speak a protocol on it).
    with contextlib.redirect_stdout(io.StringIO()):
        printer.image(image)
    printer.set(align="left")
