"""PDF export of a report: QTextDocument (HTML from app.supervisor.exports) → QPdfWriter.

Charts are painted into images and added to the document as resources, so the PDF shows the
same pictures as the screen.

This runs on an `Op` worker thread, never on the GUI thread, so it uses only classes Qt
documents as usable there ("Thread-Support in Qt Modules"): QPainter painting onto a QImage
(the charts), QTextDocument and its layout (reentrant), and a QPdfWriter, a paint device like
QPrinter that is created, painted and destroyed on this one thread. No QWidget or QPixmap is
touched, and every object is made here, so nothing is shared with the GUI thread. Chart data
comes in as plain values (`Chart`), not as widgets.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF, QUrl
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from app.supervisor.exports import report_html
from app.supervisor.report_model import Report
from ui.supervisor.charts import chart_image


@dataclass(frozen=True)
class Chart:
    """A chart for the PDF as plain data: resource name, title, bars and value format."""

    name: str
    title: str
    bars: tuple[tuple[str, int], ...]
    fmt: Callable[[int], str]


def write_report_pdf(path: Path, report: Report, *, charts: Sequence[Chart] = (),
                     heading: str = "") -> Path:
    """Write `report` (with its charts painted in) as an A4 PDF; any thread but never two
    at once on one path."""
    writer = QPdfWriter(str(path))
    writer.setTitle(heading or report.title)
    writer.setCreator("VendPoint")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    writer.setResolution(300)
    # Lay the document out on the printable page (device pixels at 300 dpi).
    page = writer.pageLayout().paintRectPixels(writer.resolution())
    document = QTextDocument()
    # Measure fonts at the writer's resolution, so point sizes come out right on paper.
    layout = document.documentLayout()
    layout.setPaintDevice(writer)
    document.setPageSize(QSizeF(page.width(), page.height()))
    for chart in charts:
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(chart.name),
                             chart_image(chart.title, chart.bars, chart.fmt))
    document.setHtml(report_html(report, heading=heading, images=[c.name for c in charts],
                                 # <img width> counts 1/96 inch, whatever the device
                                 image_width=int(page.width() * 96 / writer.resolution()
                                                 * 0.95)))
    document.print_(writer)
    return path
