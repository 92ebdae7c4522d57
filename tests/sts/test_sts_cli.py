"""The ``python -m sts`` command line, run as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sts.tokens import tid_for

ROOT = Path(__file__).resolve().parents[2]
VK160 = "abababababababab949494949494949401234567"
DK11 = "f94b6ed353c3bfdb113e2d3a7ea3c41d"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sts", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )


def test_derive_key_dkga04_and_dkga02() -> None:
    r = run("derive-key", "--dkga", "04", "--vk", VK160, "--pan", "600727000000000009",
            "--sgc", "123457", "--ti", "01", "--kt", "2", "--krn", "1", "--ea", "11")
    assert (r.returncode, r.stdout.strip()) == (0, DK11)
    r = run("derive-key", "--dkga", "04", "--vk", VK160, "--pan", "600727000000000009",
            "--sgc", "123457", "--ti", "01", "--kt", "2", "--krn", "1", "--ea", "07",
            "--base-date", "1993")
    assert (r.returncode, r.stdout.strip()) == (0, "aa4baa8749c10d27")
    r = run("derive-key", "--dkga", "02", "--vk", "abababababababab", "--pan",
            "600727000000000009", "--sgc", "123456", "--ti", "01", "--kt", "2", "--krn", "1")
    assert (r.returncode, r.stdout.strip()) == (0, "e653341f9d5bf36f")


def test_encode_and_decode_misty1() -> None:
    r = run("encode", "--ea", "11", "--dk", DK11, "--class", "0", "--subclass", "1",
            "--amount", "0.1", "--issued", "2004-03-01T13:05:00Z", "--rnd", "5")
    assert (r.returncode, r.stdout.strip()) == (0, "47186281207955155808")
    r = run("decode", "--ea", "11", "--dk", DK11, "4718 6281 2079 5515 5808")
    assert r.returncode == 0
    tid = tid_for(datetime(2004, 3, 1, 13, 5, tzinfo=UTC))
    out = json.loads(r.stdout)
    assert list(out)[:8] == ["class", "subclass", "rnd", "tid", "issued", "amount", "value",
                             "crc_ok"]
    assert out == {
        "class": 0, "subclass": 1, "rnd": 5, "tid": tid, "issued": "2004-03-01T13:05:00Z",
        "amount": "0.1", "value": None, "crc_ok": True, "class_name": "credit",
        "kind": "water credit (0.1 m3)", "block": out["block"], "crc": out["block"][12:],
        "reserved_tid": False,
    }
    assert int(out["block"], 16) >> 60 == 1 and (int(out["block"], 16) >> 32) & 0xFFFFFF == tid


def test_encode_decode_sta_with_table_file(sample_tables_path: Path) -> None:
    r = run("encode", "--ea", "07", "--dk", "0ABC12DEF3456789", "--sta-tables",
            str(sample_tables_path), "--class", "0", "--subclass", "0", "--amount", "25.6",
            "--issued", "1996-03-25T13:55:22+00:00", "--rnd", "11")
    assert (r.returncode, r.stdout.strip()) == (0, "66493961688496658576")
    r = run("decode", "--ea", "07", "--dk", "0ABC12DEF3456789", "--sta-tables",
            str(sample_tables_path), "66493961688496658576")
    out = json.loads(r.stdout)
    assert out["tid"] == 0x19EB23 and out["amount"] == "25.6" and out["rnd"] == 11
    assert out["issued"] == "1996-03-25T13:55:00Z" and out["crc_ok"] is True


def test_management_token_and_value_in_json() -> None:
    r = run("encode", "--ea", "11", "--dk", DK11, "--class", "2", "--subclass", "0",
            "--value", "1000", "--issued", "2004-03-28T09:01:00Z", "--rnd", "5")
    assert (r.returncode, r.stdout.strip()) == (0, "26521936751055502278")
    out = json.loads(run("decode", "--ea", "11", "--dk", DK11, "26521936751055502278").stdout)
    assert (out["class"], out["subclass"], out["value"], out["amount"]) == (2, 0, 1000, None)


def test_class1_needs_no_key() -> None:
    r = run("encode", "--class", "1", "--subclass", "0", "--control", str(2**36 - 1),
            "--mfr-code", "00")
    assert (r.returncode, r.stdout.strip()) == (0, "56493153725450313471")
    out = json.loads(run("decode", "--ea", "11", "56493153725450313471").stdout)
    assert (out["class"], out["value"], out["crc_ok"]) == (1, 2**36 - 1, True)


def test_mistyped_token_reports_crc_failure() -> None:
    out = json.loads(run("decode", "--ea", "11", "--dk", DK11, "59386323472137426968").stdout)
    assert out["crc_ok"] is False


def test_block_commands(sample_tables_path: Path) -> None:
    r = run("encrypt-block", "--ea", "11", "--dk", "00112233445566778899aabbccddeeff",
            "0123456789abcdef")
    assert (r.returncode, r.stdout.strip()) == (0, "8b1da5f56ab3d07c")
    r = run("decrypt-block", "--ea", "07", "--dk", "0ABC12DEF3456789", "--sta-tables",
            str(sample_tables_path), "9ACA01DB1F46D890")
    assert (r.returncode, r.stdout.strip()) == (0, "0b19eb230100c207")
    r = run("encrypt-block", "--ea", "09", "--dk", "133457799BBCDFF1", "0123456789ABCDEF")
    assert (r.returncode, r.stdout.strip()) == (0, "85e813540f0ab405")


def test_check_meter() -> None:
    r = run("check-meter", "1433-9800-360")
    assert (r.returncode, r.stdout.splitlines()) == (0, ["valid", "PAN 600727143398003605"])
    r = run("check-meter", "0001123456780")  # 13-digit DRN: IIN 0000
    assert (r.returncode, r.stdout.splitlines()) == (0, ["valid", "PAN 000000011234567805"])
    r = run("check-meter", "12345678901")
    assert r.returncode == 1 and "not a valid meter number" in r.stdout
    assert "should be" not in r.stdout
    r = run("check-meter", "1234")
    assert r.returncode == 1 and "11 or 13 digits" in r.stdout


def test_key_change_command() -> None:
    new = "0" * 32
    r = run("key-change", "--ea", "11", "--old-dk", DK11, "--new-dk", new, "--sgc", "123457",
            "--ti", "02", "--krn", "2")
    lines = r.stdout.split()
    assert r.returncode == 0 and len(lines) == 4 and all(len(t) == 20 for t in lines)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["encode", "--ea", "12", "--dk", "00", "--class", "0", "--subclass", "0",
          "--amount", "1", "--issued", "2004-01-01"], "--ea"),
        (["encode", "--ea", "11", "--dk", "00", "--class", "0", "--subclass", "0",
          "--amount", "1", "--issued", "2004-01-01"], "--dk"),
        (["encode", "--ea", "11", "--dk", DK11, "--class", "0", "--subclass", "0",
          "--amount", "1820162.5", "--issued", "2004-01-01"], "--amount"),
        (["encode", "--ea", "11", "--dk", DK11, "--class", "0", "--subclass", "0",
          "--amount", "1", "--issued", "2025-01-01T00:00:00Z"], "--issued"),
        (["encode", "--ea", "11", "--dk", DK11, "--class", "0", "--subclass", "0",
          "--amount", "1", "--issued", "tomorrow"], "--issued"),
        (["encode", "--ea", "07", "--dk", "0ABC12DEF3456789", "--class", "0", "--subclass",
          "0", "--amount", "1", "--issued", "2004-01-01"], "--sta-tables"),
        (["encode", "--ea", "11", "--dk", DK11, "--class", "3", "--subclass", "0"], "--class"),
        (["decode", "--ea", "11", "--dk", DK11, "1234"], "TOKEN"),
        (["decode", "--ea", "11", "--dk", DK11, "99999999999999999999"], "TOKEN"),
        (["derive-key", "--dkga", "04", "--vk", "abab", "--pan", "600727000000000009",
          "--sgc", "123457", "--ti", "01", "--kt", "2", "--krn", "1"], "--vk"),
        (["derive-key", "--dkga", "04", "--vk", VK160, "--pan", "12345678901",
          "--sgc", "123457", "--ti", "01", "--kt", "2", "--krn", "1"], "--pan"),
        (["derive-key", "--dkga", "04", "--vk", VK160, "--pan", "600727000000000009",
          "--sgc", "123457", "--ti", "01", "--kt", "2", "--krn", "0"], "--krn"),
        (["encrypt-block", "--ea", "11", "--dk", DK11, "0123"], "HEX16"),
        (["frobnicate"], "invalid choice"),
        (["encode", "--class", "0"], "required"),
    ],
)
def test_bad_input_exits_2_with_one_line(args: list[str], needle: str) -> None:
    r = run(*args)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""
