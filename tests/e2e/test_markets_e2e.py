"""One sale in each demo market, end to end: the real reference server seeded with that market,
the real till core on a real SQLCipher store, with settings that name no language or locale
(the till follows the utility's, from the terminal facts).

Per market: the quote and the sale show the amount in the market's format (UGX without
decimals, LYD with three, XOF and MZN with the code after the number and MZN's decimal comma),
the units in kWh with the locale's decimal; the token receipt the till recorded carries the
sale time in the utility's zone (the server's record of the sale converted with zoneinfo), its
labels in the market's language (each one what the real catalog says for the English, so the
test holds whatever translations are installed), the token digits the server recorded, and
amounts that add up.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from pytestqt.qtbot import QtBot

from app.api.models import Money, parse_terminal
from app.till import SaleResult, SaleState
from app.till import Till as CoreTill
from app.till.build import build_till, client_backend
from app.till.results import Quote
from common import format as fmt
from common.events import EventBus
from common.i18n import translator
from common.money import format_money, number_style, set_display_locale
from offline_store import open_store
from printers import model as pm
from printers.render import render_text
from printers.sql_job_store import SqlPrintJobStore
from tests.e2e.market_screenshots import SALES, MarketSale, market_settings
from ui.sale_panels import QuotePanel
from ui.token_panel import TokenPanel
from vendserver.demo import MARKETS, Market
from vendserver.testing import RunningServer, running_server

pytestmark = [pytest.mark.e2e]


@dataclass(frozen=True)
class Shown:
    """How a market writes the sale's amounts (what a person reads)."""

    amount: str
    cash: str
    change: str


SHOWN: dict[str, Shown] = {
    "ZAR": Shown("ZAR 150.00", "ZAR 200.00", "ZAR 50.00"),
    "UGX": Shown("UGX 20,000", "UGX 50,000", "UGX 30,000"),
    "XOF": Shown("5 000 XOF", "10 000 XOF", "5 000 XOF"),
    "LYD": Shown("LYD 10.500", "LYD 20.000", "LYD 9.500"),
    "MZN": Shown("500,00 MZN", "1 000,00 MZN", "500,00 MZN"),
}

#: The token receipt's own words (English, as `printers.layout` writes them).
LABELS = ("TAX INVOICE", "Receipt no", "Date", "Customer", "Meter", "Amount", "Cash tendered",
          "Change", "Units", "Total", "Reference")


@dataclass
class Sold:
    """One market's sale, as the till and the server have it."""

    market: Market
    sale: MarketSale
    quote: Quote
    quote_shown: str
    result: SaleResult
    receipt: pm.TokenReceipt
    text: str
    server_sale: dict[str, Any]
    zone_key: str
    till_language: str


def _sell(market: Market, sale: MarketSale, tmp: Path) -> Sold:
    with running_server(tmp / "server", market=market.code) as srv:
        return _sell_on(srv, market, sale, tmp)


def _sell_on(srv: RunningServer, market: Market, sale: MarketSale, tmp: Path) -> Sold:
    activation = srv.activate("Counter 1")
    settings = market_settings()
    store = open_store(tmp / "store.db", os.urandom(32), create=True)
    till = build_till(settings, bus=EventBus(), store=store,
                      backend=client_backend(settings, srv.base_url,
                                             lambda: str(activation["credential"])),
                      data_dir=tmp, terminal=parse_terminal(activation), tariffs_on=False,
                      closers=(store.close,), start=False)
    try:
        return _sale(till, srv, market, sale, str(activation["credential"]))
    finally:
        till.close()


def _sale(till: CoreTill, srv: RunningServer, market: Market, sale: MarketSale,
          credential: str) -> Sold:
    cashier = till.sign_in("thandi", "1234")
    meter = srv.meter("normal")["meter_number"]
    amount = Money.from_wire(sale.amount, market.currency)
    quote = till.quote(meter, amount)
    quote_shown = format_money(quote.amount)
    result = till.sell(meter, amount, cashier, quote=quote.handle,
                       cash_tendered=Money.from_wire(sale.cash, market.currency))
    assert result.state is SaleState.TOKENED
    job = SqlPrintJobStore(till.store).get(result.print_job)
    assert job is not None
    receipt = job.receipt()
    assert isinstance(receipt, pm.TokenReceipt)
    # Laid out now, while the till's display locale and zone are this market's.
    text = render_text(receipt, 48, mask_tokens=False)
    key = till.store.call(lambda c: c.execute(
        "SELECT idem_key FROM sales WHERE receipt_no = ?", (result.reference,)).fetchone()[0])
    answer = httpx.get(f"{srv.base_url}/v1/sales/{key}", headers=srv.headers(credential),
                       timeout=10)
    answer.raise_for_status()
    zone = till.zone
    return Sold(market, sale, quote, quote_shown, result, receipt, text, answer.json(),
                str(getattr(zone, "key", zone)), till.language)


