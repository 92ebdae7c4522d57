"""Pricing of a sale: inclining blocks, fixed charges, debt recovery, FBE and VAT.

Pure functions over integers and `Fraction`s (no float, no I/O), so a quote and a sale in the
same state give the same units, and tests can check receipts computed by hand. The rules are
written out in docs/api.md §6. Money is in minor units of the tariff's currency (what the
names call "cents": 1/100 ZAR, 1 UGX, 1/1000 LYD; rounding is always to that minor unit),
units in tenths, rates in ten-thousandths of the major currency unit per unit, percentages in
basis points.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sts.errors import StsError
from sts.tokens import decode_amount, encode_amount
from vendserver.money import (
    ceil_fraction,
    decimals,
    fmt_rate,
    fmt_units,
    largest_remainder,
    parse_amount,
    parse_percent,
    parse_rate,
    parse_units,
    round_half_up,
)


class AmountTooLow(Exception):
    """Nothing is left for energy after fixed charges and debt; `minimum` cents would do."""

    def __init__(self, minimum: int) -> None:
        super().__init__("amount too low")
        self.minimum = minimum


@dataclass(frozen=True)
class Block:
    """One inclining block: units from `lo` up to `hi` (tenths; None = no limit) at `rate`."""

    lo: int
    hi: int | None
    rate: int


@dataclass(frozen=True)
class FixedCharge:
    """A monthly fixed/service charge, charged on the first purchase of the month."""

    code: str
    description: str
    cents: int


@dataclass(frozen=True)
class TariffTerms:
    """The priced part of one tariff version, parsed from its signed document."""

    tariff_id: str
    name: str
    version: int
    unit: str
    blocks: tuple[Block, ...]
    fixed_charges: tuple[FixedCharge, ...]
    prices_include_vat: bool
    vat_bp: int
    debt_percent_bp: int
    debt_minimum: int
    fbe_units: int
    #: the tariff's currency, whose ISO 4217 decimals say what a minor unit is
    currency: str = "ZAR"

    @property
    def exponent(self) -> int:
        """Decimals of the tariff's currency (2 for ZAR, 0 for UGX, 3 for LYD)."""
        return decimals(self.currency)

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> TariffTerms:
        """Parse and check a tariff document (raises ValueError with a plain reason)."""
        blocks: list[Block] = []
        expected_lo = 0
        raw_blocks = doc["blocks"]
        if not isinstance(raw_blocks, list) or not raw_blocks:
            raise ValueError("a tariff needs at least one block")
        for i, b in enumerate(raw_blocks):
            lo = parse_units(b["from"])
            hi = None if b["to"] is None else parse_units(b["to"])
            rate = parse_rate(b["rate"])
            if lo != expected_lo:
                raise ValueError(f"block {i + 1} must start where the previous one ends")
            if rate <= 0:
                raise ValueError(f"block {i + 1} needs a positive rate")
            if hi is None and i != len(raw_blocks) - 1:
                raise ValueError("only the last block may be open-ended")
            if hi is not None and hi <= lo:
                raise ValueError(f"block {i + 1} must end after it starts")
            blocks.append(Block(lo, hi, rate))
            expected_lo = hi if hi is not None else -1
        if blocks[-1].hi is not None:
            raise ValueError("the last block must be open-ended (\"to\": null)")
        currency = str(doc.get("currency", "ZAR"))
        try:
            decimals(currency)
        except ValueError:
            raise ValueError(f"the currency {currency!r} is not known") from None
        fixed = tuple(
            FixedCharge(str(f["code"]), str(f["description"]),
                        _amount(f["amount"], currency, "fixed charge"))
            for f in doc.get("fixed_charges", [])
        )
        debt = doc.get("debt_recovery") or {"percent": "0", "minimum": "0"}
        debt_bp = parse_percent(debt["percent"])
        if debt_bp >= 10000:
            raise ValueError("debt recovery must be below 100 %")
        return cls(
            tariff_id=str(doc["tariff_id"]),
            name=str(doc["name"]),
            version=int(doc["version"]),
            unit=str(doc["unit"]),
            blocks=tuple(blocks),
            fixed_charges=fixed,
            prices_include_vat=bool(doc["prices_include_vat"]),
            vat_bp=parse_percent(doc["vat_rate"]),
            debt_percent_bp=debt_bp,
            debt_minimum=_amount(debt["minimum"], currency, "debt recovery minimum"),
            fbe_units=parse_units(doc.get("fbe_units_per_month", "0.0")),
            currency=currency,
        )


def _amount(text: object, currency: str, what: str) -> int:
    """A tariff document's amount in minor units of its currency; ValueError (a plain reason)
    for more decimals than the currency has."""
    from vendserver.errors import ApiError

    try:
        return parse_amount(text, what, currency)
    except ApiError as exc:
        raise ValueError(f"the {what} {text!r}: {exc.message}") from None


