"""Virtual two-way smart meters: token delivery after a sale, keypad entry and the audit.

For a two-way meter the server enters the sold tokens into the meter itself (here a
`sts.virtual_meter.VirtualMeter` per meter, rebuilt from the recorded entries after a restart
or when another process typed a token), reads the balance back and emits `sale.delivered`.
Every entry is recorded, so `audit()` can flag credit that no recorded sale backs.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sts.virtual_meter import VirtualMeter
from vendserver import engine
from vendserver.db import Row, Store
from vendserver.engine import MeterKey
from vendserver.money import fmt_units

log = logging.getLogger("vendserver.smartmeters")


@dataclass
class DeliveryJob:
    """Tokens to enter into a meter; a job with `done` only marks a point in the queue."""

    drn: str
    tokens: list[str]
    receipt_no: str | None
    done: threading.Event | None = None


class SmartMeters:
    """The virtual meters and the single worker that delivers tokens into them."""

    def __init__(
        self,
        store: Store,
        *,
        vending_keys: Callable[[Row], tuple[bytes, bytes]],
        now: Callable[[], str],
        event: Callable[..., int],
        notify: Callable[[], None],
    ) -> None:
        self.store = store
        self._vending_keys = vending_keys
        self._now = now
        self._event = event
        self._notify = notify
        self._vms: dict[str, tuple[VirtualMeter, int]] = {}
        self._jobs: queue.Queue[DeliveryJob | None] = queue.Queue()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the worker; re-queue deliveries a restart interrupted."""
        self._thread = threading.Thread(target=self._loop, name="vendserver-delivery",
                                        daemon=True)
        self._thread.start()
        for row in self.store.undelivered_two_way():
            sale = self.store.sale(row["receipt_no"])
            assert sale is not None
            tokens = [t["token"] for t in self.store.sale_tokens(sale["receipt_no"])]
            self.put(DeliveryJob(sale["meter_drn"], tokens, sale["receipt_no"]))

    def stop(self) -> None:
        """Stop the worker after the jobs already queued."""
        self._jobs.put(None)
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def put(self, job: DeliveryJob) -> None:
        """Queue tokens for delivery."""
        self._jobs.put(job)

    def mark(self) -> threading.Event:
        """An event set once every job queued before this call is done."""
        done = threading.Event()
        self._jobs.put(DeliveryJob("", [], None, done))
        return done

    def _vm(self, drn: str) -> VirtualMeter:
        # The count tells whether another process (the meter-enter CLI) entered tokens since
        # this meter was cached; only then is the history read and replayed.
        accepted = self.store.vm_accepted_count(drn)
        cached = self._vms.get(drn)
        if cached is not None and cached[1] == accepted:
            return cached[0]
        entries = [e for e in self.store.vm_entries(drn) if e["accepted"]]
        meter = self.store.meter(drn)
        assert meter is not None
        vk160, vk64 = self._vending_keys(meter)
        initial = MeterKey.from_row(json.loads(meter["initial_key"]))
        vm = engine.new_virtual_meter(drn, meter["service"], initial, vk160, vk64)
        for e in entries:  # replay what the meter accepted before (restart, other process)
            vm.enter(e["token"])
        self._vms[drn] = (vm, len(entries))
        return vm

    def enter_token(self, drn: str, token: str, source: str = "keypad") -> dict[str, Any]:
        """Type a token into a virtual meter (as a customer would) and record it."""
        with self.store.transaction():
            # Locked: another process may type into the same meter (its entries decide the
            # balance this one replays).
            self.store.meter(drn, lock=True)
            vm = self._vm(drn)
            before = vm.balance
            response = vm.enter(token)
            added = int((vm.balance - before) * 10) if response.accepted else 0
            self.store.add_vm_entry(drn, token, response.accepted, response.reason,
                                    max(added, 0), int(vm.balance * 10), source, self._now())
            cached = self._vms[drn]
            self._vms[drn] = (cached[0], cached[1] + int(response.accepted))
        return {"accepted": response.accepted, "reason": response.reason,
                "balance": fmt_units(int(vm.balance * 10))}

    def _loop(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            if job.done is not None:
                job.done.set()
                continue
            try:
                self._deliver(job)
            except Exception:  # keep delivering the others; the sale is safe in the DB
                log.exception("delivery to meter %s failed", job.drn)

    def _deliver(self, job: DeliveryJob) -> None:
        with self.store.transaction():
            sale = self.store.sale(job.receipt_no, lock=True) if job.receipt_no else None
            if sale is not None and (sale["reversed_at"] or sale["delivered_at"]):
                return
            accepted = True
            for token in job.tokens:
                accepted = bool(self.enter_token(job.drn, token, "delivery")["accepted"]) and (
                    accepted)
            if sale is None:
                return
            balance = int(self._vm(job.drn).balance * 10)
            now = self._now()
            self.store.mark_delivered(sale["receipt_no"], now, balance)
            self._event("sale.delivered", {
                "receipt_no": sale["receipt_no"], "idempotency_key": sale["idem_key"],
                "terminal_id": sale["terminal_id"], "meter_number": job.drn,
                "accepted": accepted, "balance": fmt_units(balance),
                "unit": json.loads(sale["response"])["unit"], "delivered_at": now,
            }, vendor_id=sale["vendor_id"])
        self._notify()

    def audit(self) -> list[dict[str, Any]]:
        """Virtual-meter credit increases that no recorded (non-reversed) sale backs."""
        findings = []
        for e in self.store.vm_entries():
            if not e["credit_added"]:
                continue
            backing = [b for b in self.store.token_backing(e["meter_drn"], e["token"])
                       if b["kind"] in ("credit", "fbe") and b["reversed_at"] is None]
            if not backing:
                findings.append({"meter_number": e["meter_drn"], "at": e["at"],
                                 "credit_added": fmt_units(int(e["credit_added"])),
                                 "source": e["source"], "token_tail": e["token"][-4:]})
        return findings
