"""Command line interface: ``python -m sts <command> ...`` (interface relied on by other tools).

Commands: derive-key, encode, decode, tid, encrypt-block, decrypt-block, check-meter,
key-change. Hex output (keys and blocks) is lowercase; ``decode`` prints ``issued`` as
``YYYY-MM-DDTHH:MM:SSZ`` and always includes both ``amount`` and ``value`` (null when absent),
then every further field of the token (names, raw block, CRC, key change fields; see
:mod:`sts.cli_decode`); it exits 0 even when ``crc_ok`` is false (the JSON says so).
``encode`` and ``key-change`` print 20 digits per token, or 4-4-4-4-4 groups with ``--grouped``.
Bad input exits with code 2 and one line on stderr naming the bad argument and what is allowed;
``check-meter`` prints ``valid`` and the meter's 18-digit PAN, or exits 1 with the reason for an
invalid meter number. Never a traceback for input errors. Keys are read from arguments and
never echoed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from sts.ciphers import decrypt_block, encrypt_block
from sts.cli_args import (
    CliError,
    Parser,
    arg,
    base_date,
    decimal_amount,
    decoder_key,
    ea,
    hex_bytes,
    int_range,
    iso_out,
    iso_time,
    sta_tables,
)
from sts.cli_decode import describe, requested_report, tid_report
from sts.errors import StsError
from sts.keys import EA, MeterKeyData, check_dkga_pairing, derive_decoder_key, key_length_bytes
from sts.meter_number import parse_meter_number
from sts.tid import TID_MAX, issue_tid, tid_for
from sts.tokens import (
    KEY_CHANGE_SUBCLASSES,
    credit_token,
    decode_token,
    format_token,
    key_change_tokens,
    management_token,
    management_value_field,
    parse_token,
    test_token,
)

# ---------------------------------------------------------------- commands -----------------

def _out_tokens(tokens: Sequence[str], grouped: bool) -> None:
    for t in tokens:
        print(format_token(t) if grouped else t)


def _key_data(a: argparse.Namespace, algorithm: EA) -> MeterKeyData:
    sgc = a.sgc.strip()
    if not (len(sgc) == 6 and sgc.isascii() and sgc.isdigit()):
        raise CliError("argument --sgc: must be exactly 6 digits.")
    ti = arg("--ti", int_range(0, 99, "tariff index"), a.ti)
    kt = arg("--kt", int_range(0, 3, "key type"), a.kt)
    krn = arg("--krn", int_range(1, 9, "key revision number"), a.krn)
    ken = arg("--ken", int_range(0, 255, "key expiry number"), a.ken)
    base = arg("--base-date", base_date, a.base_date)
    return MeterKeyData(sgc=sgc, ti=ti, krn=krn, kt=kt, ea=algorithm, base_date=base, ken=ken)


def _cmd_derive_key(a: argparse.Namespace) -> int:
    dkga = arg("--dkga", int_range(2, 4, "DKGA"), a.dkga)
    if dkga not in (2, 4):
        raise CliError("argument --dkga: must be 02 or 04.")
    algorithm = arg("--ea", ea, a.ea) if a.ea is not None else (
        EA.MISTY1 if dkga == 4 else EA.DEA
    )
    arg("--ea", lambda _: check_dkga_pairing(dkga, algorithm), str(int(algorithm)))
    vk_len = 8 if dkga == 2 else 20
    vk = arg("--vk", hex_bytes((vk_len,), f"DKGA{dkga:02d} vending key"), a.vk)
    key = _key_data(a, algorithm)
    dk = arg("--pan", lambda p: derive_decoder_key(dkga, vk, p, key), a.pan)
    print(dk.hex())
    return 0


def _cmd_encode(a: argparse.Namespace) -> int:
    cls = arg("--class", int_range(0, 2, "token class"), a.token_class)
    base = arg("--base-date", base_date, a.base_date)
    ken = arg("--ken", int_range(0, 255, "key expiry number"), a.ken)
    rnd = None if a.rnd is None else arg("--rnd", int_range(0, 15, "RND"), a.rnd)
    if cls == 1:
        sub = arg("--subclass", int_range(0, 1, "test token subclass"), a.subclass)
        if a.control is None or a.mfr_code is None:
            raise CliError("argument --control/--mfr-code: class 1 tokens need both.")
        bits = 36 if sub == 0 else 28
        control = arg("--control", int_range(0, (1 << bits) - 1, "control"), a.control)
        token = arg("--mfr-code", lambda m: test_token(sub, control, m), a.mfr_code)
        _out_tokens([token], a.grouped)
        return 0
    if a.ea is None:
        raise CliError("argument --ea: required for class 0 and 2 tokens (07, 09 or 11).")
    algorithm = arg("--ea", ea, a.ea)
    dk = decoder_key(a.dk, algorithm)
    tables = sta_tables(a.sta_tables, algorithm)
    if a.issued is None:
        raise CliError("argument --issued: required for class 0 and 2 tokens (ISO-8601 time).")
    issued = arg("--issued", iso_time, a.issued)
    if cls == 0:
        sub = arg("--subclass", int_range(0, 7, "credit subclass"), a.subclass)
        if a.amount is None:
            raise CliError("argument --amount: required for class 0 (decimal units, e.g. 25.6).")
        amount = arg("--amount", decimal_amount, a.amount)
        token = arg(
            "--subclass" if sub > 3 else "--issued",
            lambda _: credit_token(
                algorithm, dk, sub, amount, issued, rnd=rnd, base_date=base,
                sta_tables=tables, ken=ken,
            ),
            a.issued,
        )
    else:
        sub = arg("--subclass", int_range(0, 9, "management subclass"), a.subclass)
        if sub in KEY_CHANGE_SUBCLASSES:
            raise CliError(
                "argument --subclass: key change tokens (3, 4, 8, 9) are made with key-change."
            )
        if a.value is None and sub != 5:
            raise CliError("argument --value: required for class 2 (a whole number).")
        value = 0 if a.value is None else arg(
            "--value", int_range(0, 18201624, "value"), a.value
        )
        arg("--value", lambda _: management_value_field(sub, value), str(value))
        token = arg(
            "--issued",
            lambda _: management_token(
                algorithm, dk, sub, value, issued, rnd=rnd, base_date=base,
                sta_tables=tables, ken=ken,
            ),
            a.issued,
        )
    _out_tokens([token], a.grouped)
    return 0


def _cmd_decode(a: argparse.Namespace) -> int:
    algorithm = arg("--ea", ea, a.ea)
    base = arg("--base-date", base_date, a.base_date)
    digits = arg("TOKEN", parse_token, a.token)
    token_class = (int(digits) >> 27) & 3
    dk = None
    tables = None
    if token_class != 1:
        dk = decoder_key(a.dk, algorithm)
        tables = sta_tables(a.sta_tables, algorithm)
    d = arg(
        "TOKEN",
        lambda t: decode_token(algorithm, dk, t, base_date=base, sta_tables=tables),
        digits,
    )
    print(json.dumps(describe(d, iso_out(d.issued))))
    return 0


def _cmd_tid(a: argparse.Namespace) -> int:
    base = arg("--base-date", base_date, a.base_date)
    ken = None if a.ken is None else arg("--ken", int_range(0, 255, "key expiry number"), a.ken)
    text = a.value.strip()
    if text.isascii() and text.isdigit():
        tid = arg("VALUE", int_range(0, TID_MAX, "TID"), text)
        print(json.dumps(tid_report(tid, base, ken)))
        return 0
    issued = arg("VALUE", iso_time, text)
    minutes = arg("VALUE", lambda _: tid_for(issued, base), text)
    print(json.dumps(requested_report(issued, minutes, issue_tid(issued, base), base, ken)))
    return 0


def _cmd_block(a: argparse.Namespace, encrypt: bool) -> int:
    algorithm = arg("--ea", ea, a.ea)
    dk = decoder_key(a.dk, algorithm)
    tables = sta_tables(a.sta_tables, algorithm)
    block = arg("HEX16", hex_bytes((8,), "block"), a.block)
    out = (encrypt_block if encrypt else decrypt_block)(algorithm, dk, block, tables)
    print(out.hex())
    return 0


def _cmd_check_meter(a: argparse.Namespace) -> int:
    try:
        meter = parse_meter_number(a.number)
    except StsError as exc:
        print(str(exc))
        return 1
    print("valid")
    print(f"PAN {meter.pan}")
    return 0


def _cmd_key_change(a: argparse.Namespace) -> int:
    algorithm = arg("--ea", ea, a.ea)
    old_dk = arg(
        "--old-dk", hex_bytes((key_length_bytes(algorithm),), "old decoder key"), a.old_dk
    )
    new_ea = arg("--new-ea", ea, a.new_ea) if a.new_ea is not None else algorithm
    new_dk = arg(
        "--new-dk", hex_bytes((key_length_bytes(new_ea),), "new decoder key"), a.new_dk
    )
    key = _key_data(a, new_ea)
    old_base = arg("--old-base-date", base_date, a.old_base_date)
    tables = sta_tables(a.sta_tables, algorithm)
    tokens = arg(
        "--base-date",
        lambda _: key_change_tokens(
            algorithm, old_dk, new_dk, key, issued=datetime.now(UTC), rollover=a.rollover,
            sta_tables=tables, old_base_date=old_base,
        ),
        a.base_date,
    )
    _out_tokens(tokens, a.grouped)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and documentation)."""
    p = Parser(prog="python -m sts", description="STS (IEC 62055-41) token engine.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=Parser)

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
    e.add_argument("--ken", default="255",
                   help="key expiry number of the meter's key (0-255; 255 never expires)")
    e.add_argument("--grouped", action="store_true", help="print 4-4-4-4-4 digit groups")

    dc = sub.add_parser("decode", help="decode a token (prints JSON with every field)")
    dc.add_argument("--ea", required=True)
    dc.add_argument("--dk")
    dc.add_argument("--sta-tables")
    dc.add_argument("--base-date", default="1993")
    dc.add_argument("token", metavar="TOKEN")

    t = sub.add_parser("tid", help="TID <-> issue time (prints JSON)")
    t.add_argument("--base-date", default="1993")
    t.add_argument("--ken", default=None, help="also say whether the TID is past this KEN")
    t.add_argument("value", metavar="VALUE", help="a TID (decimal) or an ISO-8601 time")

    for name in ("encrypt-block", "decrypt-block"):
        b = sub.add_parser(name, help=f"{name.split('-')[0]} one 64-bit block (hex)")
        b.add_argument("--ea", required=True)
        b.add_argument("--dk")
        b.add_argument("--sta-tables")
        b.add_argument("block", metavar="HEX16")

    c = sub.add_parser("check-meter", help="validate a meter number and print its PAN")
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
    k.add_argument("--grouped", action="store_true", help="print 4-4-4-4-4 digit groups")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the process exit code."""
    args = build_parser().parse_args(argv)
    commands: dict[str, Callable[[argparse.Namespace], int]] = {
        "derive-key": _cmd_derive_key,
        "encode": _cmd_encode,
        "decode": _cmd_decode,
        "tid": _cmd_tid,
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
