"""Connections: the TCP printer on loopback (status and one-write jobs), device files, CUPS
through a stand-in `lp`, and clear errors for transports this machine cannot use."""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import pytest

from common.errors import ConfigError
from printers import samples
from printers.connections import (
    CupsConfig,
    FileConfig,
    NetworkConfig,
    PrintError,
    PrinterState,
    SerialConfig,
    UsbConfig,
    Win32Config,
    gs_r_as_dle_eot,
    interpret_status,
    open_connection,
    parse_status_byte,
)
from printers.profile import PrinterProfile
from printers.render import render_escpos
from printers.testing import FakeTcpPrinter, Mode


def _config(printer: FakeTcpPrinter) -> NetworkConfig:
    return NetworkConfig("127.0.0.1", printer.port, timeout_s=2.0, status_timeout_s=0.3)


@pytest.mark.parametrize(
    ("mode", "state"),
    [
        ("ok", PrinterState.ONLINE),
        ("paper_low", PrinterState.PAPER_LOW),
        ("paper_out", PrinterState.PAPER_OUT),
        ("offline", PrinterState.OFFLINE),
        ("silent", PrinterState.UNKNOWN),
    ],
)
def test_network_status_follows_the_printer(
    fake_printer: FakeTcpPrinter, mode: Mode, state: PrinterState
) -> None:
    fake_printer.mode = mode
    status = open_connection(_config(fake_printer)).status()
    assert status.state is state
    assert fake_printer.wait_for_status_queries(1) >= (1 if mode == "silent" else 2)
    assert fake_printer.jobs == []  # status queries are not print jobs


def test_network_job_arrives_whole(fake_printer: FakeTcpPrinter) -> None:
    data = render_escpos(samples.token_receipt(), PrinterProfile(columns=48))
    open_connection(_config(fake_printer)).send(data)
    assert fake_printer.wait_for_jobs(1, timeout=5) == [data]


def test_unreachable_printer_is_offline_and_send_fails_fast() -> None:
    with socket.socket() as s:  # a port that was free a moment ago: nobody listens
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    conn = open_connection(NetworkConfig("127.0.0.1", port, timeout_s=1.0))
    assert conn.status().state is PrinterState.OFFLINE
    with pytest.raises(PrintError, match="Cannot reach the printer"):
        conn.send(b"\x1b@hello")


def test_status_bytes_are_validated() -> None:
    assert parse_status_byte(b"\x12") == 0x12
    assert parse_status_byte(b"\x00") is None  # fixed bits missing: noise, not a status
    assert parse_status_byte(b"") is None
    assert gs_r_as_dle_eot(b"\x0c") == 0x72
    assert gs_r_as_dle_eot(b"\x90") is None
    assert interpret_status(None, None).state is PrinterState.UNKNOWN
    assert interpret_status(0x1A, 0x12).state is PrinterState.OFFLINE
    assert interpret_status(None, 0x12).state is PrinterState.ONLINE


def test_device_file_gets_the_job(tmp_path: Path) -> None:
    path = tmp_path / "lp0"
    conn = open_connection(FileConfig(str(path)))
    conn.send(b"\x1b@one")
    conn.send(b"\x1b@two")
    assert path.read_bytes() == b"\x1b@one\x1b@two"
    assert conn.status().state is PrinterState.UNKNOWN
    with pytest.raises(PrintError, match="Cannot write"):
        open_connection(FileConfig(str(tmp_path / "missing" / "lp0"))).send(b"x")


def test_cups_sends_raw_through_lp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A stand-in `lp` that records its arguments and stdin, as CUPS's would receive them.
    out = tmp_path / "spool.bin"
    args = tmp_path / "args.txt"
    lp = tmp_path / "lp"
    lp.write_text(f'#!/bin/sh\necho "$@" > {args}\ncat > {out}\n')
    lp.chmod(lp.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    conn = open_connection(CupsConfig("receipts"))
    conn.send(b"\x1b@job\x00\xff")
    assert out.read_bytes() == b"\x1b@job\x00\xff"
    assert args.read_text().split() == ["-d", "receipts", "-o", "raw", "-s"]
    failing = tmp_path / "lpfail"
    failing.write_text("#!/bin/sh\necho 'lp: The printer or class does not exist.' >&2\nexit 1\n")
    failing.chmod(failing.stat().st_mode | stat.S_IEXEC)
    with pytest.raises(PrintError, match="does not exist"):
        open_connection(CupsConfig("nope", lp_command="lpfail")).send(b"x")


def test_missing_tools_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="not installed"):
        open_connection(CupsConfig("x", lp_command="no-such-lp-command"))
    if os.name != "nt":
        with pytest.raises(ConfigError, match="pywin32"):
            open_connection(Win32Config("EPSON TM-T20III"))


