"""PDF export of a report: QTextDocument (HTML from app.supervisor.exports) → QPdfWriter.

Charts are painted into images and added to the document as resources, so the PDF shows the
same pictures as the screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF, QUrl
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from app.supervisor.exports import report_html
from app.supervisor.reports import Report


def write_report_pdf(path: Path, report: Report, *,
                     charts: Sequence[tuple[str, QImage]] = (), heading: str = "") -> Path:
    """Write `report` (and chart images named by the first element) as an A4 PDF."""
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
    for name, image in charts:
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
    document.setHtml(report_html(report, heading=heading, images=[n for n, _ in charts],
                                 # <img width> counts 1/96 inch, whatever the device
                                 image_width=int(page.width() * 96 / writer.resolution()
                                                 * 0.95)))
    document.print_(writer)
    return path
