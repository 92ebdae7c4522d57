"""ESC/POS real-time status: the request bytes and the decoding of the replies into a
`PrinterStatus`, shared by every transport that can read a status back (TCP, python-escpos
USB and serial devices)."""

from __future__ import annotations

from printers.transport import PrinterState, PrinterStatus

# Real-time status requests (Epson ESC/POS "DLE EOT n"): 1 printer, 2 offline cause, 4 paper.
DLE_EOT_PRINTER = b"\x10\x04\x01"
DLE_EOT_OFFLINE_CAUSE = b"\x10\x04\x02"
DLE_EOT_PAPER = b"\x10\x04\x04"
# "GS r 1": paper sensor status, for printers that do not answer DLE EOT.
GS_R_PAPER = b"\x1d\x72\x01"


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
