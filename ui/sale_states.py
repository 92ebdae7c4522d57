"""How each sale state reads on the cashier's screens: the one table for lists and notices.

Every state the core's store has is shown as it is (`app.till.SaleState`): a rejected or void
sale is never shown as "pending". A reversed sale says so whatever its state. Qt-free; the
words go through the caller's `tr`.
"""

from __future__ import annotations

from collections.abc import Callable

from app.till.results import SaleRecord, SaleState

#: the short word in a list, and whether money was taken and the sale stands
_WORDS: dict[SaleState, tuple[str, bool]] = {
    SaleState.TOKENED: ("tokened", True),
    SaleState.PENDING: ("PENDING (no token yet)", True),
    SaleState.SENDING: ("sending (not sold yet)", True),
    SaleState.UNRESOLVED: ("NOT COMPLETE (being checked)", True),
    SaleState.NEEDS_ATTENTION: ("NEEDS ATTENTION (supervisor)", True),
    SaleState.REJECTED: ("REJECTED (nothing sold: refund)", False),
    SaleState.VOID: ("NOT SOLD (void)", False),
}


def _same(text: str) -> str:
    return text


def state_text(record: SaleRecord, tr: Callable[[str], str] = _same) -> str:
    """The sale's state in a list: 'tokened', 'PENDING (no token yet)', 'reversed', ...;
    for a sale a person must look at, the core's reason too."""
    if record.reversed:
        return tr("reversed")
    word, _ = _WORDS.get(record.state, (record.state.value, False))
    text = tr(word)
    explained = record.state in (SaleState.NEEDS_ATTENTION, SaleState.REJECTED,
                                 SaleState.VOID)
    return f"{text}: {record.reason}" if explained and record.reason else text


def counts_in_total(record: SaleRecord) -> bool:
    """The money of this sale was taken and stands (not rejected, void or reversed)."""
    return not record.reversed and _WORDS.get(record.state, ("", False))[1]
