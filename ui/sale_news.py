"""News about sales that reaches the sale screen while (or after) it shows them (Qt-free).

A print job's progress, a two-way meter's read-back, the server's price difference, a late
token, a sale that never reached the server: each is shown when it concerns the sale on screen.
Read-backs and price notes are kept a while by receipt number, and a slip's print progress by
its job and receipt number, because they may be announced before the sale's own answer
reaches the screen (a slip can be printed before the sale's answer is shown).
"""

from __future__ import annotations

from dataclasses import replace

from app.till.results import PrintState, SaleResult, SaleState
from ui.sale_actions import (
    Act,
    FetchResult,
    ShowDelivered,
    ShowNotSold,
    ShowPriceNote,
    ShowPrintState,
    ShowResult,
    ShowTokenArrived,
    Step,
)

#: how many read-backs / price notes are kept for sales still on their way
_KEEP = 20


class SaleNews:
    """The part of the sale flow that answers news about sales (mixed into `SaleFlow`)."""

    step: Step
    result: SaleResult | None

    def __init__(self) -> None:
        self._deliveries: dict[str, tuple[bool, str, str]] = {}
        self._differences: dict[str, str] = {}
        self._prints: dict[str, tuple[PrintState, str]] = {}
        #: (slip reference, receipt number) of the late token whose tokens are being fetched
        self._arrived: tuple[str, str] | None = None

    def _noted(self, result: SaleResult) -> list[Act]:
        """What was announced for `result` before it reached the screen."""
        acts: list[Act] = []
        if result.reference in self._deliveries:
            acts.append(ShowDelivered(*self._deliveries[result.reference]))
        if result.reference in self._differences:
            acts.append(ShowPriceNote(self._differences[result.reference]))
        printed = self._prints.get(result.print_job) or self._prints.get(result.reference)
        if printed is not None:
            acts.append(ShowPrintState(*printed))
        return acts

    def print_update(self, job_id: str, state: PrintState, detail: str = "",
                     reference: str = "") -> list[Act]:
        """The print queue reported on a document; shown if it is the sale on screen's."""
        result = self.result
        if result is not None and ((job_id and job_id == result.print_job)
                                   or (reference and reference == result.reference)):
            return [ShowPrintState(state, detail)]
        for key in (job_id, reference):  # maybe the sale whose answer is still on its way
            if key:
                self._prints[key] = (state, detail)
        _trim(self._prints)
        return []

    def price_differs(self, receipt_no: str, summary: str) -> tuple[bool, list[Act]]:
        """The server priced a sale differently from its quote. Shown on that sale; True when
        it is (or may be: a sale in flight) the one on this screen."""
        self._differences[receipt_no] = summary
        _trim(self._differences)
        if self._tokened_on_screen(receipt_no):
            return True, [ShowPriceNote(summary)]
        return self.step is Step.SELLING, []

    def delivered(self, receipt_no: str, accepted: bool, balance: str, unit: str
                  ) -> list[Act]:
        """A two-way meter took (or refused) a sale's token; shown if it is that sale."""
        self._deliveries[receipt_no] = (accepted, balance, unit)
        _trim(self._deliveries)
        if self._tokened_on_screen(receipt_no):
            return [ShowDelivered(accepted, balance, unit)]
        return []

    def _tokened_on_screen(self, receipt_no: str) -> bool:
        result = self.result
        return (result is not None and result.state is SaleState.TOKENED
                and result.reference == receipt_no)

    def pending_resolved(self, reference: str, receipt_no: str, job_id: str = "",
                         idempotency_key: str = "") -> list[Act]:
        """A pending or unanswered sale got its token; if it is the one on screen, say so,
        follow the token receipt's print job from now on, and fetch its tokens to show them."""
        result = self.result
        if result is None or result.state not in (SaleState.PENDING, SaleState.UNRESOLVED) \
                or result.reference != reference:
            return []
        self.result = replace(result, print_job=job_id)
        self._arrived = (reference, receipt_no)
        acts: list[Act] = [ShowTokenArrived(reference, receipt_no),
                           ShowPrintState(PrintState.QUEUED if job_id else PrintState.NO_PRINTER)]
        if idempotency_key:
            acts.append(FetchResult(idempotency_key))
        return acts

    def late_result(self, result: SaleResult | None) -> list[Act]:
        """The stored outcome of the sale whose token arrived: its tokens go on screen."""
        arrived, self._arrived = self._arrived, None
        if result is None or arrived is None or result.state is not SaleState.TOKENED:
            return []
        current = self.result
        if current is None or current.reference != arrived[0]:
            return []  # the cashier moved on meanwhile
        self.result = replace(result, print_job=current.print_job,
                              print_state=current.print_state)
        self.unfinished_resolved()
        return [ShowResult(self.result)]

    def unfinished_resolved(self) -> None:
        """Hook: the unfinished sale on screen is settled (the flow moves to DONE)."""

    def not_sold(self, reference: str) -> list[Act]:
        """An unanswered sale never reached the server; if it is on screen, say so."""
        result = self.result
        if result is not None and result.state is SaleState.UNRESOLVED \
                and result.reference == reference:
            self.unfinished_resolved()  # "not made": the customer may buy again
            return [ShowNotSold(reference)]
        return []


def _trim(notes: dict[str, tuple[bool, str, str]] | dict[str, str]
          | dict[str, tuple[PrintState, str]]) -> None:
    while len(notes) > _KEEP:  # only the last few can still be on their way
        del notes[next(iter(notes))]
