"""The app's printer.connection / printer.address settings become typed connection configs."""

from __future__ import annotations

import pytest

from common.errors import ConfigError
from printers.config import config_from_settings
from printers.connections import (
    CupsConfig,
    FileConfig,
    NetworkConfig,
    SerialConfig,
    UsbConfig,
    Win32Config,
)


@pytest.mark.parametrize(
    ("connection", "address", "expected"),
    [
        ("none", "", None),
        ("network", "192.168.1.50", NetworkConfig("192.168.1.50", 9100)),
        ("network", "printer.local:9101", NetworkConfig("printer.local", 9101)),
        ("network", "[fe80::1]:9100", NetworkConfig("fe80::1", 9100)),
        ("usb", "04b8:0202", UsbConfig(0x04B8, 0x0202)),
        ("usb", "0x0416:0x5011", UsbConfig(0x0416, 0x5011)),
        ("serial", "/dev/ttyUSB0@19200", SerialConfig("/dev/ttyUSB0", 19200)),
        ("serial", "COM3", SerialConfig("COM3", 9600)),
        ("file", "/dev/usb/lp0", FileConfig("/dev/usb/lp0")),
        ("cups", "receipts", CupsConfig("receipts")),
        ("windows", "EPSON TM-T20III Receipt", Win32Config("EPSON TM-T20III Receipt")),
    ],
)
def test_settings_map_to_configs(connection: str, address: str, expected: object) -> None:
    assert config_from_settings(connection, address) == expected


@pytest.mark.parametrize(
    ("connection", "address", "match"),
    [
        ("network", "", "empty"),
        ("network", "host:99999", "1-65535"),
        ("network", "a b:1", "host:port"),
        ("usb", "epson", "vendor:product"),
        ("bluetooth", "x", "unknown value"),
    ],
)
def test_bad_settings_say_what_is_expected(connection: str, address: str, match: str) -> None:
    with pytest.raises(ConfigError, match=match) as info:
        config_from_settings(connection, address)
    assert info.value.hint


def test_profile_from_the_printer_settings() -> None:
    from app.settings import Settings
    from printers.config import profile_from_settings
    from printers.profile import DrawerKick, PrinterProfile

    assert profile_from_settings(Settings()) == PrinterProfile()
    settings = Settings({"printer.columns": 32, "printer.profile": "POS-5890",
                         "printer.code_page": "cp860", "printer.qr_code": True,
                         "printer.logo": "logo.png", "printer.cash_drawer": "pin5",
                         "printer.drawer_pulse_ms": 150})
    profile = profile_from_settings(settings)
    assert profile == PrinterProfile(columns=32, escpos_profile="POS-5890", code_page="CP860",
                                     qr_code=True, logo_path="logo.png",
                                     cash_drawer=DrawerKick(pin=5, on_ms=150))
    with pytest.raises(ConfigError, match="no code page 'CP1252'"):
        profile_from_settings(Settings({"printer.profile": "simple",
                                        "printer.code_page": "CP1252"}))
