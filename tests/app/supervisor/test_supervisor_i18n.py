"""Supervisor documents in the operator's language: a Z report's CSV (header row too), its
PDF page and its printed slip, and a refusal, from a French catalog."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from app.supervisor import reports as rp
from app.supervisor.context import TerminalContext
from app.supervisor.endofday import to_shift_report
from app.supervisor.exports import report_csv, report_html
from app.supervisor.permissions import Actor, Permission, Role, require
from common.errors import PermissionDenied
from offline_store import Store
from printers.render import render_text
from tests.app.supervisor.helpers_supervisor import Seeder
from tests.common.catalogs import Entries, language

FRENCH: Entries = {
    "Z REPORT No. {number}": "RAPPORT Z nº {number}",
    "Summary": "Résumé",
    "Sales": "Ventes",
    "By operator": "Par opérateur",
    "section": "rubrique",
    "label": "libellé",
    "amount": "montant",
    "Item": "Élément",
    "Period {period}": "Période {period}",
    "Printed by": "Imprimé par",
    "{operator} ({role}) may not {action}.": "{operator} ({role}) ne peut pas {action}.",
    "cashier": "caissier",
    "reverse a sale": "annuler une vente",
}


@pytest.fixture
def french(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    folder = tmp_path / "i18n"
    folder.mkdir()
    with language(monkeypatch, folder, "fr", FRENCH):
        yield


def test_a_z_reports_csv_pdf_and_slip_are_in_the_operators_language(
        french: None, seed: Seeder, store: Store) -> None:
    seed.tokened(amount=1000, units=10)
    z = replace(store.call(lambda c: rp.running_report(c, currency="ZAR")), kind="Z",
                z_number=7)
    rows = list(csv.reader(io.StringIO(report_csv(z), newline="")))
    assert rows[0][:3] == ["rubrique", "libellé", "count"]  # untranslated words stay English
    assert ["Résumé", "Ventes", "1", "10.00", "ZAR", "", ""] in rows
    assert any(row[0] == "Par opérateur" for row in rows)
    page = report_html(z)
    assert "RAPPORT Z nº 7" in page and "Période " in page and "Élément" in page
    assert "Summary" not in page
    terminal = TerminalContext("T0001", "V001", "Spaza", "City Power", "1 Main Rd", "4", "ZAR")
    slip = to_shift_report(z, terminal, Actor("sup", "Sipho", Role.SUPERVISOR))
    assert slip.language == "fr"
    text = render_text(slip, 48)
    assert "RAPPORT Z nº 7" in text and "Résumé" in text and "Imprimé par" in text


def test_a_refusal_is_in_the_operators_language(french: None) -> None:
    with pytest.raises(PermissionDenied) as refused:
        require(Actor("c1", "Thandi", Role.CASHIER), Permission.REVERSAL)
    assert str(refused.value).startswith("Thandi (caissier) ne peut pas annuler une vente.")
