"""One key map: the shortcuts made, the hint line and docs/ui.md all agree with it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QKeySequence

from tests.ui.fakes import FakeSales
from ui.keymap import KEYMAP, Action, Where, hint_line, markdown_table, sequence, shortcuts
from ui.sale_controller import SaleController
from ui.sale_view import SaleView

DOCS = Path(__file__).resolve().parents[2] / "docs" / "ui.md"


def test_docs_keys_table_is_the_key_map() -> None:
    assert markdown_table() in DOCS.read_text(encoding="utf-8")


def test_every_sequence_parses_and_none_is_bound_twice_on_one_screen() -> None:
    for binding in KEYMAP:
        for seq in binding.sequences:
            assert not QKeySequence(seq).isEmpty(), seq
    sale = [seq for b in KEYMAP if b.where in (Where.SALE, Where.TENDERED_OR_SALE,
                                               Where.SALE_OR_REPRINT, Where.SALE_OR_START)
            for seq in b.sequences]
    assert len(sale) == len(set(sale))


def test_sale_screen_shortcuts_and_hint_come_from_the_map(qtbot) -> None:
    view = SaleView()
    qtbot.addWidget(view)
    controller = SaleController(view, FakeSales())
    expected = shortcuts(Where.SALE, Where.TENDERED_OR_SALE, Where.SALE_OR_REPRINT,
                         Where.SALE_OR_START)
    assert set(controller.shortcuts) == set(expected)
    assert {"F2", "F3", "F5", "F6", "F8", "F9", "F10", "F11", "F12", "Esc", "Ctrl+L"} \
        <= set(expected)
    assert view.hint.text() == hint_line()
    assert view.hint.text().startswith("F2 New customer · F3 Search · F5 Quote · Enter/F12 Sell")
    assert len(hint_line().split(" · ")) == len([b for b in KEYMAP if b.hint])  # none lost
    assert "F9 Pending" in view.hint.text() and "Ctrl+L Lock" in view.hint.text()


def test_sequence_lookup() -> None:
    assert sequence(Action.REVERSAL, Where.REPRINT) == "F7"
    assert sequence(Action.RETRY, Where.START) == "F5"
