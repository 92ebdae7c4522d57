"""The network transport: raw TCP (port 9100, "JetDirect"), with status read back through
ESC/POS real-time status queries."""

from __future__ import annotations

import socket
import time

from printers.connection_configs import NetworkConfig
from printers.escpos_status import (
    DLE_EOT_PAPER,
    DLE_EOT_PRINTER,
    GS_R_PAPER,
    gs_r_as_dle_eot,
    interpret_status,
    parse_status_byte,
)
from printers.transport import PrintError, PrinterState, PrinterStatus


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
