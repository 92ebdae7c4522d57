"""The one backoff policy: capped, exponential, jittered, with an injectable random source."""

from __future__ import annotations

import random

import pytest

from common.backoff import Backoff


def test_delays_grow_exponentially_up_to_the_cap() -> None:
    b = Backoff(base=1.0, cap=8.0, jitter=0.0)
    assert [b.delay(n) for n in range(6)] == [1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    assert b.delay(10_000) == 8.0  # no overflow on a long outage
    assert [b.after(n) for n in (1, 2, 3)] == [1.0, 2.0, 4.0]
    assert Backoff(base=0.5, cap=100.0, factor=3.0, jitter=0.0).delay(2) == 4.5


def test_jitter_keeps_a_fixed_part_and_spreads_the_rest() -> None:
    b = Backoff(base=1.0, cap=8.0, rng=random.Random(42))
    for attempt, top in [(0, 1.0), (1, 2.0), (3, 8.0), (50, 8.0)]:
        delays = {b.delay(attempt) for _ in range(200)}
        assert all(top / 2 <= d <= top for d in delays)
        assert max(delays) - min(delays) > top / 4  # really spread, not a constant
    tight = Backoff(base=10.0, cap=10.0, jitter=0.1, rng=random.Random(1))
    assert all(9.0 <= tight.delay(0) <= 10.0 for _ in range(100))


def test_the_random_source_is_injectable_and_repeatable() -> None:
    a = Backoff(rng=random.Random(7))
    b = Backoff(rng=random.Random(7))
    assert [a.delay(n) for n in range(10)] == [b.delay(n) for n in range(10)]
    assert [a.delay(3) for _ in range(3)] != [Backoff(rng=random.Random(8)).delay(3)] * 3


def test_nonsense_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        Backoff(base=-1.0)
    with pytest.raises(ValueError, match="jitter"):
        Backoff(jitter=1.5)
    with pytest.raises(ValueError, match="factor"):
        Backoff(factor=0.5)
