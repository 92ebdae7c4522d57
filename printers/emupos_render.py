"""Render ESC/POS bytes to PNG and text with the emupos printer emulator (tests and docs).

emupos needs Python >= 3.13, so this file is a standalone script run with the interpreter of
a separate venv (see `tests/printers/test_printers_emupos.py` and docs/printing.md); it is
never imported by the application. It feeds the bytes to emupos's device model directly, as
one connection, with an Epson TM-T20III profile (576 dots, 48 columns) or the same printer
narrowed to 384 dots for 58 mm paper (32 columns).

Usage: python emupos_render.py --width-dots 576 --png out.png job.bin  (text on stdout)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

# Run as a script, this file's folder is sys.path[0]; it holds modules named like the stdlib
# (printers/queue.py), so take it off the path before emupos imports anything.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]


def render(data: bytes, width_dots: int) -> tuple[bytes, str]:
    """(PNG, text dump) of the first receipt the bytes print."""
    from emupos.config import PrinterProfile  # type: ignore[import-not-found,unused-ignore]
    from emupos.printer.printer import Printer  # type: ignore[import-not-found,unused-ignore]

    profile: Any = PrinterProfile.model_validate(
        {
            "type": "printer",
            "name": f"VendPoint test {width_dots} dots",
            "dpi": 203,
            "width_dots": width_dots,
            "font_a": {"width": 12, "height": 24},
            "font_b": {"width": 9, "height": 17},
            "code_pages": {0: "PC437", 2: "PC850", 3: "PC860", 16: "WPC1252", 19: "PC858"},
            "default_code_page": 0,
            "drawer_sensor_open_level": "high",
        }
    )
    printer: Any = Printer(
        "vendpoint", profile, sensor_open_level="high", job_idle_timeout_ms=1000
    )
    printer.open_connection("c1", 0.0)
    out: Any = printer.receive("c1", data, 0.0)
    receipts = list(out.receipts)
    receipts += list(printer.close_connection("c1", 0.0).receipts)
    if not receipts:
        raise SystemExit("emupos: the bytes printed nothing")
    return receipts[0].png, receipts[0].text


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("job", type=Path, nargs="?")
    parser.add_argument("--width-dots", type=int, default=576)
    parser.add_argument("--png", type=Path)
    parser.add_argument(
        "--batch", type=Path,
        help="JSON list of {job, width_dots, png?}; prints a JSON list of text dumps",
    )
    args = parser.parse_args(argv)
    if args.batch is not None:
        # One interpreter start for many receipts: emupos takes a second or two to import.
        texts = []
        for item in json.loads(args.batch.read_text(encoding="utf-8")):
            png, text = render(Path(item["job"]).read_bytes(), int(item["width_dots"]))
            if item.get("png"):
                Path(item["png"]).write_bytes(png)
            texts.append(text)
        sys.stdout.write(json.dumps(texts))
        return 0
    if args.job is None:
        parser.error("a job file or --batch is needed")
    png, text = render(args.job.read_bytes(), args.width_dots)
    if args.png is not None:
        args.png.write_bytes(png)
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
