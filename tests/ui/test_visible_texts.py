"""The counter's screens in English: every checkpoint shows texts, none a raw core value."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.harness import Till
from tests.e2e.keys import real_window
from tests.ui.visible_texts import Text, walk_screens

pytestmark = [pytest.mark.e2e, pytest.mark.qt_log_ignore(r"^This plugin does not support")]

#: what a person must never read: an enum's repr or member name, a core identifier
RAW = re.compile(r"\b(?:SaleStep|Step|SaleState|PrintState|Role|Action|Where|PassphraseMode)\."
                 r"|\b(?:TOKENED|NEEDS_ATTENTION|NO_PRINTER|SUPERVISOR_REQUIRED|"
                 r"set_power_limit|clear_tamper|key_change|sale_by_units|tariff_documents)\b")
CHECKPOINTS = {"sign-in", "sale quoted", "tokens", "settings", "reprint", "reversal"}


@pytest.fixture
def till(qtbot, tmp_path: Path) -> Iterator[Till]:
    with real_window(qtbot, tmp_path) as opened:
        yield opened


def raw_values(texts: list[Text]) -> list[Text]:
    """The texts that show a raw enum value or identifier."""
    return [(where, text) for where, text in texts if RAW.search(text)]


def test_raw_values_are_recognised() -> None:
    assert raw_values([("a", "SaleStep.QUOTED"), ("b", "TOKENED"), ("c", "tokened"),
                       ("d", "Set maximum power limit")]) == [("a", "SaleStep.QUOTED"),
                                                               ("b", "TOKENED")]


def test_every_screen_shows_its_texts_and_no_raw_values(qtbot, till, shown_errors) -> None:
    seen: dict[str, list[Text]] = {}
    for checkpoint, texts in walk_screens(till, qtbot):
        assert texts, f"{checkpoint}: nothing to read"
        assert not raw_values(texts), f"{checkpoint}: {raw_values(texts)}"
        seen[checkpoint] = texts
    assert CHECKPOINTS <= set(seen)
    assert len([c for c in seen if c.startswith("supervisor: ")]) == 5
    quoted = [text for _where, text in seen["sale quoted"]]
    assert any("buys" in text for text in quoted)
    tokens = [text for _where, text in seen["tokens"]]
    assert any(text.startswith("Receipt ") for text in tokens)
    assert any("Operator: " in text and "(supervisor)" in text for text in tokens)
    assert any(text.startswith("Reverse") for _where, text in seen["reversal"])
