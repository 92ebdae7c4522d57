"""Random network-fault scenarios against the real reference server, judged by the server's
record (used by `bench/faults.py` and `tests/reliability/test_fault_scenarios.py`).

Each scenario is a fresh terminal (activation, store, till built by `app.till.build`
through `tests.reliability.harness.build_core`, its sync worker running) behind the fault
proxy. A cashier serves one to three customers through the till (look-up, sell) while the
proxy injects one to three faults from the chosen kinds on sale, look-up, upload or any
request (the next one to five matching requests, or all of them until the faults stop);
sometimes the server is cut off for a while (`outage`) or killed and restarted on the same
database (`restart`). Then the faults stop, sync drains, and every customer's sale
is compared with what the server holds (see `judge`).

The cashier follows the core: after an attempt that ends unclearly (no answer, an unreadable
answer, an unexpected error) it sells again only when the core says the sale was not made
(`void` or `rejected`), otherwise it leaves it to sync. `blind_retry=True` sells again
under a new key after any such failure instead, as a screen that ignores the core would.
"""

from __future__ import annotations

import random
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.api import Money
from app.api.errors import ApiRejected
from app.sales.policy import OfflineRefused
from app.till.facade import PriceChanged
from app.till.results import Operator, SaleState
from common.errors import InvalidInput
from tests.reliability.faultproxy import Fault, FaultKind, FaultProxy
from tests.reliability.harness import Core, build_core
from tests.reliability.records import (
    OPEN_STATES,
    Issued,
    client_records,
    content_problems,
    server_records,
    shown_problems,
)
from tests.reliability.serverhost import ServerHost

#: Extra disturbances a scenario may have besides proxy faults.
OUTAGE, RESTART = "outage", "restart"
ALL_KINDS: tuple[str, ...] = (*(k.value for k in FaultKind), OUTAGE, RESTART)
TARGETS = (b"POST /v1/sales ", b"GET /v1/sales/", b"POST /v1/sales/batch", b"")
CASHIER = Operator("thandi", "Thandi")
#: Timings of a scenario (seconds). The client's read timeout and the sync grace are the
#: harness's quick ones; the bounds are what "resolved in a bounded time" means here.
READ_TIMEOUT, RESOLVE_GRACE = 1.5, 3.0
FAULT_PHASE, CALL_BOUND, DRAIN_BOUND = 6.0, 30.0, 10.0
_NOT_SOLD = (ApiRejected, OfflineRefused, InvalidInput, PriceChanged)


