"""USB and serial printers through python-escpos's own device classes (`Usb` needs pyusb,
`Serial` needs pyserial; both optional). On Linux a USB printer is also a device file
(/dev/usb/lp0), which `printers.transport_file` writes with nothing extra."""

from __future__ import annotations

from typing import Any

from common.errors import ConfigError
from printers.connection_configs import SerialConfig, UsbConfig
from printers.escpos_status import (
    DLE_EOT_PAPER,
    DLE_EOT_PRINTER,
    interpret_status,
    parse_status_byte,
)
from printers.transport import PrintError, PrinterState, PrinterStatus


class EscposDeviceConnection:
    """USB or serial through python-escpos's own device classes (optional dependencies)."""

    def __init__(self, config: UsbConfig | SerialConfig) -> None:
        self.config = config
        self._device: Any = None

    @property
    def description(self) -> str:
        if isinstance(self.config, UsbConfig):
            return f"usb:{self.config.vendor_id:04x}:{self.config.product_id:04x}"
        return f"serial:{self.config.device}"

    def _open(self) -> Any:
        if self._device is not None:
            return self._device
        from escpos.printer import Serial, Usb

        cls: Any = Usb if isinstance(self.config, UsbConfig) else Serial
        # Check first: python-escpos's device objects raise from __del__ without their library.
        if not cls.is_usable():
            raise ConfigError(
                f"{self.description} needs an optional library that is not installed.",
                hint="Install pyusb (USB) or pyserial (serial), or use a device file.",
            )
        try:
            if isinstance(self.config, UsbConfig):
                kwargs: dict[str, Any] = {"timeout": self.config.timeout_ms}
                if self.config.in_ep is not None:
                    kwargs["in_ep"] = self.config.in_ep
                if self.config.out_ep is not None:
                    kwargs["out_ep"] = self.config.out_ep
                device = cls(self.config.vendor_id, self.config.product_id, **kwargs)
            else:
                device = cls(
                    devfile=self.config.device,
                    baudrate=self.config.baudrate,
                    bytesize=self.config.bytesize,
                    parity=self.config.parity,
                    stopbits=self.config.stopbits,
                    timeout=self.config.timeout_s,
                    dsrdtr=self.config.dsrdtr,
                )
            device.open(raise_not_found=True)
        except Exception as exc:  # python-escpos raises several unrelated types here
            raise PrintError(f"Cannot open the printer at {self.description}.") from exc
        self._device = device
        return device

    def status(self) -> PrinterStatus:
        try:
            device = self._open()
            printer = parse_status_byte(bytes(device.query_status(DLE_EOT_PRINTER))[:1])
            paper = parse_status_byte(bytes(device.query_status(DLE_EOT_PAPER))[:1])
        except Exception as exc:  # no read-back on this device: say so, never "online"
            detail = f"status not available ({type(exc).__name__})"
            return PrinterStatus(PrinterState.UNKNOWN, detail)
        return interpret_status(printer, paper)

    def send(self, data: bytes) -> None:
        device = self._open()
        try:
            device._raw(data)
        except Exception as exc:
            self.close()
            raise PrintError(f"Sending to {self.description} failed.") from exc

    def close(self) -> None:
        if self._device is not None:
            try:
                self._device.close()
            finally:
                self._device = None
