"""Report exports: CSV (RFC 4180) and the HTML the UI turns into a PDF.

CSV: comma-separated, fields quoted when they hold a comma, quote, CR or LF (quotes doubled),
CRLF line ends, a header row first. Money is a plain decimal string (no thousands separator)
so spreadsheets read it as a number; the currency has its own column. Text cells that a
spreadsheet would run as a formula (starting with = + - @, tab or CR) get a leading apostrophe;
names come from the server and must not become formulas on a supervisor's computer.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Iterable, Sequence

from app.supervisor.ranges import LedgerRow
from app.supervisor.report_model import Report, format_minor, format_tenths

SUMMARY_HEADER = ("section", "label", "count", "amount", "currency", "units", "unit")
LEDGER_HEADER = ("time_utc", "kind", "reference", "operator", "tender", "tariff", "utility",
                 "detail", "amount", "currency", "units", "unit", "vat", "charges",
                 "debt_recovered", "tokens", "offline")


def _text(value: str) -> str:
    """A text cell that a spreadsheet will not evaluate."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _plain_money(minor: int | None) -> str:
    return "" if minor is None else format_minor(minor).replace(",", "")


def _plain_units(tenths: int | None) -> str:
    return "" if tenths is None else format_tenths(tenths).replace(",", "")


def report_csv(report: Report) -> str:
    """The report's sections as CSV rows (header row first)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(SUMMARY_HEADER)
    for section in report.sections():
        for line in section.lines:
            writer.writerow((_text(section.title), _text(line.label),
                             "" if line.count is None else str(line.count),
                             _plain_money(line.amount_minor),
                             report.currency if line.amount_minor is not None else "",
                             _plain_units(line.units_tenths), line.unit))
    return buffer.getvalue()


def ledger_csv(rows: Iterable[LedgerRow]) -> str:
    """Every ledger row (transaction detail) as CSV (header row first)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(LEDGER_HEADER)
    for r in rows:
        writer.writerow((r.at, r.kind, _text(r.ref), _text(r.operator_id), _text(r.tender),
                         _text(r.tariff), _text(r.utility), _text(r.detail),
                         _plain_money(r.amount_minor), r.currency,
                         _plain_units(r.units_tenths), r.unit, _plain_money(r.vat_minor),
                         _plain_money(r.charges_minor), _plain_money(r.debt_minor),
                         str(r.tokens), "yes" if r.offline else "no"))
    return buffer.getvalue()


def report_html(report: Report, *, heading: str = "", images: Sequence[str] = (),
                image_width: int = 0) -> str:
    """A self-contained HTML page of the report (QTextDocument renders it to PDF).

    `images` are resource names (already added to the document) of chart pictures, drawn
    `image_width` device pixels wide when given.
    """
    e = html.escape
    cur = report.currency
    parts = [
        "<html><head><meta charset='utf-8'><style>"
        "body{font-family:sans-serif;font-size:10pt} h1{font-size:16pt} h2{font-size:12pt;"
        "margin-top:12pt} table{border-collapse:collapse} td,th{padding:2pt 8pt;"
        "border-bottom:1px solid #ccc} td.n{text-align:right}</style></head><body>",
        f"<h1>{e(heading or report.title)}</h1>",
        f"<p>Period {e(report.period_start)} to {e(report.period_end)} (UTC)"
        + (f" &middot; operator {e(report.operator_filter)}" if report.operator_filter else "")
        + f"<br>Generated {e(report.generated_at)}</p>",
    ]
    for name in images:
        width = f" width='{image_width}'" if image_width else ""
        parts.append(f"<p><img src='{e(name)}'{width}></p>")
    for section in report.sections():
        parts.append(f"<h2>{e(section.title)}</h2>"
                     "<table cellpadding='3' cellspacing='0' width='100%'>"
                     "<tr><th align='left'>Item</th><th>Count</th>"
                     f"<th>Amount ({e(cur)})</th><th>Units</th></tr>")
        for line in section.lines:
            parts.append(
                f"<tr><td>{e(line.label)}</td>"
                f"<td class='n'>{'' if line.count is None else line.count}</td>"
                f"<td class='n'>{'' if line.amount_minor is None else e(format_minor(line.amount_minor))}</td>"  # noqa: E501
                f"<td class='n'>{'' if not line.units_tenths else e(format_tenths(line.units_tenths, line.unit))}</td></tr>")  # noqa: E501
        parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)
