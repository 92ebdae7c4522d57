"""Printer discovery, each source with its operating-system boundary faked and everything above
it real: pyusb's own device enumeration over a fake libusb backend, pyserial's port records, a
win32print stand-in answering as pywin32 does, and a fake `lpstat` executable run as a real
process. A source that cannot be asked becomes a note; the others still answer."""

from __future__ import annotations

import functools
import stat
import sys
from array import array
from pathlib import Path
from types import SimpleNamespace as NS
from typing import Any

import pytest
import usb.backend
import usb.core
from serial.tools.list_ports_common import ListPortInfo

from app.settings import Settings
from printers import discovery
from printers.config import config_from_settings
from printers.connections import CupsConfig, SerialConfig, UsbConfig, Win32Config
from printers.discovery import FoundPrinter, SourceUnavailable, discover

EPSON, ZJIANG = (0x04B8, 0x0202), (0x0416, 0x5011)
MOUSE, CLASS7 = (0x046D, 0xC52B), (0x1A86, 0x7584)


def _device(vid_pid: tuple[int, int], *, iman: int = 0, iprod: int = 0) -> NS:
    return NS(bLength=18, bDescriptorType=1, bcdUSB=0x200, bDeviceClass=0, bDeviceSubClass=0,
              bDeviceProtocol=0, bMaxPacketSize0=64, idVendor=vid_pid[0], idProduct=vid_pid[1],
              bcdDevice=0x100, iManufacturer=iman, iProduct=iprod, iSerialNumber=0,
              bNumConfigurations=1, address=1, bus=1, port_number=1, port_numbers=(1,), speed=2)


class FakeLibusb(usb.backend.IBackend):  # type: ignore[misc]
    """libusb as pyusb's backend sees it: devices with descriptors, string descriptors."""

    def __init__(self, devices: list[tuple[NS, list[int]]], strings: dict[int, str]) -> None:
        self.devices = devices  # (device descriptor, interface classes)
        self.strings = strings

    def enumerate_devices(self) -> Any:
        return iter(range(len(self.devices)))

    def get_device_descriptor(self, dev: int) -> NS:
        return self.devices[dev][0]

    def get_configuration_descriptor(self, dev: int, config: int) -> NS:
        return NS(bLength=9, bDescriptorType=2, wTotalLength=32,
                  bNumInterfaces=len(self.devices[dev][1]), bConfigurationValue=1,
                  iConfiguration=0, bmAttributes=0x80, bMaxPower=50, extra_descriptors=[])

    def get_interface_descriptor(self, dev: int, intf: int, alt: int, config: int) -> NS:
        classes = self.devices[dev][1]
        if intf >= len(classes) or alt > 0:
            raise IndexError("no such interface")
        return NS(bLength=9, bDescriptorType=4, bInterfaceNumber=intf, bAlternateSetting=0,
                  bNumEndpoints=0, bInterfaceClass=classes[intf], bInterfaceSubClass=1,
                  bInterfaceProtocol=2, iInterface=0, extra_descriptors=[])

    def open_device(self, dev: int) -> int:
        return dev

    def close_device(self, handle: int) -> None:
        pass

    def ctrl_transfer(self, handle: int, request_type: int, request: int, value: int,
                      index: int, data: array[int], timeout: int) -> int:
        number = value & 0xFF  # GET_DESCRIPTOR(STRING, number)
        if number == 0:
            raw = bytes([4, 3, 0x09, 0x04])  # language ids: en-US
        elif number in self.strings:
            text = self.strings[number].encode("utf-16-le")
            raw = bytes([2 + len(text), 3]) + text
        else:
            raise usb.core.USBError("permission denied")
        data[: len(raw)] = array("B", raw)
        return len(raw)


def test_usb_lists_printer_class_and_receipt_makers_by_vendor_product() -> None:
    backend = FakeLibusb([
        (_device(EPSON, iman=1, iprod=2), [0xFF]),  # vendor-specific class, known maker
        (_device(CLASS7), [7]),                      # printer class, unknown maker
        (_device(MOUSE), [3]),                       # a HID mouse: not a printer
        (_device(ZJIANG, iman=9), [7]),              # strings unreadable (no permission)
    ], {1: "EPSON", 2: "TM-T20III Receipt"})
    found = discovery.usb_printers(functools.partial(usb.core.find, backend=backend))
    assert found == [
        FoundPrinter("usb", "04b8:0202", "USB: EPSON TM-T20III Receipt (04b8:0202)"),
        FoundPrinter("usb", "1a86:7584", "USB: USB printer (1a86:7584)"),
        FoundPrinter("usb", "0416:5011", "USB: Winbond/Zjiang (0416:5011)"),
    ]
    # What the list puts in the settings is a working usb config.
    assert config_from_settings("usb", found[0].address) == UsbConfig(*EPSON)


