"""Printer connections: how the bytes of one print job reach the printer, and its status.

A connection is chosen by a typed config (one dataclass per kind) through `open_connection`:
- `NetworkConfig`  raw TCP (port 9100, "JetDirect"); can read status back;
- `UsbConfig`      python-escpos `Usb` (needs pyusb); on Linux a USB printer is also a device
                   file (/dev/usb/lp0), which needs nothing extra;
- `SerialConfig`   python-escpos `Serial` (needs pyserial);
- `FileConfig`     a device file or any file (/dev/usb/lp0, /dev/ttyS0, a spool file);
- `CupsConfig`     `lp -d NAME -o raw` where CUPS is installed;
- `Win32Config`    a Windows printer queue in RAW mode through win32print (pywin32).

Each job is sent in ONE write. Timeouts are seconds, not python-escpos's 60 s default, so a
dead printer never holds the print worker for long. Status is only what the printer said:
no reply, a garbled reply or a timeout is `PrinterState.UNKNOWN`, never "online".

This module is the entry point: `open_connection`, and every public name of the pieces it
joins, importable from here. The pieces: `printers.transport` (the `PrinterConnection`
protocol, `PrinterStatus`, `PrintError`), `printers.connection_configs` (the configs),
`printers.escpos_status` (status requests and replies) and one module per transport,
`printers.transport_tcp`, `transport_escpos` (USB, serial), `transport_file` and
`transport_spooler` (CUPS, Windows).
"""

from __future__ import annotations

import logging

from printers.connection_configs import (
    ConnectionConfig,
    CupsConfig,
    FileConfig,
    NetworkConfig,
    SerialConfig,
    UsbConfig,
    Win32Config,
)
from printers.escpos_status import (
    DLE_EOT_OFFLINE_CAUSE,
    DLE_EOT_PAPER,
    DLE_EOT_PRINTER,
    GS_R_PAPER,
    gs_r_as_dle_eot,
    interpret_status,
    parse_status_byte,
)
from printers.transport import PrinterConnection, PrintError, PrinterState, PrinterStatus
from printers.transport_escpos import EscposDeviceConnection
from printers.transport_file import FileConnection
from printers.transport_spooler import CupsConnection, Win32Connection
from printers.transport_tcp import NetworkConnection

__all__ = [
    "DLE_EOT_OFFLINE_CAUSE",
    "DLE_EOT_PAPER",
    "DLE_EOT_PRINTER",
    "GS_R_PAPER",
    "ConnectionConfig",
    "CupsConfig",
    "CupsConnection",
    "EscposDeviceConnection",
    "FileConfig",
    "FileConnection",
    "NetworkConfig",
    "NetworkConnection",
    "PrintError",
    "PrinterConnection",
    "PrinterState",
    "PrinterStatus",
    "SerialConfig",
    "UsbConfig",
    "Win32Config",
    "Win32Connection",
    "gs_r_as_dle_eot",
    "interpret_status",
    "open_connection",
    "parse_status_byte",
]

log = logging.getLogger("vendpoint.printers")


def open_connection(config: ConnectionConfig) -> PrinterConnection:
    """The connection for `config`; raises `ConfigError` when it cannot work on this machine."""
    if isinstance(config, NetworkConfig):
        return NetworkConnection(config)
    if isinstance(config, FileConfig):
        return FileConnection(config)
    if isinstance(config, CupsConfig):
        return CupsConnection(config)
    if isinstance(config, UsbConfig | SerialConfig):
        return EscposDeviceConnection(config)
    return Win32Connection(config)
