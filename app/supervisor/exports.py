"""Report exports: CSV (RFC 4180) and the HTML the UI turns into a PDF; `ExportService`.

`ExportService` is the only way the screens write a report export: it checks EXPORT_REPORTS,
writes the file atomically (a temporary file in the same
folder, then `os.replace`, so a failed export never leaves half a file under the chosen
name) and journals `report.exported` (the journal's own export, `audit.JournalService`, uses
the same helpers). It runs on a worker thread (the
screens call it through `ui.ops.Op`); PDF rendering needs Qt, so the screen passes a renderer
(`ui/supervisor/pdf.py`) that runs on that same worker.

CSV: comma-separated, fields quoted when they hold a comma, quote, CR or LF (quotes doubled),
CRLF line ends, a header row first. Money is a plain decimal string (no thousands separator)
so spreadsheets read it as a number; the currency has its own column. Text cells that a
spreadsheet would run as a formula (starting with = + - @, tab or CR) get a leading apostrophe;
names come from the server and must not become formulas on a supervisor's computer.

Exports are for people and their spreadsheets, so they are in the operator's language (the
current one): the header row, the section titles and labels, "yes"/"no" and the HTML's words.
The data cells are not translated (references, kinds, amounts, currency codes, UTC times), so
a file is read by position the same way in every language; the English header names
(`SUMMARY_HEADER`, ...) are what the columns are called in the documentation.
"""

from __future__ import annotations

import csv
import html
import io
import json
import secrets
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from app.supervisor import ranges
from app.supervisor.journal_entry import JournalEntry
from app.supervisor.permissions import Actor, Permission, require
from app.supervisor.ranges import LedgerRow
from app.supervisor.report_model import (
    Report,
    format_minor,
    format_tenths,
    wire_minor,
    wire_tenths,
)
from common.files import replace_file
from common.format import format_period, format_time
from common.i18n import N_, _
from offline_store import Store
from offline_store.journal import append

#: render(report, path): writes the report as a PDF at `path` (Qt, on the calling thread)
PdfRenderer = Callable[[Report, Path], object]

# The column names in English (CSV column headers; written in the current language).
SUMMARY_HEADER = (N_("section"), N_("label"), N_("count"), N_("amount"), N_("currency"),
                  N_("units"), N_("unit"))
JOURNAL_HEADER = (N_("seq"), N_("time_utc"), N_("kind"), N_("reference"), N_("details"))
LEDGER_HEADER = (N_("time_utc"), N_("kind"), N_("reference"), N_("operator"), N_("tender"),
                 N_("tariff"), N_("utility"), N_("detail"), N_("amount"), N_("currency"),
                 N_("units"), N_("unit"), N_("vat"), N_("charges"), N_("debt_recovered"),
                 N_("tokens"), N_("offline"))


def header(names: Sequence[str]) -> list[str]:
    """A CSV header row in the current language."""
    return [_(name) for name in names]


def _text(value: str) -> str:
    """A text cell that a spreadsheet will not evaluate."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _plain_money(minor: int | None, currency: str) -> str:
    return "" if minor is None else wire_minor(minor, currency)


def _plain_units(tenths: int | None) -> str:
    return "" if tenths is None else wire_tenths(tenths)


def report_csv(report: Report) -> str:
    """The report's sections as CSV rows (header row first)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header(SUMMARY_HEADER))
    for section in report.sections():
        for line in section.lines:
            writer.writerow((_text(section.title), _text(line.label),
                             "" if line.count is None else str(line.count),
                             _plain_money(line.amount_minor, report.currency),
                             report.currency if line.amount_minor is not None else "",
                             _plain_units(line.units_tenths), line.unit))
    return buffer.getvalue()


