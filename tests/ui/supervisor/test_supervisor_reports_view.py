"""Reports screen: filters, charts, PDF/CSV exports opened and checked, printing, Z."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import threading
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QTimer
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from app.supervisor import SupervisorServices
from offline_store import Store
from tests.app.supervisor.helpers_supervisor import (
    CASHIER,
    SUPERVISOR,
    FakeApi,
    Printed,
    Seeder,
)
from ui.supervisor.charts import BAR
from ui.supervisor.common import ScreenContext
from ui.supervisor.reports_view import ReportsView


def _near(a: QColor, b: QColor) -> bool:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) < 40


TODAY = datetime.now(UTC).strftime("%Y-%m-%d")


def _seed(seed: Seeder) -> None:
    seed.tokened(amount=10000, units=453, vat=1239, charges=4500, debt=500,
                 sold_at=f"{TODAY}T06:10:00Z")
    seed.tokened(amount=20000, units=987, vat=2609, tender="card", sold_at=f"{TODAY}T06:40:00Z")
    seed.tokened(amount=5000, units=200, vat=652, operator="sipho",
                 tariff=("BUS-FLAT", "Business, \"flat\""), sold_at=f"{TODAY}T08:05:00Z")


@pytest.fixture
def view(qtbot: QtBot, ctx: ScreenContext, seed: Seeder) -> ReportsView:
    _seed(seed)
    v = ReportsView(ctx)
    qtbot.addWidget(v)
    v.start.setDate(QDate.fromString(TODAY, "yyyy-MM-dd"))
    v.end.setDate(QDate.fromString(TODAY, "yyyy-MM-dd"))
    with qtbot.waitSignal(v.loaded, timeout=10000):
        v.refresh()
    return v


def test_report_loads_with_charts_and_operator_filter(qtbot: QtBot, view: ReportsView) -> None:
    assert view.report is not None and view.report.sales.amount_minor == 35000
    summary = view.tree.topLevelItem(0)
    assert summary is not None and summary.text(0) == "Summary"
    sales = summary.child(0)
    assert sales is not None
    assert (sales.text(0), sales.text(1), sales.text(2)) == ("Sales", "3", "350.00")
    hours = dict(view.per_hour.bars)
    assert hours["08"] == 30000 and hours["10"] == 5000  # local time (+02:00)
    assert dict(view.by_tariff.bars) == {"RES-IBT Residential": 30000,
                                         'BUS-FLAT Business, "flat"': 5000}
    assert [view.operator.itemData(i) for i in range(view.operator.count())] == [
        "", "sipho", "thandi"]
    view.operator.setCurrentIndex(view.operator.findData("sipho"))
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.refresh()
    assert view.report is not None and view.report.sales.amount_minor == 5000
    image = view.per_hour.grab().toImage()
    assert not image.isNull() and image.width() >= 320


def test_csv_exports_are_rfc4180(qtbot: QtBot, view: ReportsView, answers: Any,
                                 tmp_path: Path) -> None:
    summary, detail = tmp_path / "summary.csv", tmp_path / "detail.csv"
    answers.paths = [summary, detail]
    with qtbot.waitSignal(view.done, timeout=10000):
        view.csv_button.click()
    with qtbot.waitSignal(view.done, timeout=10000):
        view.detail_button.click()
    raw = summary.read_bytes()
    assert raw.startswith(b"section,label,count,amount,currency,units,unit\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")  # CRLF line ends only
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert ["Summary", "Sales", "3", "350.00", "ZAR", "", ""] in rows
    assert ["By tariff", 'BUS-FLAT Business, "flat"', "1", "50.00", "ZAR", "20.0", "kWh"] in rows
    assert b'"BUS-FLAT Business, ""flat"""' in raw  # quoted, quotes doubled
    drows = list(csv.DictReader(io.StringIO(detail.read_text("utf-8"), newline="")))
    assert [r["amount"] for r in drows] == ["100.00", "200.00", "50.00"]
    assert drows[0]["vat"] == "12.39" and drows[0]["charges"] == "45.00"
    assert drows[1]["tender"] == "card" and drows[2]["operator"] == "sipho"


