"""Token identifiers (TIDs) and key expiry: issue time <-> TID, the reserved TID, the KEN check.

A TID is the whole number of minutes (UTC) since the meter's base date, in 24 bits. Seconds are
truncated; a naive ``datetime`` is taken as UTC; a time before the base date or after its last
minute is refused (:class:`TidRangeError`), never wrapped.

**Reserved TID.** The TID of minute 1 of every day (00:01 UTC, i.e. ``tid % 1440 == 1``; every
base date starts at midnight UTC, so TID days are UTC days) is reserved: a token requested at
00:01 is issued with the TID of 00:02. Vending systems issue the reserved TID only on explicit
request (the Prism token HSM's ``TokenIssueFlags.SPECIAL_RESERVED`` flag and the
``Token.isReservedTid`` result field, as published in NectarAPI/tokens-service
``src/main/java/ke/co/nectar/hsm/prism/``), which this engine does not offer. The rule and its
vector are those of the STS 531-1-0-04 compliance suite case CTSA09 step 2 as published in
NectarAPI/tokens-service (``src/test/java/ke/co/nectar/token/domain/token/
STSComplianceTests_STS_531_1_0_04_CTSA09.java``; the rule itself in
``src/main/java/ke/co/nectar/token/domain/TokenIdentifier.java``): a clear-credit token requested
2004-03-29 00:01 carries TID 0x5A32A2 (00:02). The public text of IEC 62055-41 available to us
does not state the rule's reason; its effect is applied to every token class that carries a TID
(class 0 credit, class 2 management other than key change). Consequence for vending: a token
requested at 00:02 carries the same TID as one requested at 00:01, so a system that allocates
one TID minute per token must skip 00:01 (:func:`is_reserved_tid`).

**Key expiry.** The key expiry number (KEN, 8 bits) held with the decoder key is compared with
the 8 most significant bits of a token's TID: a meter rejects a token whose TID >> 16 is greater
than its KEN (KEN 255 never expires). Source: STS Association, "Key Expiry Number (KEN)"
(sts.org.za/key-expiry-number-ken.html, referring to IEC 62055-41). Vending refuses such a
token with :class:`KeyExpiredError` instead of issuing a token the meter must reject.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sts.errors import KeyDataError, KeyExpiredError, TidRangeError
from sts.keys import BASE_DATES

TID_MAX = (1 << 24) - 1
MINUTES_PER_DAY = 1440
RESERVED_MINUTE_OF_DAY = 1  # 00:01

_BASE_DATETIMES = {year: datetime(year, 1, 1, tzinfo=UTC) for year in BASE_DATES}
_MINUTE = timedelta(minutes=1)


def base_datetime(base_date: int) -> datetime:
    """The UTC instant a base date year stands for."""
    try:
        return _BASE_DATETIMES[base_date]
    except (KeyError, TypeError):
        raise KeyDataError("Base date must be 1993, 2014 or 2035.") from None


def last_valid_time(base_date: int) -> datetime:
    """The last minute a TID can express for ``base_date``."""
    return base_datetime(base_date) + timedelta(minutes=TID_MAX)


def as_utc(issued: datetime) -> datetime:
    """``issued`` in UTC (naive = UTC); :class:`TidRangeError` if it cannot be expressed."""
    if not isinstance(issued, datetime):
        raise TidRangeError("Issue time must be a datetime.")
    if issued.tzinfo is None or issued.utcoffset() is None:
        return issued.replace(tzinfo=UTC)
    try:
        return issued.astimezone(UTC)
    except OverflowError:
        # e.g. 9999-12-31T23:59-01:00 or 0001-01-01T00:00+01:00: outside datetime's range in UTC
        raise TidRangeError(
            "Issue time is outside the range of dates that can be expressed in UTC."
        ) from None


def tid_for(issued: datetime, base_date: int = 1993) -> int:
    """Minutes since the base date (no reserved-TID rule); :class:`TidRangeError` if too big."""
    base = base_datetime(base_date)
    at = as_utc(issued)
    minutes = (at - base) // _MINUTE
    if minutes < 0:
        raise TidRangeError(
            f"Issue time {at:%Y-%m-%d %H:%M} UTC is before base date {base_date}."
        )
    if minutes > TID_MAX:
        raise TidRangeError(
            f"Issue time {at:%Y-%m-%d %H:%M} UTC is after the last minute base date "
            f"{base_date} can carry ({last_valid_time(base_date):%Y-%m-%d %H:%M} UTC); "
            "the meter needs a key change to a later base date."
        )
    return minutes


def is_reserved_tid(tid: int) -> bool:
    """True for the reserved TID of each day (00:01 UTC), see the module docstring."""
    return tid % MINUTES_PER_DAY == RESERVED_MINUTE_OF_DAY


def issue_tid(issued: datetime, base_date: int = 1993) -> int:
    """The TID a token requested at ``issued`` carries: :func:`tid_for`, 00:01 moved to 00:02.

    The move never leaves the base date's range: the last TID (0xFFFFFF) is 20:15 of its day.
    """
    tid = tid_for(issued, base_date)
    return tid + 1 if is_reserved_tid(tid) else tid


def tid_to_datetime(tid: int, base_date: int = 1993) -> datetime:
    """The UTC issue time a TID stands for."""
    if isinstance(tid, bool) or not isinstance(tid, int) or not 0 <= tid <= TID_MAX:
        raise TidRangeError("TID must be a 24-bit value (0 to 16777215).")
    return base_datetime(base_date) + timedelta(minutes=tid)


def key_expiry_time(ken: int, base_date: int = 1993) -> datetime:
    """The last minute a key with expiry number ``ken`` can serve (KEN 255: the last TID)."""
    return tid_to_datetime(check_ken(ken) * 65536 + 65535, base_date)


def check_ken(ken: int) -> int:
    """``ken`` if it is a valid key expiry number (0-255), else :class:`KeyDataError`."""
    if isinstance(ken, bool) or not isinstance(ken, int) or not 0 <= ken <= 255:
        raise KeyDataError("Key expiry number (KEN) must be from 0 to 255.")
    return ken


def is_expired(tid: int, ken: int) -> bool:
    """True when a meter with key expiry number ``ken`` must reject a token with ``tid``."""
    return tid >> 16 > ken


def check_not_expired(tid: int, ken: int, base_date: int = 1993) -> None:
    """Refuse (:class:`KeyExpiredError`) a TID beyond the decoder key's expiry number."""
    if type(ken) is int and 0 <= ken <= 255 and tid >> 16 <= ken:
        return  # the common case, once per token, kept cheap
    if is_expired(tid, check_ken(ken)):
        raise KeyExpiredError(
            f"The meter's decoder key has expired (KEN {ken}): it accepts no token issued "
            f"after {key_expiry_time(ken, base_date):%Y-%m-%d %H:%M} UTC; the meter needs a "
            "key change first."
        )
