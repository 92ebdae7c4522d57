"""The engineer's verbs of ``python -m sts`` (real subprocess): every decoded field, TID <-> date,
grouped output, named/reserved classes, key expiry, and bad input that once crashed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sts.ciphers import make_cipher
from sts.keys import EA, MeterKeyData, derive_decoder_key
from sts.tokens import build_block

ROOT = Path(__file__).resolve().parents[2]
VK160 = bytes.fromhex("abababababababab949494949494949401234567")
PAN = "600727000000000009"
DK11 = "f94b6ed353c3bfdb113e2d3a7ea3c41d"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sts", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )


def decode(token: str) -> dict[str, object]:
    r = run("decode", "--ea", "11", "--dk", DK11, token)
    assert r.returncode == 0, r.stderr
    out: dict[str, object] = json.loads(r.stdout)
    return out


def digits(token_class: int, block: int) -> str:
    value = (block & ~(3 << 27)) | (((block >> 27) & 3) << 64) | (token_class << 27)
    return f"{value:020d}"


def test_decode_prints_every_key_change_field() -> None:
    # CTSA05 rollover key change (NectarAPI/tokens-service STS 531-1-0-04 vectors): new key
    # KRN 4, TI 02, KT 2, KEN 255, base 2014, RO set; sections 1 and 2.
    new_key = MeterKeyData(sgc="123457", ti=2, krn=4, kt=2, ea=EA.MISTY1, base_date=2014)
    new_dk = derive_decoder_key(4, VK160, PAN, new_key)
    first = decode("56493341861242437581")
    assert first["crc_ok"] is True and (first["class"], first["subclass"]) == (2, 3)
    assert first["kind"] == "set 1st section decoder key"
    assert {k: first[k] for k in ("kenho", "krn", "ro", "res", "kt")} == {
        "kenho": 0xF, "krn": 4, "ro": 1, "res": 0, "kt": 2}
    assert first["nkho"] == new_dk[:4].hex()
    second = decode("51757380361191578258")
    assert {k: second[k] for k in ("kenlo", "ti")} == {"kenlo": 0xF, "ti": 2}
    assert second["nklo"] == new_dk[12:].hex()
    for out in (first, second):
        block = int(str(out["block"]), 16)
        assert out["crc"] == f"{block & 0xFFFF:04x}" and out["tid"] is None


def test_tid_verb_both_ways_with_reserved_minute_and_ken() -> None:
    r = run("tid", "2004-03-29T00:01:00Z")
    out = json.loads(r.stdout)
    assert r.returncode == 0
    assert (out["minutes"], out["tid"], out["tid_hex"]) == (0x5A32A1, 0x5A32A2, "5a32a2")
    assert out["issued"] == "2004-03-29T00:02:00Z" and out["reserved_tid"] is False
    back = json.loads(run("tid", str(0x5A32A1), "--ken", "89").stdout)
    assert back["issued"] == "2004-03-29T00:01:00Z" and back["reserved_tid"] is True
    assert back["ken_bits"] == 0x5A and back["expired_for_ken"] is True
    later = json.loads(run("tid", "--base-date", "2014", "2024-11-25T00:00:00+02:00").stdout)
    assert later["issued"] == "2024-11-24T22:00:00Z" and later["base_date"] == 2014


def test_grouped_output_and_pan() -> None:
    r = run("encode", "--ea", "11", "--dk", DK11, "--class", "0", "--subclass", "1",
            "--amount", "0.1", "--issued", "2004-03-01T13:05:00Z", "--rnd", "5", "--grouped")
    assert (r.returncode, r.stdout.strip()) == (0, "4718 6281 2079 5515 5808")
    r = run("key-change", "--ea", "11", "--old-dk", DK11, "--new-dk", "0" * 32, "--sgc",
            "123457", "--ti", "02", "--krn", "2", "--grouped")
    lines = r.stdout.splitlines()
    assert len(lines) == 4 and all(len(t.split()) == 5 for t in lines)


def test_named_reserved_and_unpublished_subclasses() -> None:
    extended = decode(digits(1, build_block(1, 2, 5)))
    assert extended["kind"] == "extended token read" and extended["value"] is None
    assert "raw block only" in str(extended["note"])
    proprietary = decode(digits(1, build_block(1, 7, 5)))
    assert proprietary["kind"] == "proprietary (manufacturer-defined) test token"
    cipher = make_cipher(EA.MISTY1, bytes.fromhex(DK11))
    sts202 = decode(digits(2, cipher.encrypt_int(build_block(2, 10, 0x5A32A20000))))
    assert sts202["crc_ok"] is True and str(sts202["kind"]).startswith("defined in STS 202-5")
    assert sts202["tid"] is None and sts202["block"] == f"{build_block(2, 10, 0x5A32A20000):016x}"
    reserved = decode(digits(3, 0x0123456789ABCDEF))
    assert reserved["class"] == 3 and "reserved" in str(reserved["kind"])
    assert "rejects" in str(reserved["note"])


def test_encode_refuses_past_key_expiry_and_currency() -> None:
    ok = run("encode", "--ea", "11", "--dk", DK11, "--class", "0", "--subclass", "0",
             "--amount", "1", "--issued", "2004-03-29T23:59:00Z", "--ken", "90")
    assert ok.returncode == 0  # TID 0x5A383F: its top 8 bits are 0x5A = 90
    r = run("encode", "--ea", "11", "--dk", DK11, "--class", "0", "--subclass", "0",
            "--amount", "1", "--issued", "2004-03-29T00:00:00Z", "--ken", "89")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.startswith("error: argument --issued: The meter's decoder key has expired")
    r = run("encode", "--ea", "11", "--dk", DK11, "--class", "0", "--subclass", "4",
            "--amount", "1", "--issued", "2004-03-29T00:00:00Z")
    assert r.returncode == 2 and "Currency credit tokens" in r.stderr


_ENC = ["encode", "--ea", "11", "--dk", DK11, "--class", "0", "--subclass", "0"]
_KEY = ["derive-key", "--dkga", "04", "--pan", PAN, "--sgc", "123457", "--kt", "2",
        "--krn", "1"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([*_ENC, "--amount", "1", "--issued", "9999-12-31T23:59:00-01:00"],
         "argument --issued: Issue time is outside the range"),
        ([*_ENC, "--amount", "1", "--issued", "0001-01-01T00:00:00+01:00"],
         "argument --issued: Issue time is outside the range"),
        ([*_ENC, "--amount", "1e400000000", "--issued", "2004-01-01"],
         "argument --amount: Amount is too large for one token"),
        ([*_ENC, "--amount", "1_0", "--issued", "2004-01-01"],
         "argument --amount: must be a decimal number"),
        ([*_KEY, "--vk", VK160.hex(), "--ti", "0_1"],
         "argument --ti: tariff index must be a whole number"),
        ([*_KEY, "--vk", VK160.hex(), "--ti", "01", "--ea", "1_1"],
         "argument --ea: must be 07 (STA), 09 (DEA) or 11 (MISTY1)."),
        ([*_KEY, "--vk", VK160.hex() + "a", "--ti", "01"],
         "argument --vk: DKGA04 vending key must be 40 hex digits, not 41."),
        ([*_KEY, "--vk", VK160.hex()[:-1] + "g", "--ti", "01"],
         "argument --vk: DKGA04 vending key must be hexadecimal digits"),
        (["tid", "１２"], "argument VALUE: must be an ISO-8601"),
        (["tid", "16777216"], "argument VALUE: TID must be from 0 to 16777215."),
    ],
)
def test_bad_input_is_one_specific_line_and_exit_2(args: list[str], message: str) -> None:
    r = run(*args)
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {message}"), r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""
