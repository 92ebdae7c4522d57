"""Find the printers this PC can reach, for the settings dialog's printer list.

Four sources, each asked on its own so one that fails (no libusb, no CUPS, not Windows) only
adds a note: USB devices by vendor:product (pyusb; printer-class interfaces and the receipt
printer makers' vendor ids), serial ports (pyserial), Windows printer queues (win32print, from
pywin32) and CUPS queues (`lpstat`). Each result is a `printer.connection` and
`printer.address` pair the settings accept as they are, with a label for the list.

Every source takes its operating-system boundary as an argument (the pyusb `find`, the
pyserial `comports`, the win32print module, the `lpstat` command), so the tests run each code
path on any machine. Discovery blocks (USB and the spooler can take a second): run it off the
GUI thread.
"""

from __future__ import annotations

import importlib
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger("vendpoint.printers.discovery")

#: USB vendor ids of receipt printer makers whose printers often report a vendor-specific
#: interface class instead of the printer class (7).
RECEIPT_PRINTER_VENDORS = {
    0x04B8: "Epson", 0x0519: "Star Micronics", 0x1504: "Bixolon", 0x1D90: "Citizen",
    0x2730: "Citizen", 0x0DD4: "Custom", 0x0FE6: "ICS/Xprinter", 0x0416: "Winbond/Zjiang",
    0x28E9: "GD32/Xprinter", 0x1FC9: "NXP/Rongta", 0x154F: "SNBC", 0x0483: "STM/POS-58",
    0x20D1: "Rongta", 0x6868: "Gainscha", 0x0525: "Netchip/Gprinter",
}
USB_PRINTER_CLASS = 7
_PRINTER_ENUM_LOCAL = 2
_PRINTER_ENUM_CONNECTIONS = 4


@dataclass(frozen=True)
class FoundPrinter:
    """One printer found: the settings that reach it and what the list shows."""

    connection: str  # a `printer.connection` value: usb, serial, windows, cups
    address: str  # the matching `printer.address`
    label: str


@dataclass(frozen=True)
class Discovery:
    """What was found, and one note per source that could not be asked (and why)."""

    printers: tuple[FoundPrinter, ...] = ()
    notes: tuple[str, ...] = field(default=())


class SourceUnavailable(Exception):
    """A source cannot be asked on this machine; the message says why, for the notes."""


# --- USB ---------------------------------------------------------------------------------------

def _default_usb_find() -> Callable[..., Iterable[Any]]:
    try:
        import usb.core
    except ImportError as exc:
        raise SourceUnavailable("USB: pyusb is not installed") from exc
    return usb.core.find  # type: ignore[no-any-return]


def usb_printers(find: Callable[..., Iterable[Any]] | None = None) -> list[FoundPrinter]:
    """USB printers as `usb` vid:pid (pyusb devices: printer class or a known maker)."""
    find = find or _default_usb_find()
    try:
        devices = list(find(find_all=True))
    except Exception as exc:  # pyusb's NoBackendError and friends: libusb is missing
        raise SourceUnavailable(f"USB: cannot list devices ({_why(exc)})") from exc
    found = []
    for device in devices:
        vid, pid = int(device.idVendor), int(device.idProduct)
        if not (_has_printer_interface(device) or vid in RECEIPT_PRINTER_VENDORS):
            continue
        name = " ".join(p for p in (_usb_string(device, "manufacturer"),
                                    _usb_string(device, "product")) if p)
        name = name or RECEIPT_PRINTER_VENDORS.get(vid, "USB printer")
        found.append(FoundPrinter("usb", f"{vid:04x}:{pid:04x}",
                                  f"USB: {name} ({vid:04x}:{pid:04x})"))
    return found


def _has_printer_interface(device: Any) -> bool:
    if getattr(device, "bDeviceClass", 0) == USB_PRINTER_CLASS:
        return True
    try:
        return any(interface.bInterfaceClass == USB_PRINTER_CLASS
                   for config in device for interface in config)
    except Exception:  # descriptors not readable without permission: judge by vendor
        return False


def _usb_string(device: Any, name: str) -> str:
    try:
        value = getattr(device, name)  # reading it asks the device (may need permission)
    except Exception:
        return ""
    return str(value).strip() if value else ""


# --- serial ------------------------------------------------------------------------------------