@pytest.fixture(scope="module", params=list(MARKETS), ids=list(MARKETS))
def sold(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[Sold]:
    """One sale per market, shared by this module's tests."""
    code = str(request.param)
    try:
        yield _sell(MARKETS[code], SALES[code], tmp_path_factory.mktemp(code))
    finally:
        set_display_locale("en")  # the process-wide display state, as a fresh process has it
        fmt.set_display_zone(fmt.UTILITY_ZONE_DEFAULT)


def _value(text: str, label: str) -> str:
    """The value printed after `label` on its receipt line ('Label ....... value')."""
    for line in text.splitlines():
        if line.startswith(label + " ") and line[len(label):].strip():
            return line[len(label):].strip()
    raise AssertionError(f"no line {label!r} on the receipt:\n{text}")


def _amount(shown: str, market: Market) -> Decimal:
    """A printed amount read back with the market's symbols ('1 000,00 MZN' -> 1000.00)."""
    style = number_style(str(market.utility["locale"]))
    digits = shown.replace(market.currency, "").strip()
    return Decimal(digits.replace(style.group, "").replace(style.decimal, "."))


def test_amounts_in_the_markets_format(sold: Sold) -> None:
    shown = SHOWN[sold.market.code]
    assert sold.quote_shown == shown.amount
    assert format_money(sold.result.amount) == shown.amount
    assert _value(sold.text, translator(sold.sale.language).gettext("Amount")) == shown.amount
    t = translator(sold.sale.language)
    assert _value(sold.text, t.gettext("Cash tendered")) == shown.cash
    assert _value(sold.text, t.gettext("Change")) == shown.change
    assert _value(sold.text, t.gettext("Total")) == shown.amount


def test_the_screens_show_the_markets_amounts_and_units(qtbot: QtBot, sold: Sold) -> None:
    """The real quote and token panels, given the till's quote and sale (in the market's
    display locale, as its till sets it)."""
    set_display_locale(sold.sale.locale)
    shown = SHOWN[sold.market.code]
    units = fmt.format_units(int(Decimal(sold.result.units) * 10), "kWh")
    quote = QuotePanel()
    qtbot.addWidget(quote)
    quote.show_quote(sold.quote)
    assert shown.amount in quote.amount.text()
    assert shown.amount in quote.headline.text() and units in quote.headline.text()
    tokens = TokenPanel()
    qtbot.addWidget(tokens)
    tokens.show_result(sold.result)
    assert shown.amount in tokens.headline.text() and units in tokens.headline.text()


def test_units_in_kwh_with_the_locales_decimal(sold: Sold) -> None:
    units = _value(sold.text, translator(sold.sale.language).gettext("Units"))
    decimal = number_style(str(sold.market.utility["locale"])).decimal
    assert re.fullmatch(rf"\d[\d  ,.]*{re.escape(decimal)}\d kWh", units), units
    tenths = int(Decimal(sold.result.units) * 10)
    assert units == fmt.format_units(tenths, "kWh", str(sold.market.utility["locale"]))
    assert Decimal(sold.quote.units) == Decimal(sold.result.units)


def test_sale_time_in_the_utilitys_zone(sold: Sold) -> None:
    zone = str(sold.market.utility["time_zone"])
    assert sold.zone_key == zone
    sold_at = datetime.fromisoformat(sold.server_sale["created_at"].replace("Z", "+00:00"))
    local = sold_at.astimezone(ZoneInfo(zone))
    printed = _value(sold.text, translator(sold.sale.language).gettext("Date"))
    assert printed == f"{local:%Y-%m-%d %H:%M}"


def test_receipt_in_the_markets_language(sold: Sold) -> None:
    lang = sold.sale.language
    assert sold.till_language == lang
    assert sold.receipt.language == lang
    t = translator(lang)
    lines = [line.strip() for line in sold.text.splitlines()]
    for english in LABELS:
        word = t.gettext(english)
        assert any(line == word or line.startswith(word + " ") for line in lines), \
            f"{english!r} is not on the {lang} receipt as {word!r}:\n{sold.text}"


def test_token_digits_are_the_servers(sold: Sold) -> None:
    recorded = [str(t["token"]) for t in sold.server_sale["tokens"]]
    on_receipt = [fmt.compact_token(t.digits) for t in sold.receipt.sale.ordered_tokens()]
    assert sorted(on_receipt) == sorted(fmt.compact_token(d) for d in recorded)
    for digits in recorded:
        assert fmt.group_token(digits) in sold.text


def test_money_on_the_receipt_adds_up(sold: Sold) -> None:
    mk, t = sold.market, translator(sold.sale.language)
    lines = sold.text.splitlines()
    units_at = next(i for i, line in enumerate(lines) if line.startswith(t.gettext("Units") + " "))
    total_at = next(i for i, line in enumerate(lines) if line.startswith(t.gettext("Total") + " "))
    pattern = (rf"{mk.currency} (-?[\d,.]+)$" if _value(sold.text, t.gettext("Total"))
               .startswith(mk.currency) else rf"(-?\d[\d  ,.]*) {mk.currency}$")
    parts = []
    for line in lines[units_at + 1:total_at]:
        found = re.search(pattern, line)
        if found:
            parts.append(_amount(found.group(1), mk))
    total = _amount(_value(sold.text, t.gettext("Total")), mk)
    assert len(parts) >= 2  # the energy and the VAT at least
    assert sum(parts) == total
    assert _amount(_value(sold.text, t.gettext("Amount")), mk) == total
    cash = _amount(_value(sold.text, t.gettext("Cash tendered")), mk)
    assert cash - total == _amount(_value(sold.text, t.gettext("Change")), mk)
    assert total == Decimal(sold.sale.amount)