def test_usb_without_libusb_is_a_note() -> None:
    def no_backend(**_kw: Any) -> list[Any]:
        raise usb.core.NoBackendError("No backend available")

    with pytest.raises(SourceUnavailable, match="USB: cannot list devices"):
        discovery.usb_printers(no_backend)


def test_serial_ports_with_their_description() -> None:
    usb_serial = ListPortInfo("/dev/ttyUSB0")
    usb_serial.description = "CP2102 USB to UART Bridge"
    com3 = ListPortInfo("COM3", skip_link_detection=True)
    com3.description = "n/a"
    found = discovery.serial_ports(lambda: [usb_serial, com3])
    assert found == [
        FoundPrinter("serial", "/dev/ttyUSB0", "Serial: /dev/ttyUSB0 - CP2102 USB to UART Bridge"),
        FoundPrinter("serial", "COM3", "Serial: COM3"),
    ]
    assert config_from_settings("serial", "COM3") == SerialConfig("COM3", 9600)


class FakeWin32Print:
    """win32print's EnumPrinters as pywin32 answers at level 2: a tuple of dicts."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, Any, int]] = []

    def EnumPrinters(self, flags: int, name: Any, level: int) -> tuple[dict[str, Any], ...]:
        self.calls.append((flags, name, level))
        return ({"pPrinterName": "EPSON TM-T20III Receipt", "pDriverName": "EPSON TM-T20III",
                 "pPortName": "USB001"},
                {"pPrinterName": r"\\SHOP-PC\Receipts", "pDriverName": "Generic / Text Only",
                 "pPortName": ""})


def test_windows_printers_local_and_connected() -> None:
    win32print = FakeWin32Print()
    found = discovery.windows_printers(win32print)
    assert win32print.calls == [(2 | 4, None, 2)]  # PRINTER_ENUM_LOCAL | _CONNECTIONS, level 2
    assert found == [
        FoundPrinter("windows", "EPSON TM-T20III Receipt",
                     "Windows: EPSON TM-T20III Receipt (EPSON TM-T20III, USB001)"),
        FoundPrinter("windows", r"\\SHOP-PC\Receipts",
                     r"Windows: \\SHOP-PC\Receipts (Generic / Text Only)"),
    ]
    assert config_from_settings("windows", found[1].address) == Win32Config(r"\\SHOP-PC\Receipts")
    if sys.platform != "win32":
        with pytest.raises(SourceUnavailable, match="not a Windows PC"):
            discovery.windows_printers()


def _lpstat(tmp_path: Path, body: str) -> str:
    script = tmp_path / "lpstat"
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


def test_cups_queues_from_lpstat(tmp_path: Path) -> None:
    lpstat = _lpstat(tmp_path, '[ "$1" = "-v" ] && [ "$LC_ALL" = "C" ] || exit 3\n'
                     'echo "device for receipts: usb://EPSON/TM-T20III?serial=X4E1"\n'
                     'echo "device for office: ipp://192.168.1.9/ipp/print"\n')
    found = discovery.cups_queues(lpstat)
    assert found == [
        FoundPrinter("cups", "receipts", "CUPS: receipts (usb://EPSON/TM-T20III?serial=X4E1)"),
        FoundPrinter("cups", "office", "CUPS: office (ipp://192.168.1.9/ipp/print)"),
    ]
    assert config_from_settings("cups", "receipts") == CupsConfig("receipts")
    empty = _lpstat(tmp_path, 'echo "lpstat: No destinations added." >&2; exit 1\n')
    assert discovery.cups_queues(empty) == []
    with pytest.raises(SourceUnavailable, match="lpstat is not installed"):
        discovery.cups_queues(str(tmp_path / "missing-lpstat"))


def test_discover_keeps_going_when_a_source_fails() -> None:
    def broken() -> list[FoundPrinter]:
        raise RuntimeError("library bug")

    def unavailable() -> list[FoundPrinter]:
        raise SourceUnavailable("CUPS: lpstat is not installed")

    serial = FoundPrinter("serial", "COM3", "Serial: COM3")
    result = discover([broken, unavailable, lambda: [serial]])
    assert result.printers == (serial,)
    assert result.notes[0].startswith("broken failed (library bug)")
    assert result.notes[1] == "CUPS: lpstat is not installed"


def test_every_found_connection_is_a_setting_choice() -> None:
    # The dialog puts a found printer's connection into printer.connection as it is.
    for connection in ("usb", "serial", "windows", "cups"):
        Settings().set("printer.connection", connection)
