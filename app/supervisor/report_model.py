"""The figures of a report and how they are shown: totals, the report, its sections.

`reports.py` (X and Z) and `ranges.py` (date ranges) build a `Report`; printing, the screen,
PDF/HTML and CSV all read it through `Report.sections()`. Money is integer minor units and
energy integer tenths of a unit: nothing here uses float. The titles and labels are in the
operator's language (the current one, `common.i18n`) when the sections are made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from common.i18n import N_, _
from common.money import Money, format_money, format_number


@dataclass
class Totals:
    """Counts and sums of a group of ledger rows (money minor units, energy 0.1 units)."""

    count: int = 0
    amount_minor: int = 0
    units_tenths: int = 0
    vat_minor: int = 0
    charges_minor: int = 0
    debt_minor: int = 0
    tokens: int = 0
    offline: int = 0

    def add(self, other: Totals) -> None:
        """Add `other` into this total."""
        self.count += other.count
        self.amount_minor += other.amount_minor
        self.units_tenths += other.units_tenths
        self.vat_minor += other.vat_minor
        self.charges_minor += other.charges_minor
        self.debt_minor += other.debt_minor
        self.tokens += other.tokens
        self.offline += other.offline

    def to_json(self) -> dict[str, int]:
        """Plain dict (all integers)."""
        return dict(self.__dict__)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Totals:
        """Inverse of `to_json`."""
        return cls(**{k: int(v) for k, v in data.items()})


def format_minor(minor: int, currency: str, *, code: bool = True) -> str:
    """'ZAR 1,234.50' ('1,234.50' without the code, for a column headed by the currency):
    the one money format (`common.money.format_money`), with the currency's own decimals."""
    return format_money(Money(minor, currency), code=code)


def wire_minor(minor: int, currency: str) -> str:
    """'1234.50': an amount as the vending API writes it (the currency's decimals)."""
    return Money(minor, currency).amount_str()


def wire_tenths(tenths: int) -> str:
    """'1234.5': energy as the vending API and CSV write it, whatever the display locale."""
    return f"{Decimal(tenths).scaleb(-1):f}"


def format_tenths(tenths: int, unit: str = "") -> str:
    """'1,123.4' (plus the unit if given), in the display locale like every number."""
    text = format_number(Decimal(tenths).scaleb(-1), 1)
    return f"{text} {unit}" if unit else text