@dataclass(frozen=True)
class MeterState:
    """What the server knows about a meter's month that changes the price."""

    month_to_date: int  # tenths bought this month (FBE excluded)
    first_of_month: bool  # no non-reversed sale this month has paid the fixed charges yet
    arrears: int  # cents owed
    fbe_due: bool  # registered for FBE and none issued this month


@dataclass(frozen=True)
class Line:
    """One receipt line; `amount` is VAT-exclusive for energy and fixed charges."""

    kind: str
    description: str
    units: int | None
    rate: int | None
    amount: int
    vat: int | None
    #: whether `rate` already includes VAT (the tariff's `prices_include_vat`); None: no rate
    rate_includes_vat: bool | None = None
    #: an energy line's tariff block: (number from 1, from, to or None) in tenths, so a
    #: client can name the line in its own language and number format
    block: tuple[int, int, int | None] | None = None

    def wire(self, currency: str) -> dict[str, Any]:
        """The contract's Line object."""
        from vendserver.money import money

        return {
            "kind": self.kind,
            "description": self.description,
            "units": None if self.units is None else fmt_units(self.units),
            "rate": None if self.rate is None else fmt_rate(self.rate),
            "amount": money(self.amount, currency),
            "vat": None if self.vat is None else money(self.vat, currency),
            "rate_includes_vat": self.rate_includes_vat,
            "block": None if self.block is None else {
                "number": self.block[0], "from": fmt_units(self.block[1]),
                "to": None if self.block[2] is None else fmt_units(self.block[2])},
        }


@dataclass(frozen=True)
class Priced:
    """The result of pricing: units, components and receipt lines (summing to the amount)."""

    amount: int
    units: int
    fixed: int
    debt: int
    energy: int
    vat: int
    fbe_units: int
    lines: tuple[Line, ...]


def block_title(unit: str) -> str:
    """What a tariff block sells: 'Energy block' for kWh, 'Water block' for kL, else
    'Block' (a gas or other meter is never told it bought energy blocks)."""
    return {"kWh": "Energy block", "kL": "Water block"}.get(unit, "Block")


def _energy_rate(terms: TariffTerms, rate: int) -> Fraction:
    """VAT-inclusive minor units per tenth of a unit for a rate in ten-thousandths of the
    major unit per unit (ZAR 2.5000/kWh is 25 cents per 0.1 kWh; UGX 750.0000 is 75 UGX)."""
    r = Fraction(rate * 10**terms.exponent, 100_000)
    if not terms.prices_include_vat:
        r = r * Fraction(10000 + terms.vat_bp, 10000)
    return r


def _fixed_cents(terms: TariffTerms, cents: int) -> Fraction:
    if terms.prices_include_vat:
        return Fraction(cents)
    return Fraction(cents) * Fraction(10000 + terms.vat_bp, 10000)


def deductions(terms: TariffTerms, state: MeterState, amount: int) -> tuple[int, int]:
    """(fixed charges, debt recovery) in cents taken from `amount` before energy."""
    fixed = 0
    if state.first_of_month:
        fixed = sum(
            round_half_up(_fixed_cents(terms, f.cents)) for f in terms.fixed_charges
        )
    debt = 0
    if state.arrears > 0:
        pct = (amount * terms.debt_percent_bp) // 10000
        debt = min(state.arrears, max(pct, terms.debt_minimum))
    return fixed, debt


def minimum_amount(terms: TariffTerms, state: MeterState, floor: int) -> int:
    """The smallest amount >= `floor` that leaves money for energy after the deductions."""
    amount = floor
    while True:
        fixed, debt = deductions(terms, state, amount)
        if amount - fixed - debt > 0:
            return amount
        amount = max(amount + 1, fixed + min(state.arrears, terms.debt_minimum) + 1)


