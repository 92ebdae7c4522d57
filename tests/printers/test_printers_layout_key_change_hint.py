"""A receipt with key change tokens tells the customer to enter those first, in words.

Found reading the samples as a customer: the receipt numbered the key change tokens first but
never said why; customers who type only the credit token get it rejected by the meter.
"""

from __future__ import annotations

import pytest

from printers import samples
from printers.render import render_text

HINT = "Enter the key change tokens first"


@pytest.mark.parametrize("columns", [32, 42, 48])
def test_key_change_receipt_says_enter_key_change_tokens_first(columns: int) -> None:
    text = render_text(samples.token_receipt(key_change=True), columns)
    flat = " ".join(text.split())
    assert HINT in flat
    assert "the meter refuses the credit token until they are in" in flat
    # The hint comes before the first token, after the heading.
    assert flat.index("IN THIS ORDER") < flat.index(HINT) < flat.index("1. Key change 1 of 2")


@pytest.mark.parametrize("columns", [32, 48])
def test_receipts_without_key_change_have_no_hint(columns: int) -> None:
    assert HINT not in " ".join(render_text(samples.token_receipt(key_change=False),
                                            columns).split())
    assert HINT not in " ".join(render_text(samples.reversal(), columns).split())
