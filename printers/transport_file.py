"""The device-file transport: a device (/dev/usb/lp0, a configured /dev/ttyS0, LPT1) or a
spool file, written in one write; no status read-back."""

from __future__ import annotations

from printers.connection_configs import FileConfig
from printers.transport import PrintError, PrinterState, PrinterStatus


class FileConnection:
    """Writes the job to a device or spool file; status cannot be read back."""

    def __init__(self, config: FileConfig) -> None:
        self.config = config

    @property
    def description(self) -> str:
        return f"file:{self.config.path}"

    def status(self) -> PrinterStatus:
        return PrinterStatus(PrinterState.UNKNOWN, "a device file does not report status")

    def send(self, data: bytes) -> None:
        try:
            with open(self.config.path, "ab", buffering=0) as device:
                device.write(data)
        except OSError as exc:
            raise PrintError(f"Cannot write to {self.config.path}: {exc.strerror}.") from exc
