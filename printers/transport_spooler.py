"""The operating system's print spoolers: CUPS (`lp -o raw`) and a Windows printer queue in
RAW mode (win32print from pywin32). Neither reports paper status."""

from __future__ import annotations

import importlib
import shutil
import subprocess
from typing import Any

from common.errors import ConfigError
from printers.connection_configs import CupsConfig, Win32Config
from printers.transport import PrintError, PrinterState, PrinterStatus


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
