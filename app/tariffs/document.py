"""The signed tariff document: its strict parser and the parsed, typed value.

`parse_document` reads the JSON of a signed payload (docs/api.md) and raises `ValueError`
naming the first field that does not follow the contract: decimal strings with the right
number of places (never floats), blocks tiling [0, ∞) without gaps, times in UTC with Z,
`expires_at` after `effective_from`, VAT below 100 %. Money becomes integer cents.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from common.money import Money, MoneyError

__all__ = [
    "ID_RE",
    "Block",
    "FixedCharge",
    "TariffDocument",
    "iso",
    "parse_document",
    "parse_time",
]

_TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_UNITS_RE = re.compile(r"^[0-9]{1,9}\.[0-9]$")
_RATE_RE = re.compile(r"^[0-9]{1,6}\.[0-9]{4}$")
_PERCENT_RE = re.compile(r"^[0-9]{1,3}\.[0-9]{2}$")
_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
#: The form of a tariff id and of a signing key id.
ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def parse_time(value: Any, where: str) -> datetime:
    """A contract time ("2026-11-25T03:30:00Z") as an aware UTC datetime."""
    if not isinstance(value, str) or not _TIME_RE.fullmatch(value):
        raise ValueError(f"{where} is not an ISO-8601 UTC time with Z")
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def iso(dt: datetime) -> str:
    """An aware datetime in the contract's form."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Block:
    """One inclining block: kWh from `start` up to `end` (None = no upper bound) at `rate`."""

    start: Decimal
    end: Decimal | None
    rate: Decimal


@dataclass(frozen=True)
class FixedCharge:
    """A monthly fixed charge, in integer cents."""

    code: str
    description: str
    amount_minor: int


@dataclass(frozen=True)
class TariffDocument:
    """A verified tariff version (the signed payload, parsed; money in cents, no float)."""

    tariff_id: str
    version: int
    name: str
    service: str
    unit: str
    currency: str
    key_id: str
    issued_at: datetime
    effective_from: datetime
    expires_at: datetime
    prices_include_vat: bool
    vat_rate: Decimal
    blocks: tuple[Block, ...]
    fixed_charges: tuple[FixedCharge, ...]
    debt_recovery_percent: Decimal
    debt_recovery_minimum_minor: int
    fbe_units_per_month: Decimal
    payload_sha256: str
    raw: Mapping[str, Any] = field(repr=False, compare=False)

    def expired(self, at: datetime) -> bool:
        """Whether the document may no longer be used at `at`."""
        return at >= self.expires_at

    def in_force_at(self, at: datetime) -> bool:
        """Whether `effective_from` has been reached at `at` (ignoring newer versions)."""
        return self.effective_from <= at


def _money_minor(value: Any, where: str, currency: str) -> int:
    """A non-negative amount with exactly the document currency's decimals, in minor units."""
    try:
        minor = Money.from_wire(value, currency).minor
    except MoneyError as exc:
        raise ValueError(f"{where} is not a {currency} amount: {exc}") from None
    if minor < 0:
        raise ValueError(f"{where} is negative")
    return minor


def _dec(value: Any, pattern: re.Pattern[str], where: str, what: str) -> Decimal:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise ValueError(f"{where} is not {what}")
    return Decimal(value)


def _str(data: Mapping[str, Any], name: str, where: str = "document") -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value:
        raise ValueError(f"{where}.{name} is not a non-empty string")
    return value


def parse_document(doc: Any, payload_sha256: str) -> TariffDocument:
    """Parse a signed payload's JSON strictly; `ValueError` names the first bad field."""
    if not isinstance(doc, dict):
        raise ValueError("document is not an object")
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValueError("document.version is not a positive integer")
    tariff_id = _str(doc, "tariff_id")
    if not ID_RE.fullmatch(tariff_id):
        raise ValueError("document.tariff_id has the wrong format")
    currency = _str(doc, "currency")
    if not _CURRENCY_RE.fullmatch(currency):
        raise ValueError("document.currency is not a 3-letter code")
    include_vat = doc.get("prices_include_vat")
    if not isinstance(include_vat, bool):
        raise ValueError("document.prices_include_vat is not a boolean")
    raw_blocks = doc.get("blocks")
    if not isinstance(raw_blocks, list) or not raw_blocks:
        raise ValueError("document.blocks is not a non-empty list")
    blocks: list[Block] = []
    expected_start = Decimal("0.0")
    for i, b in enumerate(raw_blocks):
        where = f"document.blocks[{i}]"
        if not isinstance(b, dict):
            raise ValueError(f"{where} is not an object")
        start = _dec(b.get("from"), _UNITS_RE, f"{where}.from", "units with one decimal")
        end = None if b.get("to") is None else _dec(b.get("to"), _UNITS_RE, f"{where}.to",
                                                     "units with one decimal")
        rate = _dec(b.get("rate"), _RATE_RE, f"{where}.rate", "a rate with 4 decimals")
        # Blocks must tile [0, ∞) without gaps or overlaps, the last one open-ended.
        if start != expected_start or (end is not None and end <= start):
            raise ValueError(f"{where} does not continue the previous block")
        if (end is None) != (i == len(raw_blocks) - 1):
            raise ValueError(f"{where}: only the last block is open-ended")
        blocks.append(Block(start, end, rate))
        expected_start = end if end is not None else expected_start
    raw_charges = doc.get("fixed_charges", [])
    if not isinstance(raw_charges, list):
        raise ValueError("document.fixed_charges is not a list")
    charges: list[FixedCharge] = []
    for i, c in enumerate(raw_charges):
        where = f"document.fixed_charges[{i}]"
        if not isinstance(c, dict):
            raise ValueError(f"{where} is not an object")
        charges.append(FixedCharge(_str(c, "code", where), _str(c, "description", where),
                                   _money_minor(c.get("amount"), f"{where}.amount", currency)))
    debt = doc.get("debt_recovery") or {"percent": "0.00", "minimum": "0.00"}
    if not isinstance(debt, dict):
        raise ValueError("document.debt_recovery is not an object")
    issued = parse_time(doc.get("issued_at"), "document.issued_at")
    effective = parse_time(doc.get("effective_from"), "document.effective_from")
    expires = parse_time(doc.get("expires_at"), "document.expires_at")
    if expires <= effective:
        raise ValueError("document.expires_at is not after effective_from")
    vat = _dec(doc.get("vat_rate"), _PERCENT_RE, "document.vat_rate", "a percentage")
    if vat >= 100:
        raise ValueError("document.vat_rate is not below 100")
    return TariffDocument(
        tariff_id=tariff_id, version=version, name=_str(doc, "name"),
        service=_str(doc, "service"), unit=_str(doc, "unit"), currency=currency,
        key_id=_str(doc, "key_id"), issued_at=issued, effective_from=effective,
        expires_at=expires, prices_include_vat=include_vat, vat_rate=vat,
        blocks=tuple(blocks), fixed_charges=tuple(charges),
        debt_recovery_percent=_dec(debt.get("percent"), _PERCENT_RE,
                                   "document.debt_recovery.percent", "a percentage"),
        debt_recovery_minimum_minor=_money_minor(debt.get("minimum"),
                                                 "document.debt_recovery.minimum", currency),
        fbe_units_per_month=_dec(doc.get("fbe_units_per_month", "0.0"), _UNITS_RE,
                                 "document.fbe_units_per_month", "units with one decimal"),
        payload_sha256=payload_sha256, raw=doc,
    )

