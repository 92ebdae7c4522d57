"""CSV exports: RFC 4180 framing, exact money, no spreadsheet formulas; HTML for the PDF."""

from __future__ import annotations

import csv
import io

from app.supervisor import ranges
from app.supervisor import reports as rp
from app.supervisor.exports import LEDGER_HEADER, ledger_csv, report_csv, report_html
from offline_store import Store
from tests.app.supervisor.helpers_supervisor import Seeder


def test_csv_framing_money_and_formula_guard(seed: Seeder, store: Store) -> None:
    seed.tokened(amount=123456, units=9999, vat=16103, tariff=("=HYPERLINK(1)", "Evil, \"x\"\n2"))
    seed.tokened(amount=5, units=1, operator="@bob")
    r = store.call(lambda c: rp.running_report(c, currency="ZAR"))
    text = report_csv(r)
    assert text.endswith("\r\n") and "\r\n" in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["section", "label", "count", "amount", "currency", "units", "unit"]
    assert ["Summary", "Sales", "2", "1234.61", "ZAR", "", ""] in rows  # no thousands comma
    tariffs = [row[1] for row in rows if row[0] == "By tariff"]
    assert "'=HYPERLINK(1) Evil, \"x\"\n2" in tariffs  # quoted, newline kept, not a formula
    assert ["By operator", "'@bob", "1", "0.05", "ZAR", "0.1", "kWh"] in rows
    assert ["Summary", "Reversals", "0", "0.00", "ZAR", "", ""] in rows
    detail = ledger_csv(store.call(lambda c: list(ranges.ledger_rows(c, "2000", "3000"))))
    drows = list(csv.reader(io.StringIO(detail, newline="")))
    assert tuple(drows[0]) == LEDGER_HEADER and len(drows) == 3
    assert drows[1][8] == "1234.56" and drows[1][10] == "999.9" and drows[1][12] == "161.03"


def test_html_escapes_names(seed: Seeder, store: Store) -> None:
    seed.tokened(amount=1000, units=10, tariff=("<b>X</b>", "A & B"))
    r = store.call(lambda c: rp.running_report(c, currency="ZAR"))
    page = report_html(r, images=["chart.png"], image_width=600)
    assert "&lt;b&gt;X&lt;/b&gt; A &amp; B" in page and "<b>X</b>" not in page
    assert "<img src='chart.png' width='600'>" in page
