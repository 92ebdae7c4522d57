"""Thermal receipts: the receipt model, its layout, ESC/POS and plain-text renderers, printer
connections and a durable print queue.

Qt-free. The client core maps its sale records to `printers.model` dataclasses, enqueues them on
a `printers.queue.PrintQueue`, and listens to `printer.status` / `print.job_*` events on the
core's `common.events.EventBus`. See docs/printing.md.
"""

from __future__ import annotations

from printers.model import (
    Money,
    Receipt,
    SaleReceiptData,
    TokenKind,
    TokenLine,
)
from printers.profile import PrinterProfile
from printers.render import render_escpos, render_text

__all__ = [
    "Money",
    "PrinterProfile",
    "Receipt",
    "SaleReceiptData",
    "TokenKind",
    "TokenLine",
    "render_escpos",
    "render_text",
]
