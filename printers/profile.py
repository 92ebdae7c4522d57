"""What the layout needs to know about a printer: paper width in columns and its features."""

from __future__ import annotations

from dataclasses import dataclass

from escpos.capabilities import get_profile

from common.errors import ConfigError


@dataclass(frozen=True)
class PrinterProfile:
    """Layout settings of one printer.

    `columns` is the number of Font A characters per line: 32 on 58 mm paper, 42 or 48 on
    80 mm (48 at 576 dots / 12-dot font; 42 on 512-dot heads). `escpos_profile` names a
    python-escpos capabilities profile (code pages, cut support). QR codes and barcodes are
    optional because cheap printers often lack them; `native_qr` sends GS ( k instead of an
    image. `logo_path` is a small monochrome-friendly image printed at the top.
    """

    columns: int = 48
    escpos_profile: str = "default"
    qr_code: bool = False
    barcode: bool = False
    native_qr: bool = True
    logo_path: str | None = None
    cut: bool = True
    feed_lines_before_cut: int = 3

    def __post_init__(self) -> None:
        try:
            get_profile(self.escpos_profile)
        except KeyError:
            raise ConfigError(
                f"Unknown python-escpos printer profile {self.escpos_profile!r}.",
                hint="Use 'default' or a model name such as 'TM-T20II', 'TM-T88V', 'POS-5890'.",
            ) from None
        if not 24 <= self.columns <= 64:
            raise ConfigError(
                f"Printer columns must be between 24 and 64, not {self.columns}.",
                hint="Use 32 for 58 mm paper, 42 or 48 for 80 mm paper.",
            )

