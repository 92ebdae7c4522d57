"""TIDs: the reserved TID (00:01 is issued as 00:02) and key expiry (KEN), with their vectors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from sts.errors import KeyExpiredError, TidRangeError, UnsupportedTokenError
from sts.keys import EA, MeterKeyData, derive_decoder_key
from sts.tid import (
    TID_MAX,
    as_utc,
    is_expired,
    is_reserved_tid,
    issue_tid,
    key_expiry_time,
    last_valid_time,
    tid_for,
    tid_to_datetime,
)
from sts.tokens import credit_token, decode_token, management_token

VK160 = bytes.fromhex("abababababababab949494949494949401234567")
PAN = "600727000000000009"
KEY = MeterKeyData(sgc="123457", ti=1, krn=1, kt=2, ea=EA.MISTY1, base_date=1993)
DK = derive_decoder_key(4, VK160, PAN, KEY)


# STS 531-1-0-04 CTSA09 (clear credit, register 0xFFFF, RND 5, EA11/DKGA04 key above), as
# published in NectarAPI/tokens-service STSComplianceTests_STS_531_1_0_04_CTSA09.java.
CTSA09 = [
    (datetime(2004, 3, 29, 0, 0, tzinfo=UTC), "09791211239166238461", 0x5A32A0),
    (datetime(2004, 3, 29, 0, 1, tzinfo=UTC), "18070818655140104337", 0x5A32A2),  # reserved
    (datetime(2004, 3, 29, 0, 3, tzinfo=UTC), "59463760341829598722", 0x5A32A3),
    (datetime(2004, 3, 29, 0, 4, tzinfo=UTC), "49512072598296997272", 0x5A32A4),
    (datetime(2004, 3, 29, 0, 5, tzinfo=UTC), "59135803195278393273", 0x5A32A5),
]


@pytest.mark.parametrize(("issued", "token", "tid"), CTSA09)
def test_ctsa09_clear_credit_vectors(issued: datetime, token: str, tid: int) -> None:
    assert management_token(EA.MISTY1, DK, 1, 0xFFFF, issued, rnd=5) == token
    d = decode_token(EA.MISTY1, DK, token)
    assert d.crc_ok and (d.token_class, d.subclass, d.tid, d.value) == (2, 1, tid, 0xFFFF)


@pytest.mark.parametrize(
    ("hh_mm", "minute_of_day"),
    [((0, 0), 0), ((0, 1), 2), ((0, 2), 2), ((23, 59), 1439)],
)
def test_reserved_minute_at_day_boundaries(hh_mm: tuple[int, int], minute_of_day: int) -> None:
    day = datetime(2020, 2, 29, tzinfo=UTC)
    issued = day.replace(hour=hh_mm[0], minute=hh_mm[1], second=59)
    tid = issue_tid(issued)
    assert tid == tid_for(day) + minute_of_day
    assert not is_reserved_tid(tid)


def test_every_class_with_a_tid_skips_the_reserved_minute() -> None:
    at = datetime(2004, 3, 1, 0, 1, 30, tzinfo=UTC)
    expected = tid_for(at) + 1
    for token in (
        credit_token(EA.MISTY1, DK, 0, Decimal("1"), at, rnd=1),
        credit_token(EA.MISTY1, DK, 1, Decimal("1"), at, rnd=1),
        management_token(EA.MISTY1, DK, 0, 5000, at, rnd=1),
        management_token(EA.MISTY1, DK, 5, 0, at, rnd=1),
    ):
        d = decode_token(EA.MISTY1, DK, token)
        assert d.crc_ok and d.tid == expected
        assert d.issued == at.replace(minute=2, second=0)


def test_local_midnight_is_not_the_reserved_minute() -> None:
    # 00:01 at UTC+2 is 22:01 UTC: a TID day is a UTC day (base dates are UTC midnights).
    plus2 = timezone(timedelta(hours=2))
    at = datetime(2004, 3, 2, 0, 1, tzinfo=plus2)
    assert issue_tid(at) == tid_for(at)
    assert issue_tid(datetime(2004, 3, 1, 0, 1, tzinfo=plus2) + timedelta(hours=2)) == (
        tid_for(datetime(2004, 3, 1, 0, 2, tzinfo=UTC))
    )


@pytest.mark.parametrize("base", [1993, 2014, 2035])
def test_base_date_boundaries(base: int) -> None:
    start = datetime(base, 1, 1, tzinfo=UTC)
    assert issue_tid(start, base) == 0
    assert issue_tid(start + timedelta(minutes=1), base) == 2
    assert issue_tid(start + timedelta(minutes=2), base) == 2
    # The last TID is 20:15 of its day, so the rule never pushes a token out of range.
    last = last_valid_time(base)
    assert (last.hour, last.minute) == (20, 15)
    assert issue_tid(last, base) == TID_MAX
    with pytest.raises(TidRangeError):
        issue_tid(last + timedelta(minutes=1), base)


def test_rollover_day_keeps_the_rule_on_the_new_base_date() -> None:
    # After the 1993 rollover (2024-11-24 20:15) meters are on base 2014: 00:01 next day.
    next_day = datetime(2024, 11, 25, 0, 1, tzinfo=UTC)
    with pytest.raises(TidRangeError):
        issue_tid(next_day, 1993)
    tid = issue_tid(next_day, 2014)
    assert tid == tid_for(next_day, 2014) + 1
    assert tid_to_datetime(tid, 2014) == next_day + timedelta(minutes=1)


def test_out_of_range_offsets_are_tid_errors_not_overflow() -> None:
    with pytest.raises(TidRangeError, match="outside the range"):
        as_utc(datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-1))))
    with pytest.raises(TidRangeError, match="outside the range"):
        as_utc(datetime(1, 1, 1, 0, 0, tzinfo=timezone(timedelta(hours=1))))


# ------------------------------------------------------------------ key expiry -------------

def test_ken_boundary_from_the_sts_association_table() -> None:
    # sts.org.za "Key Expiry Number (KEN)": KEN 0xAA accepts TIDs whose top 8 bits are <= 0xAA.
    assert not is_expired(0xAAFFFF, 0xAA)
    assert is_expired(0xAB0000, 0xAA)
    assert not is_expired(TID_MAX, 255)
    assert key_expiry_time(0xAA) == tid_to_datetime(0xAAFFFF)
    assert key_expiry_time(255, 2014) == last_valid_time(2014)


def test_vending_refuses_a_token_past_the_key_expiry() -> None:
    ken = 0x5A
    last_ok = tid_to_datetime(0x5AFFFF)
    token = credit_token(EA.MISTY1, DK, 0, Decimal("1"), last_ok, rnd=1, ken=ken)
    assert decode_token(EA.MISTY1, DK, token).tid == 0x5AFFFF
    first_expired = last_ok + timedelta(minutes=1)
    with pytest.raises(KeyExpiredError, match=r"expired \(KEN 90\).*key change") as exc:
        credit_token(EA.MISTY1, DK, 0, Decimal("1"), first_expired, rnd=1, ken=ken)
    assert str(exc.value).count(f"{last_ok:%Y-%m-%d %H:%M}") == 1
    with pytest.raises(KeyExpiredError):
        management_token(EA.MISTY1, DK, 5, 0, first_expired, rnd=1, ken=ken)


# ------------------------------------------------------------------ currency tokens --------

@pytest.mark.parametrize("subclass", [4, 5, 6, 7])
def test_currency_subclasses_are_refused_not_encoded_as_energy(subclass: int) -> None:
    at = datetime(2004, 3, 1, 13, tzinfo=UTC)
    with pytest.raises(UnsupportedTokenError, match=r"Currency credit tokens .* not supported"):
        credit_token(EA.MISTY1, DK, subclass, Decimal("1"), at, rnd=1)