@dataclass(frozen=True)
class Plan:
    """What one scenario does; drawn from the run's seed."""

    index: int
    faults: tuple[tuple[Fault, bytes, int], ...]
    customers: int
    outage: tuple[float, float] | None = None  # (start, length)
    restart_at: float | None = None

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds of disturbance in this scenario."""
        kinds = {f.kind.value for f, _, _ in self.faults}
        if self.outage is not None:
            kinds.add(OUTAGE)
        if self.restart_at is not None:
            kinds.add(RESTART)
        return tuple(sorted(kinds))


def draw(rng: random.Random, index: int, kinds: Sequence[str]) -> Plan:
    """A random scenario using only `kinds`."""
    proxy_kinds = [FaultKind(k) for k in kinds if k not in (OUTAGE, RESTART)]
    faults: list[tuple[Fault, bytes, int]] = []
    # Half the scenarios hit a sale's answer AND the look-up that resolves it (where lost
    # and doubled sales come from); the rest hit random requests.
    paired = rng.random() < 0.5
    for n in range(rng.randint(2 if paired else 1, 3) if proxy_kinds else 0):
        kind = rng.choice(proxy_kinds)
        fault = Fault(kind, after_commit=rng.random() < 0.5, delay=rng.uniform(0.2, 3.0),
                      interval=0.05, size=4 * 1024 * 1024, depth=100_000)
        target = TARGETS[n] if paired and n < 2 else rng.choice(TARGETS)
        # -1: every matching request until the faults stop.
        faults.append((fault, target, rng.choice((1, 1, 2, 3, 5, -1))))
    outage = (rng.uniform(0.0, 1.5), rng.uniform(0.3, 2.0)) \
        if OUTAGE in kinds and rng.random() < 0.3 else None
    restart = rng.uniform(0.0, 2.0) if RESTART in kinds and rng.random() < 0.2 else None
    return Plan(index, tuple(faults), rng.randint(1, 3), outage, restart)


@dataclass
class CustomerSale:
    """One customer at the counter: the keys its attempts made and what the cashier saw."""

    scenario: int
    kinds: tuple[str, ...]
    meter: str
    amount: Money
    keys: list[str] = field(default_factory=list)
    told: list[str] = field(default_factory=list)  # tokened, pending, not_sold:X, unclear:X
    shown: list[Issued] = field(default_factory=list)
    started: bool = False
    finished: bool = False

    @property
    def acked(self) -> bool:
        """The cashier was told it is sold (tokens) or pending (a slip)."""
        return any(t in ("tokened", "pending") for t in self.told)


@dataclass
class Tally:
    """The four failure counts, overall and by kind of disturbance."""

    scenarios: int = 0
    lost: int = 0
    duplicated: int = 0
    wrong: int = 0
    stuck: int = 0
    phantom: int = 0  # a server sale for a customer told "not sold" (reported, not in the line)
    slow_calls: int = 0  # sale calls longer than `slow_after` seconds
    by_kind: dict[str, Counter[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def add(self, kinds: tuple[str, ...], what: str, problem: str) -> None:
        setattr(self, what, getattr(self, what) + 1)
        for kind in kinds or ("none",):
            self.by_kind.setdefault(kind, Counter())[what] += 1
        self.problems.append(problem)

    def line(self) -> str:
        """The summary line the benchmark prints last."""
        return (f"{self.scenarios} scenarios: {self.lost} lost, {self.duplicated} duplicated, "
                f"{self.wrong} wrong tokens, {self.stuck} stuck")

    @property
    def clean(self) -> bool:
        return not (self.lost or self.duplicated or self.wrong or self.stuck)


def _keys(core: Core) -> set[str]:
    return set(core.store.call(lambda c: [r[0] for r in c.execute(
        "SELECT idem_key FROM sales")]))


def _state(core: Core, key: str) -> str:
    return str(core.store.call(lambda c: c.execute(
        "SELECT state FROM sales WHERE idem_key = ?", (key,)).fetchone()[0]))


def serve(core: Core, sale: CustomerSale, *, blind_retry: bool,
          durations: list[float]) -> None:
    """The cashier's part for one customer: look up, sell, and at most one more attempt."""
    sale.started = True
    for _attempt in range(2):
        try:
            core.till.lookup(sale.meter)
        except Exception as exc:  # the customer cannot be confirmed: nothing is sold
            sale.told.append(f"not_sold:lookup:{type(exc).__name__}")
            return
        before = _keys(core)
        start = time.monotonic()
        try:
            result = core.till.sell(sale.meter, sale.amount, CASHIER)
        except _NOT_SOLD as exc:
            sale.told.append(f"not_sold:{type(exc).__name__}")
            unclear = False
        except Exception as exc:  # SaleNotCompleted, unreadable answers, bugs
            sale.told.append(f"unclear:{type(exc).__name__}")
            unclear = True
        else:
            unclear = False
            if result.state is SaleState.TOKENED:
                sale.told.append("tokened")
                sale.shown.append(Issued(
                    result.reference, result.amount.minor,
                    int(Decimal(result.units) * 10),
                    tuple(t.digits for t in result.ordered_tokens())))
            else:
                sale.told.append("pending")
        finally:
            durations.append(time.monotonic() - start)
            sale.keys.extend(sorted(_keys(core) - before))
        if not unclear:
            return
        made = [_state(core, k) for k in sale.keys]
        if not blind_retry and not all(s in ("void", "rejected") for s in made):
            return  # the core has not said "not made": leave it to sync


def _disturb(plan: Plan, host: ServerHost, proxy: FaultProxy, done: threading.Event) -> None:
    """Cut the server off for a while and/or kill and restart it, on the plan's schedule."""
    if plan.outage is not None:
        start, length = plan.outage
        if done.wait(start):
            return
        proxy.down()
        done.wait(length)
        proxy.up()
    if plan.restart_at is not None and not done.wait(plan.restart_at):
        host.restart()


def _open_keys(core: Core, keys: Sequence[str]) -> list[str]:
    states = core.store.call(lambda c: dict(c.execute("SELECT idem_key, state FROM sales")))
    return [k for k in keys if states.get(k) in OPEN_STATES]


def wait_until(condition: Callable[[], bool], timeout: float, poll: float = 0.05) -> bool:
    """Check `condition` until it holds or `timeout` passes; whether it held."""
    deadline = time.monotonic() + timeout
    gate = threading.Event()
    while not condition():
        if time.monotonic() >= deadline:
            return False
        gate.wait(poll)
    return True


Tamper = Callable[[Any], None]


