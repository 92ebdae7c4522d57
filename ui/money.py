"""Money on the cashier screens: the one formatter.

The till's results carry `Money` (integer minor units + ISO 4217 currency, `common.money`);
how many decimals an amount has comes with its currency (ZAR 2, UGX 0, LYD 3), never an
assumed two. Every amount the UI shows goes through `format_money` (the project's one display
formatter, `common.money.format_money`, in the display locale from `ui.locale`: CLDR through
Babel, never QLocale, so a screen reads exactly like the receipt the core printed); every
amount typed goes through the core's one parser, `common.amounts.parse_amount`, with the same
locale's symbols. Energy the API writes as text ('60.0') is shown with the same locale's
decimal ('60,0' in French) by `format_units_text`. Qt-free.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from app.sales.money import to_decimal
from common.money import Money, format_money, format_number

__all__ = ["Money", "format_money", "format_units_text", "to_decimal"]


def format_units_text(units: str) -> str:
    """Units as the API writes them ('1234.5') in the display locale, with one decimal as the
    receipt prints them ('1,234.5'; '1 234,5' in French); a text that is no number as given."""
    try:
        return format_number(Decimal(units), 1)
    except (InvalidOperation, ValueError):
        return units
