"""Money on the cashier screens: the one formatter.

The till's results carry `Money` (integer minor units + ISO 4217 currency, `common.money`);
how many decimals an amount has comes with its currency (ZAR 2, UGX 0, LYD 3), never an
assumed two. Every amount the UI shows goes through `format_money` (the project's one display
format, `common.money.format_money`); every amount typed goes through the core's one parser,
`common.amounts.parse_amount`, in the terminal's locale. Qt-free.
"""

from __future__ import annotations

from app.sales.money import to_decimal
from common.money import Money, format_money

__all__ = ["Money", "format_money", "to_decimal"]