def _default_comports() -> Callable[[], Iterable[Any]]:
    try:
        from serial.tools import list_ports
    except ImportError as exc:
        raise SourceUnavailable("Serial: pyserial is not installed") from exc
    return list_ports.comports  # type: ignore[no-any-return]


def serial_ports(comports: Callable[[], Iterable[Any]] | None = None) -> list[FoundPrinter]:
    """Serial ports (COM3, /dev/ttyUSB0...) as `serial` devices at the default 9600 baud."""
    comports = comports or _default_comports()
    try:
        ports = list(comports())
    except Exception as exc:
        raise SourceUnavailable(f"Serial: cannot list ports ({_why(exc)})") from exc
    found = []
    for port in ports:
        description = str(getattr(port, "description", "") or "")
        label = f"Serial: {port.device}"
        if description and description not in ("n/a", port.device):
            label += f" - {description}"
        found.append(FoundPrinter("serial", str(port.device), label))
    return found


# --- Windows spooler ---------------------------------------------------------------------------

def windows_printers(win32print: Any = None) -> list[FoundPrinter]:
    """Local and connected Windows printer queues (for RAW printing through the spooler)."""
    if win32print is None:
        if sys.platform != "win32":
            raise SourceUnavailable("Windows printers: not a Windows PC")
        try:
            win32print = importlib.import_module("win32print")
        except ImportError as exc:
            raise SourceUnavailable("Windows printers: pywin32 is not installed") from exc
    try:
        entries = win32print.EnumPrinters(_PRINTER_ENUM_LOCAL | _PRINTER_ENUM_CONNECTIONS,
                                          None, 2)
    except Exception as exc:
        raise SourceUnavailable(f"Windows printers: cannot list them ({_why(exc)})") from exc
    found = []
    for entry in entries:
        name = str(entry["pPrinterName"])
        details = ", ".join(str(entry[k]) for k in ("pDriverName", "pPortName") if entry.get(k))
        found.append(FoundPrinter("windows", name,
                                  f"Windows: {name}" + (f" ({details})" if details else "")))
    return found


# --- CUPS --------------------------------------------------------------------------------------

def cups_queues(lpstat: str = "lpstat", timeout_s: float = 5.0) -> list[FoundPrinter]:
    """CUPS queues (`lpstat -v`: name and device URI); print to them with `-o raw`."""
    command = shutil.which(lpstat)
    if command is None:
        raise SourceUnavailable("CUPS: lpstat is not installed")
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}  # lpstat's lines are translated
    try:
        result = subprocess.run([command, "-v"], capture_output=True, timeout=timeout_s,
                                check=False, env=env)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SourceUnavailable(f"CUPS: lpstat did not answer ({_why(exc)})") from exc
    if result.returncode != 0:
        err = result.stderr.decode("utf-8", "replace").strip().splitlines()
        if "No destinations added." in " ".join(err):
            return []
        raise SourceUnavailable(f"CUPS: {err[-1] if err else 'lpstat failed'}")
    found = []
    for line in result.stdout.decode("utf-8", "replace").splitlines():
        # "device for receipts: usb://EPSON/TM-T20III?serial=X4E1"
        head, sep, uri = line.partition(": ")
        if not sep or not head.startswith("device for "):
            continue
        name = head.removeprefix("device for ").strip()
        found.append(FoundPrinter("cups", name, f"CUPS: {name} ({uri.strip()})"))
    return found


def _why(exc: BaseException) -> str:
    return str(exc).strip()[:120] or type(exc).__name__


# --- all together ------------------------------------------------------------------------------

Source = Callable[[], list[FoundPrinter]]


def default_sources() -> list[Source]:
    """USB, serial, Windows and CUPS, asked with this machine's own libraries and commands."""
    return [usb_printers, serial_ports, windows_printers, cups_queues]


def discover(sources: Iterable[Source] | None = None) -> Discovery:
    """Ask every source; a source that cannot be asked becomes a note, never an error."""
    printers: list[FoundPrinter] = []
    notes: list[str] = []
    for source in default_sources() if sources is None else sources:
        try:
            printers.extend(source())
        except SourceUnavailable as exc:
            notes.append(str(exc))
        except Exception as exc:  # a library bug must not take the other sources with it
            log.exception("printer discovery source failed")
            notes.append(f"{getattr(source, '__name__', 'a source')} failed ({_why(exc)})")
    return Discovery(tuple(printers), tuple(notes))
