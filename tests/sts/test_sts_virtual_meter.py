"""The virtual meter: credit, TID memory, management tokens, key changes, reasons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from sts.keys import EA, MeterKeyData, derive_decoder_key
from sts.meter_number import parse_meter_number
from sts.sta import StaTables
from sts.tokens import (
    credit_token,
    key_change_tokens,
    management_token,
    test_token,
)
from sts.virtual_meter import VirtualMeter

VK160 = bytes.fromhex("abababababababab949494949494949401234567")
METER = parse_meter_number("14339800360")
T0 = datetime(2004, 3, 1, 13, 0, tzinfo=UTC)


def _misty_meter(tid_memory: int = 50, **kw: object) -> tuple[VirtualMeter, bytes]:
    key = MeterKeyData(sgc="123457", ti=1, krn=1, kt=2, ea=EA.MISTY1)
    dk = derive_decoder_key(4, VK160, METER.pan, key)
    return VirtualMeter(METER, key, dk, tid_memory=tid_memory, **kw), dk  # type: ignore[arg-type]


def _credit(dk: bytes, minutes: int, amount: str = "10", subclass: int = 0) -> str:
    return credit_token(
        EA.MISTY1, dk, subclass, Decimal(amount), T0 + timedelta(minutes=minutes), rnd=1
    )


def test_credit_is_added_once() -> None:
    meter, dk = _misty_meter()
    token = _credit(dk, 0, "25.6")
    r = meter.enter(token)
    assert r.accepted and r.credit_added == Decimal("25.6") and "Accepted" in r.reason
    assert meter.balance == Decimal("25.6")
    again = meter.enter(" ".join(token[i : i + 4] for i in range(0, 20, 4)))
    assert not again.accepted and "already been used" in again.reason
    assert meter.balance == Decimal("25.6")


def test_tid_memory_rejects_too_old_once_full() -> None:
    meter, dk = _misty_meter(tid_memory=3)
    for m in (10, 20, 30):
        assert meter.enter(_credit(dk, m)).accepted
    r = meter.enter(_credit(dk, 5))
    assert not r.accepted and "too old" in r.reason
    assert meter.enter(_credit(dk, 15)).accepted  # newer than the oldest remembered (10)
    assert meter.remembered_tids == tuple(
        int((T0 + timedelta(minutes=m) - datetime(1993, 1, 1, tzinfo=UTC)).total_seconds() // 60)
        for m in (15, 20, 30)
    )
    r = meter.enter(_credit(dk, 12))
    assert not r.accepted and "too old" in r.reason
    assert meter.balance == Decimal("40")


def test_memory_not_full_accepts_older_tokens() -> None:
    meter, dk = _misty_meter(tid_memory=50)
    assert meter.enter(_credit(dk, 100)).accepted
    assert meter.enter(_credit(dk, 1)).accepted  # out of order but unused, memory not full


def test_mistyped_and_foreign_tokens_are_rejected_with_reasons() -> None:
    meter, dk = _misty_meter()
    token = _credit(dk, 0)
    bad = token[:5] + str((int(token[5]) + 1) % 10) + token[6:]
    r = meter.enter(bad)
    assert not r.accepted and ("mistyped" in r.reason or "too large" in r.reason)
    other_key = bytes(16)
    r = meter.enter(_credit(other_key, 1))
    assert not r.accepted and "another meter" in r.reason
    r = meter.enter("1234")
    assert not r.accepted and "20 digits" in r.reason
    assert meter.balance == 0


def test_utility_mismatch() -> None:
    meter, dk = _misty_meter(utility=0)
    r = meter.enter(_credit(dk, 0, subclass=1))
    assert not r.accepted and "water" in r.reason and "electricity" in r.reason


def test_management_tokens() -> None:
    meter, dk = _misty_meter()
    assert meter.enter(_credit(dk, 0, "50")).accepted
    meter.tamper = True

    def mgmt(sub: int, value: int, minute: int) -> str:
        return management_token(EA.MISTY1, dk, sub, value, T0 + timedelta(minutes=minute), rnd=2)

    r = meter.enter(mgmt(0, 20000, 1))
    assert r.accepted and meter.max_power_w == 20004  # rounded up like amounts
    assert meter.enter(mgmt(5, 0, 2)).accepted and meter.tamper is False
    assert meter.enter(mgmt(6, 500, 3)).accepted and meter.phase_unbalance_w == 500
    assert meter.enter(mgmt(2, 1234, 4)).accepted and meter.tariff_rate == 1234
    assert meter.enter(mgmt(7, 42, 5)).accepted and meter.water_factor == 42
    r = meter.enter(mgmt(1, 0xFFFF, 6))
    assert r.accepted and meter.balance == 0 and "cleared" in r.reason
    assert not meter.enter(mgmt(2, 1234, 4)).accepted  # reused TID


def test_test_tokens_are_accepted_without_tid() -> None:
    meter, _ = _misty_meter()
    r = meter.enter(test_token(0, 1, "00"))
    assert r.accepted and "test" in r.reason
    assert meter.remembered_tids == ()


def test_64_bit_key_change_in_order(sample_tables: StaTables) -> None:
    old_key = MeterKeyData(sgc="123456", ti=1, krn=1, kt=2, ea=EA.STA)
    vk = bytes.fromhex("abababababababab")
    old_dk = derive_decoder_key(2, vk, METER.pan, old_key)
    meter = VirtualMeter(METER, old_key, old_dk, sta_tables=sample_tables)
    new_key = MeterKeyData(sgc="123456", ti=5, krn=2, kt=2, ea=EA.STA, ken=0xC3)
    new_dk = derive_decoder_key(2, vk, METER.pan, new_key)
    kct = key_change_tokens(
        EA.STA, old_dk, new_dk, new_key, issued=T0, sta_tables=sample_tables
    )
    r = meter.enter(kct[1])
    assert not r.accepted and "1st" in r.reason
    assert meter.enter(kct[0]).accepted
    r = meter.enter(kct[1])
    assert r.accepted and "revision 2" in r.reason
    assert meter.dk == new_dk
    assert (meter.key.krn, meter.key.ti, meter.key.ken, meter.key.base_date) == (2, 5, 0xC3, 1993)
    old_credit = credit_token(EA.STA, old_dk, 0, Decimal(1), T0, rnd=1, sta_tables=sample_tables)
    assert not meter.enter(old_credit).accepted
    new_credit = credit_token(EA.STA, new_dk, 0, Decimal(1), T0, rnd=1, sta_tables=sample_tables)
    assert meter.enter(new_credit).accepted


def test_128_bit_key_change_with_rollover_moves_base_date_and_clears_tids() -> None:
    meter, old_dk = _misty_meter()
    assert meter.enter(_credit(old_dk, 0)).accepted
    new_key = MeterKeyData(sgc="654321", ti=2, krn=4, kt=2, ea=EA.MISTY1, base_date=2014)
    new_dk = derive_decoder_key(4, VK160, METER.pan, new_key)
    kct = key_change_tokens(EA.MISTY1, old_dk, new_dk, new_key, issued=T0)
    assert len(kct) == 4
    for i, t in enumerate(kct[:3]):
        r = meter.enter(t)
        assert r.accepted and f"section {i + 1} of 4" in r.reason
        assert meter.dk == old_dk  # nothing changes until the last section
    r = meter.enter(kct[3])
    assert r.accepted and "base date now 2014" in r.reason
    assert meter.dk == new_dk and meter.key == new_key
    assert meter.remembered_tids == ()
    issued = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)
    t = credit_token(EA.MISTY1, new_dk, 0, Decimal("5"), issued, rnd=3, base_date=2014)
    r = meter.enter(t)
    assert r.accepted and r.decoded is not None and r.decoded.issued == issued


def test_interrupted_128_bit_key_change_must_restart() -> None:
    meter, old_dk = _misty_meter()
    new_key = MeterKeyData(sgc="123457", ti=2, krn=2, ea=EA.MISTY1)
    new_dk = derive_decoder_key(4, VK160, METER.pan, new_key)
    kct = key_change_tokens(EA.MISTY1, old_dk, new_dk, new_key, issued=T0)
    assert meter.enter(kct[0]).accepted
    r = meter.enter(kct[2])
    assert not r.accepted and "section 3 must follow section 2" in r.reason
    assert meter.enter(kct[1]).accepted and meter.enter(kct[2]).accepted
    assert meter.enter(kct[3]).accepted and meter.dk == new_dk


def test_constructor_validates_memory_size() -> None:
    with pytest.raises(ValueError, match="at least one"):
        _misty_meter(tid_memory=0)


def test_consume_and_concurrent_entry_keep_balance_exact() -> None:
    import threading

    meter, dk = _misty_meter(tid_memory=200)
    tokens = [_credit(dk, m, "1.5") for m in range(100)]
    results: list[bool] = []
    lock = threading.Lock()

    def worker(chunk: list[str]) -> None:
        for t in chunk:
            ok = meter.enter(t).accepted
            with lock:
                results.append(ok)

    threads = [threading.Thread(target=worker, args=(tokens[i::4] + tokens[:5],)) for i in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=30)
    assert results.count(True) == 100  # the 20 repeats were refused as used
    assert meter.balance == Decimal("150.0")
    assert meter.consume(Decimal("200")) == Decimal("150.0") and meter.balance == 0


def test_meter_rejects_a_token_past_its_key_expiry() -> None:
    # A meter whose key expires with KEN 0x5A (the last TID is 0x5AFFFF); the vending side
    # refuses too, so the expired token is built with a never-expiring KEN on purpose.
    key = MeterKeyData(sgc="123457", ti=1, krn=1, kt=2, ea=EA.MISTY1, ken=0x5A)
    dk = derive_decoder_key(4, VK160, METER.pan, key)
    meter = VirtualMeter(METER, key, dk)
    last = datetime(1993, 1, 1, tzinfo=UTC) + timedelta(minutes=0x5AFFFF)
    ok = credit_token(EA.MISTY1, dk, 0, Decimal("1"), last, rnd=1, ken=0x5A)
    assert meter.enter(ok).accepted
    late = credit_token(EA.MISTY1, dk, 0, Decimal("1"), last + timedelta(minutes=1), rnd=1)
    r = meter.enter(late)
    assert not r.accepted and "expired (KEN 90)" in r.reason and meter.balance == Decimal("1")