def ledger_csv(rows: Iterable[LedgerRow]) -> str:
    """Every ledger row (transaction detail) as CSV (header row first)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header(LEDGER_HEADER))
    yes, no = _("yes"), _("no")
    for r in rows:
        writer.writerow((r.at, r.kind, _text(r.ref), _text(r.operator_id), _text(r.tender),
                         _text(r.tariff), _text(r.utility), _text(r.detail),
                         _plain_money(r.amount_minor, r.currency), r.currency,
                         _plain_units(r.units_tenths), r.unit,
                         _plain_money(r.vat_minor, r.currency),
                         _plain_money(r.charges_minor, r.currency),
                         _plain_money(r.debt_minor, r.currency),
                         str(r.tokens), yes if r.offline else no))
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
        "<p>" + e(_("Period {period}").format(
            period=format_period(report.period_start, report.period_end)))
        + (" &middot; " + e(_("operator {operator}").format(operator=report.operator_filter))
           if report.operator_filter else "")
        + "<br>" + e(_("Generated {time}").format(time=format_time(report.generated_at)))
        + "</p>",
    ]
    for name in images:
        width = f" width='{image_width}'" if image_width else ""
        parts.append(f"<p><img src='{e(name)}'{width}></p>")
    # The headings outside the f-strings: the extractor cannot see a _() inside one.
    item, count, units = e(_("Item")), e(_("Count")), e(_("Units"))
    amount = e(_("Amount ({currency})").format(currency=cur))
    for section in report.sections():
        parts.append(f"<h2>{e(section.title)}</h2>"
                     "<table cellpadding='3' cellspacing='0' width='100%'>"
                     f"<tr><th align='left'>{item}</th><th>{count}</th>"
                     f"<th>{amount}</th><th>{units}</th></tr>")
        for line in section.lines:
            parts.append(
                f"<tr><td>{e(line.label)}</td>"
                f"<td class='n'>{'' if line.count is None else line.count}</td>"
                f"<td class='n'>{'' if line.amount_minor is None else e(format_minor(line.amount_minor, cur, code=False))}</td>"  # noqa: E501
                f"<td class='n'>{'' if not line.units_tenths else e(format_tenths(line.units_tenths, line.unit))}</td></tr>")  # noqa: E501
        parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)


def journal_csv(entries: Iterable[JournalEntry]) -> str:
    """Journal entries as CSV (header row first); details as compact JSON."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header(JOURNAL_HEADER))
    for e in entries:
        writer.writerow((str(e.seq), e.at, _text(e.kind), _text(e.ref),
                         _text(json.dumps(e.body, ensure_ascii=False, sort_keys=True))))
    return buffer.getvalue()


def write_atomically(path: Path, write: Callable[[Path], object]) -> Path:
    """Let `write` fill a temporary file next to `path`, then move it into place."""
    part = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        write(part)
        if not part.exists():
            raise OSError(f"nothing was written for {path.name}")
        replace_file(part, path)
    finally:
        part.unlink(missing_ok=True)
    return path


def write_text(path: Path, text: str) -> Path:
    """`text` as UTF-8 at `path` (newlines as given), atomically."""
    return write_atomically(path, lambda p: p.write_text(text, encoding="utf-8", newline=""))


class ExportService:
    """Writes report exports for operators allowed to export, and journals each one."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def report_csv(self, actor: Actor, report: Report, path: Path) -> Path:
        """The report's sections as CSV at `path`."""
        require(actor, Permission.EXPORT_REPORTS)
        write_text(path, report_csv(report))
        self._journal(actor, report, "csv", path)
        return path

    def detail_csv(self, actor: Actor, report: Report, path: Path) -> Path:
        """Every ledger row of the report's period (and operator filter) as CSV at `path`."""
        require(actor, Permission.EXPORT_REPORTS)
        start, end, op = report.period_start, report.period_end, report.operator_filter
        text = self.store.call(lambda c: ledger_csv(ranges.ledger_rows(c, start, end,
                                                                       operator=op)))
        write_text(path, text)
        self._journal(actor, report, "csv-detail", path)
        return path

    def report_pdf(self, actor: Actor, report: Report, path: Path,
                   render: PdfRenderer) -> Path:
        """The report as a PDF at `path`, drawn by `render` on this thread."""
        require(actor, Permission.EXPORT_REPORTS)
        write_atomically(path, lambda p: render(report, p))
        self._journal(actor, report, "pdf", path)
        return path

    def _journal(self, actor: Actor, report: Report, what: str, path: Path) -> None:
        # The file's name only: where a supervisor keeps files is not the journal's business.
        body: dict[str, Any] = {
            "format": what, "file": path.name, "operator_id": actor.id, "kind": report.kind,
            "period_start": report.period_start, "period_end": report.period_end,
            "operator_filter": report.operator_filter}
        self.store.call(lambda c: append(c, "report.exported", body))
