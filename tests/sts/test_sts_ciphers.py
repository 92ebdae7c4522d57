"""Block ciphers: MISTY1 (RFC 2994 + NESSIE vectors), DES (FIPS), STA (notes' sample vector)."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sts.ciphers import decrypt_block, encrypt_block, make_cipher
from sts.des import Des
from sts.errors import KeyDataError
from sts.keys import EA
from sts.misty1 import S7, S9, Misty1, expand_key, fi, fi_reference
from sts.sta import Sta, StaTableError, StaTables, sta_encrypt_reference

MISTY1_VECTORS = [
    # RFC 2994 appendix
    ("00112233445566778899aabbccddeeff", "0123456789abcdef", "8b1da5f56ab3d07c"),
    ("00112233445566778899aabbccddeeff", "fedcba9876543210", "04b68240b13be95d"),
    # NESSIE MISTY1 test vectors
    ("80000000000000000000000000000000", "0000000000000000", "b5eda7d64fcd2a02"),
    ("00000000000000000000000000000001", "0000000000000000", "2049aa1be3546aed"),
    ("6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c", "6c6c6c6c6c6c6c6c", "a0cc24a85b11e9cd"),
    ("ffffffffffffffffffffffffffffffff", "ffffffffffffffff", "651f3092afa551d0"),
]


@pytest.mark.parametrize(("key", "plain", "cipher"), MISTY1_VECTORS)
def test_misty1_known_answers(key: str, plain: str, cipher: str) -> None:
    m = Misty1(bytes.fromhex(key))
    assert m.encrypt(bytes.fromhex(plain)).hex() == cipher
    assert m.decrypt(bytes.fromhex(cipher)).hex() == plain


def test_misty1_sboxes_are_permutations_with_rfc_anchor_values() -> None:
    assert sorted(S7) == list(range(128))
    assert sorted(S9) == list(range(512))
    assert (S7[0], S7[127], S9[0], S9[511]) == (0x1B, 0x7D, 0x1C3, 0x1C2)


def test_misty1_fi_tables_equal_rfc_fi() -> None:
    rng = random.Random(1)
    for x in range(0, 65536, 7):
        k = rng.randrange(65536)
        assert fi(x, k) == fi_reference(x, k)


def test_misty1_key_schedule_rfc_example() -> None:
    ek = expand_key(bytes.fromhex("00112233445566778899aabbccddeeff"))
    assert ek[:8] == (0x0011, 0x2233, 0x4455, 0x6677, 0x8899, 0xAABB, 0xCCDD, 0xEEFF)
    assert ek[8] == fi_reference(0x0011, 0x2233)
    assert all(ek[16 + i] == ek[8 + i] & 0x1FF and ek[24 + i] == ek[8 + i] >> 9 for i in range(8))


def test_des_fips_vector() -> None:
    d = Des(bytes.fromhex("133457799bbcdff1"))
    assert d.encrypt(bytes.fromhex("0123456789abcdef")).hex() == "85e813540f0ab405"
    assert d.decrypt(bytes.fromhex("85e813540f0ab405")).hex() == "0123456789abcdef"


def test_sta_vector_from_notes(sample_tables: StaTables) -> None:
    dk = bytes.fromhex("0ABC12DEF3456789")
    c = Sta(dk, sample_tables)
    assert c.encrypt_int(0x0B19EB230100C207) == 0x9ACA01DB1F46D890
    assert c.decrypt_int(0x9ACA01DB1F46D890) == 0x0B19EB230100C207
    assert sta_encrypt_reference(dk, sample_tables, 0x0B19EB230100C207) == 0x9ACA01DB1F46D890


@settings(max_examples=150, deadline=None)
@given(dk=st.binary(min_size=8, max_size=8), block=st.integers(0, 2**64 - 1))
def test_sta_fast_path_matches_bitwise_reference(
    sample_tables: StaTables, dk: bytes, block: int
) -> None:
    c = Sta(dk, sample_tables)
    enc = c.encrypt_int(block)
    assert enc == sta_encrypt_reference(dk, sample_tables, block)
    assert c.decrypt_int(enc) == block


@settings(max_examples=150, deadline=None)
@given(
    ea=st.sampled_from([EA.STA, EA.DEA, EA.MISTY1]),
    key=st.binary(min_size=16, max_size=16),
    block=st.binary(min_size=8, max_size=8),
)
def test_every_algorithm_round_trips(
    sample_tables: StaTables, ea: EA, key: bytes, block: bytes
) -> None:
    dk = key if ea is EA.MISTY1 else key[:8]
    enc = encrypt_block(ea, dk, block, sample_tables)
    assert decrypt_block(ea, dk, enc, sample_tables) == block


def test_wrong_key_lengths_and_missing_tables() -> None:
    with pytest.raises(KeyDataError, match="128-bit"):
        make_cipher(EA.MISTY1, bytes(8))
    with pytest.raises(KeyDataError, match="64-bit"):
        make_cipher(EA.DEA, bytes(16))
    with pytest.raises(KeyDataError, match="table file"):
        make_cipher(EA.STA, bytes(8))
    with pytest.raises(KeyDataError, match="07 \\(STA\\)"):
        make_cipher(8, bytes(8))


def test_sta_table_file_validation(tmp_path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"s1": [0,1], "s2": [], "p": []}')
    with pytest.raises(StaTableError, match="s1"):
        StaTables.from_json_file(bad)
    dup = tmp_path / "dup.json"
    dup.write_text(json.dumps({"s1": [0] * 16, "s2": list(range(16)), "p": list(range(64))}))
    with pytest.raises(StaTableError, match="permutation"):
        StaTables.from_json_file(dup)
    notjson = tmp_path / "x.json"
    notjson.write_text("{nope")
    with pytest.raises(StaTableError, match="not valid JSON"):
        StaTables.from_json_file(notjson)
    with pytest.raises(StaTableError, match="Cannot read"):
        StaTables.from_json_file(tmp_path / "missing.json")
