"""Benchmark: exactly once under network faults, judged by the server's record.

Runs N random fault scenarios against the real reference server (in-process, on loopback;
killed and restarted on its database now and then) through the fault proxy
(`tests/reliability/faultproxy.py`). In each, a cashier serves customers through the till the
app uses (`app.till.build.build_till`) while its sync worker runs; then the faults stop,
sync drains, and every customer's sale is compared with the server's record
(`tests/reliability/scenarios.py`):

* lost: the cashier was told sold or pending, the server never made the sale and the client
  will not send it;
* duplicated: two server sales for one customer;
* wrong tokens: the client's stored or printed receipt (receipt number, units, amount, token
  digits in entry order) or what the cashier was shown differs from the server's;
* stuck: not resolved (still open, or the sale call never returned) after the faults
  stopped and sync drained for a bounded time.

Prints the counts by kind of disturbance, then as the LAST line exactly
``N scenarios: L lost, D duplicated, W wrong tokens, S stuck``.

Run: ``.venv/bin/python bench/faults.py --scenarios 100 --seed 1 [--kinds stall,trickle]
[--blind-retry] [--verbose]``
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a plain script from any directory

from tests.reliability.scenarios import ALL_KINDS, Tally, run  # noqa: E402


def report(tally: Tally, elapsed: float) -> list[str]:
    """The table by kind, the extra figures, and the summary line last."""
    lines = [f"{'kind':<14} {'runs':>5} {'lost':>5} {'dup':>5} {'wrong':>5} {'stuck':>5}"]
    for kind in sorted(tally.by_kind):
        c = tally.by_kind[kind]
        lines.append(f"{kind:<14} {c['scenarios']:>5} {c['lost']:>5} {c['duplicated']:>5} "
                     f"{c['wrong']:>5} {c['stuck']:>5}")
    lines.append(f"(a customer's sale counts under every kind its scenario had; "
                 f"{tally.phantom} told 'not sold' yet on the server; {tally.slow_calls} "
                 f"sale calls over 20 s; {elapsed:.0f} s)")
    lines.append(tally.line())
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scenarios", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--kinds", default=",".join(ALL_KINDS),
                        help=f"comma-separated, from: {', '.join(ALL_KINDS)}")
    parser.add_argument("--blind-retry", action="store_true",
                        help="sell again under a new key after any unclear failure")
    parser.add_argument("--verbose", action="store_true",
                        help="print each scenario and every problem found")
    args = parser.parse_args(argv)
    kinds = [k for k in args.kinds.split(",") if k]
    unknown = sorted(set(kinds) - set(ALL_KINDS))
    if unknown:
        parser.error(f"unknown kinds: {', '.join(unknown)}")
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="vp-faults-") as tmp:
        tally = run(args.scenarios, args.seed, Path(tmp), kinds=kinds,
                    blind_retry=args.blind_retry,
                    progress=print if args.verbose else None)
    if args.verbose:
        for problem in tally.problems:
            print(problem)
    for line in report(tally, time.monotonic() - start):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
