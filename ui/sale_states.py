"""How each sale state reads on the cashier's screens: the one table for lists and notices.

Every state the core's store has is shown as it is (`app.till.SaleState`): a rejected or void
sale is never shown as "pending". A reversed sale says so whatever its state. Qt-free; the
words are marked for lupdate under "SaleState" and go through the caller's `tr`.
"""

from __future__ import annotations

from collections.abc import Callable

from app.till.results import SaleRecord, SaleState
from ui.translatable import QT_TRANSLATE_NOOP

#: the short word in a list, and whether money was taken and the sale stands
_WORDS: dict[SaleState, tuple[str, bool]] = {
    SaleState.TOKENED: (QT_TRANSLATE_NOOP("SaleState", "tokened"), True),
    SaleState.PENDING: (QT_TRANSLATE_NOOP("SaleState", "PENDING (no token yet)"), True),
    SaleState.SENDING: (QT_TRANSLATE_NOOP("SaleState", "sending (not sold yet)"), True),
    SaleState.UNRESOLVED: (QT_TRANSLATE_NOOP("SaleState", "NOT COMPLETE (being checked)"), True),
    SaleState.NEEDS_ATTENTION: (QT_TRANSLATE_NOOP("SaleState", "NEEDS ATTENTION (supervisor)"),
                                True),
    SaleState.REJECTED: (QT_TRANSLATE_NOOP("SaleState", "REJECTED (nothing sold: refund)"),
                         False),
    SaleState.VOID: (QT_TRANSLATE_NOOP("SaleState", "NOT SOLD (void)"), False),
}
_REVERSED = QT_TRANSLATE_NOOP("SaleState", "reversed")
#: a state this table does not know yet (never its raw value on screen)
_UNKNOWN = QT_TRANSLATE_NOOP("SaleState", "state unknown (ask a supervisor)")
_EXPLAINED = QT_TRANSLATE_NOOP("SaleState", "{state}: {reason}")


def _same(text: str) -> str:
    return text


def state_text(record: SaleRecord, tr: Callable[[str], str] = _same) -> str:
    """The sale's state in a list: 'tokened', 'PENDING (no token yet)', 'reversed', ...;
    for a sale a person must look at, the core's reason too. `tr` translates in the context
    "SaleState" (`ui.labels.sale_state_tr`)."""
    if record.reversed:
        return tr(_REVERSED)
    word, _ = _WORDS.get(record.state, (_UNKNOWN, False))
    text = tr(word)
    explained = record.state in (SaleState.NEEDS_ATTENTION, SaleState.REJECTED,
                                 SaleState.VOID)
    if explained and record.reason:
        return tr(_EXPLAINED).format(state=text, reason=record.reason)
    return text


def counts_in_total(record: SaleRecord) -> bool:
    """The money of this sale was taken and stands (not rejected, void or reversed)."""
    return not record.reversed and _WORDS.get(record.state, ("", False))[1]
