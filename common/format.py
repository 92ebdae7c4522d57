"""Display rules shared by the receipt, the screens and the logs: one definition each.

Tokens are printed and shown in groups of four digits (4-4-4-4-4); a token in a log or a
preview shows only its first and last four digits. Energy is held as an integer count of 0.1
units and shown with one decimal, and percentages as the API writes them; both are written
in the display locale ('1,234.5 kWh' and '15%' in English, '1 234,5 kWh' and '15 %' in
French) by `common.money.format_number`, the same CLDR rules as money. Money has its one
format in `common.money.format_money`.

Times are shown in ONE zone, the utility's: its IANA name (`utility.time_zone` of the terminal
facts, read with zoneinfo; tzdata is pinned for Windows, which has no zone database) or, from
a server that does not send one yet, its UTC offset (`utility.utc_offset`). The status bar,
receipts, banners, lists, reports and messages all agree, whatever the PC's own clock zone
is, as '2026-11-25 08:10'. The utility's zone also decides its business day and the Z
periods: a day starts at local midnight, so a day over a daylight-saving change lasts 23 or
25 hours. Storage and the journal keep UTC.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from common.i18n import ngettext
from common.money import format_number, number_style

TOKEN_GROUP = 4
"""Digits per group of a displayed token."""


def compact_token(digits: str) -> str:
    """The digits of a token as typed or printed, without the spaces and dashes of grouping."""
    return digits.replace(" ", "").replace("-", "")


def group_token(digits: str) -> str:
    """'1234 5678 9012 3456 7890': the 4-4-4-4-4 grouping printed and shown everywhere."""
    compact = compact_token(digits)
    return " ".join(compact[i : i + TOKEN_GROUP] for i in range(0, len(compact), TOKEN_GROUP))


def mask_token(digits: str) -> str:
    """'1234 **** **** **** 7890': all a log or a preview may show of a token."""
    compact = compact_token(digits)
    return f"{compact[:4]} **** **** **** {compact[-4:]}"


def format_units(units_tenths: int, unit: str = "kWh", locale: str | None = None) -> str:
    """Energy held as an integer count of 0.1 units, shown as '1,234.5 kWh' ('1 234,5 kWh'
    in French): the display locale's (or `locale`'s) decimal and grouping."""
    return f"{format_number(Decimal(units_tenths).scaleb(-1), 1, locale)} {unit}"


def plural(count: int, noun: str, many: str = "") -> str:
    """'1 sale', '2 sales', '0 sales' ('many' for an irregular plural): never 'sale(s)'.

    The form is chosen by `ngettext`, so a catalog that has `noun`/`many` as a plural entry
    gives its language's forms (French '0 vente'); new code writes the whole phrase with
    `ngettext("{n} sale", "{n} sales", n)` instead, so translators see it."""
    return f"{count} {ngettext(noun, many or noun + 's', count)}"


def format_percent(rate: str, locale: str | None = None) -> str:
    """A rate as the API writes it ("15.00", "7.5") shown with its sign: '15%', '7.5%' in
    English, '15 %', '7,5 %' in French (CLDR's percent pattern, its space made plain);
    '15%' stays '15%'; anything that is not a number is shown as given."""
    text = rate.strip().removesuffix("%").strip()
    whole, dot, frac = text.partition(".")
    if not whole.isdigit() or (dot and not frac.isdigit()):
        return rate
    frac = frac.rstrip("0")
    style = number_style(locale)
    number = format_number(Decimal(f"{whole}.{frac or '0'}"), len(frac), locale)
    return f"{style.percent_prefix}{number}{style.percent_suffix}"


UTILITY_ZONE_DEFAULT = timezone(timedelta(hours=2))
"""The zone used until the terminal facts say otherwise (the demo utility's, UTC+02:00):
the only place the demo's offset is written down."""

_display_zone: tzinfo = UTILITY_ZONE_DEFAULT

_OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})$")


