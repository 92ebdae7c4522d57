"""A completed sale as the printers' token receipt (tax invoice): one mapping, in the core.

`sale_receipt_data(sale)` turns the server's sale answer (`app.api.models.Sale`, as returned by
`SaleService.sell` or stored with the sale) into `printers.model.SaleReceiptData`;
`stored_sale_receipt(conn, key)` does it for a stored sale (reprints, a late token that arrived
through the sync engine). Everything printed comes from the server's answer: the receipt
number, the tariff version the sale was priced on, the meter's key data AFTER the sale (a key
change moves it), the lines and the VAT. Money stays exact (integer cents → `Decimal`).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from app.api.models import Money, Sale, parse_sale
from app.api.models.quotes import Line
from app.sales.cash import cash_tendered_for
from app.sales.token_lines import token_lines
from common.lines import block_of
from offline_store import Connection
from printers import model as pm


def _pm_money(money: Money) -> pm.Money:
    return pm.Money(money.minor, money.currency)


def _tenths(units: str | None) -> int | None:
    # Units have exactly one decimal (checked by the parser): "123.4" is 1234 tenths.
    return None if units is None else int(units.replace(".", ""))


def _part(raw: dict[str, Any], name: str) -> dict[str, Any]:
    value = raw.get(name)
    return value if isinstance(value, dict) else {}


def _text(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    return "" if value is None else str(value)


def sale_receipt_data(sale: Sale, cash_tendered: Money | None = None) -> pm.SaleReceiptData:
    """The printable receipt of a completed sale, from the server's (validated) answer, with
    the cash the customer handed over when the till recorded it (`app.sales.cash`)."""
    raw = sale.raw
    utility, vendor, customer = _part(raw, "utility"), _part(raw, "vendor"), _part(raw, "customer")
    meter, tariff, vat = _part(raw, "meter"), _part(raw, "tariff"), _part(raw, "vat")
    # Every line but the VAT total: the receipt prints VAT on its own line.
    raw_lines = list(raw.get("lines") or [])

    def breakdown_line(i: int, line: Line) -> pm.BreakdownLine:
        block = block_of(raw_lines[i]) if i < len(raw_lines) else None
        return pm.BreakdownLine(
            line.description or line.kind, _pm_money(line.amount), _tenths(line.units),
            kind=line.kind, block_number=None if block is None else block[0],
            block_from=None if block is None else block[1],
            block_to=None if block is None else block[2])

    breakdown = tuple(breakdown_line(i, line) for i, line in enumerate(sale.lines)
                      if line.kind != "vat")
    vat_amount = sum(line.amount.minor for line in sale.lines if line.kind == "vat")
    return pm.SaleReceiptData(
        utility=pm.Party(_text(utility, "name"), (_text(utility, "address"),),
                         tax_id=_text(utility, "vat_number")),
        pos=pm.PointOfSale(pm.Party(_text(vendor, "name")), _text(vendor, "id"),
                           _text(raw, "terminal_id"), _text(_part(raw, "operator"), "name")),
        receipt_no=sale.receipt_no,
        issued_at=datetime.fromisoformat(sale.sold_at.replace("Z", "+00:00")),
        customer=pm.Party(_text(customer, "name"), (_text(customer, "address"),)),
        meter=pm.MeterInfo(sale.meter_number, _text(tariff, "name"), _text(meter, "ti"),
                           _text(meter, "sgc"), _text(meter, "krn"),
                           str(sale.tariff_version or _text(tariff, "version")),
                           _text(customer, "account")),
        amount_tendered=_pm_money(sale.amount_tendered),
        tokens=token_lines(list(raw.get("tokens") or [])),
        units_tenths=_tenths(sale.units) or 0,
        breakdown=breakdown,
        vat=_pm_money(Money(vat_amount, sale.amount_tendered.currency)),
        reference=_text(raw, "client_reference") or sale.receipt_no,
        unit=sale.unit,
        vat_rate=_text(vat, "rate"),
        cash_tendered=_cash(cash_tendered, sale.amount_tendered),
    )


def _cash(cash: Money | None, amount: Money) -> pm.Money | None:
    # A record in another currency or below the amount cannot be the sale's tender: the
    # receipt then prints the amount only, never a negative change.
    if cash is None or cash.currency != amount.currency or cash < amount:
        return None
    return _pm_money(cash)


def token_receipt(sale: Sale, cash_tendered: Money | None = None) -> pm.TokenReceipt:
    """The token receipt (the printers' `TokenReceipt`) of a completed sale."""
    return pm.TokenReceipt(sale_receipt_data(sale, cash_tendered))


def recorded_cash(conn: Connection, sale: Sale) -> Money | None:
    """The cash handed over for `sale`, as recorded with it (None when not recorded)."""
    reference = _text(sale.raw, "client_reference")
    return cash_tendered_for(conn, reference) if reference else None


def stored_sale(conn: Connection, key: str) -> Sale | None:
    """The server's answer stored with a tokened sale, parsed again; None if not tokened."""
    row = conn.execute("SELECT response FROM sales WHERE idem_key = ?", (key,)).fetchone()
    if row is None or not row[0]:
        return None
    return parse_sale(json.loads(row[0]))


def stored_sale_receipt(conn: Connection, key: str) -> pm.SaleReceiptData | None:
    """The receipt of a stored, tokened sale (reprints, late tokens); None if not tokened."""
    sale = stored_sale(conn, key)
    return None if sale is None else sale_receipt_data(sale, recorded_cash(conn, sale))
