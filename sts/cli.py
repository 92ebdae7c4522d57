"""Command line interface: ``python -m sts <command> ...`` (interface relied on by other tools).

Commands: derive-key, encode, decode, encrypt-block, decrypt-block, check-meter, key-change.
Hex output (keys and blocks) is lowercase; ``decode`` prints ``issued`` as
``YYYY-MM-DDTHH:MM:SSZ`` and always includes both ``amount`` and ``value`` (null when absent);
it exits 0 even when ``crc_ok`` is false (the JSON says so).
Bad input exits with code 2 and one line on stderr naming the bad argument and what is allowed;
``check-meter`` exits 1 with the reason for an invalid meter number. Never a traceback for
input errors. Keys are read from arguments and never echoed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import NoReturn, TypeVar

from sts.ciphers import decrypt_block, encrypt_block
from sts.errors import StsError
from sts.keys import (
    EA,
    MeterKeyData,
    check_dkga_pairing,
    derive_decoder_key,
    key_length_bytes,
)
from sts.meter_number import parse_meter_number
from sts.sta import StaTables
from sts.tokens import (
    KEY_CHANGE_SUBCLASSES,
    amount_to_tenths,
    credit_token,
    decode_token,
    encode_amount,
    key_change_tokens,
    management_token,
    management_value_field,
    parse_token,
    test_token,
)

T = TypeVar("T")


class CliError(Exception):
    """A bad argument: the message is the one line printed before exiting with code 2."""


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors are one line and exit code 2 (no usage dump)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message}\n")


def _arg(name: str, fn: Callable[[str], T], value: str) -> T:
    try:
        return fn(value)
    except CliError:
        raise
    except (StsError, ValueError) as exc:
        raise CliError(f"argument {name}: {exc}") from None


def _hex_bytes(lengths: Sequence[int], what: str) -> Callable[[str], bytes]:
    def parse(text: str) -> bytes:
        cleaned = text.strip().replace(" ", "").replace(":", "")
        if cleaned.lower().startswith("0x"):
            cleaned = cleaned[2:]
        try:
            raw = bytes.fromhex(cleaned)
        except ValueError:
            raise ValueError(f"{what} must be hexadecimal digits.") from None
        if len(raw) not in lengths:
            allowed = " or ".join(str(n * 2) for n in lengths)
            raise ValueError(f"{what} must be {allowed} hex digits, not {len(cleaned)}.")
        return raw

    return parse


def _int_range(lo: int, hi: int, what: str) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text.strip(), 10)
        except ValueError:
            raise ValueError(f"{what} must be a whole number from {lo} to {hi}.") from None
        if not lo <= value <= hi:
            raise ValueError(f"{what} must be from {lo} to {hi}.")
        return value

    return parse


def _ea(text: str) -> EA:
    try:
        return EA(int(text.strip()))
    except ValueError:
        raise ValueError("must be 07 (STA), 09 (DEA) or 11 (MISTY1).") from None


def _base_date(text: str) -> int:
    value = text.strip()
    if value not in ("1993", "2014", "2035"):
        raise ValueError("must be 1993, 2014 or 2035.")
    return int(value)


def _iso_time(text: str) -> datetime:
    try:
        at = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            "must be an ISO-8601 date and time such as 2004-03-01T13:00:00Z."
        ) from None
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def _decimal(text: str) -> Decimal:
    amount_to_tenths(text)  # validates: decimal, finite, not negative
    return Decimal(text.strip())


def _tables(path: str | None, ea: EA) -> StaTables | None:
    if ea is not EA.STA:
        return None
    if path is None:
        raise CliError("argument --sta-tables: EA07 needs the licensee's STA table file.")
    return _arg("--sta-tables", StaTables.from_json_file, path)


def _dk(text: str | None, ea: EA) -> bytes:
    if text is None:
        raise CliError(f"argument --dk: a decoder key is required for EA{int(ea):02d}.")
    n = key_length_bytes(ea)
    return _arg("--dk", _hex_bytes((n,), f"EA{int(ea):02d} decoder key"), text)


def _iso_out(at: datetime | None) -> str | None:
    return None if at is None else at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------- commands -----------------

def _cmd_derive_key(a: argparse.Namespace) -> int:
    dkga = _arg("--dkga", _int_range(2, 4, "DKGA"), a.dkga)
    if dkga not in (2, 4):
        raise CliError("argument --dkga: must be 02 or 04.")
    ea = _arg("--ea", _ea, a.ea) if a.ea is not None else (EA.MISTY1 if dkga == 4 else EA.DEA)
    _arg("--ea", lambda _: check_dkga_pairing(dkga, ea), str(int(ea)))
    vk_len = 8 if dkga == 2 else 20
    vk = _arg("--vk", _hex_bytes((vk_len,), f"DKGA{dkga:02d} vending key"), a.vk)
    key = _key_data(a, ea)
    dk = _arg("--pan", lambda p: derive_decoder_key(dkga, vk, p, key), a.pan)
    print(dk.hex())
    return 0


def _key_data(a: argparse.Namespace, ea: EA) -> MeterKeyData:
    sgc = a.sgc.strip()
    if not (len(sgc) == 6 and sgc.isascii() and sgc.isdigit()):
        raise CliError("argument --sgc: must be exactly 6 digits.")
    ti = _arg("--ti", _int_range(0, 99, "tariff index"), a.ti)
    kt = _arg("--kt", _int_range(0, 3, "key type"), a.kt)
    krn = _arg("--krn", _int_range(1, 9, "key revision number"), a.krn)
    ken = _arg("--ken", _int_range(0, 255, "key expiry number"), a.ken)
    base = _arg("--base-date", _base_date, a.base_date)
    return MeterKeyData(sgc=sgc, ti=ti, krn=krn, kt=kt, ea=ea, base_date=base, ken=ken)


def _cmd_encode(a: argparse.Namespace) -> int:
    cls = _arg("--class", _int_range(0, 2, "token class"), a.token_class)
    base = _arg("--base-date", _base_date, a.base_date)
    rnd = None if a.rnd is None else _arg("--rnd", _int_range(0, 15, "RND"), a.rnd)
    if cls == 1:
        sub = _arg("--subclass", _int_range(0, 1, "test token subclass"), a.subclass)
        if a.control is None or a.mfr_code is None:
            raise CliError("argument --control/--mfr-code: class 1 tokens need both.")
        bits = 36 if sub == 0 else 28
        control = _arg("--control", _int_range(0, (1 << bits) - 1, "control"), a.control)
        token = _arg("--mfr-code", lambda m: test_token(sub, control, m), a.mfr_code)
        print(token)
        return 0
    if a.ea is None:
        raise CliError("argument --ea: required for class 0 and 2 tokens (07, 09 or 11).")
    ea = _arg("--ea", _ea, a.ea)
    dk = _dk(a.dk, ea)
    tables = _tables(a.sta_tables, ea)
    if a.issued is None:
        raise CliError("argument --issued: required for class 0 and 2 tokens (ISO-8601 time).")
    issued = _arg("--issued", _iso_time, a.issued)
    if cls == 0:
        sub = _arg("--subclass", _int_range(0, 7, "credit subclass"), a.subclass)
        if a.amount is None:
            raise CliError("argument --amount: required for class 0 (decimal units, e.g. 25.6).")
        amount = _arg("--amount", _decimal, a.amount)
        _arg("--amount", lambda _: encode_amount(amount_to_tenths(amount)), a.amount)
        token = _arg(
            "--issued",
            lambda _: credit_token(
                ea, dk, sub, amount, issued, rnd=rnd, base_date=base, sta_tables=tables
            ),
            a.issued,
        )
    else:
        sub = _arg("--subclass", _int_range(0, 9, "management subclass"), a.subclass)
        if sub in KEY_CHANGE_SUBCLASSES:
            raise CliError(
                "argument --subclass: key change tokens (3, 4, 8, 9) are made with key-change."
            )
        if a.value is None and sub != 5:
            raise CliError("argument --value: required for class 2 (a whole number).")
        value = 0 if a.value is None else _arg(
            "--value", _int_range(0, 18201624, "value"), a.value
        )
        _arg("--value", lambda _: management_value_field(sub, value), str(value))
        token = _arg(
            "--issued",
            lambda _: management_token(
                ea, dk, sub, value, issued, rnd=rnd, base_date=base, sta_tables=tables
            ),
            a.issued,
        )
    print(token)
    return 0


def _cmd_decode(a: argparse.Namespace) -> int:
    ea = _arg("--ea", _ea, a.ea)
    base = _arg("--base-date", _base_date, a.base_date)
    digits = _arg("TOKEN", parse_token, a.token)
    token_class = (int(digits) >> 27) & 3
    dk = None
    tables = None
    if token_class != 1:
        dk = _dk(a.dk, ea)
        tables = _tables(a.sta_tables, ea)
    d = _arg(
        "TOKEN",
        lambda t: decode_token(ea, dk, t, base_date=base, sta_tables=tables),
        digits,
    )
    out: dict[str, object] = {
        "class": d.token_class,
        "subclass": d.subclass,
        "rnd": d.rnd,
        "tid": d.tid,
        "issued": _iso_out(d.issued),
        "amount": None if d.amount is None else str(d.amount),
        "value": d.value,
        "crc_ok": d.crc_ok,
    }
    if d.mfr_code is not None:
        out["mfr_code"] = d.mfr_code
    print(json.dumps(out))
    return 0


def _cmd_block(a: argparse.Namespace, encrypt: bool) -> int:
    ea = _arg("--ea", _ea, a.ea)
    dk = _dk(a.dk, ea)
    tables = _tables(a.sta_tables, ea)
    block = _arg("HEX16", _hex_bytes((8,), "block"), a.block)
    out = (encrypt_block if encrypt else decrypt_block)(ea, dk, block, tables)
    print(out.hex())
    return 0


def _cmd_check_meter(a: argparse.Namespace) -> int:
    try:
        parse_meter_number(a.number)
    except StsError as exc:
        print(str(exc))
        return 1
    print("valid")
    return 0


def _cmd_key_change(a: argparse.Namespace) -> int:
    ea = _arg("--ea", _ea, a.ea)
    old_dk = _arg("--old-dk", _hex_bytes((key_length_bytes(ea),), "old decoder key"), a.old_dk)
    new_ea = _arg("--new-ea", _ea, a.new_ea) if a.new_ea is not None else ea
    new_dk = _arg(
        "--new-dk", _hex_bytes((key_length_bytes(new_ea),), "new decoder key"), a.new_dk
    )
    key = _key_data(a, new_ea)
    old_base = _arg("--old-base-date", _base_date, a.old_base_date)
    tables = _tables(a.sta_tables, ea)
    tokens = _arg(
        "--base-date",
        lambda _: key_change_tokens(
            ea, old_dk, new_dk, key, issued=datetime.now(UTC), rollover=a.rollover,
            sta_tables=tables, old_base_date=old_base,
        ),
        a.base_date,
    )
    for t in tokens:
        print(t)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and documentation)."""
    p = _Parser(prog="python -m sts", description="STS (IEC 62055-41) token engine.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    d = sub.add_parser("derive-key", help="derive a decoder key (prints lowercase hex)")
    d.add_argument("--dkga", required=True, help="02 or 04")
    d.add_argument("--vk", required=True, help="vending key, hex")
    d.add_argument("--pan", required=True, help="18-digit meter PAN or 11/13-digit DRN")
    d.add_argument("--sgc", required=True)
    d.add_argument("--ti", required=True)
    d.add_argument("--kt", required=True)
    d.add_argument("--krn", required=True)
    d.add_argument("--ken", default="255")
    d.add_argument("--base-date", default="1993")
    d.add_argument("--ea", default=None,
                   help="07, 09 or 11 (default 11 for DKGA04, 09 for DKGA02; DKGA02 never 11)")

    e = sub.add_parser("encode", help="encode a token (prints 20 digits)")
    e.add_argument("--ea")
    e.add_argument("--dk")
    e.add_argument("--sta-tables")
    e.add_argument("--class", dest="token_class", required=True)
    e.add_argument("--subclass", required=True)
    amount = e.add_mutually_exclusive_group()
    amount.add_argument("--amount")
    amount.add_argument("--value")
    e.add_argument("--control")
    e.add_argument("--mfr-code")
    e.add_argument("--issued")
    e.add_argument("--rnd")
    e.add_argument("--base-date", default="1993")

    dc = sub.add_parser("decode", help="decode a token (prints JSON)")
    dc.add_argument("--ea", required=True)
    dc.add_argument("--dk")
    dc.add_argument("--sta-tables")
    dc.add_argument("--base-date", default="1993")
    dc.add_argument("token", metavar="TOKEN")

    for name in ("encrypt-block", "decrypt-block"):
        b = sub.add_parser(name, help=f"{name.split('-')[0]} one 64-bit block (hex)")
        b.add_argument("--ea", required=True)
        b.add_argument("--dk")
        b.add_argument("--sta-tables")
        b.add_argument("block", metavar="HEX16")

    c = sub.add_parser("check-meter", help="validate a meter number")
    c.add_argument("number", metavar="NUMBER")

    k = sub.add_parser("key-change", help="key change tokens, one per line, in entry order")
    k.add_argument("--ea", required=True, help="algorithm of the OLD key")
    k.add_argument("--old-dk", required=True)
    k.add_argument("--new-dk", required=True)
    k.add_argument("--new-ea", default=None)
    k.add_argument("--sgc", required=True)
    k.add_argument("--ti", required=True)
    k.add_argument("--kt", default="2")
    k.add_argument("--krn", required=True)
    k.add_argument("--ken", default="255")
    k.add_argument("--base-date", default="1993")
    k.add_argument("--old-base-date", default="1993")
    k.add_argument("--rollover", action="store_true")
    k.add_argument("--sta-tables")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the process exit code."""
    args = build_parser().parse_args(argv)
    commands: dict[str, Callable[[argparse.Namespace], int]] = {
        "derive-key": _cmd_derive_key,
        "encode": _cmd_encode,
        "decode": _cmd_decode,
        "encrypt-block": lambda a: _cmd_block(a, True),
        "decrypt-block": lambda a: _cmd_block(a, False),
        "check-meter": _cmd_check_meter,
        "key-change": _cmd_key_change,
    }
    try:
        return commands[args.command](args)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except StsError as exc:  # any input problem not tied to one argument above
        print(f"error: {exc}", file=sys.stderr)
        return 2
