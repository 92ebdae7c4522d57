"""How a new quote (or the sale) differs in price from the quote the cashier showed.

Both sides are in the API's JSON form; amounts stay strings (no float), since only equality
is needed. The sale service asks the cashier to confirm again when there is a difference.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from common.i18n import _

__all__ = ["PriceDifference", "price_difference"]


@dataclass(frozen=True)
class PriceDifference:
    """How a new quote (or the sale) differs from the quote the cashier showed the customer."""

    amount: str
    old_version: int | None
    new_version: int | None
    old_units: str
    new_units: str
    unit: str
    lines: tuple[tuple[str, str, str], ...]  # (description, old amount, new amount)

    def summary(self) -> str:
        """One sentence for the confirmation dialog."""
        values = {"old_version": self.old_version, "new_version": self.new_version,
                  "amount": self.amount, "new_units": self.new_units,
                  "old_units": self.old_units, "unit": self.unit}
        if self.old_version != self.new_version:
            return _("The tariff changed from version {old_version} to {new_version}: {amount} "
                     "now buys {new_units} {unit} instead of {old_units} {unit}.").format(**values)
        return _("The price changed: {amount} now buys {new_units} {unit} instead of "
                 "{old_units} {unit}.").format(**values)


def _lines(data: Mapping[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in data.get("lines") or []:
        if isinstance(line, dict):
            amount = (line.get("amount") or {}).get("amount", "")
            out[str(line.get("description", line.get("kind", "?")))] = str(amount)
    return out


def price_difference(old: Mapping[str, Any], new: Mapping[str, Any]) -> PriceDifference | None:
    """Compare two quotes (or a quote and a sale) in the API's JSON form; None if the same.

    The same tariff version, units and lines mean the same price. Amounts stay strings (no
    float); only equality is needed.
    """
    old_t, new_t = old.get("tariff") or {}, new.get("tariff") or {}
    old_lines, new_lines = _lines(old), _lines(new)
    if (old_t.get("version") == new_t.get("version") and old.get("units") == new.get("units")
            and old_lines == new_lines):
        return None
    names: Sequence[str] = list(dict.fromkeys([*old_lines, *new_lines]))
    changed = tuple((n, old_lines.get(n, ""), new_lines.get(n, "")) for n in names
                    if old_lines.get(n) != new_lines.get(n))
    tendered = new.get("amount_tendered") or old.get("amount_tendered") or {}
    amount = f"{tendered.get('currency', '')} {tendered.get('amount', '')}".strip()
    return PriceDifference(
        amount=amount,
        old_version=old_t.get("version"), new_version=new_t.get("version"),
        old_units=str(old.get("units", "")), new_units=str(new.get("units", "")),
        unit=str(new.get("unit") or old.get("unit") or ""), lines=changed,
    )
