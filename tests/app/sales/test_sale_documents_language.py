"""The language a sale's documents are recorded with: the customer's (`receipt.language`,
"" = the operator's) for what the customer takes away, the operator's for shift slips."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.sales.documents import Documents, ReceiptContext
from common import i18n
from common.events import EventBus
from offline_store import Store, open_store
from printers import samples
from printers.job_store import PrintJob
from printers.model import Receipt


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "store.db", b"k" * 32, create=True)
    yield opened
    opened.close()


@pytest.fixture
def operator_speaks_portuguese() -> Iterator[None]:
    i18n.set_language("pt")  # no catalog needed: only the code is recorded
    yield
    i18n.reset_cache()


def test_documents_are_recorded_in_the_language_they_print_in(
        store: Store, operator_speaks_portuguese: None) -> None:
    docs = Documents(store, EventBus(), ReceiptContext(), printer_id="main",
                     customer_language=lambda: "fr")

    def recorded(receipt: Receipt) -> PrintJob:
        return store.call(lambda c: docs.record(c, receipt))

    assert recorded(samples.token_receipt()).receipt().language == "fr"
    assert recorded(samples.pending_slip()).receipt().language == "fr"
    assert recorded(samples.shift_close()).receipt().language == "pt"
    assert recorded(samples.reprint()).receipt().language == ""  # prints in its original's