def test_pdf_export_opened_and_checked(qtbot: QtBot, view: ReportsView, answers: Any,
                                       tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    answers.paths = [pdf]
    with qtbot.waitSignal(view.done, timeout=10000):
        view.pdf_button.click()
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]
    assert b"/Type /Page" in data or b"/Type/Page" in data
    assert b"/Subtype /Image" in data or b"/Subtype/Image" in data  # the charts
    if shutil.which("pdftotext"):
        text = unicodedata.normalize("NFKC", subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
            check=True, timeout=60).stdout)  # NFKC: "ﬀ" ligatures back to "ff"
        assert "SALES REPORT" in text and "350.00" in text and "By tariff" in text
        assert "RES-IBT Residential" in text and "300.00" in text
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf),
                        str(tmp_path / "page")], check=True, timeout=60)
        pages = list(tmp_path.glob("page*.png"))
        assert len(pages) == 1
        image = QImage(str(pages[0]))
        # the charts' bars are on the page: sample a grid for the bar colour
        blue = sum(1 for x in range(0, image.width(), 3) for y in range(0, image.height() // 2, 3)
                   if _near(image.pixelColor(x, y), BAR))
        assert blue > 50


def test_print_x_and_close_day_with_approval(qtbot: QtBot, view: ReportsView,
                                             answers: Any, printed: Printed, api: FakeApi,
                                             services: SupervisorServices,
                                             shown_errors: list[str]) -> None:
    with qtbot.waitSignal(view.done, timeout=10000):
        view.print_button.click()
    assert printed.items[-1].kind == "report" and printed.items[-1].z_number is None
    with qtbot.waitSignal(view.done, timeout=10000) as blocker:
        view.x_button.click()
    assert "3 sales" in blocker.args[0]
    answers.actor = CASHIER  # a cashier closes the day: the supervisor approves
    with qtbot.waitSignal(view.done, timeout=10000) as closed:
        view.z_button.click()
    assert answers.asked == ["close the day (Z report)"]
    assert "Z report No. 1 issued" in closed.args[0] and "match" in closed.args[0]
    assert printed.items[-1].z_number == 1 and api.calls[-1][0] == "z"
    # The cashier may not reprint the Z: the core refuses, whatever the screen offers.
    assert view.z_reprint.isEnabled()
    view.z_list.addItem("Z 1  today  matched")
    view.z_list.setCurrentRow(0)
    printed_before = len(printed.items)
    view.z_reprint.click()
    qtbot.waitUntil(lambda: bool(shown_errors), timeout=10000)
    assert "may not view sales reports" in shown_errors[-1]
    assert len(printed.items) == printed_before
    answers.actor = SUPERVISOR
    with qtbot.waitSignal(view.z_listed, timeout=10000):
        view.refresh_z_list()
    assert view.z_list.count() == 1
    view.z_list.setCurrentRow(0)
    with qtbot.waitSignal(view.done, timeout=10000) as blocker:
        view.z_reprint.click()
    assert "reprint 1" in blocker.args[0] and printed.items[-1].kind == "reprint"
    assert services.day.get_z(SUPERVISOR, 1).approved_by == "sipho"


def test_close_day_confirms_warns_and_refuses_with_open_shifts(
        qtbot: QtBot, view: ReportsView, answers: Any, seed: Seeder, api: FakeApi,
        services: SupervisorServices) -> None:
    from app.api.models import Money

    seed.insert(amount=3000, offline=True, state="pending")
    # declined: nothing issued, nothing asked beyond the confirmation
    answers.yes = False
    with qtbot.waitSignal(view.done, timeout=10000) as declined:
        view.z_button.click()
    text = answers.questions[-1]
    assert "Issue Z report No. 1" in text and "3 sales, ZAR 350.00" in text
    assert "1 offline sale (ZAR 30.00) still waiting" in text
    assert "not closed" in declined.args[0] and services.day.list_z(SUPERVISOR) == []
    # an open shift: refused before any confirmation or PIN
    shift = services.shifts.open_shift(CASHIER, Money(0, "ZAR"))
    asked = len(answers.questions)
    with qtbot.waitSignal(view.z_refused, timeout=10000) as refused:
        view.z_button.click()
    assert "1 shift is still open: thandi" in refused.args[0]
    assert "Close every shift" in view.message.text()
    assert len(answers.questions) == asked and services.day.list_z(SUPERVISOR) == []
    services.shifts.close_shift(CASHIER, shift.shift_id, counted=Money(0, "ZAR"))
    answers.yes = True
    with qtbot.waitSignal(view.done, timeout=10000) as closed:
        view.z_button.click()
    assert "Z report No. 1 issued" in closed.args[0]
    # a second Z right after: the confirmation says nothing happened since Z 1
    answers.yes = False
    with qtbot.waitSignal(view.done, timeout=10000):
        view.z_button.click()
    assert "nothing happened since Z report No. 1" in answers.questions[-1]


def test_cashier_cannot_view_reports(qtbot: QtBot, ctx: ScreenContext, answers: Any,
                                     shown_errors: list[str]) -> None:
    answers.actor = CASHIER
    v = ReportsView(ctx)
    qtbot.addWidget(v)
    with qtbot.waitSignal(v.failed, timeout=10000):
        v.refresh()
    assert "may not view sales reports" in shown_errors[0] and v.report is None


def test_cashier_sees_export_buttons_disabled_and_the_core_refuses(
        qtbot: QtBot, view: ReportsView, answers: Any, tmp_path: Path,
        shown_errors: list[str], store: Store) -> None:
    """The buttons follow the role; the refusal itself comes from the core's export service."""
    assert view.pdf_button.isEnabled() and view.csv_button.isEnabled()
    answers.actor = CASHIER
    with qtbot.waitSignal(view.failed, timeout=10000):
        view.refresh()
    assert not view.pdf_button.isEnabled() and not view.detail_button.isEnabled()
    # A click that reaches the handler anyway (e.g. a shortcut) is refused by the core.
    target = tmp_path / "cashier.csv"
    answers.paths = [target]
    with qtbot.waitSignal(view.export_failed, timeout=10000) as failed:
        view.export_csv(detail=True)
    assert "may not export sales reports" in failed.args[0]
    assert not target.exists() and list(tmp_path.glob("*.part")) == []
    assert store.call(lambda c: c.execute(
        "SELECT count(*) FROM journal WHERE kind = 'report.exported'").fetchone()[0]) == 0


def test_pdf_export_runs_on_a_worker_while_the_gui_thread_is_free(
        qtbot: QtBot, view: ReportsView, answers: Any, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, store: Store) -> None:
    """The PDF (charts included) is rendered on an Op worker; the GUI thread keeps handling
    events meanwhile, which the worker waits to see before it writes a byte."""
    from ui.supervisor import pdf as pdf_module
    from ui.supervisor import reports_view

    real = pdf_module.write_report_pdf
    gui_thread = threading.get_ident()
    rendered_on: list[int] = []
    gui_ran = threading.Event()
    saw_gui: list[bool] = []

    def spy(path: Path, report: Any, **kwargs: Any) -> Path:
        rendered_on.append(threading.get_ident())
        # Only an idle GUI thread can run the timer that sets this.
        saw_gui.append(gui_ran.wait(10))
        return real(path, report, **kwargs)

    monkeypatch.setattr(reports_view, "write_report_pdf", spy)
    pdf = tmp_path / "off-thread.pdf"
    answers.paths = [pdf]
    with qtbot.waitSignal(view.done, timeout=20000) as done:
        view.pdf_button.click()
        # While the worker waits: the export is shown as under way, the buttons wait.
        assert "Writing the PDF" in view.message.text()
        assert not view.pdf_button.isEnabled() and not view.csv_button.isEnabled()
        QTimer.singleShot(0, gui_ran.set)
    assert rendered_on and rendered_on[0] != gui_thread
    assert saw_gui == [True]
    assert "PDF saved" in done.args[0] and view.pdf_button.isEnabled()
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]
    assert b"/Subtype /Image" in data or b"/Subtype/Image" in data  # charts painted there
    assert list(tmp_path.glob("*.part")) == []
    exported = store.call(lambda c: c.execute(
        "SELECT body FROM journal WHERE kind = 'report.exported'").fetchall())
    assert len(exported) == 1 and '"format":"pdf"' in exported[0][0].replace(" ", "")
