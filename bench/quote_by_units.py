"""Benchmark: the cost of pricing by units (bisection over `price`) against pricing an amount.

Prices random purchases on the demo's residential inclining-block tariff (fixed charge, debt
recovery on half the meters) both ways and prints quotes per second for each, and the ratio
amount/units: how many amount pricings one units pricing costs. Bisection over the sale
limits (R 5.00 to R 5 000.00) takes about log2(500 000) ≈ 19 pricings, so expect ~20.

Run: ``.venv/bin/python bench/quote_by_units.py [--seconds 2.0]`` (best of 5 runs per figure).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a plain script from any directory

from vendserver.demo import TARIFFS  # noqa: E402
from vendserver.pricing import MeterState, TariffTerms, amount_for_units, price  # noqa: E402
from vendserver.service.common import SALE_MAX, SALE_MIN  # noqa: E402

TERMS = TariffTerms.from_document(
    {**next(t for t in TARIFFS if t["tariff_id"] == "RES-IBT"), "version": 1})
_rng = random.Random(20261125)
STATES = [MeterState(month_to_date=_rng.randrange(0, 8000), first_of_month=_rng.random() < .5,
                     arrears=_rng.choice([0, 125_000]), fbe_due=False) for _ in range(200)]
AMOUNTS = [_rng.randrange(10_000, 300_000) for _ in range(200)]
UNITS = [_rng.randrange(1, 5_000) for _ in range(200)]


def rate(fn: Callable[[int], object], seconds: float, repeats: int = 5) -> float:
    """Best calls/s of fn(i) over `repeats` runs (best-of-N: the machine is shared)."""
    for i in range(20):
        fn(i)
    best = 0.0
    n = 0
    for _ in range(repeats):
        done = 0
        start = time.perf_counter()
        deadline = start + seconds / repeats
        while time.perf_counter() < deadline:
            for _ in range(20):
                fn(n % 200)
                n += 1
            done += 20
        best = max(best, done / (time.perf_counter() - start))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()
    by_amount = rate(lambda i: price(TERMS, STATES[i], AMOUNTS[i]), args.seconds)
    by_units = rate(lambda i: amount_for_units(TERMS, STATES[i], UNITS[i], SALE_MIN, SALE_MAX),
                    args.seconds)
    print(f"pricing by amount: {by_amount:,.0f} quotes/s")
    print(f"pricing by units:  {by_units:,.0f} quotes/s "
          f"({1e6 / by_units:,.0f} us each)")
    print(f"ratio amount/units: {by_amount / by_units:.1f}")


if __name__ == "__main__":
    main()
