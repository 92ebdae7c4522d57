"""How a new quote (or the sale) differs in price from the quote the cashier showed.

Both sides are in the API's JSON form; amounts stay strings (no float), since only equality
is needed. The sale service asks the cashier to confirm again when there is a difference.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

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
        head = (f"The tariff changed from version {self.old_version} to {self.new_version}: "
                if self.old_version != self.new_version else "The price changed: ")
        return (f"{head}{self.amount} now buys {self.new_units} {self.unit} "
                f"instead of {self.old_units} {self.unit}.")


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
