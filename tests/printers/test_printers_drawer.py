"""The cash drawer kick: ESC p on the configured pin with the configured pulse, after the cut of
a cash sale's first document, printed by the real queue on the real store to the loopback
printer; never for a reprint, a non-cash sale, a late job or a token that follows its slip."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from common.backoff import Backoff
from common.errors import ConfigError
from common.events import CoreEvent, EventBus
from common.money import Money
from offline_store import Store
from printers import samples
from printers.connections import NetworkConfig, open_connection
from printers.drawer import is_cash_sale
from printers.model import Receipt
from printers.profile import DrawerKick, PrinterProfile
from printers.queue import PrintQueue
from printers.render import render_escpos
from printers.sql_job_store import SqlPrintJobStore
from printers.testing import EventRecorder, FakeTcpPrinter

PIN5 = DrawerKick(pin=5, on_ms=120, off_ms=240)
PROFILE = PrinterProfile(columns=42, cash_drawer=PIN5)
KICK_PIN5 = b"\x1bp\x01\x3c\x78"  # ESC p, m=1 (pin 5), 60 x 2 ms on, 120 x 2 ms off
CUT = b"\x1dV"


class Clock:
    """A settable clock for the queue (job ages), starting now."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


def _queue(store: Store, printer: FakeTcpPrinter, bus: EventBus, clock: Clock,
           profile: PrinterProfile = PROFILE) -> PrintQueue:
    conn = open_connection(NetworkConfig("127.0.0.1", printer.port, timeout_s=2.0,
                                         status_timeout_s=0.2))
    return PrintQueue(SqlPrintJobStore(store), "front", conn, profile, bus,
                      backoff=Backoff(base=0.02, cap=0.2, jitter=0.0), clock=clock,
                      idle_poll_s=5.0)


def _done(job_id: str) -> Callable[[CoreEvent], bool]:
    return lambda e: e.name == "print.job_done" and e.data["job_id"] == job_id


def _print(queue: PrintQueue, recorder: EventRecorder, printer: FakeTcpPrinter,
           receipt: Receipt) -> bytes:
    before = len(printer.jobs)
    job = queue.enqueue(receipt)
    recorder.wait_for(_done(job.id))
    return printer.wait_for_jobs(before + 1)[before]


def test_kick_command_is_esc_p_on_the_pin_with_the_pulse() -> None:
    assert DrawerKick().command() == b"\x1bp\x00\x32\x64"  # pin 2, 100 ms on, 200 ms off
    assert PIN5.command() == KICK_PIN5
    with pytest.raises(ConfigError, match="pin must be 2 or 5"):
        DrawerKick(pin=3)
    with pytest.raises(ConfigError, match="2-510 ms"):
        DrawerKick(on_ms=600)


def test_render_appends_the_kick_after_the_cut_only_when_asked() -> None:
    receipt = samples.token_receipt()
    plain = render_escpos(receipt, PROFILE)
    kicked = render_escpos(receipt, PROFILE, open_drawer=True)
    assert KICK_PIN5 not in plain
    assert kicked == plain + KICK_PIN5
    assert kicked.rindex(CUT) < kicked.index(KICK_PIN5)
    # No drawer configured: asking changes nothing.
    assert render_escpos(receipt, PrinterProfile(columns=42), open_drawer=True) == \
        render_escpos(receipt, PrinterProfile(columns=42))


def test_cash_sale_documents() -> None:
    assert is_cash_sale(samples.token_receipt())  # the cash handed over is recorded
    assert not is_cash_sale(samples.token_receipt(key_change=False))  # not known: not cash
    assert not is_cash_sale(samples.pending_slip())
    assert is_cash_sale(replace(samples.pending_slip(),
                                cash_tendered=Money.of("200.00", "ZAR")))
    assert not is_cash_sale(samples.reversal())
    assert not is_cash_sale(samples.reprint())


def test_queue_kicks_for_a_fresh_cash_sale_and_never_for_a_reprint(
        store: Store, fake_printer: FakeTcpPrinter, bus: EventBus,
        recorder: EventRecorder) -> None:
    queue = _queue(store, fake_printer, bus, Clock())
    queue.start()
    try:
        receipt = samples.token_receipt()
        job = queue.enqueue(receipt)
        recorder.wait_for(_done(job.id))
        first = fake_printer.wait_for_jobs(1)[0]
        assert first == render_escpos(receipt, PROFILE, open_drawer=True)
        assert first.endswith(KICK_PIN5)
        reprint = queue.reprint(job.id, operator="Thandi")
        recorder.wait_for(_done(reprint.id))
        assert KICK_PIN5 not in fake_printer.wait_for_jobs(2)[1]
        # A sale whose cash was not recorded (card, or not known) and a report: no kick.
        assert KICK_PIN5 not in _print(queue, recorder, fake_printer,
                                       samples.token_receipt(key_change=False))
        assert KICK_PIN5 not in _print(queue, recorder, fake_printer, samples.x_report())
    finally:
        assert queue.stop(timeout=10)


def test_a_late_job_and_a_token_after_its_slip_do_not_open_the_drawer(
        store: Store, fake_printer: FakeTcpPrinter, bus: EventBus,
        recorder: EventRecorder) -> None:
    clock = Clock()
    queue = _queue(store, fake_printer, bus, clock)
    cash = Money.of("300.00", "ZAR")
    slip = replace(samples.pending_slip(), cash_tendered=cash,
                   reference=samples.token_receipt().sale.reference)
    queue.start()
    try:
        # The offline sale: the slip is its first document, the drawer opens.
        assert _print(queue, recorder, fake_printer, slip).endswith(KICK_PIN5)
        # Its token arrives by sync moments later: printed, but the drawer stays shut.
        assert KICK_PIN5 not in _print(queue, recorder, fake_printer, samples.token_receipt())
    finally:
        assert queue.stop(timeout=10)
    # A printer that was away for 10 minutes: the waiting cash receipt prints without a kick.
    fake_printer.stop()
    late_queue = _queue(store, fake_printer, bus, clock)
    other = replace(samples.token_receipt(), sale=replace(samples.sale(), reference="VP-LATE"))
    job = late_queue.enqueue(other)
    clock.now += timedelta(minutes=10)
    fake_printer.start()
    late_queue.start()
    try:
        recorder.wait_for(_done(job.id))
        printed = fake_printer.wait_for_jobs(3)[2]
        assert printed == render_escpos(other, PROFILE)
    finally:
        assert late_queue.stop(timeout=10)
