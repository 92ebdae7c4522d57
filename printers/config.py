"""Build a connection config and a printer profile from the app's printer settings.

`printer.connection` (none, network, usb, serial, file, cups, windows) and `printer.address`
(its meaning depends on the connection) become one of the typed configs of
`printers.connections`. A bad address is a `ConfigError` that names the setting and shows
the expected form. `profile_from_settings` reads the paper width, python-escpos profile, code
page, QR, logo and cash drawer settings into a `PrinterProfile`.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

from common.errors import ConfigError
from printers.connections import (
    ConnectionConfig,
    CupsConfig,
    FileConfig,
    NetworkConfig,
    SerialConfig,
    UsbConfig,
    Win32Config,
)
from printers.profile import DrawerKick, PrinterProfile

FORMS = {
    "network": "host or host:port, e.g. 192.168.1.50:9100 or [fe80::1]:9100",
    "usb": "vendor:product in hex, e.g. 04b8:0202",
    "serial": "device or device@baud, e.g. /dev/ttyUSB0@19200 or COM3",
    "file": "a device or file path, e.g. /dev/usb/lp0",
    "cups": "a CUPS queue name, e.g. receipts",
    "windows": "a Windows printer name, e.g. EPSON TM-T20III Receipt",
}

_HOST_PORT = re.compile(
    r"^(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<host>[^:\s\[\]]+))(?::(?P<port>\d+))?$"
)
_USB = re.compile(r"^(?:0x)?(?P<vid>[0-9A-Fa-f]{1,4}):(?:0x)?(?P<pid>[0-9A-Fa-f]{1,4})$")
_SERIAL = re.compile(r"^(?P<dev>[^@\s]+)(?:@(?P<baud>\d+))?$")


def config_from_settings(connection: str, address: str) -> ConnectionConfig | None:
    """The config for the settings, or None when no printer is configured."""
    connection = connection.strip().lower()
    address = address.strip()
    if connection in ("", "none"):
        return None
    if connection not in FORMS:
        raise ConfigError(
            f"printer.connection: unknown value {connection!r}.",
            hint="Use one of: none, " + ", ".join(FORMS) + ".",
        )
    if not address:
        raise _bad(connection, address, "it is empty")
    if connection == "network":
        m = _HOST_PORT.match(address)
        if m is None:
            raise _bad(connection, address, "it is not host:port")
        port = int(m["port"] or 9100)
        if not 1 <= port <= 65535:
            raise _bad(connection, address, "the port must be 1-65535")
        return NetworkConfig(m["v6"] or m["host"], port)
    if connection == "usb":
        m = _USB.match(address)
        if m is None:
            raise _bad(connection, address, "it is not vendor:product in hex")
        return UsbConfig(int(m["vid"], 16), int(m["pid"], 16))
    if connection == "serial":
        m = _SERIAL.match(address)
        if m is None:
            raise _bad(connection, address, "it is not device or device@baud")
        baud = int(m["baud"] or 9600)
        if not 50 <= baud <= 4_000_000:  # 0 or absurd rates can never talk to a printer
            raise _bad(connection, address, "the baud rate must be from 50 to 4000000")
        return SerialConfig(m["dev"], baud)
    if connection == "file":
        return FileConfig(address)
    if connection == "cups":
        return CupsConfig(address)
    return Win32Config(address)


def _bad(connection: str, address: str, why: str) -> ConfigError:
    return ConfigError(
        f"printer.address {address!r} does not work for a {connection} printer: {why}.",
        hint=f"Expected {FORMS[connection]}.",
    )


class SettingsLike(Protocol):
    """What `profile_from_settings` reads: values by setting key (`app.settings.Settings`)."""

    def __getitem__(self, key: str) -> Any: ...


_DRAWER_PIN = {"pin2": 2, "pin5": 5}


def profile_from_settings(settings: SettingsLike) -> PrinterProfile:
    """The printer profile the `printer.*` settings describe (ConfigError when it cannot work:
    an unknown python-escpos profile, a code page that profile lacks)."""
    drawer = _DRAWER_PIN.get(str(settings["printer.cash_drawer"]))
    return PrinterProfile(
        columns=int(settings["printer.columns"]),
        escpos_profile=str(settings["printer.profile"]) or "default",
        code_page=str(settings["printer.code_page"]).strip().upper() or None,
        qr_code=bool(settings["printer.qr_code"]),
        logo_path=str(settings["printer.logo"]).strip() or None,
        cash_drawer=None if drawer is None else DrawerKick(
            pin=drawer, on_ms=int(settings["printer.drawer_pulse_ms"])),
    )
