"""The typed printer connection configs, one frozen dataclass per transport, and their union
`ConnectionConfig`; `printers.connections.open_connection` turns one into a connection."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NetworkConfig:
    """A network printer on raw TCP (usually port 9100)."""

    host: str
    port: int = 9100
    timeout_s: float = 5.0
    status_timeout_s: float = 1.0
    query_status: bool = True


@dataclass(frozen=True)
class UsbConfig:
    """A USB printer by vendor/product id (python-escpos `Usb`, needs pyusb and libusb)."""

    vendor_id: int
    product_id: int
    timeout_ms: int = 3000
    in_ep: int | None = None
    out_ep: int | None = None


@dataclass(frozen=True)
class SerialConfig:
    """A serial printer (python-escpos `Serial`, needs pyserial)."""

    device: str
    baudrate: int = 9600
    bytesize: int = 8
    parity: str = "N"
    stopbits: int = 1
    timeout_s: float = 2.0
    dsrdtr: bool = True


@dataclass(frozen=True)
class FileConfig:
    """A device file (/dev/usb/lp0, /dev/ttyS0 already configured, LPT1) or a spool file."""

    path: str


@dataclass(frozen=True)
class CupsConfig:
    """A CUPS queue; the job goes through `lp -o raw` so CUPS does not filter it."""

    printer: str
    timeout_s: float = 10.0
    lp_command: str = "lp"


@dataclass(frozen=True)
class Win32Config:
    """A Windows printer queue, written in RAW mode (needs pywin32)."""

    printer: str


ConnectionConfig = (
    NetworkConfig | UsbConfig | SerialConfig | FileConfig | CupsConfig | Win32Config
)
