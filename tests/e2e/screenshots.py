"""Make the cashier screenshots in docs/screenshots/ from a real till at 1024×768.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.e2e.screenshots [OUT_DIR]

Drives the same till as the end-to-end test (real server, core, store and a loopback printer)
with key presses, and grabs the window: the login screen, a confirmed customer with a quote,
the issued tokens, a smart meter's read-back, a price change under a quote (new tariff),
the offline pending state, and the notice when a pending token arrives.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from tests.e2e.harness import Till, open_till
from ui.application import create_qapplication
from ui.sale_controller import Step

ROOT = Path(__file__).resolve().parents[2]


def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    """Process Qt events until `condition()` holds (or fail after `timeout` seconds)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the till did not reach the expected state")
        QCoreApplication.processEvents()
        QTest.qWait(20)


def keys(widget: QWidget, text: str, enter: bool = True) -> None:
    widget.setFocus()
    QTest.keyClicks(widget, text)
    if enter:
        QTest.keyClick(widget, Qt.Key.Key_Return)


def grab(till: Till, out: Path, name: str) -> Path:
    for _ in range(5):
        QCoreApplication.processEvents()
    path = out / f"{name}.png"
    if not till.window.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    print(path)
    return path


def sell_until_quote(till: Till, meter: str, amount: str) -> None:
    view, sale = till.shell.sale_view, till.shell.sale
    QTest.keyClick(view.meter, Qt.Key.Key_F2)
    keys(view.meter, meter)
    wait_until(lambda: sale.step is Step.CONFIRMED)
    keys(view.amount, amount)
    wait_until(lambda: sale.step is Step.QUOTED)


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    create_qapplication()
    with tempfile.TemporaryDirectory() as tmp, open_till(Path(tmp), demo_window=True) as till:
        shell = till.shell
        # On a real display (xvfb-run) the window must be the active one for the sale
        # screen's shortcuts (F2...) to reach it, as at the counter.
        till.window.activateWindow()
        QTest.qWaitForWindowActive(till.window, 5000)
        wait_until(lambda: shell.login_view.username.completer() is not None)
        shell.login_view.pin.setFocus()
        QTest.keyClicks(shell.login_view.pin, "1234")
        grab(till, out, "01-login")
        QTest.keyClick(shell.login_view.pin, Qt.Key.Key_Return)
        wait_until(lambda: shell.operator is not None)
        wait_until(lambda: till.window.status_view.connection.text() == "● Online")
        grab(till, out, "02-sale-ready")

        arrears = till.server.meter("arrears")["meter_number"]
        sell_until_quote(till, arrears, "200")
        keys(shell.sale_view.tendered, "250", enter=False)
        grab(till, out, "03-customer-and-quote")

        key_change = till.server.meter("tid_rollover")["meter_number"]
        sell_until_quote(till, key_change, "150")
        QTest.keyClick(shell.sale_view.tendered, Qt.Key.Key_Return)
        wait_until(lambda: shell.sale.step is Step.DONE)
        wait_until(lambda: "printed" in shell.sale_view.tokens.print_state.text())
        grab(till, out, "04-tokens")

        two_way = till.server.meter("two_way")["meter_number"]
        sell_until_quote(till, two_way, "100")
        QTest.keyClick(shell.sale_view.tendered, Qt.Key.Key_Return)
        wait_until(lambda: shell.sale.step is Step.DONE)
        wait_until(lambda: shell.sale_view.tokens.delivered.isVisible(), timeout=60)
        wait_until(lambda: "printed" in shell.sale_view.tokens.print_state.text())
        grab(till, out, "09-smart-meter-delivered")

        normal = till.server.meter("normal")["meter_number"]
        sell_until_quote(till, normal, "100")
        # The utility publishes dearer rates, in force now, while this quote is on screen.
        doc = dict(till.server.service.tariff_version("RES-IBT", 1)["document"])
        for name in ("effective_from", "expires_at"):
            doc.pop(name, None)
        doc["blocks"] = [dict(b, rate=str((Decimal(b["rate"]) * Decimal("1.1"))
                                          .quantize(Decimal("0.0001"))))
                         for b in doc["blocks"]]
        till.server.service.publish_tariff(doc)
        wait_until(lambda: shell.sale_view.quote.notice.isVisible())
        grab(till, out, "08-price-changed")
        QTest.keyClick(shell.sale_view.tendered, Qt.Key.Key_Return)  # confirm the new price
        QTest.keyClick(shell.sale_view.tendered, Qt.Key.Key_Return)  # sell
        wait_until(lambda: shell.sale.step is Step.DONE)
        till.proxy.down()
        till.stop_server()
        sell_until_quote(till, normal, "50")
        grab(till, out, "05-offline-no-quote")
        QTest.keyClick(shell.sale_view.tendered, Qt.Key.Key_Return)
        wait_until(lambda: shell.sale.step is Step.DONE)
        wait_until(lambda: "OFFLINE" in till.window.status_view.connection.text()
                   and till.window.status_view.pending.text().startswith("Pending: 1"))
        wait_until(lambda: "printed" in shell.sale_view.tokens.print_state.text())
        grab(till, out, "06-offline-pending")

        with till.restart_server():
            wait_until(lambda: till.window.notifications.isVisible())
            wait_until(lambda: till.window.status_view.pending.text() == "Pending: 0")
            wait_until(lambda: "printed" in shell.sale_view.tokens.print_state.text())
            grab(till, out, "07-pending-token-arrived")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"))
