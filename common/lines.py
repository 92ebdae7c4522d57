"""A sale's breakdown lines in the client's own words: screens and receipts name each line
in their language and number format instead of printing the server's English.

The vending API gives every line a `kind` (energy, fixed_charge, debt_recovery, fbe, vat) and
an energy line its tariff block (number and range). What the client knows it names itself
("Tranche d'énergie 1 (0,0-50,0 kWh)", "Recuperação de dívida"); what only the utility knows
(its fixed charges' names) and a server that sends no block (XMLVend) keep the server's text.
"""

from __future__ import annotations

from common.format import format_units
from common.i18n import N_, Translator

_BLOCK_TITLES = {"kWh": N_("Energy block"), "kL": N_("Water block")}
_BLOCK = N_("Block")  # a gas or other meter is never told it bought energy blocks
_FREE_BASIC = {"kWh": N_("Free basic electricity"), "kL": N_("Free basic water")}


def describe_line(t: Translator, kind: str, server_text: str, unit: str, *,
                  block: tuple[int, int, int | None] | None = None) -> str:
    """The words for one line in `t`'s language; `block` is (number, from, to) in tenths of
    a unit, `to` None for the last block."""
    if kind == "energy" and block is not None:
        number, lo, hi = block
        title = t.gettext(_BLOCK_TITLES.get(unit, _BLOCK))
        span = (t.gettext("{lo}+ {unit}") if hi is None else t.gettext("{lo}-{hi} {unit}"))
        bounds = span.format(lo=format_units(lo, "").strip(),
                             hi="" if hi is None else format_units(hi, "").strip(), unit=unit)
        return t.gettext("{title} {number} ({bounds})").format(
            title=title, number=number, bounds=bounds)
    if kind == "debt_recovery":
        return t.gettext("Debt recovery")
    if kind == "fbe" and unit in _FREE_BASIC:
        return t.gettext(_FREE_BASIC[unit])
    return server_text or kind


def block_of(raw_line: object) -> tuple[int, int, int | None] | None:
    """The (number, from, to) tenths of an API line's `block`, or None (absent or unreadable:
    the server's own text is shown then)."""
    if not isinstance(raw_line, dict):
        return None
    block = raw_line.get("block")
    if not isinstance(block, dict):
        return None
    try:
        number = int(block["number"])
        lo = tenths(block["from"])
        hi = None if block.get("to") is None else tenths(block["to"])
    except (KeyError, TypeError, ValueError):
        return None
    return number, lo, hi


def tenths(text: object) -> int:
    """An API units string ("52.0") as tenths of a unit; ValueError if it is not one."""
    whole, dot, tenth = str(text).partition(".")
    if not whole.isdigit() or (dot and not (len(tenth) == 1 and tenth.isdigit())):
        raise ValueError("not a units value")
    return int(whole) * 10 + int(tenth or "0")
