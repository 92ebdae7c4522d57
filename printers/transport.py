"""What every printer connection is: the `PrinterConnection` protocol, the status it reports
(`PrinterStatus`, `PrinterState`) and how a delivery fails (`PrintError`).

Status is only what the printer said: no reply, a garbled reply or a timeout is
`PrinterState.UNKNOWN`, never "online". The transports are `printers.transport_*`; configs
and `open_connection` are in `printers.connections`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from common.errors import TransientError


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
