"""What the layout needs to know about a printer: paper width in columns and its features."""

from __future__ import annotations

from dataclasses import dataclass

from escpos.capabilities import Profile, get_profile

from common.errors import ConfigError

#: ESC p's `m`: which drawer kick-out connector pin the pulse goes to.
_DRAWER_PINS = {2: 0, 5: 1}


@dataclass(frozen=True)
class DrawerKick:
    """The cash drawer on the printer's kick-out connector: which pin and how long a pulse.

    `command()` is ESC p m t1 t2 (ON `on_ms`, then OFF `off_ms`, in units of 2 ms; at most
    510 ms each). Drawers want 50-200 ms; most are wired to pin 2, a second drawer to pin 5.
    """

    pin: int = 2
    on_ms: int = 100
    off_ms: int = 200

    def __post_init__(self) -> None:
        if self.pin not in _DRAWER_PINS:
            raise ConfigError(f"The cash drawer pin must be 2 or 5, not {self.pin}.",
                              hint="Most drawers use pin 2; a second drawer uses pin 5.")
        for name, ms in (("pulse", self.on_ms), ("pause", self.off_ms)):
            if not 2 <= ms <= 510:
                raise ConfigError(f"The cash drawer {name} must be 2-510 ms, not {ms}.",
                                  hint="50-200 ms opens most drawers.")

    def command(self) -> bytes:
        """The ESC p bytes of one kick."""
        return bytes([0x1B, 0x70, _DRAWER_PINS[self.pin], self.on_ms // 2, self.off_ms // 2])


@dataclass(frozen=True)
class PrinterProfile:
    """Layout settings of one printer.

    `columns` is the number of Font A characters per line: 32 on 58 mm paper, 42 or 48 on
    80 mm (48 at 576 dots / 12-dot font; 42 on 512-dot heads). `escpos_profile` names a
    python-escpos capabilities profile (code pages, cut support, QR). QR codes and barcodes
    are optional because cheap printers often lack them; `native_qr` sends GS ( k instead of
    an image, where the capabilities profile says the printer has it (`qr_is_native`).
    `logo_path` is a small monochrome-friendly image printed at the top.

    `code_page` fixes the character table text is sent in (e.g. "CP858" for French and
    Portuguese); None lets python-escpos pick one per character from the profile's tables.
    `cash_drawer` kicks the drawer after a cash sale's receipt (see `printers.drawer`), but
    only while the customer can still be at the counter: a job queued longer ago than
    `drawer_within_s` (the printer was down) prints without opening it.
    """

    columns: int = 48
    escpos_profile: str = "default"
    qr_code: bool = False
    barcode: bool = False
    native_qr: bool = True
    logo_path: str | None = None
    cut: bool = True
    feed_lines_before_cut: int = 3
    code_page: str | None = None
    cash_drawer: DrawerKick | None = None
    drawer_within_s: float = 120.0

    def __post_init__(self) -> None:
        capabilities = self.capabilities()
        if not 24 <= self.columns <= 64:
            raise ConfigError(
                f"Printer columns must be between 24 and 64, not {self.columns}.",
                hint="Use 32 for 58 mm paper, 42 or 48 for 80 mm paper.",
            )
        if self.code_page is not None:
            pages = {name.upper() for name in capabilities.get_code_pages()}
            if self.code_page.upper() not in pages:
                known = ", ".join(sorted(p for p in pages if p.startswith("CP"))[:12])
                raise ConfigError(
                    f"The printer profile {self.escpos_profile!r} has no code page "
                    f"{self.code_page!r}.",
                    hint=f"Use one it has (e.g. {known}), or leave it empty for automatic.",
                )

    def capabilities(self) -> Profile:
        """The python-escpos capabilities profile (ConfigError when the name is unknown)."""
        try:
            return get_profile(self.escpos_profile)
        except KeyError:
            raise ConfigError(
                f"Unknown python-escpos printer profile {self.escpos_profile!r}.",
                hint="Use 'default' or a model name such as 'TM-T20II', 'TM-T88V', 'POS-5890'.",
            ) from None

    @property
    def qr_is_native(self) -> bool:
        """Send QR codes as GS ( k: asked for, and the printer model has it; else an image."""
        return self.native_qr and bool(self.capabilities().supports("qrCode"))
