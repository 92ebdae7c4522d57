"""Small bar charts drawn with QPainter (PySide6-Essentials has no QtCharts).

`BarChart` is a widget for the reports screen; `chart_image` paints the same chart into a
QImage for the PDF export. Values are integers (minor units or counts); labels are drawn under
the bars and the largest value is written above its bar.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

BAR = QColor("#1f6feb")
AXIS = QColor("#444444")


def paint_bars(painter: QPainter, rect: QRectF, title: str,
               bars: Sequence[tuple[str, int]], fmt: Callable[[int], str],
               font_pt: float = 9) -> None:
    """Draw a titled vertical bar chart of `bars` into `rect`."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.fillRect(rect, QColor("white"))
    font = QFont(painter.font())
    font.setPointSizeF(font_pt)
    painter.setFont(font)
    metrics = painter.fontMetrics()
    line = metrics.height()
    painter.setPen(AXIS)
    painter.drawText(QRectF(rect.left(), rect.top(), rect.width(), line + 4),
                     int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter), title)
    plot = QRectF(rect.left() + 8, rect.top() + line + 8 + line, rect.width() - 16,
                  rect.height() - 3 * line - 20)
    painter.drawLine(plot.bottomLeft(), plot.bottomRight())
    top = max((v for _, v in bars), default=0)
    if not bars or top <= 0:
        painter.drawText(plot, int(Qt.AlignmentFlag.AlignCenter), "no sales")
        painter.restore()
        return
    slot = plot.width() / len(bars)
    width = max(1.0, slot * 0.7)
    # Label every n-th bar so labels never overlap.
    fits = max(1.0, plot.width() / (metrics.horizontalAdvance("00") * 1.6))
    every = max(1, int(len(bars) / fits))
    for i, (label, value) in enumerate(bars):
        height = plot.height() * value / top
        x = plot.left() + i * slot + (slot - width) / 2
        painter.fillRect(QRectF(x, plot.bottom() - height, width, height), BAR)
        if i % every == 0:
            painter.drawText(QRectF(plot.left() + i * slot, plot.bottom() + 2, slot, line),
                             int(Qt.AlignmentFlag.AlignHCenter), metrics.elidedText(
                                 label, Qt.TextElideMode.ElideRight, int(max(slot, 1))))
        if value == top:
            painter.drawText(QRectF(x - 40, plot.bottom() - height - line - 2, width + 80, line),
                             int(Qt.AlignmentFlag.AlignHCenter), fmt(value))
    painter.restore()


class BarChart(QWidget):
    """A bar chart widget; `set_data` replaces the bars and repaints."""

    def __init__(self, title: str, fmt: Callable[[int], str] = str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.fmt = fmt
        self.bars: list[tuple[str, int]] = []
        self.setMinimumSize(QSize(320, 180))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, bars: Sequence[tuple[str, int]]) -> None:
        """Replace the bars (label, value)."""
        self.bars = list(bars)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            paint_bars(painter, QRectF(self.rect()), self.title, self.bars, self.fmt)
        finally:
            painter.end()


def chart_image(title: str, bars: Sequence[tuple[str, int]], fmt: Callable[[int], str],
                size: QSize | None = None) -> QImage:
    """The chart painted into an image (for PDF export), 900×320 unless `size` is given."""
    size = size or QSize(900, 320)
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        # Larger type: the picture is scaled down to the page width in the PDF.
        paint_bars(painter, QRectF(0, 0, size.width(), size.height()), title, bars, fmt, 13)
    finally:
        painter.end()
    return image
