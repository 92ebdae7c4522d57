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
"""

from __future__ import annotations

import importlib
import logging
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from common.errors import ConfigError, TransientError

log = logging.getLogger("vendpoint.printers")

# Real-time status requests (Epson ESC/POS "DLE EOT n"): 1 printer, 2 offline cause, 4 paper.
DLE_EOT_PRINTER = b"\x10\x04\x01"
DLE_EOT_OFFLINE_CAUSE = b"\x10\x04\x02"
DLE_EOT_PAPER = b"\x10\x04\x04"
# "GS r 1": paper sensor status, for printers that do not answer DLE EOT.
GS_R_PAPER = b"\x1d\x72\x01"


class PrinterState(StrEnum):
    """What is known about a printer right now."""

    ONLINE = "online"
    PAPER_LOW = "paper_low"
    PAPER_OUT = "paper_out"
    OFFLINE = "offline"
    UNKNOWN = "unknown"

    @property
    def can_print(self) -> bool:
        """Whether a job should be sent: yes unless the printer said it cannot print."""
        return self not in (PrinterState.PAPER_OUT, PrinterState.OFFLINE)


@dataclass(frozen=True)
class PrinterStatus:
    """A status reading; `detail` is a short English phrase for logs and the status bar."""

    state: PrinterState
    detail: str = ""


class PrintError(TransientError):
    """The job could not be delivered to the printer (unreachable, timeout, refused).

    Messages never contain receipt content.
    """


class PrinterConnection(Protocol):
    """Delivers one complete job and, where the transport allows, reads the status."""

    @property
    def description(self) -> str:
        """Where the printer is, for messages ("tcp://10.0.0.5:9100")."""
        ...

    def status(self) -> PrinterStatus:
        """Ask the printer; `UNKNOWN` when it cannot or does not answer."""
        ...

    def send(self, data: bytes) -> None:
        """Send the whole job in one write; raises `PrintError` if it could not."""
        ...


# --- configs ------------------------------------------------------------------------------


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


# --- network ------------------------------------------------------------------------------


def parse_status_byte(reply: bytes) -> int | None:
    """The status byte of a DLE EOT / GS r reply, or None if it is not one.

    Every such byte has bit 1 and bit 4 set and bits 0 and 7 clear (Epson ESC/POS reference),
    which tells a status reply from noise.
    """
    if len(reply) != 1:
        return None
    value = reply[0]
    return value if value & 0b1001_0011 == 0b0001_0010 else None


def gs_r_as_dle_eot(reply: bytes) -> int | None:
    """A GS r 1 paper byte (bits 0-1 near end, 2-3 paper out; bits 4 and 7 clear) translated
    to the DLE EOT 4 byte with the same meaning, or None if it is not a GS r 1 reply."""
    if len(reply) != 1 or reply[0] & 0x90:
        return None
    value = reply[0]
    if value & 0x0C:
        return 0x72
    if value & 0x03:
        return 0x1E
    return 0x12


def interpret_status(printer: int | None, paper: int | None) -> PrinterStatus:
    """Combine the DLE EOT 1 and DLE EOT 4 (or GS r 1) bytes into one reading."""
    if printer is None and paper is None:
        return PrinterStatus(PrinterState.UNKNOWN, "no status reply")
    if printer is not None and printer & 0x08:
        # Offline: cover open, paper out, or an error. The paper byte says which.
        if paper is not None and paper & 0x60:
            return PrinterStatus(PrinterState.PAPER_OUT, "out of paper")
        return PrinterStatus(PrinterState.OFFLINE, "printer reports offline")
    if paper is not None:
        if paper & 0x60:
            return PrinterStatus(PrinterState.PAPER_OUT, "out of paper")
        if paper & 0x0C:
            return PrinterStatus(PrinterState.PAPER_LOW, "paper low")
    if printer is None:
        return PrinterStatus(PrinterState.ONLINE, "paper ok (printer state not reported)")
    return PrinterStatus(PrinterState.ONLINE, "ready")


class NetworkConnection:
    """Raw TCP. Each job and each status query opens a short-lived connection, because most
    network printers serve one client at a time and a held socket blocks other terminals."""

    #: After this many status queries without a reply, stop asking for SILENT_BACKOFF_S.
    SILENT_AFTER = 3
    SILENT_BACKOFF_S = 300.0

    def __init__(self, config: NetworkConfig) -> None:
        self.config = config
        self._silent_streak = 0
        self._skip_until = 0.0

    @property
    def description(self) -> str:
        return f"tcp://{self.config.host}:{self.config.port}"

    def _connect(self) -> socket.socket:
        try:
            return socket.create_connection(
                (self.config.host, self.config.port), timeout=self.config.timeout_s
            )
        except OSError as exc:
            raise PrintError(f"Cannot reach the printer at {self.description}: {exc}.") from exc

    def status(self) -> PrinterStatus:
        if not self.config.query_status:
            return PrinterStatus(PrinterState.UNKNOWN, "status queries disabled")
        if time.monotonic() < self._skip_until:
            return PrinterStatus(PrinterState.UNKNOWN, "printer does not answer status queries")
        try:
            sock = self._connect()
        except PrintError as exc:
            return PrinterStatus(PrinterState.OFFLINE, str(exc))
        with sock:
            try:
                printer = parse_status_byte(self._ask(sock, DLE_EOT_PRINTER))
                if printer is None:
                    # A printer that ignores DLE EOT 1 ignores the rest too: one timeout, not
                    # three, before the job is sent anyway.
                    self._silent_streak += 1
                    if self._silent_streak >= self.SILENT_AFTER:
                        self._skip_until = time.monotonic() + self.SILENT_BACKOFF_S
                    return PrinterStatus(PrinterState.UNKNOWN, "no status reply")
                self._silent_streak = 0
                paper = parse_status_byte(self._ask(sock, DLE_EOT_PAPER))
                if paper is None:
                    paper = gs_r_as_dle_eot(self._ask(sock, GS_R_PAPER))
            except OSError as exc:
                return PrinterStatus(PrinterState.UNKNOWN, f"status query failed: {exc}")
        return interpret_status(printer, paper)

    def _ask(self, sock: socket.socket, query: bytes) -> bytes:
        sock.settimeout(self.config.status_timeout_s)
        sock.sendall(query)
        try:
            return sock.recv(1)
        except TimeoutError:
            return b""

    def send(self, data: bytes) -> None:
        sock = self._connect()
        with sock:
            try:
                sock.settimeout(self.config.timeout_s)
                sock.sendall(data)
                # An orderly close, so the printer sees the end of the job.
                sock.shutdown(socket.SHUT_WR)
            except OSError as exc:
                raise PrintError(f"Sending to {self.description} failed: {exc}.") from exc
            _drain(sock)


def _drain(sock: socket.socket, limit_s: float = 0.5) -> None:
    """Read whatever the printer sent back (until it closes, or briefly): closing a socket
    with unread data sends a reset, and a reset can make a printer drop the end of a job."""
    deadline = time.monotonic() + limit_s
    try:
        while (left := deadline - time.monotonic()) > 0:
            sock.settimeout(left)
            if not sock.recv(4096):
                return
    except OSError:
        return


# --- device file, CUPS, python-escpos devices, Windows ----------------------------------


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


class CupsConnection:
    """`lp -d PRINTER -o raw`, bytes on stdin; available where CUPS's `lp` is installed."""

    def __init__(self, config: CupsConfig) -> None:
        self.config = config
        lp = shutil.which(config.lp_command)
        if lp is None:
            raise ConfigError(
                f"CUPS printing needs the '{config.lp_command}' command, which is not installed.",
                hint="Install CUPS, or configure the printer as a network or device printer.",
            )
        self._lp = lp

    @property
    def description(self) -> str:
        return f"cups:{self.config.printer}"

    def status(self) -> PrinterStatus:
        # lpstat knows whether the queue is enabled, not whether paper is loaded.
        return PrinterStatus(PrinterState.UNKNOWN, "CUPS does not report paper status")

    def send(self, data: bytes) -> None:
        cmd = [self._lp, "-d", self.config.printer, "-o", "raw", "-s"]
        try:
            result = subprocess.run(
                cmd, input=data, capture_output=True, timeout=self.config.timeout_s, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PrintError(f"CUPS did not accept the job for {self.config.printer}.") from exc
        if result.returncode != 0:
            err = result.stderr.decode("utf-8", "replace").strip()[:200]
            raise PrintError(f"CUPS refused the job for {self.config.printer}: {err}")


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


class Win32Connection:
    """A Windows printer queue in RAW mode (win32print from pywin32)."""

    def __init__(self, config: Win32Config) -> None:
        self.config = config
        try:
            win32print = importlib.import_module("win32print")
        except ImportError as exc:
            raise ConfigError(
                "Windows printer queues need pywin32 (win32print), which is not available.",
                hint="On Windows install pywin32; elsewhere use a network, CUPS or device printer.",
            ) from exc
        self._win32print: Any = win32print

    @property
    def description(self) -> str:
        return f"windows:{self.config.printer}"

    def status(self) -> PrinterStatus:
        return PrinterStatus(PrinterState.UNKNOWN, "the Windows spooler does not report paper")

    def send(self, data: bytes) -> None:
        w = self._win32print
        try:
            handle = w.OpenPrinter(self.config.printer)
            try:
                w.StartDocPrinter(handle, 1, ("VendPoint receipt", None, "RAW"))
                try:
                    w.StartPagePrinter(handle)
                    w.WritePrinter(handle, data)
                    w.EndPagePrinter(handle)
                finally:
                    w.EndDocPrinter(handle)
            finally:
                w.ClosePrinter(handle)
        except Exception as exc:
            raise PrintError(f"Windows could not print to {self.config.printer}.") from exc

