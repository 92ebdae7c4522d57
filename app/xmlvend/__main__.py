"""`python -m app.xmlvend parse FILE`: one SOAP envelope (an answer or a fault) as JSON.

Prints one JSON object (`message`, `receipt_no`, `currency`, `vendor_credit`, `tendered`,
`tokens` in entry order, `charges`, `customer`, `fault`), read by the same code as the adapter.
Bad or hostile input (not XMLVend, truncated, a DTD or entities, too large) exits 2 with one
line on stderr and no traceback. FILE `-` reads standard input.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from app.xmlvend.receipt import LIMITS, BadMessage, parse_response


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; the exit code."""
    parser = argparse.ArgumentParser(prog="python -m app.xmlvend",
                                     description="XMLVend 2.1 tools for engineers.")
    sub = parser.add_subparsers(dest="command", required=True)
    parse = sub.add_parser("parse", help="print one SOAP envelope (answer or fault) as JSON")
    parse.add_argument("file", help="the envelope's file, or - for standard input")
    args = parser.parse_args(argv)
    try:
        if args.file == "-":
            data = sys.stdin.buffer.read(LIMITS.max_bytes + 1)
        else:
            with Path(args.file).open("rb") as f:
                data = f.read(LIMITS.max_bytes + 1)
    except OSError as exc:
        print(f"xmlvend: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    try:
        response = parse_response(data)
    except BadMessage as exc:
        print(f"xmlvend: not a readable XMLVend envelope: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(response.to_json(), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