def test_usb_and_serial_without_their_libraries_say_so() -> None:
    for config in (UsbConfig(0x04B8, 0x0202), SerialConfig("/dev/ttyS99")):
        conn = open_connection(config)
        # No read-back possible: unknown, never online.
        assert conn.status().state is PrinterState.UNKNOWN
        with pytest.raises((ConfigError, PrintError)):
            conn.send(b"x")


def test_a_silent_printer_is_asked_once_per_check_then_left_alone(
    fake_printer: FakeTcpPrinter,
) -> None:
    fake_printer.mode = "silent"
    conn = open_connection(_config(fake_printer))
    for _ in range(3):
        assert conn.status().state is PrinterState.UNKNOWN
    asked = fake_printer.wait_for_status_queries(3)
    assert asked == 3  # one query per check, not three
    status = conn.status()  # now it is not asked at all for a while
    assert status.state is PrinterState.UNKNOWN and "does not answer" in status.detail
    assert fake_printer.status_queries == 3


@pytest.mark.parametrize(("mode", "state"), [("paper_out", PrinterState.PAPER_OUT),
                                             ("paper_low", PrinterState.PAPER_LOW),
                                             ("ok", PrinterState.ONLINE)])
def test_paper_status_falls_back_to_gs_r_1(
    fake_printer: FakeTcpPrinter, mode: Mode, state: PrinterState
) -> None:
    fake_printer.mode = mode
    fake_printer.answers_dle_eot_paper = False
    assert open_connection(_config(fake_printer)).status().state is state
    assert fake_printer.wait_for_status_queries(3) == 3  # DLE EOT 1, DLE EOT 4, GS r 1


class _Win32PrintStandIn:
    """win32print as pywin32 offers it, recording the spooler calls."""

    def __init__(self, fail_write: bool = False) -> None:
        self.calls: list[tuple[object, ...]] = []
        self.fail_write = fail_write

    def OpenPrinter(self, name: str) -> str:
        self.calls.append(("open", name))
        return "handle"

    def StartDocPrinter(self, handle: str, level: int, info: tuple[object, ...]) -> int:
        self.calls.append(("doc", level, info))
        return 1

    def StartPagePrinter(self, handle: str) -> None:
        self.calls.append(("page",))

    def WritePrinter(self, handle: str, data: bytes) -> int:
        if self.fail_write:
            raise OSError("The printer is out of paper")
        self.calls.append(("write", data))
        return len(data)

    def EndPagePrinter(self, handle: str) -> None:
        self.calls.append(("end page",))

    def EndDocPrinter(self, handle: str) -> None:
        self.calls.append(("end doc",))

    def ClosePrinter(self, handle: str) -> None:
        self.calls.append(("close",))


def test_windows_spooler_gets_the_job_raw_in_one_write(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    spooler = _Win32PrintStandIn()
    monkeypatch.setitem(sys.modules, "win32print", spooler)
    conn = open_connection(Win32Config("EPSON TM-T20III Receipt"))
    conn.send(b"\x1b@job\x1dV\x00")
    assert spooler.calls == [
        ("open", "EPSON TM-T20III Receipt"), ("doc", 1, ("VendPoint receipt", None, "RAW")),
        ("page",), ("write", b"\x1b@job\x1dV\x00"), ("end page",), ("end doc",), ("close",)]
    failing = _Win32PrintStandIn(fail_write=True)
    monkeypatch.setitem(sys.modules, "win32print", failing)
    with pytest.raises(PrintError, match="Windows could not print"):
        open_connection(Win32Config("EPSON")).send(b"x")
    assert failing.calls[-2:] == [("end doc",), ("close",)]  # the spooler handle is released