def parse_zone(value: str | timedelta | tzinfo) -> tzinfo:
    """A zone from an IANA name ('Africa/Tripoli', 'UTC'), a UTC offset ('+02:00', '-0530'),
    a timedelta or a tzinfo; ValueError for anything else (`utility_zone` forgives)."""
    if isinstance(value, tzinfo):
        return value
    if isinstance(value, timedelta):
        return timezone(value)
    text = value.strip() if isinstance(value, str) else ""
    match = _OFFSET.match(text)
    if match:
        sign = -1 if match.group(1) == "-" else 1
        return timezone(sign * timedelta(hours=int(match.group(2)), minutes=int(match.group(3))))
    if text in ("Z", "UTC"):
        return UTC
    if text and text[0] not in "+-0123456789":
        try:
            return ZoneInfo(text)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    raise ValueError(f"the utility's time zone must be an IANA name such as Africa/Tripoli or "
                     f"a UTC offset like +02:00, not {value!r}")


def utility_zone(value: str | timedelta | tzinfo | None) -> tzinfo:
    """The utility's zone from the terminal facts: an IANA name ('Africa/Johannesburg'), a UTC
    offset ('+02:00', '-0530') or a timedelta; the default zone when absent or unreadable."""
    if value is None:
        return UTILITY_ZONE_DEFAULT
    try:
        return parse_zone(value)
    except ValueError:
        return UTILITY_ZONE_DEFAULT


def terminal_zone(raw: Mapping[str, Any]) -> tzinfo:
    """The utility's zone named by the terminal facts (`GET /v1/terminal`): its IANA
    `time_zone` when given, else its `utc_offset`."""
    utility = raw.get("utility") or {}
    if not isinstance(utility, Mapping):
        return UTILITY_ZONE_DEFAULT
    return utility_zone(str(utility.get("time_zone") or utility.get("utc_offset") or ""))


def set_display_zone(zone: tzinfo) -> None:
    """Set the one zone every time is shown in (the till calls it with the terminal facts)."""
    global _display_zone
    _display_zone = zone


def display_zone() -> tzinfo:
    """The zone every displayed time is in: the utility's (see `set_display_zone`)."""
    return _display_zone


def parse_time(value: str | datetime) -> datetime:
    """An API/store timestamp ('...Z' or with an offset) as an aware datetime (naive = UTC)."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(
        value.strip().replace("Z", "+00:00"))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def local_midnight(day: date, zone: tzinfo | None = None) -> datetime:
    """The moment `day` begins in the utility's zone (default: the display zone), in UTC.

    Where a daylight-saving change skips midnight, zoneinfo reads 00:00 with the offset from
    before the change: the instant the clock jumped, the first moment of the new day."""
    return datetime.combine(day, time(), zone or _display_zone).astimezone(UTC)


def day_span(first: date, last: date | None = None,
             zone: tzinfo | None = None) -> tuple[datetime, datetime]:
    """[start, end) in UTC of the utility's local days `first` to `last` (inclusive, default
    one day): local midnight to local midnight, so 23 or 25 hours over a DST change."""
    return (local_midnight(first, zone),
            local_midnight((last or first) + timedelta(days=1), zone))


def local_day(moment: datetime, zone: tzinfo | None = None) -> date:
    """The utility's local date (its business day) of an aware `moment`."""
    if moment.tzinfo is None:
        raise ValueError("an aware datetime is needed (with its time zone)")
    return moment.astimezone(zone or _display_zone).date()


def format_time(value: str | datetime, zone: tzinfo | None = None, *, date: bool = True,
                seconds: bool = False) -> str:
    """'2026-11-25 08:10' in the utility's zone (`date=False`: '08:10'): the one displayed
    local time. Accepts an aware datetime or an API timestamp string; `zone` defaults to
    the display zone."""
    local = parse_time(value).astimezone(zone or _display_zone)
    clock = local.strftime("%H:%M:%S" if seconds else "%H:%M")
    return f"{local:%Y-%m-%d} {clock}" if date else clock


def format_period(start: str | datetime, end: str | datetime,
                  zone: tzinfo | None = None) -> str:
    """'2026-11-25 00:00 – 2026-11-26 00:00': a report's period in the utility's time."""
    return f"{format_time(start, zone)} – {format_time(end, zone)}"