@dataclass
class Report:
    """One report's figures; X (running), Z (numbered, closes the day) or a date range."""

    kind: str  # "X", "Z" or "RANGE"
    generated_at: str
    period_start: str
    period_end: str
    currency: str
    z_number: int | None = None
    operator_filter: str = ""
    sales: Totals = field(default_factory=Totals)
    by_operator: dict[str, Totals] = field(default_factory=dict)
    by_tender: dict[str, Totals] = field(default_factory=dict)
    by_tariff: dict[str, Totals] = field(default_factory=dict)
    by_utility: dict[str, Totals] = field(default_factory=dict)
    units_by_unit: dict[str, int] = field(default_factory=dict)
    #: the unit of each tariff / utility group ("By tariff:RES-IBT Residential" -> "kWh")
    units_of: dict[str, str] = field(default_factory=dict)
    reversals: Totals = field(default_factory=Totals)
    reprints: int = 0
    engineering: dict[str, int] = field(default_factory=dict)
    cash_refunds: Totals = field(default_factory=Totals)
    pending_offline_count: int = 0
    pending_offline_minor: int = 0
    attention_count: int = 0
    open_shifts: int = 0

    @property
    def net_minor(self) -> int:
        """Sales less reversals and cash refunds."""
        return self.sales.amount_minor - self.reversals.amount_minor - \
            self.cash_refunds.amount_minor

    @property
    def net_vat_minor(self) -> int:
        """VAT of the sales less the VAT of the sales reversed (like Net: what stands)."""
        return self.sales.vat_minor - self.reversals.vat_minor

    @property
    def title(self) -> str:
        """'X REPORT', 'Z REPORT No. 12' or 'SALES REPORT' (in the current language)."""
        if self.kind == "Z":
            return _("Z REPORT No. {number}").format(number=self.z_number)
        return _("X REPORT") if self.kind == "X" else _("SALES REPORT")

    # -- serialisation ----------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """Plain JSON-able dict (stored as the Z body)."""
        data: dict[str, Any] = {}
        for name, value in self.__dict__.items():
            if isinstance(value, Totals):
                data[name] = value.to_json()
            elif isinstance(value, dict) and value and isinstance(
                    next(iter(value.values())), Totals):
                data[name] = {k: v.to_json() for k, v in value.items()}
            else:
                data[name] = value
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        """Inverse of `to_json`."""
        args = dict(data)
        for name in ("sales", "reversals", "cash_refunds"):
            args[name] = Totals.from_json(args[name])
        for name in ("by_operator", "by_tender", "by_tariff", "by_utility"):
            args[name] = {k: Totals.from_json(v) for k, v in args[name].items()}
        return cls(**args)

    # -- presentation -----------------------------------------------------------------------
    def sections(self) -> list[Section]:
        """The report as titled sections of lines (used for print, PDF/HTML and CSV), in the
        current language."""
        s = self.sales
        out = [Section(_("Summary"), [
            Line(_("Sales"), s.count, s.amount_minor),
            Line(_("Reversals"), self.reversals.count, -self.reversals.amount_minor),
            Line(_("Cash refunds"), self.cash_refunds.count, -self.cash_refunds.amount_minor),
            Line(_("Net"), None, self.net_minor),
            Line(_("VAT (net of reversals)"), None, self.net_vat_minor),
            Line(_("Fixed charges"), None, s.charges_minor),
            Line(_("Debt recovered"), None, s.debt_minor),
            Line(_("Tokens issued"), s.tokens, None),
            *[Line(_("Units ({unit})").format(unit=unit), None, None, tenths, unit)
              for unit, tenths in sorted(self.units_by_unit.items())],
            Line(_("Sold offline (now synced)"), s.offline, None),
        ])]
        # Units of different kinds (kWh, kL) are never added up: an operator or tender group
        # shows units only when the report has one kind; a tariff or utility has one service.
        units = sorted(self.units_by_unit)
        only = units[0] if len(units) == 1 else ""
        # `key` (English) names the group in `units_of`; the title is what people read.
        for key, groups in ((N_("By operator"), self.by_operator),
                            (N_("By tender"), self.by_tender),
                            (N_("By tariff"), self.by_tariff), (N_("By utility"), self.by_utility)):
            mixed = key in ("By operator", "By tender") and len(units) > 1
            out.append(Section(_(key), [
                Line(label or _("(none)"), t.count, t.amount_minor,
                     None if mixed else t.units_tenths,
                     self.units_of.get(f"{key}:{label}", only))
                for label, t in sorted(groups.items())]))
        out.append(Section(_("Exceptions"), [
            Line(_("Reprints"), self.reprints, None),
            *[Line(_("Engineering: {kind}").format(kind=engineering_type_name(kind)), n, None)
              for kind, n in sorted(self.engineering.items())],
            Line(_("Offline sales pending sync"), self.pending_offline_count,
                 self.pending_offline_minor),
            Line(_("Sales needing attention"), self.attention_count, None),
            Line(_("Shifts still open"), self.open_shifts, None),
        ]))
        return out


#: Engineering token types as a report names them (English; shown with `_()`).
_ENGINEERING_NAMES = {
    "clear_tamper": N_("clear tamper"),
    "clear_credit": N_("clear credit"),
    "set_power_limit": N_("set power limit"),
    "set_phase_unbalance": N_("set phase unbalance"),
    "key_change": N_("key change"),
    "test": N_("test"),
}


def engineering_type_name(kind: str) -> str:
    """'set power limit' for 'set_power_limit', in the current language (an unknown type by
    its own words)."""
    name = _ENGINEERING_NAMES.get(kind)
    return _(name) if name else kind.replace("_", " ")


@dataclass(frozen=True)
class Line:
    """One labelled figure: count, money (minor) and/or units (tenths)."""

    label: str
    count: int | None
    amount_minor: int | None
    units_tenths: int | None = None
    unit: str = ""


@dataclass(frozen=True)
class Section:
    """A titled group of report lines."""

    title: str
    lines: list[Line]