def run_scenario(plan: Plan, host: ServerHost, proxy: FaultProxy, folder: Path, meters:
                 Sequence[str], rng: random.Random, tally: Tally, *, blind_retry: bool = False,
                 tamper: Tamper | None = None, slow_after: float = 20.0) -> None:
    """One scenario from a fresh terminal to the judgement, added to `tally`."""
    activation = host.server.activate(f"Fault scenario {plan.index}")
    folder.mkdir(parents=True, exist_ok=True)
    core = build_core(folder / "vend.db", secrets.token_bytes(32), proxy.url,
                      activation["credential"], terminal=activation, start=True,
                      read_timeout=READ_TIMEOUT, resolve_grace=RESOLVE_GRACE)
    durations: list[float] = []
    try:
        for meter in meters:  # the customers' meters are known here (offline sales allowed)
            core.till.lookup(meter)
        # At least R100: a month's first sale must cover its fixed charge (R45), or the
        # server rightly refuses an offline one when it syncs.
        sales = [CustomerSale(plan.index, plan.kinds, rng.choice(meters),
                              Money(rng.randint(100, 300) * 100, "ZAR"))
                 for _ in range(plan.customers)]
        for fault, match, count in plan.faults:
            proxy.inject(fault, match, count)

        def cashier() -> None:
            for sale in sales:
                serve(core, sale, blind_retry=blind_retry, durations=durations)
                sale.finished = True

        done = threading.Event()
        counter = threading.Thread(target=cashier, name="cashier", daemon=True)
        disturber = threading.Thread(target=_disturb, args=(plan, host, proxy, done),
                                     name="disturber", daemon=True)
        counter.start()
        disturber.start()
        counter.join(FAULT_PHASE)
        done.set()
        disturber.join(60)
        proxy.clear()  # the faults stop
        host.start()
        counter.join(CALL_BOUND)
        core.sync.wake()
        keys = [k for s in sales for k in s.keys]
        wait_until(lambda: not _open_keys(core, keys), DRAIN_BOUND)
        if tamper is not None:
            core.store.call(tamper)
        client = core.store.call(client_records)
        server = server_records(host.db_path, activation["terminal_id"])
        judge(sales, client, server, tally)
        tally.slow_calls += sum(1 for d in durations if d > slow_after)
        tally.scenarios += 1
        for kind in plan.kinds or ("none",):
            tally.by_kind.setdefault(kind, Counter())["scenarios"] += 1
    finally:
        proxy.clear()
        core.session.close()
        core.close()


def judge(sales: Sequence[CustomerSale], client: dict[str, Any], server: dict[str, Issued],
          tally: Tally) -> None:
    """Lost, duplicated, wrong tokens and stuck, per customer (definitions in the bench)."""
    problems = content_problems(client, server)
    for sale in sales:
        if not sale.started:
            continue  # the counter was still blocked on an earlier customer
        tag = f"scenario {sale.scenario} {list(sale.kinds)} told {sale.told}"
        on_server = [k for k in sale.keys if k in server]
        still_open = [k for k in sale.keys if client[k].state in OPEN_STATES]
        if not sale.finished or still_open:
            states = [client[k].state for k in sale.keys]
            tally.add(sale.kinds, "stuck", f"{tag}: stuck {states}"
                      + ("" if sale.finished else " (the sale call never returned)"))
        if len(on_server) > 1:
            tally.add(sale.kinds, "duplicated", f"{tag}: {len(on_server)} server sales")
        if sale.acked and not on_server and not still_open:
            states = [f"{client[k].state} {client[k].reason_code}".strip() for k in sale.keys]
            tally.add(sale.kinds, "lost", f"{tag}: lost, client states {states}")
        if on_server and sale.told and all(t.startswith("not_sold") for t in sale.told):
            tally.phantom += 1
            tally.problems.append(f"{tag}: told not sold, yet on the server")
        wrong = [p for p in problems if any(p.startswith(k) for k in sale.keys)]
        for shown in sale.shown:
            key = next((k for k in sale.keys if k in server and
                        server[k].receipt_no == shown.receipt_no), sale.keys[-1])
            wrong += shown_problems(key, shown, server)
        if wrong:
            tally.add(sale.kinds, "wrong", f"{tag}: {'; '.join(wrong)}")


def run(scenarios: int, seed: int, workdir: Path, *, kinds: Sequence[str] = ALL_KINDS,
        blind_retry: bool = False, tamper_first: Tamper | None = None,
        progress: Callable[[str], None] | None = None) -> Tally:
    """`scenarios` random scenarios from `seed` on one server (restarted now and then)."""
    rng = random.Random(seed)
    tally = Tally()
    proxy = FaultProxy(0)
    host = ServerHost(workdir / "server", proxy)
    try:
        server = host.start()
        server.service.top_up("V001", 10**12)  # the float never runs out in a long run
        meters = [m["meter_number"] for m in server.demo["meters"]
                  if m["tags"] == ["normal"]][:4]
        for i in range(scenarios):
            plan = draw(rng, i, kinds)
            before = (tally.lost, tally.duplicated, tally.wrong, tally.stuck)
            run_scenario(plan, host, proxy, workdir / f"client-{i}", meters, rng, tally,
                         blind_retry=blind_retry, tamper=tamper_first if i == 0 else None)
            if progress is not None:
                after = (tally.lost, tally.duplicated, tally.wrong, tally.stuck)
                delta = [b - a for a, b in zip(before, after, strict=True)]
                progress(f"scenario {i} {list(plan.kinds)}: LDWS {delta}")
    finally:
        proxy.close()
        host.close()
    return tally
