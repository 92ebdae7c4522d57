"""Make a sale's screenshot and token receipt for each demo market in docs/markets/ from the
real app.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.e2e.market_screenshots [DOCS_DIR]

For each market (vendserver.demo.MARKETS) it starts what `main.py --demo --market M` starts
(the application controller with the reference server seeded with that market, the till on a
throwaway store, the real main window at 1024×768) with settings that name no language or
locale (`market_settings`): the till speaks the utility's language and writes its locale, from
the terminal facts, on the screens and the receipts. It signs in, sells an amount natural
for the market to an ordinary meter with cash tendered, waits for the token and grabs the
window (`markets/<M>/sale.png`). The sale's recorded token receipt is written as 80 mm text
(`markets/<M>/receipt-80mm.txt`) and, where the emupos printer emulator is installed, printed
from its real ESC/POS bytes (`markets/<M>/receipt-80mm.png`). The sign-in screen is grabbed
for the markets whose language is not English (`markets/<M>/sign-in.png`).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtTest import QTest

from app.demo_server import MARKET_ENV
from app.settings import Settings
from common.events import EventBus
from printers import emulator
from printers import model as pm
from printers.profile import PrinterProfile
from printers.render import render_escpos, render_text
from printers.sql_job_store import SqlPrintJobStore
from tests.e2e.screenshots import keys, wait_until
from ui.application import AppController, create_qapplication
from ui.language import apply_language
from ui.main_window import MainWindow
from ui.qt_bridge import QtEventBridge
from ui.sale_controller import Step
from vendserver.demo import MARKETS, Market, meter_records

ROOT = Path(__file__).resolve().parents[2]
#: 80 mm paper with QR code and barcode, as the other receipt renderings in docs/, on a printer
#: set up for French and Portuguese (`printer.code_page` CP858: their accents in one table).
PROFILE = PrinterProfile(columns=48, qr_code=True, barcode=True, escpos_profile="TM-T20II",
                         code_page="CP858")
WIDTH_DOTS = 576


@dataclass(frozen=True)
class MarketSale:
    """The sale shown for one market: wire amounts (the currency's decimals) and what the
    cashier types for them in the market's locale."""

    code: str
    amount: str
    cash: str
    typed_amount: str
    typed_cash: str

    @property
    def market(self) -> Market:
        """The demo market."""
        return MARKETS[self.code]

    @property
    def language(self) -> str:
        """The utility's language: of the screens and of the customer's receipt."""
        return str(self.market.utility["language"])

    @property
    def locale(self) -> str:
        """The utility's locale: how amounts and numbers are written."""
        return str(self.market.utility["locale"])


SALES: dict[str, MarketSale] = {
    "ZAR": MarketSale("ZAR", "150.00", "200.00", "150", "200"),
    "UGX": MarketSale("UGX", "20000", "50000", "20000", "50000"),
    "XOF": MarketSale("XOF", "5000", "10000", "5000", "10000"),
    "LYD": MarketSale("LYD", "10.500", "20.000", "10.500", "20"),
    "MZN": MarketSale("MZN", "500.00", "1000.00", "500", "1000"),
}


def market_settings() -> Settings:
    """The settings of a till in any market: none about language or locale. A till whose
    settings leave `ui.language` and `ui.locale` unset speaks the utility's language and writes
    its locale (the terminal facts), and its receipts are in that language."""
    return Settings()


def main(docs: Path) -> int:
    """Make the images and receipts of every market; print where they are."""
    # The translations as they are now (what `make translations` does before `make run`).
    subprocess.run([sys.executable, str(ROOT / "resources" / "i18n" / "catalogs.py"), "build"],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    app = create_qapplication()
    renders: list[tuple[bytes, int, Path | None]] = []
    try:
        for code, sale in SALES.items():
            out = docs / "markets" / code
            out.mkdir(parents=True, exist_ok=True)
            receipt = _sell(sale, out)
            text = out / "receipt-80mm.txt"
            text.write_text(render_text(receipt, PROFILE, mask_tokens=False) + "\n",
                            encoding="utf-8")
            print(text)
            renders.append((render_escpos(receipt, PROFILE), WIDTH_DOTS,
                            out / "receipt-80mm.png"))
    finally:
        apply_language(app, "en")
    try:
        emulator.render_many(renders, python=emulator.ensure_emupos(install=False))
        for _data, _width, png in renders:
            print(png)
    except emulator.EmuposUnavailable as exc:
        print(f"no PNG receipts: {exc}", file=sys.stderr)
    return 0


def _sell(sale: MarketSale, out: Path) -> pm.TokenReceipt:
    """Start the demo on `sale`'s market as `main.py --demo --market M` does, sell, grab the
    screens; the receipt the till recorded."""
    # `main.py --demo --market M` hands the market to the demo server's start this way.
    os.environ[MARKET_ENV] = sale.code
    with tempfile.TemporaryDirectory() as tmp:
        settings = market_settings()
        bus = EventBus()
        bridge = QtEventBridge(bus)
        window = MainWindow(demo=True, server_url="")
        window.resize(1024, 768)
        controller = AppController(window, bridge, bus, settings, data_dir=Path(tmp),
                                   demo=True, settings_path=Path(tmp) / "settings.toml")
        window.show()
        controller.start()
        try:
            wait_until(lambda: controller.shell is not None, timeout=60)
            return _drive(sale, out, controller)
        finally:
            controller.stop()  # the ops still running finish before the store closes
            window.close()
            bridge.close()
            os.environ.pop(MARKET_ENV, None)


def _drive(sale: MarketSale, out: Path, controller: AppController) -> pm.TokenReceipt:
    window, login, core = controller.window, controller.shell, controller.core
    assert login is not None and core is not None
    window.activateWindow()
    status = window.status_view
    wait_until(lambda: login.login_view.username.completer() is not None)
    wait_until(lambda: status.connection.text() == status.tr("● Online"))
    if sale.language != "en":
        _grab(window, out / "sign-in.png")
    keys(login.login_view.pin, "1234")
    wait_until(lambda: login.operator is not None)
    shell = controller.shell  # built again if the sign-in changed the screens' language
    assert shell is not None
    view, flow = shell.sale_view, shell.sale
    QTest.keyClick(view.meter, Qt.Key.Key_F2)
    keys(view.meter, _ordinary_meter(sale))
    wait_until(lambda: flow.step is Step.CONFIRMED)
    keys(view.amount, sale.typed_amount)
    wait_until(lambda: flow.step is Step.QUOTED)
    keys(view.tendered, sale.typed_cash)
    wait_until(lambda: flow.step is Step.DONE)
    tokens = view.tokens
    wait_until(lambda: tokens.print_state.text() == tokens.tr("Slip printed."))
    _grab(window, out / "sale.png")
    result = flow.result
    assert result is not None
    job = SqlPrintJobStore(core.till.store).get(result.print_job)
    if job is None:
        raise RuntimeError(f"no token receipt recorded for {result.reference}")
    receipt = job.receipt()
    assert isinstance(receipt, pm.TokenReceipt)
    return receipt


def _ordinary_meter(sale: MarketSale) -> str:
    """The market's first ordinary demo meter (the same number in every market)."""
    return str(next(m["meter_number"] for m in meter_records(sale.code)
                    if "normal" in m["tags"]))


def _grab(window: MainWindow, path: Path) -> None:
    for _ in range(10):
        QCoreApplication.processEvents()
    if not window.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    print(path)


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"))