def price(terms: TariffTerms, state: MeterState, amount: int) -> Priced:
    """Price a purchase of `amount` cents (VAT-inclusive) for a meter in `state`.

    Raises `AmountTooLow` when nothing is left for energy.
    """
    fixed, debt = deductions(terms, state, amount)
    energy = amount - fixed - debt
    if energy <= 0:
        raise AmountTooLow(minimum_amount(terms, state, amount + 1))
    # Walk the blocks from the month-to-date position.
    remaining = Fraction(energy)
    pos = state.month_to_date
    block_units: list[tuple[Block, int, Fraction]] = []  # (block, units, exact cents)
    for block in terms.blocks:
        if block.hi is not None and pos >= block.hi:
            continue
        start = max(block.lo, pos)
        rate = _energy_rate(terms, block.rate)
        if block.hi is not None:
            cap = block.hi - start
            cost = cap * rate
            if remaining >= cost:
                block_units.append((block, cap, cost))
                remaining -= cost
                pos = block.hi
                if remaining == 0:
                    break
                continue
        # Money runs out in this block: round units UP (the customer's favour).
        units = ceil_fraction(remaining / rate)
        block_units.append((block, units, remaining))
        remaining = Fraction(0)
        break
    # A token carries 1, 10 or 100 unit steps above 1638.3 units (STS amount format, rounded
    # up): give the customer exactly what the token will carry, so the receipt, the month's
    # block position and the meter agree. The extra units are free (money is unchanged).
    raw_total = sum(u for _, u, _ in block_units)
    try:
        carried = decode_amount(encode_amount(raw_total))
    except StsError:  # beyond one token: the token engine refuses the sale later
        carried = raw_total
    if carried != raw_total:
        last_block, last_units, last_exact = block_units[-1]
        block_units[-1] = (last_block, last_units + carried - raw_total, last_exact)
    energy_cents = largest_remainder([c for _, _, c in block_units], energy)

    fixed_incl: list[int] = []
    if fixed:
        fixed_incl = [round_half_up(_fixed_cents(terms, f.cents)) for f in terms.fixed_charges]
    taxable = fixed + energy
    vat = round_half_up(Fraction(taxable * terms.vat_bp, 10000 + terms.vat_bp))
    incl = fixed_incl + energy_cents
    vat_shares = largest_remainder([Fraction(vat * c, taxable) for c in incl], vat)

    lines: list[Line] = []
    for i, (block, units, _) in enumerate(block_units):
        cents = energy_cents[i]
        share = vat_shares[len(fixed_incl) + i]
        hi = "+" if block.hi is None else "-" + fmt_units(block.hi)
        number = terms.blocks.index(block) + 1
        desc = f"{block_title(terms.unit)} {number} ({fmt_units(block.lo)}{hi} {terms.unit})"
        lines.append(Line("energy", desc, units, block.rate, cents - share, share,
                          terms.prices_include_vat, (number, block.lo, block.hi)))
    for i, f in enumerate(terms.fixed_charges if fixed else ()):
        lines.append(Line("fixed_charge", f.description, None, None,
                          fixed_incl[i] - vat_shares[i], vat_shares[i]))
    if debt:
        lines.append(Line("debt_recovery", "Debt recovery", None, None, debt, None))
    fbe = terms.fbe_units if state.fbe_due else 0
    if fbe:
        lines.append(Line("fbe", "Free basic electricity" if terms.unit == "kWh"
                          else "Free basic water", fbe, None, 0, None))
    lines.append(Line("vat", f"VAT {terms.vat_bp // 100}.{terms.vat_bp % 100:02d}%",
                      None, None, vat, None))
    assert sum(line.amount for line in lines) == amount
    return Priced(
        amount=amount,
        units=sum(u for _, u, _ in block_units),
        fixed=fixed,
        debt=debt,
        energy=energy,
        vat=vat,
        fbe_units=fbe,
        lines=tuple(lines),
    )


class UnitsOutOfReach(Exception):
    """No amount up to the sale maximum buys the units asked for; `most` tenths is what the
    largest sale (`at` cents) buys (0 when even it leaves nothing for energy)."""

    def __init__(self, most: int, at: int) -> None:
        super().__init__("units out of reach")
        self.most = most
        self.at = at


def amount_for_units(terms: TariffTerms, state: MeterState, units: int, floor: int,
                     ceiling: int) -> Priced:
    """The pricing of the SMALLEST amount in [`floor`, `ceiling`] cents that buys at least
    `units` tenths (FBE excluded), for a meter in `state`.

    The units a purchase buys never go down as the amount goes up (fixed charges are constant,
    debt recovery grows by at most one cent per cent, blocks are walked in order and rounded
    up, and the token's step rounding is monotone), so the answer is found by bisection over
    `price` itself: the amount it names buys exactly what a sale of that amount will, with no
    second set of rules to drift from the first. Raises `UnitsOutOfReach`.
    """
    if units <= 0:
        raise ValueError("units must be positive")
    least = minimum_amount(terms, state, floor)
    if least > ceiling:
        raise UnitsOutOfReach(0, ceiling)
    most = price(terms, state, ceiling)
    if most.units < units:
        raise UnitsOutOfReach(most.units, ceiling)
    first = price(terms, state, least)
    if first.units >= units:
        return first
    # Invariant: `lo` buys fewer than `units`, `best` (at `hi`) buys at least `units`.
    lo, hi, best = least, ceiling, most
    while hi - lo > 1:
        mid = (lo + hi) // 2
        priced = price(terms, state, mid)
        if priced.units >= units:
            hi, best = mid, priced
        else:
            lo = mid
    return best
