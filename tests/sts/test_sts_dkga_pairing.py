"""DKGA02 makes 64-bit keys: it pairs only with EA07 (STA) and EA09 (DEA), never MISTY1.

Found in review: `derive_decoder_key(2, ...)` for an EA11 meter returned an 8-byte key that no
MISTY1 meter can hold, and `python -m sts derive-key --dkga 02 --ea 11` printed it.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from sts.errors import KeyDataError
from sts.keys import EA, MeterKeyData, check_dkga_pairing, derive_decoder_key

VK64 = bytes.fromhex("abababababababab")
PAN = "600727000000000009"


def test_dkga02_refuses_a_misty1_meter_with_a_clear_reason() -> None:
    key = MeterKeyData(sgc="123456", ti=1, krn=1, kt=2, ea=EA.MISTY1)
    with pytest.raises(KeyDataError) as info:
        derive_decoder_key(2, VK64, PAN, key)
    message = str(info.value)
    assert "DKGA02" in message and "EA11" in message and "DKGA04" in message
    assert VK64.hex() not in message


@pytest.mark.parametrize("ea", [EA.STA, EA.DEA])
def test_dkga02_still_serves_sta_and_dea(ea: EA) -> None:
    key = MeterKeyData(sgc="123456", ti=1, krn=1, kt=2, ea=ea)
    assert derive_decoder_key(2, VK64, PAN, key).hex() == "e653341f9d5bf36f"


def test_pairing_check() -> None:
    check_dkga_pairing(2, EA.DEA)
    check_dkga_pairing(4, EA.MISTY1)
    check_dkga_pairing(4, EA.STA)
    with pytest.raises(KeyDataError):
        check_dkga_pairing(2, EA.MISTY1)
    with pytest.raises(KeyDataError):
        check_dkga_pairing(3, EA.DEA)


def test_cli_derive_key_refuses_dkga02_with_ea11() -> None:
    r = subprocess.run(
        [sys.executable, "-m", "sts", "derive-key", "--dkga", "02", "--vk", VK64.hex(),
         "--pan", PAN, "--sgc", "123456", "--ti", "01", "--kt", "2", "--krn", "1",
         "--ea", "11"], capture_output=True, text=True, check=False)
    assert r.returncode == 2, r.stdout
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: argument --ea:"), r.stderr
    assert "DKGA04" in lines[0]
