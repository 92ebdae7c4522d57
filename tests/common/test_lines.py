"""Breakdown lines in the client's words: the block from the API, the numbers in the
locale, the server's text kept where the client does not know the line."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from common.i18n import translator
from common.lines import block_of, describe_line
from common.money import set_display_locale
from vendserver.pricing import Line


@pytest.fixture
def french_numbers() -> Iterator[None]:
    set_display_locale("fr_CI")
    yield
    set_display_locale("en")


def test_an_energy_line_is_named_from_its_block_in_english() -> None:
    en = translator("en")
    assert describe_line(en, "energy", "server words", "kWh", block=(1, 0, 500)) == \
        "Energy block 1 (0.0-50.0 kWh)"
    assert describe_line(en, "energy", "", "kL", block=(3, 200, None)) == \
        "Water block 3 (20.0+ kL)"
    assert describe_line(en, "debt_recovery", "Debt", "kWh") == "Debt recovery"
    assert describe_line(en, "fbe", "", "kL") == "Free basic water"


def test_in_french_the_words_and_the_numbers_are_french(french_numbers: None) -> None:
    fr = translator("fr")
    assert describe_line(fr, "energy", "Energy block 1 (0.0-50.0 kWh)", "kWh",
                         block=(1, 0, 500)) == "Tranche d'énergie 1 (0,0-50,0 kWh)"
    assert describe_line(fr, "debt_recovery", "Debt recovery", "kWh") == \
        "Recouvrement de dette"


def test_what_only_the_utility_knows_keeps_the_servers_text() -> None:
    fr = translator("fr")
    assert describe_line(fr, "fixed_charge", "Redevance mensuelle", "kWh") == \
        "Redevance mensuelle"
    # A server without blocks (XMLVend) keeps its own description.
    assert describe_line(fr, "energy", "Energy 52.0 kWh", "kWh", block=None) == \
        "Energy 52.0 kWh"


def test_the_server_sends_each_energy_lines_block_and_the_client_reads_it() -> None:
    wire = Line("energy", "Energy block 2 (50.0-350.0 kWh)", 20, 25000, 435, 65, True,
                (2, 500, 3500)).wire("ZAR")
    assert wire["block"] == {"number": 2, "from": "50.0", "to": "350.0"}
    assert block_of(wire) == (2, 500, 3500)
    assert block_of({"block": {"number": 4, "from": "600.0", "to": None}}) == (4, 6000, None)
    assert block_of({"block": {"number": "x", "from": "1"}}) is None
    assert block_of({"kind": "vat"}) is None
