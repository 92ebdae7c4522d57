"""Sale by units: the quote of the least amount that buys a number of units.

A sale by units is a quote by units followed by the ordinary sale of the quoted amount on that
quote: the server names the smallest amount that buys at least the units (docs/api.md,
`POST /v1/quotes`), the till holds that quote like any other, and `Till.sell(...,
quote=handle)` sells its amount. Nothing is sold "by units" as such, so the receipt, offline
rules, reversals and reports are those of an ordinary sale of that amount.

Only where the backend offers it (`Capabilities.sale_by_units`); otherwise `NotOffered` and
nothing is sent. It needs the server: there is no offline quote by units.
"""

from __future__ import annotations

from decimal import Decimal

from app.api import models as api
from app.api.checks import UNITS_MAX
from app.api.errors import ServerUnavailable, TlsProblem
from app.backend import VendingBackend
from app.sales.service import SaleService
from common.errors import InvalidInput
from common.i18n import _

__all__ = ["checked_units", "quote_by_units"]

_TENTH = Decimal("0.1")


def checked_units(units: Decimal) -> Decimal:
    """The units a cashier asked for, refused plainly unless more than zero in whole tenths
    (the STS resolution: rounding them here would quote for units nobody asked for)."""
    if not isinstance(units, Decimal):
        raise TypeError("units are a Decimal")
    if not units.is_finite() or units <= 0:
        raise InvalidInput(_("The units must be more than zero."), hint="Type the units to buy.")
    if units != units.quantize(_TENTH):
        raise InvalidInput(_("Units are sold in steps of 0.1."),
                           hint=_("Type the units with at most one decimal, like 50.5."))
    if units > UNITS_MAX:
        raise InvalidInput(_("That is more units than any sale can buy."),
                           hint=_("Type fewer units."))
    return units.quantize(_TENTH)


def quote_by_units(service: SaleService, backend: VendingBackend, meter_number: str,
                   units: Decimal) -> api.Quote:
    """The server's quote of the least amount that buys at least `units` on the meter.

    Raises `NotOffered` (the backend has no sale by units: nothing sent), `InvalidInput`
    (meter number or units), `ApiRejected` (e.g. `UNITS_OUT_OF_RANGE`, with what the largest
    sale buys), `ServerUnavailable` / `TlsProblem` (recorded as connectivity evidence, as a
    quote by amount is).
    """
    backend.capabilities.require("sale_by_units")
    meter = SaleService.clean_meter(meter_number)
    wanted = checked_units(units)
    try:
        quote = backend.quote_units(meter, wanted)
    except (ServerUnavailable, TlsProblem) as exc:
        service.connectivity.set(False, str(exc))
        raise
    service.connectivity.set(True)
    return quote
