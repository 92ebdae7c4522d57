"""Argument parsing for ``python -m sts``: strict parsers whose errors are one plain line.

Numbers are ASCII digits only: Python's ``int()`` and ``Decimal()`` also accept ``1_1``, other
scripts' digits and surrounding text, which an engineer typing key data never means. Every
parser raises ``ValueError`` (or :class:`~sts.errors.StsError`) with the reason; :func:`arg`
turns that into a :class:`CliError` naming the argument.
"""

from __future__ import annotations

import argparse
import re
import string
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import NoReturn, TypeVar

from sts.errors import StsError
from sts.keys import EA, key_length_bytes
from sts.sta import StaTables
from sts.tid import as_utc
from sts.tokens import amount_to_tenths

T = TypeVar("T")

_DECIMAL_TEXT = re.compile(r"\+?[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?|\+?\.[0-9]+([eE][+-]?[0-9]+)?")
_HEX_DIGITS = frozenset(string.hexdigits)


class CliError(Exception):
    """A bad argument: the message is the one line printed before exiting with code 2."""


class Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors are one line and exit code 2 (no usage dump)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message}\n")


def arg(name: str, fn: Callable[[str], T], value: str) -> T:
    """``fn(value)``, with any input error re-raised as a CliError naming ``name``."""
    try:
        return fn(value)
    except CliError:
        raise
    except (StsError, ValueError, ArithmeticError) as exc:
        raise CliError(f"argument {name}: {exc}") from None


def digits(text: str) -> str:
    """``text`` stripped, if it is one or more ASCII digits; else ValueError."""
    cleaned = text.strip()
    if not (cleaned and cleaned.isascii() and cleaned.isdigit()):
        raise ValueError("must be written with the digits 0-9 only.")
    return cleaned


def hex_bytes(lengths: Sequence[int], what: str) -> Callable[[str], bytes]:
    """A parser for hex text of one of ``lengths`` bytes (spaces, colons and 0x allowed)."""
    allowed = " or ".join(str(n * 2) for n in lengths)

    def parse(text: str) -> bytes:
        cleaned = text.strip().replace(" ", "").replace(":", "")
        if cleaned.lower().startswith("0x"):
            cleaned = cleaned[2:]
        if not cleaned or not set(cleaned) <= _HEX_DIGITS:
            raise ValueError(f"{what} must be hexadecimal digits (0-9, a-f).")
        if len(cleaned) not in {n * 2 for n in lengths}:
            raise ValueError(f"{what} must be {allowed} hex digits, not {len(cleaned)}.")
        return bytes.fromhex(cleaned)

    return parse


def int_range(lo: int, hi: int, what: str) -> Callable[[str], int]:
    """A parser for a whole number from ``lo`` to ``hi`` written in ASCII digits."""

    def parse(text: str) -> int:
        try:
            value = int(digits(text), 10)
        except ValueError:
            raise ValueError(f"{what} must be a whole number from {lo} to {hi}.") from None
        if not lo <= value <= hi:
            raise ValueError(f"{what} must be from {lo} to {hi}.")
        return value

    return parse


def ea(text: str) -> EA:
    """07, 09 or 11 (leading zeros optional)."""
    try:
        return EA(int(digits(text)))
    except ValueError:
        raise ValueError("must be 07 (STA), 09 (DEA) or 11 (MISTY1).") from None


def base_date(text: str) -> int:
    """1993, 2014 or 2035."""
    value = text.strip()
    if value not in ("1993", "2014", "2035"):
        raise ValueError("must be 1993, 2014 or 2035.")
    return int(value)


def iso_time(text: str) -> datetime:
    """An ISO-8601 time (naive = UTC), converted to UTC; out-of-range offsets are refused."""
    try:
        at = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            "must be an ISO-8601 date and time such as 2004-03-01T13:00:00Z."
        ) from None
    return as_utc(at)


def decimal_amount(text: str) -> Decimal:
    """A non-negative decimal such as 25.6 (ASCII, no underscores) that fits one token."""
    cleaned = text.strip()
    if not _DECIMAL_TEXT.fullmatch(cleaned):
        raise ValueError("must be a decimal number such as 25.6.")
    amount = Decimal(cleaned)
    amount_to_tenths(amount)  # validates the size before anything multiplies it
    return amount


def sta_tables(path: str | None, algorithm: EA) -> StaTables | None:
    """The licensee's STA tables for EA07 (required then), None for other algorithms."""
    if algorithm is not EA.STA:
        return None
    if path is None:
        raise CliError("argument --sta-tables: EA07 needs the licensee's STA table file.")
    return arg("--sta-tables", StaTables.from_json_file, path)


def decoder_key(text: str | None, algorithm: EA, name: str = "--dk") -> bytes:
    """A decoder key of the length ``algorithm`` needs."""
    if text is None:
        raise CliError(f"argument {name}: a decoder key is required for EA{int(algorithm):02d}.")
    n = key_length_bytes(algorithm)
    return arg(name, hex_bytes((n,), f"EA{int(algorithm):02d} decoder key"), text)


def iso_out(at: datetime | None) -> str | None:
    """``YYYY-MM-DDTHH:MM:SSZ`` or None."""
    return None if at is None else at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
