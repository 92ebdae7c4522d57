"""Money on the cashier screens: the one formatter.

The till's results carry `Money` (integer minor units + ISO 4217 currency, `common.money`);
how many decimals an amount has comes with its currency (ZAR 2, UGX 0, LYD 3), never an
assumed two. Every amount the UI shows goes through `format_money` (the project's one display
formatter, `common.money.format_money`, in the display locale from `ui.locale`: CLDR through
Babel, never QLocale, so a screen reads exactly like the receipt the core printed); every
amount typed goes through the core's one parser, `common.amounts.parse_amount`, with the same
locale's symbols. Qt-free.
"""

from __future__ import annotations

from app.sales.money import to_decimal
from common.money import Money, format_money

__all__ = ["Money", "format_money", "to_decimal"]
