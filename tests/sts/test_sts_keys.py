"""Decoder key generation: DKGA02 and DKGA04 vectors from the notes and key-data validation."""

from __future__ import annotations

import pytest

from sts.errors import KeyDataError, StsError
from sts.keys import EA, MeterKeyData, derive_decoder_key, dkga04_message

VK160 = bytes.fromhex("abababababababab949494949494949401234567")
PAN = "600727000000000009"


def test_dkga02_vector() -> None:
    key = MeterKeyData(sgc="123456", ti=1, krn=1, kt=2, ea=EA.STA)
    dk = derive_decoder_key(2, bytes.fromhex("abababababababab"), PAN, key)
    assert dk.hex() == "e653341f9d5bf36f"


def test_dkga02_accepts_drn_instead_of_pan() -> None:
    key = MeterKeyData(sgc="123456", ti=1, krn=1, kt=2, ea=EA.DEA)
    vk = bytes.fromhex("abababababababab")
    assert derive_decoder_key(2, vk, "00000000000", key) == derive_decoder_key(2, vk, PAN, key)


def test_dkga04_message_matches_notes() -> None:
    key = MeterKeyData(sgc="123457", ti=1, krn=1, kt=2, ea=EA.STA, base_date=1993)
    expected = (
        "04023034023933023037023031000406313233343537013201311236303037323730303030303030"
        "303030303900000040"
    )
    assert dkga04_message(PAN, key).hex() == expected


def test_dkga04_vectors() -> None:
    sta = MeterKeyData(sgc="123457", ti=1, krn=1, kt=2, ea=EA.STA, base_date=1993)
    misty = MeterKeyData(sgc="123457", ti=1, krn=1, kt=2, ea=EA.MISTY1, base_date=1993)
    assert derive_decoder_key(4, VK160, PAN, sta).hex() == "aa4baa8749c10d27"
    assert derive_decoder_key(4, VK160, PAN, misty).hex() == "f94b6ed353c3bfdb113e2d3a7ea3c41d"


def test_dkga04_key_depends_on_every_field() -> None:
    base = MeterKeyData(sgc="123457", ti=1, krn=1, kt=2, ea=EA.MISTY1, base_date=1993)
    dk = derive_decoder_key(4, VK160, PAN, base)
    variants = [
        MeterKeyData(sgc="123458", ti=1, krn=1, kt=2, ea=EA.MISTY1),
        MeterKeyData(sgc="123457", ti=2, krn=1, kt=2, ea=EA.MISTY1),
        MeterKeyData(sgc="123457", ti=1, krn=2, kt=2, ea=EA.MISTY1),
        MeterKeyData(sgc="123457", ti=1, krn=1, kt=1, ea=EA.MISTY1),
        MeterKeyData(sgc="123457", ti=1, krn=1, kt=2, ea=EA.MISTY1, base_date=2014),
    ]
    for other in variants:
        assert derive_decoder_key(4, VK160, PAN, other) != dk
    assert derive_decoder_key(4, VK160, "600727143398003605", base) != dk


def test_dkga04_key_length_follows_ea() -> None:
    for ea, n in ((EA.STA, 8), (EA.DEA, 8), (EA.MISTY1, 16)):
        key = MeterKeyData(sgc="123457", ti=1, krn=1, ea=ea)
        assert len(derive_decoder_key(4, VK160, PAN, key)) == n


@pytest.mark.parametrize(
    ("dkga", "vk", "match"),
    [
        (2, bytes(20), "DKGA02 needs a 64-bit"),
        (4, bytes(8), "DKGA04 needs a 160-bit"),
        (3, bytes(8), "must be 02 or 04"),
    ],
)
def test_bad_vending_key_or_algorithm(dkga: int, vk: bytes, match: str) -> None:
    # EA09: a pairing every DKGA serves, so the vending key itself is what is refused.
    key = MeterKeyData(sgc="123457", ti=1, krn=1, ea=EA.DEA)
    with pytest.raises(KeyDataError, match=match):
        derive_decoder_key(dkga, vk, PAN, key)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"sgc": "12345"}, "6 digits"),
        ({"ti": 100}, "Tariff index"),
        ({"krn": 0}, "KRN"),
        ({"krn": 10}, "KRN"),
        ({"kt": 4}, "Key type"),
        ({"base_date": 2000}, "Base date"),
        ({"ken": 256}, "KEN"),
        ({"ea": 8}, "07 \\(STA\\)"),
    ],
)
def test_key_data_validation(kwargs: dict[str, object], match: str) -> None:
    args: dict[str, object] = {"sgc": "123457", "ti": 1, "krn": 1}
    args.update(kwargs)
    with pytest.raises(StsError, match=match):
        MeterKeyData(**args)  # type: ignore[arg-type]
