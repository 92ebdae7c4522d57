"""Make the XMLVend mode's screenshot and receipt renderings in docs/ from the real app.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.e2e.xmlvend_screenshots [DOCS_DIR]

Starts what `main.py --demo --backend xmlvend` starts (the reference server's XMLVend face,
Conlog personality, and the real main window at 1366×768), signs in, sells to a meter with a
pending key change through SOAP, and grabs the window (`screenshots/xmlvend-sale.png`). The
sale's stored token receipt is rendered as 80 mm text (`receipts/xmlvend-sale-80mm.txt`) and,
where the emupos printer emulator is installed, as the printed PNG
(`receipts/xmlvend-sale-80mm.png`) from the real ESC/POS bytes.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtTest import QTest

from app.sales.receipts import stored_sale_receipt
from app.settings import Settings
from app.till.setup import demo_info
from common.events import EventBus
from printers import emulator
from printers import model as pm
from printers.profile import PrinterProfile
from printers.render import render_escpos, render_text
from tests.e2e.screenshots import keys, wait_until
from ui.application import create_qapplication
from ui.bootstrap import bootstrap
from ui.main_window import MainWindow
from ui.qt_bridge import QtEventBridge
from ui.sale_controller import Step
from ui.shell import Shell

ROOT = Path(__file__).resolve().parents[2]


def main(docs: Path) -> int:
    """Make the images; print where they are."""
    create_qapplication()
    (docs / "screenshots").mkdir(parents=True, exist_ok=True)
    (docs / "receipts").mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings({"server.backend": "xmlvend", "xmlvend.demo_personality": "conlog"})
        bus = EventBus()
        bridge = QtEventBridge(bus)
        core = bootstrap(settings, data_dir=Path(tmp), demo=True, bus=bus)
        window = MainWindow(demo=True, server_url=core.server_url)
        window.resize(1366, 768)
        window.show()
        shell = Shell(window, core.services, settings=settings, bridge=bridge, idle_ms=0,
                      status_interval_ms=300)
        shell.start()
        try:
            window.activateWindow()
            wait_until(lambda: shell.login_view.username.completer() is not None)
            keys(shell.login_view.pin, "1234")
            wait_until(lambda: shell.operator is not None)
            wait_until(lambda: window.status_view.connection.text() == "● Online")
            meter = _key_change_meter(Path(tmp))
            view, sale = shell.sale_view, shell.sale
            QTest.keyClick(view.meter, Qt.Key.Key_F2)
            keys(view.meter, meter)
            wait_until(lambda: sale.step is Step.CONFIRMED)
            keys(view.amount, "150")
            wait_until(lambda: sale.step is Step.QUOTED)
            keys(view.tendered, "200")
            wait_until(lambda: sale.step is Step.DONE)
            wait_until(lambda: "print" in view.tokens.print_state.text())
            for _ in range(10):
                QCoreApplication.processEvents()
            shot = docs / "screenshots" / "xmlvend-sale.png"
            if not window.grab().save(str(shot)):
                raise OSError(f"could not write {shot}")
            print(shot)
            till = core.till
            key = till.store.call(lambda c: c.execute(
                "SELECT idem_key FROM sales WHERE state = 'tokened' ORDER BY created_at DESC "
                "LIMIT 1").fetchone()[0])
            data = till.store.call(lambda c: stored_sale_receipt(c, key))
            assert data is not None
            receipt = pm.TokenReceipt(data)
            profile = PrinterProfile(columns=48, qr_code=True, barcode=True)
            text = docs / "receipts" / "xmlvend-sale-80mm.txt"
            text.write_text(render_text(receipt, profile, mask_tokens=False) + "\n",
                            encoding="utf-8")
            print(text)
            try:
                png = docs / "receipts" / "xmlvend-sale-80mm.png"
                emulator.render(render_escpos(receipt, profile), 576, png=png,
                                python=emulator.ensure_emupos(install=False))
                print(png)
            except emulator.EmuposUnavailable as exc:
                print(f"no PNG receipt: {exc}", file=sys.stderr)
        finally:
            shell.stop()
            window.close()
            bridge.close()
            core.close()
    return 0


def _key_change_meter(data_dir: Path) -> str:
    """A demo meter with a pending key change (the receipt then shows the key change tokens
    before the credit, as XMLVend's entry order requires)."""
    info = demo_info(data_dir / "server" / "vendserver.db")
    return str(next(m["meter_number"] for m in info["meters"] if "key_change" in m["tags"]))


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"))
